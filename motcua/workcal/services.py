"""Calendar services: seed the calendar, build the working calendar from the database, compute due moments.

The arithmetic itself lives in :mod:`motcua.workcal.arithmetic` (pure, property-tested);
this module only connects it to the database and to ``settings.WORKCAL``.

Caching: ``get_calendar()`` keeps one built calendar per agency in the process and checks,
with one primary-key query, the token of ``CalendarRevision`` — replaced by every write to
the calendar tables — so an edit made in any process is used by the next computation.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import arithmetic as ar
from .data import SWAP_WORK, vietnam_calendar_days
from .models import AgencyExtraSession, CalendarDay, CalendarRevision

UNITS = ("working_days", "working_hours", "calendar_days")  # = motcua.catalog.models.TimeUnit values

WEEKDAYS = [gettext_lazy("Thứ Hai"), gettext_lazy("Thứ Ba"), gettext_lazy("Thứ Tư"), gettext_lazy("Thứ Năm"),
            gettext_lazy("Thứ Sáu"), gettext_lazy("Thứ Bảy"), gettext_lazy("Chủ nhật")]

_cache: dict = {}
_cache_lock = threading.Lock()
# Inside revision_checked_once(): the revision token read by the block's first get_calendar().
_block = threading.local()
_NOT_READ = object()


def _config() -> dict:
    config = dict(getattr(settings, "WORKCAL", {}))
    config.setdefault("SESSIONS", ar.DEFAULT_SESSIONS)
    config.setdefault("RECEPTION_CUTOFF", ar.RECEPTION_CUTOFF)
    config.setdefault("PAPER_HANDOVER_CUTOFF", ar.HANDOVER_CUTOFF)
    config.setdefault("FIRST_YEAR", 2020)
    config.setdefault("LAST_YEAR", 2035)
    config.setdefault("TIME_ZONE", ar.DEFAULT_TIMEZONE)
    return config


def _cutoff(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def _agency_id(agency):
    if agency is None:
        return None
    return agency if isinstance(agency, int) else agency.pk


def translate_error(error: ar.CalendarError) -> str:
    """The message of a calendar error in the active language."""
    return _(error.template) % error.params if error.params else _(error.template)


# -- building and caching --------------------------------------------------------------

def build_calendar(agency=None) -> ar.WorkCalendar:
    """A fresh WorkCalendar from the database (no cache)."""
    config = _config()
    first, last = int(config["FIRST_YEAR"]), int(config["LAST_YEAR"])
    days = CalendarDay.objects.filter(date__gte=date(first, 1, 1), date__lte=date(last, 12, 31))
    non_working, extra_working = {}, {}
    for day, kind, name in days.values_list("date", "kind", "name"):
        (extra_working if kind == SWAP_WORK else non_working)[day] = name
    counter_sessions = ()
    agency_id = _agency_id(agency)
    if agency_id is not None:
        counter_sessions = tuple(
            ar.CounterSession(start=s.start, end=s.end, weekday=s.weekday, on_date=s.date, note=s.note)
            for s in AgencyExtraSession.objects.filter(agency_id=agency_id)
        )
    return ar.WorkCalendar(
        timezone=config["TIME_ZONE"], sessions=tuple(config["SESSIONS"]),
        non_working=non_working, extra_working=extra_working,
        first_year=first, last_year=last, counter_sessions=counter_sessions,
    )


def get_calendar(agency=None) -> ar.WorkCalendar:
    """The working calendar (for ``agency``'s counter sessions, if given), cached per process.

    One cheap query per call checks that the calendar tables have not changed since the
    cached calendar was built.
    """
    token = _revision_token()
    key = (_agency_id(agency), repr(sorted(_config().items())))
    cached = _cache.get(key)
    if cached is not None and cached[0] == token:
        return cached[1]
    calendar = build_calendar(agency)
    with _cache_lock:
        _cache[key] = (token, calendar)
    return calendar


@contextmanager
def revision_checked_once():
    """Inside the block, ``get_calendar()`` reads the calendar revision once instead of at every call.

    For one action that computes several deadlines (a reception: the clock start, the legal due
    moment, the paper handover, each step): they all come from the same calendar and the action
    saves a query per computation. A block inside another uses the outer block's check.
    """
    if hasattr(_block, "token"):
        yield
        return
    _block.token = _NOT_READ
    try:
        yield
    finally:
        del _block.token


def _revision_token():
    token = getattr(_block, "token", None)
    if token is None:  # outside revision_checked_once()
        return _read_revision_token()
    if token is _NOT_READ:
        token = _block.token = _read_revision_token()
    return token


def _read_revision_token():
    """``CalendarRevision.current()`` in plain SQL: run for every deadline, the ORM's query building
    cost more than the query itself."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {CalendarRevision._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


# -- deadlines ---------------------------------------------------------------------

def due_moment(start: datetime, amount, unit: str, agency=None, calendar: ar.WorkCalendar | None = None) -> datetime:
    """The due moment of a period of ``amount`` ``unit`` beginning at ``start`` (aware).

    ``unit`` is one of "working_days", "working_hours", "calendar_days" (the values of
    ``catalog.models.TimeUnit``). ``start`` is used as given (apply ``reception_start``
    first for a dossier just received). Raises ``arithmetic.CalendarError`` (a ValueError
    with a Vietnamese message) on bad input. A caller computing several deadlines at once
    passes the ``calendar`` it already holds, saving the revision check per call.
    """
    calendar = calendar or get_calendar(agency)
    if unit == "working_days":
        return ar.add_working_days(calendar, start, amount)
    if unit == "working_hours":
        return ar.add_working_hours(calendar, start, amount)
    if unit == "calendar_days":
        return ar.add_calendar_days(calendar, start, amount)
    raise ar.CalendarError(ar.gettext_noop("Đơn vị thời hạn không hợp lệ: %(value)s."), value=unit)


def reception_start(received_at: datetime, agency=None, calendar: ar.WorkCalendar | None = None) -> datetime:
    """When the legal clock starts for a dossier received at ``received_at`` (cut-off from settings)."""
    return ar.reception_start(calendar or get_calendar(agency), received_at, _cutoff(_config()["RECEPTION_CUTOFF"]))


def handover_due(received_at: datetime, agency=None, calendar: ar.WorkCalendar | None = None) -> datetime:
    """When a paper dossier received at ``received_at`` must reach the competent agency (Đ18.2)."""
    return ar.handover_due(calendar or get_calendar(agency), received_at, _cutoff(_config()["PAPER_HANDOVER_CUTOFF"]))


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def explain_due(start: datetime, due: datetime, agency=None, received_at: datetime | None = None,
                unit: str = "working_days", amount=None) -> list[str]:
    """Vietnamese lines saying which holidays, nghỉ bù and làm bù days moved ``due``.

    For working days/hours: every non-working weekday and worked weekend day between
    ``start`` and ``due``. For ``unit="calendar_days"`` with ``amount``: why the period
    ends later than the day reached, when that day is not a working day (BLDS Đ148).
    With ``received_at``, a first line explains why the clock started later than reception
    (outside office hours or after the reception cut-off).
    """
    calendar = get_calendar(agency)
    lines = []
    if received_at is not None and received_at != start:
        cutoff = _cutoff(_config()["RECEPTION_CUTOFF"])
        local = received_at.astimezone(calendar.tz)
        if ar.is_working_moment(calendar, received_at) and local.time() >= cutoff:
            reason = _("tiếp nhận sau %(cutoff)s") % {"cutoff": cutoff.strftime("%H:%M")}
        else:
            reason = _("tiếp nhận ngoài giờ làm việc")
        lines.append(_("Hồ sơ %(reason)s lúc %(received)s nên thời hạn được tính từ %(start)s.") % {
            "reason": reason, "received": _fmt(received_at), "start": _fmt(start)})
    if unit == "calendar_days":
        if amount is not None:
            reached = start.astimezone(calendar.tz).date() + timedelta(days=int(amount))
            if reached != due.astimezone(calendar.tz).date():
                reason = calendar.reason(reached) or _("ngày nghỉ cuối tuần")
                lines.append(_("Ngày cuối của thời hạn (%(reached)s) là ngày nghỉ (%(reason)s) nên thời hạn kết thúc "
                               "vào cuối ngày làm việc tiếp theo, %(due)s (Điều 148 Bộ luật Dân sự).") % {
                    "reached": reached.strftime("%d/%m/%Y"), "reason": reason, "due": _fmt(due)})
        return lines
    for day, reason in ar.explain(calendar, start, due):
        weekday = str(WEEKDAYS[day.weekday()])
        if day.weekday() in calendar.weekend:
            template = _("%(weekday)s %(date)s: làm việc (làm bù) — %(reason)s")
        else:
            template = _("%(weekday)s %(date)s: nghỉ, không tính vào thời hạn — %(reason)s")
        lines.append(template % {"weekday": weekday, "date": day.strftime("%d/%m/%Y"), "reason": reason})
    return lines


# -- seeding -----------------------------------------------------------------------

@transaction.atomic
def seed_calendar(first_year: int = 2020, last_year: int = 2035) -> dict:
    """Fill holidays, nghỉ bù and làm bù days for the years given; idempotent.

    Rows entered by hand (source = manual) are never touched; seeded rows that no longer
    match the holiday data are updated, and those that disappeared from it are deleted.
    Returns the counts ``created``, ``updated``, ``deleted``, ``manual_kept``.
    """
    if not (isinstance(first_year, int) and isinstance(last_year, int)) or not (
            1900 <= first_year <= last_year <= 2200):
        raise ValueError(_("Khoảng năm không hợp lệ: từ %(first)s đến %(last)s.")
                         % {"first": first_year, "last": last_year})
    wanted = {spec.date: spec for spec in vietnam_calendar_days(first_year, last_year)}
    existing = {row.date: row for row in CalendarDay.objects.filter(
        date__gte=date(first_year, 1, 1), date__lte=date(last_year, 12, 31))}
    now = timezone.now()
    to_create, to_update, manual_kept = [], [], 0
    for day, spec in wanted.items():
        row = existing.get(day)
        if row is None:
            to_create.append(CalendarDay(date=day, kind=spec.kind, name=spec.name,
                                         source=CalendarDay.Source.SEEDED))
        elif row.source == CalendarDay.Source.MANUAL:
            manual_kept += 1
        elif (row.kind, row.name) != (spec.kind, spec.name):
            row.kind, row.name, row.updated_at = spec.kind, spec.name, now
            to_update.append(row)
    stale = [row.pk for day, row in existing.items()
             if row.source == CalendarDay.Source.SEEDED and day not in wanted]
    if to_create:
        CalendarDay.objects.bulk_create(to_create)
    if to_update:
        CalendarDay.objects.bulk_update(to_update, ["kind", "name", "updated_at"])
    if stale:
        CalendarDay.objects.filter(pk__in=stale).delete()
    return {"created": len(to_create), "updated": len(to_update), "deleted": len(stale),
            "manual_kept": manual_kept}
