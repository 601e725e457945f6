"""Seeding, the cached calendar built from the database, and due moments through the services."""
import os
import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from motcua.orgs.models import AdminUnit, Agency
from motcua.workcal import arithmetic as ar
from motcua.workcal import demo, services
from motcua.workcal.models import AgencyExtraSession, CalendarDay

from .conftest import at

ROOT = Path(__file__).resolve().parents[2]


def make_centre(code="000.00.01.H42"):
    unit = AdminUnit.objects.create(code="42", name="Tỉnh Ninh Bình", level=AdminUnit.Level.PROVINCE)
    return Agency.objects.create(code=code, name="Trung tâm Phục vụ hành chính công tỉnh Ninh Bình",
                                 kind=Agency.Kind.SERVICE_CENTRE, unit=unit)


def snapshot():
    return list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name", "source"))


def test_seeding_is_idempotent_and_keeps_manual_rows(db):
    CalendarDay.objects.create(date=date(2025, 4, 30), kind=CalendarDay.Kind.SWAP_WORK,
                               name="Trực tiếp nhận hồ sơ", source=CalendarDay.Source.MANUAL)
    CalendarDay.objects.create(date=date(2025, 3, 3), kind=CalendarDay.Kind.HOLIDAY,
                               name="Ngày đã bị bỏ khỏi dữ liệu", source=CalendarDay.Source.SEEDED)
    first = services.seed_calendar(2020, 2035)
    assert first["created"] > 150 and first["manual_kept"] == 1 and first["deleted"] == 1
    rows = snapshot()
    second = services.seed_calendar(2020, 2035)
    assert second == {"created": 0, "updated": 0, "deleted": 0, "manual_kept": 1}
    assert snapshot() == rows
    manual = CalendarDay.objects.get(date=date(2025, 4, 30))
    assert (manual.kind, manual.name, manual.source) == ("swap_work", "Trực tiếp nhận hồ sơ", "manual")
    assert not CalendarDay.objects.filter(date=date(2025, 3, 3)).exists()
    tet = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert (tet.kind, tet.name, tet.source) == ("holiday", "Tết Nguyên Đán", "seeded")
    assert CalendarDay.objects.get(date=date(2025, 4, 26)).kind == "swap_work"


def test_seeding_rejects_a_bad_range(db):
    with pytest.raises(ValueError, match="Khoảng năm không hợp lệ"):
        services.seed_calendar(2030, 2020)
    assert not CalendarDay.objects.exists()


def test_due_moment_for_each_unit(db):
    services.seed_calendar(2024, 2027)
    start = at(2025, 4, 28, 9)
    assert services.due_moment(start, 3, "working_days") == at(2025, 5, 6, 9)
    assert services.due_moment(start, 16, "working_hours") == at(2025, 5, 5, 10)
    assert services.due_moment(start, 2, "calendar_days") == at(2025, 5, 5, 17)
    with pytest.raises(ValueError, match="Đơn vị thời hạn không hợp lệ"):
        services.due_moment(start, 3, "weeks")


def test_editing_a_day_changes_the_next_deadline(db):
    services.seed_calendar(2024, 2027)
    start = at(2025, 4, 28, 9)
    assert services.due_moment(start, 3, "working_days") == at(2025, 5, 6, 9)
    day = CalendarDay.objects.create(date=date(2025, 5, 5), kind=CalendarDay.Kind.HOLIDAY,
                                     name="Nghỉ đột xuất do bão")
    assert services.due_moment(start, 3, "working_days") == at(2025, 5, 7, 9)
    CalendarDay.objects.filter(pk=day.pk).update(kind=CalendarDay.Kind.SWAP_WORK)  # bulk update counts too
    assert services.due_moment(start, 3, "working_days") == at(2025, 5, 6, 9)
    CalendarDay.objects.filter(date=date(2025, 4, 26)).delete()  # cancel the làm bù Saturday
    assert services.due_moment(at(2025, 4, 25, 9), 1, "working_days") == at(2025, 4, 28, 9)


def test_unchanged_calendar_is_served_from_the_cache_with_one_query(db, django_assert_num_queries):
    services.seed_calendar(2024, 2027)
    first = services.get_calendar()
    with django_assert_num_queries(1):
        assert services.get_calendar() is first


def _database_url():
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="another process can only reach the test database on PostgreSQL")
def test_an_edit_made_by_another_process_is_seen(transactional_db):
    services.seed_calendar(2024, 2027)
    start = at(2025, 4, 28, 9)
    assert services.due_moment(start, 3, "working_days") == at(2025, 5, 6, 9)  # warms the cache
    code = ("import django; django.setup(); import datetime; from motcua.workcal.models import CalendarDay; "
            "CalendarDay.objects.create(date=datetime.date(2025, 5, 5), kind='holiday', name='Nghỉ đột xuất')")
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=120)
    assert services.due_moment(start, 3, "working_days") == at(2025, 5, 7, 9)


