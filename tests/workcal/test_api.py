"""GET /api/v1/calendar/due-date through the Django test client."""
import json
from datetime import time

import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from motcua.workcal import services
from motcua.workcal.models import AgencyExtraSession

from .test_services import make_centre

URL = "/api/v1/calendar/due-date"


@pytest.fixture(autouse=True)
def seeded(db):
    cache.clear()  # throttle counters
    services.seed_calendar(2024, 2027)
    yield
    cache.clear()


def get(client, **params):
    return client.get(URL, params)


def test_working_days_across_the_2025_swap(client):
    response = get(client, **{"from": "2025-04-28T09:00:00+07:00", "working_days": "3"})
    assert response.status_code == 200
    assert response.json() == {
        "from": "2025-04-28T09:00:00+07:00",
        "start": "2025-04-28T09:00:00+07:00",
        "due": "2025-05-06T09:00:00+07:00",
        "unit": "working_days",
        "amount": 3,
        "explanation": [
            "Thứ Tư 30/04/2025: nghỉ, không tính vào thời hạn — Ngày Chiến thắng",
            "Thứ Năm 01/05/2025: nghỉ, không tính vào thời hạn — Ngày Quốc tế Lao động",
            "Thứ Sáu 02/05/2025: nghỉ, không tính vào thời hạn — Nghỉ hoán đổi dịp Ngày Chiến thắng 30/4 và "
            "Quốc tế Lao động 1/5 năm 2025 (làm bù thứ Bảy 26/04/2025)",
        ],
    }


def test_after_the_cutoff_in_utc_and_fractional(client):
    # 09:30 UTC = 16:30 in Hà Nội, after the 16:00 cut-off: the clock starts Tuesday 07:30.
    data = get(client, **{"from": "2026-03-09T09:30:00Z", "working_days": "1.5"}).json()
    assert data["from"] == "2026-03-09T16:30:00+07:00"
    assert data["start"] == "2026-03-10T07:30:00+07:00"
    assert data["due"] == "2026-03-11T11:15:00+07:00"
    assert data["amount"] == 1.5
    assert data["explanation"][0].startswith("Hồ sơ tiếp nhận sau 16:00 lúc 16:30 09/03/2026")
    # Without the reception rule only the office hours matter.
    data = get(client, **{"from": "2026-03-09T09:30:00Z", "working_days": "1.5", "reception": "false"}).json()
    assert data["start"] == "2026-03-09T16:30:00+07:00"


def test_naive_time_is_vietnam_time_and_plus_may_arrive_as_a_space(client):
    naive = get(client, **{"from": "2026-03-09T09:00", "working_hours": "2"}).json()
    assert naive["due"] == "2026-03-09T11:00:00+07:00"
    unencoded = client.get(URL + "?from=2026-03-09T09:00:00+07:00&working_hours=2").json()
    assert unencoded["due"] == naive["due"]


def test_calendar_days(client):
    data = get(client, **{"from": "2025-04-01T09:00:00+07:00", "calendar_days": "29"}).json()
    assert data["due"] == "2025-05-05T17:00:00+07:00"
    assert "Điều 148 Bộ luật Dân sự" in data["explanation"][0]


def test_agency_saturday_reception(client):
    centre = make_centre()
    AgencyExtraSession.objects.create(agency=centre, weekday=5, start=time(7, 30), end=time(11, 30))
    data = get(client, **{"from": "2026-03-14T09:00:00+07:00", "working_days": "1", "agency": centre.code}).json()
    assert data["start"] == "2026-03-16T07:30:00+07:00"
    assert data["due"] == "2026-03-17T07:30:00+07:00"


@pytest.mark.parametrize("params, message", [
    ({"working_days": "3"}, "Thiếu tham số “from”"),
    ({"from": "28/04/2025 09:00", "working_days": "3"}, "không đúng định dạng ISO 8601"),
    ({"from": "2025-04-28T09:00:00+07:00"}, "Cần đúng một trong các tham số"),
    ({"from": "2025-04-28T09:00:00+07:00", "working_days": "-1"}, "không được là số âm"),
    ({"from": "2025-04-28T09:00:00+07:00", "working_days": "ba"}, "không phải là một số"),
    ({"from": "2025-04-28T09:00:00+07:00", "working_days": "nan"}, "không phải là một số"),
    ({"from": "2025-04-28T09:00:00+07:00", "working_days": "3", "working_hours": "2"}, "Chỉ được dùng một đơn vị"),
    ({"from": "2025-04-28T09:00:00+07:00", "calendar_days": "1.5"}, "số nguyên ngày"),
    ({"from": "2025-04-28T09:00:00+07:00", "working_days": "3", "agency": "000.00.99.H99"},
     "Không tìm thấy cơ quan có mã “000.00.99.H99”"),
    ({"from": "2050-01-03T09:00:00+07:00", "working_days": "3"}, "nằm ngoài phạm vi lịch làm việc"),
    ({"from": "2035-12-20T09:00:00+07:00", "working_days": "30"}, "vượt quá phạm vi lịch làm việc"),
    ({"from": "2025-04-28T09:00:00+07:00", "working_days": "3", "reception": "maybe"}, "reception"),
])
def test_bad_parameters_get_a_vietnamese_400(client, params, message):
    response = get(client, **params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_endpoint_is_in_the_openapi_schema(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    operation = json.loads(response.content)["paths"]["/api/v1/calendar/due-date"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "from", "working_days", "working_hours", "calendar_days", "agency", "reception"}
    assert set(operation["responses"]) == {"200", "400"}
    assert operation["summary"] == "Tính thời hạn giải quyết theo lịch làm việc"


def test_public_endpoint_is_throttled(client, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})
    params = {"from": "2025-04-28T09:00:00+07:00", "working_days": "1"}
    assert [get(client, **params).status_code for _ in range(4)] == [200, 200, 200, 429]
