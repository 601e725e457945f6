"""Counts for reports: received, answered on time / late, open overdue, by agency, category and period."""
import pytest
import time_machine

from motcua.feedback import services
from tests.feedback.conftest import JUSTICE, at, category, submission, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(province, users, agencies):
    """November: three received; one answered on time, one routed and left open (due 08/12),
    one rejected. December: one received and answered late."""
    receiver, handler = users["tiepnhan.tinh"], users["thuly.tuphap"]
    with time_machine.travel(at(2026, 11, 23, 9, 0), tick=False):
        a, b, c = verified(), verified(submission(category=category("CKTT"))), verified()
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        a = services.route(receiver, a.pk, a.row_version, agencies[JUSTICE])
        b = services.route(receiver, b.pk, b.row_version, agencies["000.00.12.H42"])
        services.reject(receiver, c.pk, c.row_version, "Không thuộc phạm vi phản ánh về quy định hành chính.")
    with time_machine.travel(at(2026, 11, 30, 9, 0), tick=False):
        services.answer(handler, a.pk, a.row_version, "Kiến nghị được tiếp thu, Sở đã chỉ đạo khắc phục.")
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        d = verified()
        d = services.route(receiver, d.pk, d.row_version, agencies[JUSTICE])
    with time_machine.travel(at(2026, 12, 18, 9, 0), tick=False):
        services.answer(handler, d.pk, d.row_version, "Trả lời chậm: kiến nghị đã được tiếp thu và xử lý.")


def test_totals_by_agency(history, agencies):
    rows = services.counts(at(2026, 11, 1), at(2027, 1, 1), now=at(2027, 1, 5))
    by_agency = {row["agency_id"]: row for row in rows}
    justice = by_agency[agencies[JUSTICE].pk]
    assert (justice["received"], justice["answered"], justice["answered_on_time"], justice["answered_late"]) == \
        (2, 2, 1, 1)
    assert justice["on_time_rate"] == 50.0
    building = by_agency[agencies["000.00.12.H42"].pk]
    assert (building["received"], building["open"], building["open_overdue"]) == (1, 1, 1)
    assert building["on_time_rate"] == 0.0
    assert by_agency[None]["rejected"] == 1  # never routed


def test_by_month_and_category(history):
    rows = services.counts(at(2026, 11, 1), at(2027, 1, 1), agency_ids=None, group_by=("period", "category"),
                           now=at(2027, 1, 5))
    table = {(r["period"], r["category_code"]): r for r in rows}
    assert table[("2026-11", "QDHC")]["received"] == 2
    assert table[("2026-11", "QDHC")]["answered_on_time"] == 1
    assert table[("2026-11", "QDHC")]["rejected"] == 1
    assert table[("2026-11", "CKTT")]["open"] == 1 and table[("2026-11", "CKTT")]["open_overdue"] == 0
    assert table[("2026-12", "CKTT")]["open_overdue"] == 1  # still open at the end of December
    assert table[("2026-12", "QDHC")]["answered_late"] == 1


def test_agency_filter_and_open_overdue_as_of_now(history, agencies):
    rows = services.counts(at(2026, 11, 1), at(2026, 12, 5), agency_ids=[agencies[JUSTICE].pk], group_by=())
    assert len(rows) == 1
    assert rows[0]["received"] == 2 and rows[0]["answered"] == 1  # December's late answer comes later
    assert rows[0]["open"] == 1 and rows[0]["open_overdue"] == 0


def test_bad_grouping_is_refused():
    with pytest.raises(ValueError):
        services.counts(at(2026, 11, 1), at(2026, 12, 1), group_by=("field",))