def test_agency_counter_session_and_explanations(db):
    services.seed_calendar(2024, 2027)
    centre = make_centre()
    AgencyExtraSession.objects.create(agency=centre, weekday=5, start=time(7, 30), end=time(11, 30))
    calendar = services.get_calendar(centre)
    saturday = at(2026, 3, 14, 9)
    assert ar.is_counter_open(calendar, saturday)
    assert not ar.is_counter_open(services.get_calendar(), saturday)
    start = services.reception_start(saturday, centre)
    assert start == at(2026, 3, 16, 7, 30)
    due = services.due_moment(start, 1, "working_days", centre)
    assert due == at(2026, 3, 17, 7, 30)
    lines = services.explain_due(start, due, centre, received_at=saturday)
    assert lines == ["Hồ sơ tiếp nhận ngoài giờ làm việc lúc 09:00 14/03/2026 nên thời hạn được tính từ "
                     "07:30 16/03/2026."]
    lines = services.explain_due(at(2025, 4, 25, 9), at(2025, 5, 6, 9))
    assert lines[0].startswith("Thứ Bảy 26/04/2025: làm việc (làm bù) — Làm bù cho ngày nghỉ 02/05/2025")
    assert lines[1] == "Thứ Tư 30/04/2025: nghỉ, không tính vào thời hạn — Ngày Chiến thắng"
    assert len(lines) == 4
    late = services.explain_due(at(2025, 4, 29, 7, 30), at(2025, 5, 5, 7, 30), received_at=at(2025, 4, 28, 16, 30))
    assert late[0].startswith("Hồ sơ tiếp nhận sau 16:00 lúc 16:30 28/04/2025")
    calendar_days = services.explain_due(at(2025, 4, 1, 9), at(2025, 5, 5, 17), unit="calendar_days", amount=29)
    assert calendar_days == ["Ngày cuối của thời hạn (30/04/2025) là ngày nghỉ (Ngày Chiến thắng) nên thời hạn "
                             "kết thúc vào cuối ngày làm việc tiếp theo, 17:00 05/05/2025 (Điều 148 Bộ luật Dân sự)."]
    assert services.handover_due(at(2026, 3, 9, 15, 30)) == at(2026, 3, 10, 11, 30)


def test_extra_session_must_name_a_weekday_or_a_date(db):
    from django.core.exceptions import ValidationError
    centre = make_centre()
    session = AgencyExtraSession(agency=centre, start=time(7, 30), end=time(11, 30))
    with pytest.raises(ValidationError):
        session.full_clean()
    session = AgencyExtraSession(agency=centre, weekday=5, start=time(11, 30), end=time(7, 30))
    with pytest.raises(ValidationError):
        session.full_clean()


def test_demo_load_skips_the_saturday_session_without_the_centre(db):
    demo.load()
    assert CalendarDay.objects.filter(date__year=2035).exists()
    assert not AgencyExtraSession.objects.exists()


def test_demo_load_adds_the_saturday_session_once(db):
    centre = make_centre()
    demo.load()
    demo.load()
    session = AgencyExtraSession.objects.get()
    assert (session.agency, session.weekday, session.start) == (centre, 5, time(7, 30))


def test_seed_calendar_command(db, capsys):
    call_command("seed_calendar", "--from", "2025", "--to", "2026")
    assert "Lịch 2025–2026: thêm" in capsys.readouterr().out
    assert CalendarDay.objects.filter(date__year=2026).count() > 10
    assert not CalendarDay.objects.filter(date__year=2024).exists()


def test_admin_lists_days_by_year_and_kind_and_marks_hand_edits_manual(admin_client):
    services.seed_calendar(2025, 2026)
    response = admin_client.get("/admin/workcal/calendarday/", {"nam": "2025", "kind": "holiday"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày Chiến thắng" in page and "Tết Nguyên Đán" in page
    assert "Làm bù cho ngày nghỉ" not in page  # filtered out by kind
    day = CalendarDay.objects.get(date=date(2025, 4, 30))
    response = admin_client.post(f"/admin/workcal/calendarday/{day.pk}/change/", {
        "date": "30/04/2025", "kind": "holiday", "name": "Ngày Giải phóng miền Nam, thống nhất đất nước"})
    assert response.status_code == 302, response.content.decode()[:2000]
    day.refresh_from_db()
    assert day.source == "manual"
    services.seed_calendar(2025, 2026)
    day.refresh_from_db()
    assert day.name == "Ngày Giải phóng miền Nam, thống nhất đất nước"
    make_centre()
    assert admin_client.get("/admin/workcal/agencyextrasession/add/").status_code == 200
