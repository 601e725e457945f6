"""Working-day arithmetic: every deadline in Một Cửa is computed here.

This module is pure Python (no Django): a frozen :class:`WorkCalendar` value plus plain
functions taking the calendar as first argument. ``services.get_calendar()`` builds the
calendar from the database; tests and benchmarks build it directly.

Vocabulary and semantics
------------------------
*Working day*
    A date that is not a weekend day (Saturday, Sunday by default) and not a listed
    non-working date (public holiday, *nghỉ bù*), or a weekend date listed as an extra
    working date (*làm bù*).
*Working moment*
    An instant inside an office session of a working day. Sessions are half-open
    intervals of wall-clock time, by default [07:30, 11:30) and [13:30, 17:00): 11:30 and
    17:00 themselves are not working moments.
*Working clock*
    Each instant is mapped to the amount of working time elapsed since the start of the
    calendar (microsecond resolution). The clock stands still outside sessions, so every
    instant of a lunch break, a night, a weekend or a holiday has the same reading as the
    next session's opening. Adding and counting working time are done on this clock, which
    makes them exact inverses of each other, monotonic and additive.
*Due moment*
    ``add_working_days``/``add_working_hours`` return the **last** instant at which the
    required working time has not yet been exceeded — equivalently, a due time that falls
    on the end of a session is written as the opening of the next session (07:30 + 4
    working hours = 13:30, meaning "by the end of the morning"; a Friday-afternoon due
    time at 17:00 is written as Monday 07:30). So a result is always a working moment, and
    a plain comparison ``returned_at <= due`` agrees with the working clock: whatever
    happens during the lunch break, the night or the weekend before the due time is on time.

Operations (each O(log n) or better in the number of working days covered: the calendar
precomputes a sorted array of working-day ordinals searched with :mod:`bisect`, plus — for
the working clock, the hottest path — a dense rank table over the covered dates that gives
the same answer in O(1); no operation ever steps through days one by one, except
``next_counter_opening``, which looks at most at the days until the next office opening):

``next_opening(cal, m)``
    ``m`` itself if it is a working moment, else the opening of the next session.
``add_working_days(cal, start, n)``
    Normalise ``start`` with ``next_opening``, keep its *position within the working day*
    (working time since the day's first opening) and move ``n`` working days forward:
    Monday 09:00 + 3 = Thursday 09:00 when no holiday intervenes. ``n`` may be fractional
    (0.5 = half a standard day's working time, 3 h 45 min with the default sessions); it
    must not be negative.
``add_working_hours(cal, start, h)``
    Walk ``h`` hours of working time forward through the sessions.
``add_calendar_days(cal, start, n)``
    The day reached is ``start``'s date + ``n`` calendar days; the period ends at the end
    of that day's office hours (17:00), or — when that day is not a working day — at the
    end of the next working day (Bộ luật Dân sự 2015, Điều 148).
``working_time_between(cal, a, b)`` / ``working_days_between(cal, a, b)``
    The working time between two instants as a ``timedelta`` (negative when ``b < a``) and
    as a ``Decimal`` number of standard working days. Counting inverts adding:
    ``working_days_between(cal, s, add_working_days(cal, s, n)) == n``.
``reception_start(cal, received_at, cutoff=16:00)``
    When the legal clock starts for a dossier received at ``received_at``: the reception
    moment itself if it is a working moment before the cut-off; the next opening if it is
    outside working time (lunch → 13:30, night → next morning); the next working day's
    opening if the (normalised) reception is at or after the cut-off.
``handover_due(cal, received_at, cutoff=15:00)``
    Decree 118/2025 Điều 18.2 (paper dossiers go to the competent agency the same working
    day, or "at the start of the next working day" when received after 15:00). Chosen
    reading: received on a working day before 15:00 (including before opening) → by the
    end of that working day (17:00); at or after 15:00, or on a non-working day → by the
    end of the next working day's first session (11:30).
``explain(cal, a, b)``
    ``(date, reason)`` for every weekday that is not worked (holidays by name, nghỉ bù) and
    every weekend day that is worked (làm bù) between the dates of ``a`` and ``b``
    inclusive: the days that moved a due moment.
``is_counter_open`` / ``next_counter_opening``
    Agencies may open their counter outside office hours (e.g. Saturday-morning
    reception). These *counter sessions* let the counter receive dossiers but never count
    toward processing deadlines: a dossier received on Saturday at 09:00 starts its clock
    at Monday's opening, because ``reception_start`` and every deadline function only look
    at office sessions of working days. Weekly counter sessions are skipped on non-working
    weekdays (holidays); counter sessions for a given date always apply.

Moments must be timezone-aware (a naive datetime raises ``ValueError``); results are aware
datetimes in the calendar's timezone. Instants outside the covered years (1 January of
``first_year`` to 31 December of ``last_year``), or results beyond them, raise
:class:`OutOfRangeError` (a ``ValueError``). Error messages are Vietnamese; each error keeps
its untranslated ``template`` and ``params`` so a caller can translate it with gettext.
"""
from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from fractions import Fraction
from typing import Mapping, NamedTuple
from zoneinfo import ZoneInfo

