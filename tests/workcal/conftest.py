from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.workcal import services
from motcua.workcal.arithmetic import WorkCalendar
from motcua.workcal.data import vietnam_calendar_kwargs

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# One calendar for the pure tests: Vietnam's holidays and swaps, wide enough that a start in
# 2034 plus 400 working days stays inside it.
VIETNAM = WorkCalendar(**vietnam_calendar_kwargs(2020, 2040))


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def cal():
    return VIETNAM


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Database rows roll back between tests; never let a calendar built in one test leak.
    services.clear_cache()
    yield
    services.clear_cache()
