"""Worked examples on real dates (Vietnam's calendar as seeded from the holidays package)."""
import pickle
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from motcua.workcal import arithmetic as ar
from motcua.workcal.data import SWAPS, vietnam_calendar_days, vietnam_calendar_kwargs

from .conftest import VN, at


def test_plain_week_keeps_the_position_in_the_day(cal):
    # Mon 09/03/2026 09:00 + 3 working days = Thu 12/03/2026 09:00.
    assert ar.add_working_days(cal, at(2026, 3, 9, 9), 3) == at(2026, 3, 12, 9)
    # Friday + 1 skips the weekend.
    assert ar.add_working_days(cal, at(2026, 3, 13, 9), 1) == at(2026, 3, 16, 9)


def test_tet_binh_ngo_2026(cal):
    # Officials are off from Sat 14/02 to Sun 22/02/2026: received Friday 13/02 09:00.
    assert ar.add_working_days(cal, at(2026, 2, 13, 9), 1) == at(2026, 2, 23, 9)
    assert ar.add_working_days(cal, at(2026, 2, 13, 9), 3) == at(2026, 2, 25, 9)
    assert [d for d in range(14, 23) if ar.is_working_day(cal, date(2026, 2, d))] == []
    notes = ar.explain(cal, at(2026, 2, 13, 9), at(2026, 2, 23, 9))
    assert [n.date for n in notes] == [date(2026, 2, d) for d in range(16, 21)]
    assert notes[1].reason == "Tết Nguyên Đán"
    assert "Giao thừa" in notes[0].reason


def test_april_may_2025_swap(cal):
    # Fri 02/05/2025 off, Sat 26/04/2025 worked instead (làm bù).
    assert ar.is_working_day(cal, date(2025, 4, 26))
    assert not ar.is_working_day(cal, date(2025, 5, 2))
    assert ar.add_working_days(cal, at(2025, 4, 25, 9), 1) == at(2025, 4, 26, 9)
    # Mon 28/04 09:00 + 3: Tue 29/04, (30/04, 01/05, 02/05 off, weekend), Mon 05/05, Tue 06/05.
    due = ar.add_working_days(cal, at(2025, 4, 28, 9), 3)
    assert due == at(2025, 5, 6, 9)
    reasons = dict(ar.explain(cal, at(2025, 4, 25, 9), due))
    assert set(reasons) == {date(2025, 4, 26), date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)}
    assert reasons[date(2025, 4, 30)] == "Ngày Chiến thắng"
    assert "Làm bù" in reasons[date(2025, 4, 26)]


def test_swap_table_agrees_with_the_holidays_package():
    specs = {s.date: s for s in vietnam_calendar_days(2020, 2026)}
    for swap in SWAPS:
        assert specs[swap.off].kind == "swap_off"
        assert specs[swap.work].kind == "swap_work"
        assert swap.work.weekday() == 5


@pytest.mark.parametrize("sunday, monday", [(date(2022, 4, 10), date(2022, 4, 11)),
                                            (date(2026, 4, 26), date(2026, 4, 27))])
def test_hung_kings_day_on_a_sunday_is_compensated_on_monday(cal, sunday, monday):
    assert sunday.weekday() == 6 and monday.weekday() == 0
    assert not ar.is_working_day(cal, monday)
    friday = sunday - timedelta(days=2)
    start = datetime.combine(friday, time(9), VN)
    assert ar.add_working_days(cal, start, 1) == datetime.combine(monday + timedelta(days=1), time(9), VN)
    notes = ar.explain(cal, start, start + timedelta(days=5))
    assert notes[0] == (monday, "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)")


def test_national_day_and_its_adjacent_day(cal):
    # 2025: Mon 01/09 and Tue 02/09 off.
    assert ar.add_working_days(cal, at(2025, 8, 29, 10), 1) == at(2025, 9, 3, 10)
    # 2026: Mon 31/08 (swapped with Sat 22/08), Tue 01/09, Wed 02/09 off.
    assert ar.add_working_days(cal, at(2026, 8, 21, 10), 1) == at(2026, 8, 22, 10)
    assert ar.add_working_days(cal, at(2026, 8, 28, 10), 1) == at(2026, 9, 3, 10)