__all__ = [
    "WorkCalendar", "CounterSession", "CalendarError", "OutOfRangeError", "DayNote",
    "is_working_day", "is_working_moment", "next_opening", "next_working_day",
    "add_working_days", "add_working_hours", "add_calendar_days",
    "working_time_between", "working_days_between",
    "reception_start", "handover_due", "end_of_working_day", "explain",
    "is_counter_open", "next_counter_opening",
    "DEFAULT_TIMEZONE", "DEFAULT_SESSIONS", "DEFAULT_WEEKEND",
    "RECEPTION_CUTOFF", "HANDOVER_CUTOFF",
]

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_SESSIONS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
DEFAULT_WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
RECEPTION_CUTOFF = time(16, 0)
HANDOVER_CUTOFF = time(15, 0)


_MINUTES = tuple(timedelta(minutes=m) for m in range(24 * 60))  # avoids building a timedelta per result


def gettext_noop(message):
    """Marks a message for translation (picked up by makemessages) without Django."""
    return message


class CalendarError(ValueError):
    """Bad input to the calendar arithmetic. ``str(error)`` is the Vietnamese message."""

    def __init__(self, template, **params):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


class OutOfRangeError(CalendarError):
    """An instant or a result outside the years the calendar covers."""


class DayNote(NamedTuple):
    """One day that moved a due moment: a non-working weekday or a worked weekend day."""

    date: date
    reason: str


@dataclass(frozen=True)
class CounterSession:
    """An extra opening of the reception counter (does not count toward deadlines).

    Exactly one of ``weekday`` (0 = Monday … 6 = Sunday, every week) and ``on_date``
    (one date) is set.
    """

    start: time
    end: time
    weekday: int | None = None
    on_date: date | None = None
    note: str = ""

    def __post_init__(self):
        object.__setattr__(self, "start", _as_time(self.start))
        object.__setattr__(self, "end", _as_time(self.end))
        if (self.weekday is None) == (self.on_date is None):
            raise CalendarError(gettext_noop("Buổi tiếp nhận bổ sung phải có đúng một trong hai: thứ trong tuần hoặc ngày cụ thể."))
        if self.weekday is not None and self.weekday not in range(7):
            raise CalendarError(gettext_noop("Thứ trong tuần không hợp lệ."))
        if not self.start < self.end:
            raise CalendarError(gettext_noop("Giờ bắt đầu phải trước giờ kết thúc."))

    def applies_on(self, day: date, is_non_working_date: bool) -> bool:
        if self.on_date is not None:
            return self.on_date == day
        return self.weekday == day.weekday() and not is_non_working_date


def _as_time(value) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise CalendarError(gettext_noop("Giờ không hợp lệ: %(value)s."), value=value)


def _tod_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * US_PER_SECOND + t.microsecond


