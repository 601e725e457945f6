"""Fixtures for feedback: the demo province (tests/dossiers/conftest.py), categories from the migration.

Times are Vietnam time; MONDAY_9AM is Monday 23/11/2026 09:00 (no holiday within two weeks).
"""
import pytest
import time_machine

from motcua.feedback import services
from motcua.feedback.models import Category, Notification
from tests.dossiers.conftest import (  # noqa: F401 — fixtures reused
    MONDAY_9AM, agencies, at, make_procedure, procedure, province, received_dossier, reception_for, users,
)

CENTRE = "000.00.01.H42"
JUSTICE = "000.00.14.H42"
PROVINCE_COMMITTEE = "000.00.00.H42"
DESCRIPTION = ("Thủ tục cấp Phiếu lý lịch tư pháp yêu cầu nộp bản sao sổ hộ khẩu dù sổ hộ khẩu đã bị bãi bỏ "
               "từ năm 2023; đề nghị bỏ yêu cầu này.")


@pytest.fixture(autouse=True)
def empty_cache():
    """Lookup allowances live in the cache: every test starts with a fresh one."""
    from django.core.cache import cache
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_categories(db):
    """The migration's categories, again: a transactional (browser) test before this one flushed them."""
    from motcua.feedback.defaults import ensure_categories
    ensure_categories(Category)


def category(code):
    return Category.objects.get(code=code)


def submission(**overrides):
    values = dict(category=category("QDHC"), description=DESCRIPTION, sender_name="Trần Thị Bích Ngọc",
                  sender_phone="0912345678", title="Đề nghị bỏ yêu cầu sổ hộ khẩu")
    values.update(overrides)
    return services.Submission(**values)


def sms_code(feedback_code):
    """The last 6-digit code queued by SMS for ``feedback_code``."""
    import re
    row = Notification.objects.filter(feedback__code=feedback_code, kind="verification", channel="sms").latest("id")
    return re.search(r": (\d{6}) ", row.body).group(1)


def verified(sub=None):
    """Submit and verify with the SMS code that was sent."""
    feedback = services.submit(sub or submission())
    return services.verify_code(feedback.code, sms_code(feedback.code))


@pytest.fixture
def received(province, users):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return verified()


@pytest.fixture
def assigned(received, users, agencies):
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        return services.route(users["tiepnhan.tinh"], received.pk, received.row_version, agencies[JUSTICE])
