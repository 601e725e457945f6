"""Properties of the working-day arithmetic over random starts (2021–2034) and amounts (0–400 days)."""
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.workcal import arithmetic as ar

from .conftest import VIETNAM as CAL
from .conftest import VN

ZONES = [VN, timezone.utc, ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")]

starts = st.datetimes(min_value=datetime(2021, 1, 1), max_value=datetime(2034, 12, 31, 23, 59, 59),
                      timezones=st.sampled_from(ZONES))
# 0 … 400 working days in halves.
amounts = st.integers(min_value=0, max_value=800).map(lambda k: Decimal(k) / 2)
whole_days = st.integers(min_value=0, max_value=400)
hours = st.integers(min_value=0, max_value=400 * 30).map(lambda q: Decimal(q) / 4)  # quarter hours

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def plain_due_date(start, n):
    """Reference model: step one day at a time (the obvious, slow algorithm)."""
    local = start.astimezone(VN)
    day = local.date()
    if not ar.is_working_day(CAL, day) or local.time() >= time(17, 0):
        day += timedelta(days=1)
        while not ar.is_working_day(CAL, day):
            day += timedelta(days=1)
    for _ in range(n):
        day += timedelta(days=1)
        while not ar.is_working_day(CAL, day):
            day += timedelta(days=1)
    return day


@PROPERTY
@given(starts, amounts)
def test_result_is_a_working_moment_in_the_calendar_timezone(start, n):
    due = ar.add_working_days(CAL, start, n)
    assert ar.is_working_moment(CAL, due)
    assert due.tzinfo == VN
    assert due >= start


@PROPERTY
@given(starts, amounts, amounts)
def test_monotonic_in_amount(start, n1, n2):
    low, high = sorted((n1, n2))
    assert ar.add_working_days(CAL, start, low) <= ar.add_working_days(CAL, start, high)
    if low < high:
        assert ar.add_working_days(CAL, start, low) < ar.add_working_days(CAL, start, high)


@PROPERTY
@given(starts, starts, amounts)
def test_monotonic_in_start(s1, s2, n):
    early, late = sorted((s1, s2))
    assert ar.add_working_days(CAL, early, n) <= ar.add_working_days(CAL, late, n)


@PROPERTY
@given(starts, amounts, amounts)
def test_additive(start, a, b):
    a, b = a / 2, b / 2  # keep a + b within 400 days
    assert ar.add_working_days(CAL, ar.add_working_days(CAL, start, a), b) == ar.add_working_days(CAL, start, a + b)


@PROPERTY
@given(starts, amounts)
def test_counting_inverts_adding(start, n):
    due = ar.add_working_days(CAL, start, n)
    assert ar.working_days_between(CAL, start, due) == n
    assert ar.working_days_between(CAL, due, start) == -n
    assert ar.working_time_between(CAL, start, due) == float(n) * CAL.day_length


@PROPERTY
@given(starts, whole_days)
def test_whole_days_keep_the_position_and_match_the_day_by_day_model(start, n):
    opening = ar.next_opening(CAL, start)
    due = ar.add_working_days(CAL, start, n)
    assert due.time() == opening.time()
    assert due.date() == plain_due_date(start, n)


@PROPERTY
@given(starts, hours)
def test_working_hours_consistent_with_working_time(start, h):
    due = ar.add_working_hours(CAL, start, h)
    assert ar.is_working_moment(CAL, due)
    assert ar.working_time_between(CAL, start, due) == timedelta(hours=float(h))


@PROPERTY
@given(starts, amounts)
def test_a_working_day_is_seven_and_a_half_working_hours(start, n):
    assert ar.add_working_hours(CAL, start, n * Decimal("7.5")) == ar.add_working_days(CAL, start, n)


@PROPERTY
@given(starts)
def test_next_opening_is_the_first_working_moment_at_or_after(moment):
    opening = ar.next_opening(CAL, moment)
    assert opening >= moment
    assert ar.is_working_moment(CAL, opening)
    assert ar.working_time_between(CAL, moment, opening) == timedelta(0)
    assert ar.next_opening(CAL, opening) == opening
    if ar.is_working_moment(CAL, moment):
        assert opening == moment
    else:
        # Nothing in between is a working moment: one minute earlier is still closed (or is `moment`).
        before = opening - timedelta(minutes=1)
        assert before < moment or not ar.is_working_moment(CAL, before)


@PROPERTY
@given(starts)
def test_reception_start_is_a_working_moment_before_the_cutoff(moment):
    start = ar.reception_start(CAL, moment)
    assert start >= moment
    assert ar.is_working_moment(CAL, start)
    assert start.time() < time(16, 0)
    if ar.is_working_moment(CAL, moment) and moment.astimezone(VN).time() < time(16, 0):
        assert start == moment


@PROPERTY
@given(starts, starts)
def test_working_time_is_antisymmetric_and_chains(a, b):
    assert ar.working_time_between(CAL, a, b) == -ar.working_time_between(CAL, b, a)
    if a <= b:
        assert ar.working_time_between(CAL, a, b) >= timedelta(0)


@PROPERTY
@given(starts, whole_days)
def test_explain_lists_exactly_the_days_that_break_the_weekly_pattern(start, n):
    due = ar.add_working_days(CAL, start, n)
    notes = ar.explain(CAL, start, due)
    first, last = start.astimezone(VN).date(), due.date()
    assert all(first <= note.date <= last and note.reason for note in notes)
    # Working days in the range = weekdays - holidays on weekdays + worked weekend days.
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    working = sum(ar.is_working_day(CAL, d) for d in days)
    weekdays = sum(d.weekday() < 5 for d in days)
    off = sum(note.date.weekday() < 5 for note in notes)
    worked_weekend = sum(note.date.weekday() >= 5 for note in notes)
    assert working == weekdays - off + worked_weekend


@PROPERTY
@given(starts, st.integers(min_value=0, max_value=500))
def test_calendar_days_end_at_the_end_of_a_working_day_not_before_the_day_reached(start, n):
    due = ar.add_calendar_days(CAL, start, n)
    reached = start.astimezone(VN).date() + timedelta(days=n)
    assert due.time() == time(17, 0)
    assert due.date() >= reached
    assert ar.is_working_day(CAL, due.date())
    assert all(not ar.is_working_day(CAL, reached + timedelta(days=k)) for k in range((due.date() - reached).days))