def test_fractional_days_and_hours(cal):
    assert cal.day_length == timedelta(hours=7, minutes=30)
    assert ar.add_working_days(cal, at(2026, 3, 9, 7, 30), Decimal("0.5")) == at(2026, 3, 9, 11, 15)
    # 09:00 + 3 h 45 min of working time crosses the lunch break.
    assert ar.add_working_days(cal, at(2026, 3, 9, 9), 0.5) == at(2026, 3, 9, 14, 45)
    # A due time on the end of a session is written as the next opening ("by the end of the morning").
    assert ar.add_working_hours(cal, at(2026, 3, 9, 7, 30), 4) == at(2026, 3, 9, 13, 30)
    assert ar.add_working_hours(cal, at(2026, 3, 9, 16), 2) == at(2026, 3, 10, 8, 30)
    assert ar.add_working_hours(cal, at(2026, 3, 13, 15), 2) == at(2026, 3, 16, 7, 30)
    assert ar.working_days_between(cal, at(2026, 3, 9, 9), at(2026, 3, 11, 14, 45)) == Decimal("2.5")
    # The lunch break does not count: 11:30 and 12:45 read the same on the working clock.
    assert ar.working_time_between(cal, at(2026, 3, 11, 11, 30), at(2026, 3, 11, 12, 45)) == timedelta(0)
    assert ar.working_time_between(cal, at(2026, 3, 10, 9), at(2026, 3, 9, 9)) == -timedelta(hours=7, minutes=30)