def _date_pairs(value, what) -> tuple[tuple[date, str], ...]:
    """Normalise a mapping {date: reason} or an iterable of dates/(date, reason) pairs."""
    if value is None:
        return ()
    items = value.items() if isinstance(value, Mapping) else value
    pairs = {}
    for item in items:
        if isinstance(item, date):
            day, reason = item, ""
        else:
            day, reason = item
        if isinstance(day, datetime) or not isinstance(day, date):
            raise CalendarError(gettext_noop("Ngày không hợp lệ trong danh sách %(what)s."), what=what)
        pairs[day] = str(reason or "")
    return tuple(sorted(pairs.items()))


@dataclass(frozen=True)
class WorkCalendar:
    """An immutable working-day calendar; see the module docstring for the semantics.

    ``non_working`` and ``extra_working`` accept a mapping ``{date: reason}`` or an
    iterable of dates or ``(date, reason)`` pairs; they are stored as sorted tuples so the
    calendar is hashable and comparable. ``sessions`` are ``(start, end)`` pairs of
    ``datetime.time`` or ``"HH:MM"`` strings.
    """

    timezone: str = DEFAULT_TIMEZONE
    sessions: tuple = DEFAULT_SESSIONS
    weekend: frozenset = DEFAULT_WEEKEND
    non_working: tuple = ()
    extra_working: tuple = ()
    first_year: int = 2020
    last_year: int = 2035
    counter_sessions: tuple = ()

    # Precomputed at construction (not part of the value's identity).
    _tz: tzinfo = field(init=False, repr=False, compare=False)
    _ords: list = field(init=False, repr=False, compare=False)
    _midnights: list = field(init=False, repr=False, compare=False)
    _sess: tuple = field(init=False, repr=False, compare=False)
    _cum: tuple = field(init=False, repr=False, compare=False)
    _day_us: int = field(init=False, repr=False, compare=False)
    _first_ord: int = field(init=False, repr=False, compare=False)
    _last_ord: int = field(init=False, repr=False, compare=False)
    _non_working_map: dict = field(init=False, repr=False, compare=False)
    _bounds: tuple = field(init=False, repr=False, compare=False)
    _bound_base: tuple = field(init=False, repr=False, compare=False)
    _sess_starts: tuple = field(init=False, repr=False, compare=False)
    _clock: object = field(init=False, repr=False, compare=False)
    _moment: object = field(init=False, repr=False, compare=False)
    _note_ords: list = field(init=False, repr=False, compare=False)
    _notes: list = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        setattr_ = object.__setattr__
        tz = self.timezone
        if isinstance(tz, str):
            try:
                tz_obj = ZoneInfo(tz)
            except Exception:  # ZoneInfoNotFoundError, ValueError
                raise CalendarError(gettext_noop("Múi giờ không hợp lệ: %(value)s."), value=tz) from None
        elif isinstance(tz, tzinfo):
            tz_obj = tz
            setattr_(self, "timezone", getattr(tz, "key", str(tz)))
        else:
            raise CalendarError(gettext_noop("Múi giờ không hợp lệ: %(value)s."), value=tz)
        setattr_(self, "_tz", tz_obj)

        sessions = tuple((_as_time(s), _as_time(e)) for s, e in self.sessions)
        if not sessions:
            raise CalendarError(gettext_noop("Phải có ít nhất một buổi làm việc."))
        previous_end = time(0)
        for start, end in sessions:
            if not start < end or start < previous_end:
                raise CalendarError(gettext_noop("Các buổi làm việc phải theo thứ tự và không chồng lên nhau."))
            previous_end = end
        setattr_(self, "sessions", sessions)
        sess = tuple((_tod_us(s), _tod_us(e)) for s, e in sessions)
        cum, total = [], 0
        for s, e in sess:
            cum.append(total)
            total += e - s
        setattr_(self, "_sess", sess)
        setattr_(self, "_cum", tuple(cum))
        setattr_(self, "_day_us", total)
        # For _clock: bisect the time of day into [start0, end0, start1, end1, ...];
        # an odd index k means "inside session k // 2".
        bounds = tuple(b for pair in sess for b in pair)
        setattr_(self, "_bounds", bounds)
        setattr_(self, "_bound_base", tuple(cum[k // 2] if k < len(bounds) else total
                                           for k in range(len(bounds) + 1)))
        setattr_(self, "_sess_starts", tuple(s for s, _ in sess))

        weekend = frozenset(int(d) for d in self.weekend)
        if not weekend <= set(range(7)) or len(weekend) == 7:
            raise CalendarError(gettext_noop("Ngày nghỉ cuối tuần không hợp lệ."))
        setattr_(self, "weekend", weekend)

        if not (1 <= self.first_year <= self.last_year <= 9998):
            raise CalendarError(gettext_noop("Khoảng năm của lịch không hợp lệ."))
        non_working = _date_pairs(self.non_working, "ngày nghỉ")
        extra_working = _date_pairs(self.extra_working, "ngày làm bù")
        setattr_(self, "non_working", non_working)
        setattr_(self, "extra_working", extra_working)
        setattr_(self, "counter_sessions", tuple(self.counter_sessions))

        first_ord = date(self.first_year, 1, 1).toordinal()
        last_ord = date(self.last_year, 12, 31).toordinal()
        off = {d.toordinal() for d, _ in non_working}
        on = {d.toordinal() for d, _ in extra_working}
        ords = []
        for o in range(first_ord, last_ord + 1):
            weekday = (o + 6) % 7  # date.fromordinal(1) is a Monday
            if o in on or (weekday not in weekend and o not in off):
                ords.append(o)
        setattr_(self, "_ords", ords)
        setattr_(self, "_midnights", [datetime.combine(date.fromordinal(o), time(0), tz_obj) for o in ords])
        setattr_(self, "_first_ord", first_ord)
        setattr_(self, "_last_ord", last_ord)
        setattr_(self, "_non_working_map", dict(non_working))

        notes = []
        worked = dict(extra_working)
        for d, reason in non_working:
            if d.weekday() not in weekend and d not in worked:
                notes.append(DayNote(d, reason))
        for d, reason in extra_working:
            if d.weekday() in weekend:
                notes.append(DayNote(d, reason))
        notes.sort()
        setattr_(self, "_notes", notes)
        setattr_(self, "_note_ords", [n.date.toordinal() for n in notes])
        clock, moment = _make_clock(self)
        setattr_(self, "_clock", clock)
        setattr_(self, "_moment", moment)

    def __reduce__(self):
        # The precomputed closures cannot be pickled: rebuild from the value's fields instead.
        return (self.__class__, (self.timezone, self.sessions, self.weekend, self.non_working,
                                 self.extra_working, self.first_year, self.last_year, self.counter_sessions))

    # -- small conveniences -------------------------------------------------------
    @property
    def tz(self) -> tzinfo:
        return self._tz

    @property
    def day_length(self) -> timedelta:
        """Working time of one standard working day (7 h 30 min by default)."""
        return timedelta(microseconds=self._day_us)

    @property
    def working_day_count(self) -> int:
        return len(self._ords)

    def reason(self, day: date) -> str:
        """The listed reason for a date (holiday name, nghỉ bù, làm bù), or ''."""
        for d, text in self.extra_working:
            if d == day:
                return text
        return self._non_working_map.get(day, "")

    # -- internals: the working clock ---------------------------------------------
    def _local(self, moment: datetime) -> datetime:
        if not isinstance(moment, datetime):
            raise CalendarError(gettext_noop("Thời điểm không hợp lệ: cần ngày và giờ."))
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise CalendarError(gettext_noop("Thời điểm phải kèm múi giờ (ví dụ +07:00)."))
        return moment.astimezone(self._tz)

    def _check_ord(self, o: int) -> None:
        if o < self._first_ord or o > self._last_ord:
            raise OutOfRangeError(
                gettext_noop("Ngày %(date)s nằm ngoài phạm vi lịch làm việc (từ năm %(first)s đến năm %(last)s)."),
                date=date.fromordinal(o).strftime("%d/%m/%Y"), first=self.first_year, last=self.last_year)

    # The working clock's two hot functions, ``_clock`` (instant → reading) and ``_moment``
    # (reading → last instant with that reading), are closures built once per calendar by
    # ``_make_clock`` below: every constant is a closure variable, which keeps them ~2× faster
    # than methods reading attributes. ``_index_and_tod`` is the slower, general helper.
    def _index_and_tod(self, reading: int) -> tuple[int, int]:
        """The working day index and time of day (µs) of the last instant with this reading."""
        i, position = divmod(reading, self._day_us)
        if i >= len(self._ords):
            raise OutOfRangeError(
                gettext_noop("Kết quả vượt quá phạm vi lịch làm việc (đến hết năm %(last)s)."), last=self.last_year)
        k = bisect.bisect_right(self._cum, position) - 1
        return i, self._sess_starts[k] + position - self._cum[k]

    def _at(self, ordinal: int, tod_us: int) -> datetime:
        return datetime.combine(date.fromordinal(ordinal), time(0), self._tz) + timedelta(microseconds=tod_us)


def _make_clock(cal: WorkCalendar):
    """Build the calendar's ``_clock`` and ``_moment`` functions (see the class)."""
    ords, midnights, tz = cal._ords, cal._midnights, cal._tz
    count = len(ords)
    day_us, first_ord, last_ord = cal._day_us, cal._first_ord, cal._last_ord
    bounds, bound_base = cal._bounds, cal._bound_base
    cum, sess_starts = cal._cum, cal._sess_starts
    minutes = _MINUTES
    bisect_right = bisect.bisect_right
    # Dense rank table over the covered dates: for date ordinal o, rank[o - first_ord] is
    # 2 × (number of working days before o) + (1 if o is a working day). It holds the same
    # information as bisect_left(ords, o) but answers in O(1) on the hottest path.
    rank, before = [], 0
    working = set(ords)
    for o in range(first_ord, last_ord + 1):
        if o in working:
            rank.append(2 * before + 1)
            before += 1
        else:
            rank.append(2 * before)
    to_local, check_ord = cal._local, cal._check_ord

    def clock(moment):
        """Working-clock reading: µs of working time since the calendar's first working day."""
        local = moment if (type(moment) is datetime and moment.tzinfo is tz) else to_local(moment)
        o = local.toordinal() - first_ord
        if o < 0 or o > last_ord - first_ord:
            check_ord(o + first_ord)
        r = rank[o]
        i = r >> 1
        if not r & 1:
            return i * day_us
        tod = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        k = bisect_right(bounds, tod)
        if k & 1:
            return i * day_us + bound_base[k] + tod - bounds[k - 1]
        return i * day_us + bound_base[k]

    def moment(reading):
        """The last instant whose working-clock reading is ``reading`` (always a working moment)."""
        i, position = divmod(reading, day_us)
        if i >= count:
            raise OutOfRangeError(
                gettext_noop("Kết quả vượt quá phạm vi lịch làm việc (đến hết năm %(last)s)."), last=cal.last_year)
        k = bisect_right(cum, position) - 1
        tod = sess_starts[k] + position - cum[k]
        if tod % 60_000_000 == 0:
            return midnights[i] + minutes[tod // 60_000_000]
        return midnights[i] + timedelta(0, 0, tod)

    return clock, moment


# -- amounts -----------------------------------------------------------------------

def _amount_us(amount, unit_us: int, negative_message: str) -> int:
    """``amount × unit_us`` rounded half-up to an integer number of microseconds."""
    if isinstance(amount, bool):
        raise CalendarError(gettext_noop("Số lượng thời gian không hợp lệ."))
    if isinstance(amount, int):
        if amount < 0:
            raise CalendarError(negative_message)
        return amount * unit_us
    try:
        if isinstance(amount, float):
            if not math.isfinite(amount):
                raise ValueError
            value = Fraction(repr(amount))
        elif isinstance(amount, (Decimal, str)):
            decimal = Decimal(amount)
            if not decimal.is_finite():
                raise ValueError
            value = Fraction(decimal)
        else:
            value = Fraction(amount)
    except (ValueError, TypeError, ArithmeticError):
        raise CalendarError(gettext_noop("Số lượng thời gian không hợp lệ: %(value)s."), value=amount) from None
    if value < 0:
        raise CalendarError(negative_message)
    scaled = value * unit_us
    return (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)


# -- public functions ------------------------------------------------------------------

def is_working_day(cal: WorkCalendar, day: date) -> bool:
    """Whether ``day`` (a date) is a working day; out-of-range dates raise OutOfRangeError."""
    if isinstance(day, datetime):
        day = cal._local(day).date()
    o = day.toordinal()
    cal._check_ord(o)
    i = bisect.bisect_left(cal._ords, o)
    return i < len(cal._ords) and cal._ords[i] == o


def is_working_moment(cal: WorkCalendar, moment: datetime) -> bool:
    """Whether ``moment`` falls inside an office session of a working day."""
    local = cal._local(moment)
    if not is_working_day(cal, local.date()):
        return False
    tod = _tod_us(local.timetz())
    return any(start <= tod < end for start, end in cal._sess)


def next_opening(cal: WorkCalendar, moment: datetime) -> datetime:
    """``moment`` (in the calendar's timezone) if it is a working moment, else the next session's opening."""
    return cal._moment(cal._clock(moment))


def next_working_day(cal: WorkCalendar, day: date, *, include_same: bool = False) -> date:
    """The first working day after ``day`` (or ``day`` itself when ``include_same`` and it is one)."""
    o = day.toordinal()
    cal._check_ord(o)
    ords = cal._ords
    i = bisect.bisect_left(ords, o) if include_same else bisect.bisect_right(ords, o)
    if i >= len(ords):
        raise OutOfRangeError(
            gettext_noop("Kết quả vượt quá phạm vi lịch làm việc (đến hết năm %(last)s)."), last=cal.last_year)
    return date.fromordinal(ords[i])


def add_working_days(cal: WorkCalendar, start: datetime, n) -> datetime:
    """``start`` (normalised by next_opening) moved ``n`` working days forward, same position in the day."""
    if type(n) is int and n >= 0:  # the common case, kept cheap
        return cal._moment(cal._clock(start) + n * cal._day_us)
    delta = _amount_us(n, cal._day_us, gettext_noop("Số ngày làm việc không được là số âm."))
    return cal._moment(cal._clock(start) + delta)


def add_working_hours(cal: WorkCalendar, start: datetime, hours) -> datetime:
    """``start`` moved ``hours`` hours of working time forward through the office sessions."""
    delta = _amount_us(hours, US_PER_HOUR, gettext_noop("Số giờ làm việc không được là số âm."))
    return cal._moment(cal._clock(start) + delta)


def end_of_working_day(cal: WorkCalendar, day: date) -> datetime:
    """The end of the last office session of ``day`` (17:00 by default), aware."""
    return cal._at(day.toordinal(), cal._sess[-1][1])


def add_calendar_days(cal: WorkCalendar, start: datetime, n) -> datetime:
    """End of office hours on ``start``'s date + ``n`` days, or of the next working day (BLDS Đ148)."""
    if isinstance(n, bool) or not isinstance(n, (int, Decimal, Fraction, float, str)):
        raise CalendarError(gettext_noop("Số ngày không hợp lệ: %(value)s."), value=n)
    try:
        value = Fraction(Decimal(n)) if isinstance(n, str) else Fraction(n)
    except (ValueError, ArithmeticError):
        raise CalendarError(gettext_noop("Số ngày không hợp lệ: %(value)s."), value=n) from None
    if value < 0:
        raise CalendarError(gettext_noop("Số ngày không được là số âm."))
    if value.denominator != 1:
        raise CalendarError(gettext_noop("Thời hạn tính theo ngày phải là số nguyên ngày."))
    local = cal._local(start)
    cal._check_ord(local.toordinal())
    target = local.toordinal() + int(value)
    if target > cal._last_ord:
        raise OutOfRangeError(
            gettext_noop("Kết quả vượt quá phạm vi lịch làm việc (đến hết năm %(last)s)."), last=cal.last_year)
    return end_of_working_day(cal, next_working_day(cal, date.fromordinal(target), include_same=True))


def working_time_between(cal: WorkCalendar, a: datetime, b: datetime) -> timedelta:
    """Working time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    return timedelta(microseconds=cal._clock(b) - cal._clock(a))


def working_days_between(cal: WorkCalendar, a: datetime, b: datetime) -> Decimal:
    """Working time from ``a`` to ``b`` in standard working days (e.g. ``Decimal('2.5')``)."""
    return Decimal(cal._clock(b) - cal._clock(a)) / Decimal(cal._day_us)


def reception_start(cal: WorkCalendar, moment: datetime, cutoff: time = RECEPTION_CUTOFF) -> datetime:
    """The moment the legal clock starts for a dossier received at ``moment``."""
    cutoff_us = _tod_us(_as_time(cutoff))
    i, tod = cal._index_and_tod(cal._clock(moment))
    if tod < cutoff_us:
        return cal._midnights[i] + timedelta(microseconds=tod)
    return cal._moment((i + 1) * cal._day_us)


def handover_due(cal: WorkCalendar, received_at: datetime, cutoff: time = HANDOVER_CUTOFF) -> datetime:
    """When a paper dossier must reach the competent agency (Decree 118/2025 Đ18.2)."""
    cutoff_us = _tod_us(_as_time(cutoff))
    local = cal._local(received_at)
    day = local.date()
    if is_working_day(cal, day) and _tod_us(local.time()) < cutoff_us:
        return end_of_working_day(cal, day)
    following = next_working_day(cal, day)
    return cal._at(following.toordinal(), cal._sess[0][1])


def explain(cal: WorkCalendar, a: datetime, b: datetime) -> list[DayNote]:
    """Non-working weekdays and worked weekend days between the dates of ``a`` and ``b`` (inclusive)."""
    first, last = sorted((cal._local(a).toordinal(), cal._local(b).toordinal()))
    i = bisect.bisect_left(cal._note_ords, first)
    j = bisect.bisect_right(cal._note_ords, last)
    return cal._notes[i:j]


def _counter_sessions_on(cal: WorkCalendar, day: date) -> list[tuple[int, int]]:
    non_working = day in cal._non_working_map
    return sorted((_tod_us(s.start), _tod_us(s.end)) for s in cal.counter_sessions
                  if s.applies_on(day, non_working))


def is_counter_open(cal: WorkCalendar, moment: datetime) -> bool:
    """Whether the reception counter is open: an office session or an extra counter session."""
    if is_working_moment(cal, moment):
        return True
    local = cal._local(moment)
    tod = _tod_us(local.time())
    return any(start <= tod < end for start, end in _counter_sessions_on(cal, local.date()))


def next_counter_opening(cal: WorkCalendar, moment: datetime) -> datetime:
    """``moment`` if the counter is open then, else the next time it opens (office or extra session)."""
    local = cal._local(moment)
    try:
        best = next_opening(cal, moment)
    except OutOfRangeError:
        if not cal.counter_sessions:
            raise
        best = None
    if not cal.counter_sessions:
        return best
    tod = _tod_us(local.time())
    o = local.toordinal()
    last = best.toordinal() if best is not None else cal._last_ord
    while o <= last:
        day = date.fromordinal(o)
        for start, end in _counter_sessions_on(cal, day):
            if o == local.toordinal() and start <= tod < end:
                return local
            candidate = cal._at(o, start)
            if candidate > local and (best is None or candidate < best):
                return candidate
        o += 1
    if best is None:
        raise OutOfRangeError(
            gettext_noop("Kết quả vượt quá phạm vi lịch làm việc (đến hết năm %(last)s)."), last=cal.last_year)
    return best