def test_next_opening(cal):
    assert ar.next_opening(cal, at(2026, 3, 9, 9)) == at(2026, 3, 9, 9)
    assert ar.next_opening(cal, at(2026, 3, 9, 6)) == at(2026, 3, 9, 7, 30)
    assert ar.next_opening(cal, at(2026, 3, 9, 11, 30)) == at(2026, 3, 9, 13, 30)
    assert ar.next_opening(cal, at(2026, 3, 13, 17)) == at(2026, 3, 16, 7, 30)
    # UTC input, local result.
    utc = datetime(2026, 3, 9, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hà Nội
    assert ar.next_opening(cal, utc) == at(2026, 3, 9, 9)
    assert ar.next_opening(cal, utc).tzinfo == VN


def test_reception_after_the_1600_cutoff_starts_the_next_working_day(cal):
    assert ar.reception_start(cal, at(2026, 3, 9, 15, 59)) == at(2026, 3, 9, 15, 59)
    assert ar.reception_start(cal, at(2026, 3, 9, 16, 0)) == at(2026, 3, 10, 7, 30)
    assert ar.reception_start(cal, at(2026, 3, 9, 12, 0)) == at(2026, 3, 9, 13, 30)
    # Tue 29/04/2025 16:30, before the long weekend: the clock starts on Mon 05/05.
    start = ar.reception_start(cal, at(2025, 4, 29, 16, 30))
    assert start == at(2025, 5, 5, 7, 30)
    assert ar.add_working_days(cal, start, 3) == at(2025, 5, 8, 7, 30)


def test_paper_handover_after_1500_goes_next_morning(cal):
    assert ar.handover_due(cal, at(2026, 3, 9, 14, 59)) == at(2026, 3, 9, 17)
    assert ar.handover_due(cal, at(2026, 3, 9, 15, 0)) == at(2026, 3, 10, 11, 30)
    assert ar.handover_due(cal, at(2026, 3, 13, 15, 30)) == at(2026, 3, 16, 11, 30)
    # Received on Thu 12/02/2026 after 15:00: the next working day is after Tết.
    assert ar.handover_due(cal, at(2026, 2, 12, 15, 30)) == at(2026, 2, 13, 11, 30)
    assert ar.handover_due(cal, at(2026, 2, 13, 15, 30)) == at(2026, 2, 23, 11, 30)


def test_calendar_days_end_on_the_next_working_day_when_the_last_day_is_a_holiday(cal):
    # 01/04/2025 + 29 days = Wed 30/04 (holiday); 01/05, 02/05 off, weekend → end of Mon 05/05.
    assert ar.add_calendar_days(cal, at(2025, 4, 1, 9), 29) == at(2025, 5, 5, 17)
    assert ar.add_calendar_days(cal, at(2025, 4, 1, 9), 6) == at(2025, 4, 7 + 1, 17)  # 07/04 Giỗ Tổ → 08/04
    assert ar.add_calendar_days(cal, at(2026, 3, 2, 9), 7) == at(2026, 3, 9, 17)
    with pytest.raises(ValueError, match="số nguyên"):
        ar.add_calendar_days(cal, at(2026, 3, 2, 9), Decimal("1.5"))


def test_saturday_morning_counter_does_not_count_toward_deadlines():
    cal = ar.WorkCalendar(**{**vietnam_calendar_kwargs(2024, 2027),
                             "counter_sessions": (ar.CounterSession(time(7, 30), time(11, 30), weekday=5),)})
    saturday = at(2026, 3, 14, 9)
    assert ar.is_counter_open(cal, saturday)
    assert not ar.is_working_moment(cal, saturday)
    assert not ar.is_counter_open(cal, at(2026, 3, 14, 12))
    assert ar.next_counter_opening(cal, at(2026, 3, 13, 17, 30)) == at(2026, 3, 14, 7, 30)
    assert ar.next_counter_opening(cal, saturday) == saturday
    assert ar.next_counter_opening(cal, at(2026, 3, 14, 12)) == at(2026, 3, 16, 7, 30)
    # Received on Saturday morning: the clock starts at Monday's opening.
    start = ar.reception_start(cal, saturday)
    assert start == at(2026, 3, 16, 7, 30)
    assert ar.add_working_days(cal, saturday, 1) == at(2026, 3, 17, 7, 30)
    # A Saturday during Tết (01/02/2025, Mùng bốn) keeps the counter closed.
    assert not ar.is_counter_open(cal, at(2025, 2, 1, 9))
    assert ar.next_counter_opening(cal, at(2025, 1, 31, 18)) == at(2025, 2, 3, 7, 30)
    # A one-off session on a given date applies even on a holiday.
    one_off = ar.WorkCalendar(**{**vars_of(cal), "counter_sessions": (
        ar.CounterSession(time(8), time(10), on_date=date(2025, 2, 1), note="Trực Tết"),)})
    assert ar.is_counter_open(one_off, at(2025, 2, 1, 9))


def vars_of(cal):
    return {"non_working": cal.non_working, "extra_working": cal.extra_working,
            "first_year": cal.first_year, "last_year": cal.last_year}


def test_bad_input_raises_vietnamese_errors(cal):
    with pytest.raises(ValueError, match="múi giờ"):
        ar.add_working_days(cal, datetime(2026, 3, 9, 9), 1)
    with pytest.raises(ValueError, match="không được là số âm"):
        ar.add_working_days(cal, at(2026, 3, 9, 9), -1)
    with pytest.raises(ValueError, match="không được là số âm"):
        ar.add_working_hours(cal, at(2026, 3, 9, 9), Decimal("-0.5"))
    with pytest.raises(ValueError, match="không hợp lệ"):
        ar.add_working_days(cal, at(2026, 3, 9, 9), "ba")
    with pytest.raises(ar.OutOfRangeError, match="ngoài phạm vi lịch làm việc"):
        ar.add_working_days(cal, at(2019, 12, 31, 9), 1)
    with pytest.raises(ar.OutOfRangeError, match="vượt quá phạm vi"):
        ar.add_working_days(cal, at(2040, 12, 1, 9), 100)
    error = pytest.raises(ar.OutOfRangeError, ar.next_opening, cal, at(2041, 1, 2, 9)).value
    assert error.params["date"] == "02/01/2041"


def test_calendar_is_an_immutable_value(cal):
    with pytest.raises(AttributeError):
        cal.first_year = 1999
    same = ar.WorkCalendar(**vars_of(cal))
    assert same == cal and hash(same) == hash(cal)
    assert ar.WorkCalendar(**{**vars_of(cal), "extra_working": ()}) != cal
    copy = pickle.loads(pickle.dumps(cal))
    assert copy == cal
    assert ar.add_working_days(copy, at(2025, 4, 28, 9), 3) == at(2025, 5, 6, 9)
