"""The counting engine: flows per day from the dossier tables, their rollup, and reading both.

A report is built from *flows* — what happened on each day — and from one *stock* read live:

* flows (per local day, competent agency, field, procedure): dossiers received (by channel, by post),
  finished (result issued or refused, early / on time / late, time used and time allowed),
  returned (by post), stopped, closed for want of a supplement, supplement requests, apology letters,
  satisfaction ratings given (by level). Each is keyed by a moment that is set once, to the moment of
  the action (``received_at``, ``finished_at``, ``returned_at``, ``supplement_requested_at``, the
  stop/close event, the letter's approval, ``rated_at``), so a day, once over, never changes.
* the dossiers open at a moment T are flows too: received before T minus ended (finished, stopped,
  closed) before T. Only "open and past its legal due moment at T" is read from the dossier table
  (``overdue``), through a partial index holding just the dossiers that can ever be overdue.

``refresh()`` (a huey job, hourly; idempotent) rolls up every closed day — a day is closed one hour
after its midnight, longer than any transaction — and each complete month, in one transaction with
the watermark ``RollupState.upto``. Readers take the watermark, then read days before it from the
rollup and moments after it from the dossier table, in one statement (one snapshot): a figure never
counts a dossier twice nor misses one while receptions and processing go on.
"""
from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from motcua.portal.models import SatisfactionLevel, SatisfactionRating
from motcua.reports.models import MEASURES, Rollup, RollupState

GRACE = datetime.timedelta(hours=1)   # a day is rolled up this long after it ended
MARGIN = datetime.timedelta(days=3)   # closed days recomputed again at each refresh (late corrections)
OPEN = ("received", "in_progress", "awaiting_supplement", "approved")
ENDED_ACTIONS = ("stop", "close_unsupplemented")

D, V, E, A = "dossiers_dossier", "catalog_procedureversion", "dossiers_dossierevent", "dossiers_apologyletter"
S = SatisfactionRating._meta.db_table


# ------------------------------------------------------------------------------------------- SQL bits


def _tz():
    return timezone.get_current_timezone()


def local_date_sql(column: str) -> str:
    """SQL: the local calendar date of an aware timestamp column."""
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{_tz().key}')::date"
    # SQLite keeps UTC text; Vietnam has no daylight saving, so one fixed offset is exact.
    offset = int(_tz().utcoffset(datetime.datetime(2025, 1, 1)).total_seconds() // 60)
    return f"date({column}, '{offset:+d} minutes')"


def seconds_sql(start: str, end: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({end} - {start}))"
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, _tz())


def _case(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


@dataclass(frozen=True)
class Filters:
    """Which dossiers: competent agencies (None = all), one field, one procedure."""

    agency_ids: frozenset[int] | None = None
    field_id: int | None = None
    procedure_id: int | None = None

    def sql(self, agency: str, field: str, procedure: str) -> tuple[str, list]:
        parts, params = [], []
        if self.agency_ids is not None:
            ids = sorted(self.agency_ids) or [0]
            parts.append(f"{agency} IN ({', '.join(['%s'] * len(ids))})")
            params += ids
        if self.field_id is not None:
            parts.append(f"{field} = %s")
            params.append(self.field_id)
        if self.procedure_id is not None:
            parts.append(f"{procedure} = %s")
            params.append(self.procedure_id)
        return "".join(f" AND {p}" for p in parts), params


ALL = Filters()
KEYS = ("agency_id", "field_id", "procedure_id")


def _select(day_sql: str, source: str, where: str, values: dict[str, str]) -> str:
    cols = ", ".join(f"{values.get(m, '0')} AS {m}" for m in MEASURES)
    return (f"SELECT {day_sql} AS bucket, d.competent_agency_id AS agency_id, v.field_id AS field_id, "
            f"v.procedure_id AS procedure_id, {cols} {source} WHERE {where} "
            f"GROUP BY {day_sql}, d.competent_agency_id, v.field_id, v.procedure_id")


def live_parts(start: datetime.datetime, end: datetime.datetime, filters: Filters = ALL) -> tuple[list[str], list]:
    """SELECTs of the flows in [start, end) straight from the dossier tables, grouped per day and key."""
    fsql, fparams = filters.sql("d.competent_agency_id", "v.field_id", "v.procedure_id")
    join = f"FROM {D} d JOIN {V} v ON v.id = d.procedure_version_id"
    parts, params = [], []

    def add(sql, extra=()):
        parts.append(sql)
        params.extend([start, end, *extra, *fparams])

    add(_select(local_date_sql("d.received_at"), join, f"d.received_at >= %s AND d.received_at < %s{fsql}", {
        "received": "COUNT(*)", "rc_counter": _case("d.channel = 'counter'"),
        "rc_online": _case("d.channel = 'online'"), "rc_post": _case("d.channel = 'post'"),
        "rc_by_post": _case("(d.channel = 'post' OR d.documents_by_post)")}))
    add(_select(local_date_sql("d.finished_at"), join, f"d.finished_at >= %s AND d.finished_at < %s{fsql}", {
        "finished": "COUNT(*)", "f_early": _case("d.timeliness = 'early'"),
        "f_on_time": _case("d.timeliness = 'on_time'"), "f_late": _case("d.timeliness = 'late'"),
        # A refusal after review (Đ19.3) finishes the dossier without a numbered result.
        "f_refused": _case("d.result_number = ''"),
        "used_seconds": f"SUM(CAST({seconds_sql('d.clock_started_at', 'd.finished_at')} AS BIGINT))",
        "allowed_seconds": f"SUM(CAST({seconds_sql('d.clock_started_at', 'd.legal_due_at')} AS BIGINT))"}))
    add(_select(local_date_sql("d.returned_at"), join, f"d.returned_at >= %s AND d.returned_at < %s{fsql}", {
        "returned": "COUNT(*)", "returned_post": _case("d.return_method = 'post'")}))
    add(_select(local_date_sql("d.supplement_requested_at"), join,
                f"d.supplement_requested_at >= %s AND d.supplement_requested_at < %s{fsql}",
                {"supplements": "COUNT(*)"}))
    add(_select(local_date_sql("e.at"), f"FROM {E} e JOIN {D} d ON d.id = e.dossier_id JOIN {V} v ON v.id = d.procedure_version_id",
                f"e.action IN ('stop', 'close_unsupplemented') AND e.at >= %s AND e.at < %s{fsql}",
                {"stopped": _case("e.action = 'stop'"), "closed": _case("e.action = 'close_unsupplemented'")}))
    add(_select(local_date_sql("a.approved_at"), f"FROM {A} a JOIN {D} d ON d.id = a.dossier_id "
                f"JOIN {V} v ON v.id = d.procedure_version_id",
                f"a.approved_at >= %s AND a.approved_at < %s{fsql}", {"apologies": "COUNT(*)"}))
    add(_select(local_date_sql("s.rated_at"), f"FROM {S} s JOIN {D} d ON d.id = s.dossier_id "
                f"JOIN {V} v ON v.id = d.procedure_version_id",
                f"s.rated_at >= %s AND s.rated_at < %s{fsql}", {
                    "rated": "COUNT(*)", "rated_very": _case(f"s.overall = {SatisfactionLevel.VERY_SATISFIED}"),
                    "rated_satisfied": _case(f"s.overall = {SatisfactionLevel.SATISFIED}"),
                    "rated_dissatisfied": _case(f"s.overall = {SatisfactionLevel.DISSATISFIED}")}))
    return parts, params


G = Rollup.Grain
# family: (day grain, month grain, balance grain, key columns it keeps; the others are 0)
FAMILIES = {
    "fine": (G.DAY, G.MONTH, G.BALANCE, ("agency_id", "field_id", "procedure_id")),
    "field": (G.DAY_BY_FIELD, G.MONTH_BY_FIELD, G.BALANCE_BY_FIELD, ("agency_id", "field_id")),
    "procedure": (G.DAY_BY_PROCEDURE, G.MONTH_BY_PROCEDURE, G.BALANCE_BY_PROCEDURE, ("field_id", "procedure_id")),
    "agency": (G.DAY_BY_AGENCY, G.MONTH_BY_AGENCY, G.BALANCE_BY_AGENCY, ("agency_id",)),
}


def family_for(by, filters: Filters) -> str:
    """The smallest rollup family that can answer a grouping by ``by`` under ``filters``."""
    if "procedure_id" in by or filters.procedure_id is not None:
        return "procedure" if filters.agency_ids is None and "agency_id" not in by else "fine"
    if "field_id" in by or filters.field_id is not None:
        return "field"
    return "agency"


def _negated(sql: str) -> str:
    """``sql`` (a rollup_part) with every measure's sign turned: rows to subtract from a month's total."""
    cols = ", ".join(f"-{m} AS {m}" for m in MEASURES)
    return f"SELECT bucket, agency_id, field_id, procedure_id, {cols} FROM ({sql}) n"


def rollup_part(grain: str, start: datetime.date | None, end: datetime.date, filters: Filters = ALL):
    fsql, fparams = filters.sql("r.agency_id", "r.field_id", "r.procedure_id")
    cols = ", ".join(f"r.{m}" for m in MEASURES)
    low = "r.day >= %s AND " if start is not None else ""
    sql = (f"SELECT r.day AS bucket, r.agency_id, r.field_id, r.procedure_id, {cols} FROM {Rollup._meta.db_table} r "
           f"WHERE r.grain = %s AND {low}r.day < %s{fsql}")
    return sql, [grain, *([start] if start is not None else []), end, *fparams]


# ------------------------------------------------------------------------------------------- refresh


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def closed_until(now: datetime.datetime | None = None) -> datetime.date:
    """Days before this date are over (plus the grace period) and may be rolled up."""
    return (timezone.localtime(now or timezone.now()) - GRACE).date()


def _earliest_day() -> datetime.date | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(received_at) FROM {D} WHERE received_at IS NOT NULL")
        first = cursor.fetchone()[0]
    if first is None:
        return None
    if isinstance(first, str):  # SQLite without converters
        first = datetime.datetime.fromisoformat(first)
    if timezone.is_naive(first):
        first = timezone.make_aware(first, datetime.timezone.utc)
    return timezone.localtime(first).date()


def refresh(now: datetime.datetime | None = None, *, rebuild: bool = False) -> dict:
    """Roll up every closed day not yet rolled up (and the last ``MARGIN`` again). Idempotent.

    Day rows of every family, then for each complete month its month rows and the open balance
    at the next month's start (balance + received - ended). Returns {"from", "upto", "days", "months"}.
    """
    upto = closed_until(now)
    table = Rollup._meta.db_table
    cols = ", ".join(MEASURES)
    sums = ", ".join(f"SUM({m})" for m in MEASURES)

    def keys_of(family):
        kept = FAMILIES[family][3]
        return ", ".join(k if k in kept else f"0 AS {k}" for k in KEYS), ", ".join(kept)

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the grouping of a full rebuild fits in memory
                cursor.execute("SET LOCAL work_mem = '256MB'")
        state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
        if state.upto is not None and state.upto > upto:
            rebuild = True  # the clock went back (tests, restored backups): start again
        if rebuild or state.upto is None:
            start = _earliest_day() or upto
            Rollup.objects.all().delete()
        else:
            start = state.upto - MARGIN
        start = min(start, upto)
        day_grains = [f[0] for f in FAMILIES.values()]
        Rollup.objects.filter(grain__in=day_grains, day__gte=start).delete()
        insert = f"INSERT INTO {table} (grain, day, agency_id, field_id, procedure_id, {cols}) "
        days = 0
        with connection.cursor() as cursor:
            # A month of days per statement: the groupings stay in memory however long the history.
            low = start
            while low < upto:
                high = min(_next_month(low), upto)
                parts, params = live_parts(midnight(low), midnight(high))
                cursor.execute(insert + f"SELECT 'd', bucket, agency_id, field_id, procedure_id, {sums} FROM ("
                               + " UNION ALL ".join(parts) + ") u GROUP BY bucket, agency_id, field_id, procedure_id",
                               params)
                days += cursor.rowcount
                for family in ("field", "procedure", "agency"):
                    day_grain = FAMILIES[family][0]
                    select, group = keys_of(family)
                    cursor.execute(insert + f"SELECT %s, day, {select}, {sums} FROM {table} "
                                   f"WHERE grain = 'd' AND day >= %s AND day < %s GROUP BY day, {group}",
                                   [day_grain, low, high])
                    days += cursor.rowcount
                low = high
            month = _first_of_month(start)
            months = 0
            while _next_month(month) <= upto:
                after = _next_month(month)
                Rollup.objects.filter(grain__in=[f[1] for f in FAMILIES.values()], day=month).delete()
                Rollup.objects.filter(grain__in=[f[2] for f in FAMILIES.values()], day=after).delete()
                for family, (day_grain, month_grain, balance_grain, kept) in FAMILIES.items():
                    select, group = keys_of(family)
                    cursor.execute(insert + f"SELECT %s, %s, {select}, {sums} FROM {table} "
                                   f"WHERE grain = %s AND day >= %s AND day < %s GROUP BY {group}",
                                   [month_grain, month, day_grain, month, after])
                    months += cursor.rowcount
                    zeros = ", ".join("SUM(n)" if m == "received" else "0" for m in MEASURES)
                    cursor.execute(
                        insert + f"SELECT %s, %s, {select}, {zeros} FROM ("
                        f"SELECT {group}, received AS n FROM {table} WHERE grain = %s AND day = %s UNION ALL "
                        f"SELECT {group}, received - finished - stopped - closed FROM {table} "
                        f"WHERE grain = %s AND day = %s) x GROUP BY {group} HAVING SUM(n) <> 0",
                        [balance_grain, after, balance_grain, month, month_grain, month])
                    months += cursor.rowcount
                    # The overdue stock at the month start, for trend charts (one exact count per family).
                    at = midnight(after)
                    sources = _overdue_sources(ALL, ", ".join(f"{x} AS {k}" for x, k in zip(
                        [_KEY_SQL[k] for k in kept], kept)), ", ".join(_KEY_SQL[k] for k in kept))
                    values = {"due_before": at, "received_before": at, "ended_from": at}
                    zeros = ", ".join("0" for _m in MEASURES)
                    cursor.execute(
                        f"INSERT INTO {table} (grain, day, agency_id, field_id, procedure_id, {cols}, overdue) "
                        f"SELECT %s, %s, {select}, {zeros}, SUM(n) FROM ("
                        + " UNION ALL ".join(q for q, _names in sources) + f") u GROUP BY {group}",
                        [balance_grain, after] + [p for _q, names in sources for p in _bind(names, values)])
                month = after
        state.upto, state.refreshed_at = upto, timezone.now()
        state.save()
    return {"from": start, "upto": upto, "days": days, "months": months}


# ------------------------------------------------------------------------------------------- reading


@contextlib.contextmanager
def snapshot():
    """On PostgreSQL, one read-only REPEATABLE READ transaction: the flows, the overdue count and the
    dossier lists of one report all see the same committed state (and get room to aggregate)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def watermark() -> datetime.date | None:
    return RollupState.objects.filter(pk=1).values_list("upto", flat=True).first()


def covering_parts(start: datetime.date | None, end: datetime.date, upto: datetime.date | None,
                   now: datetime.datetime, filters: Filters = ALL, *, months: bool = True, family: str = "fine"):
    """SELECTs whose rows add up to the flows of the local days [start, end).

    ``start`` None means "since ever": then only ``received - ended`` is meaningful (the open balance),
    read as the balance at the last month start plus the days after it (or at the next month start
    minus the days before it, if fewer). Closed days come from the rollup (complete months as month
    rows when ``months``; a partial month of a complete one as its month rows minus the days outside,
    when that reads fewer rows), the rest — from the watermark on, never past ``now`` — from the
    dossier tables.
    """
    day_grain, month_grain, balance_grain, _kept = FAMILIES[family]
    parts, params = [], []

    def rolled(grain, low, high, sign=1):
        sql, p = rollup_part(grain, low, high, filters)
        parts.append(sql if sign > 0 else _negated(sql))
        params.extend(p)

    def days_of_month(low, high):
        """The days [low, high) of one month: as their day rows or, when that reads fewer rows, as the
        month's rows minus its other days (a month's rows weigh about two days')."""
        month = _first_of_month(low)
        after = _next_month(month)
        if after <= upto and (after - high).days + (low - month).days + 2 < (high - low).days:
            rolled(month_grain, month, after)
            if month < low:
                rolled(day_grain, month, low, -1)
            if high < after:
                rolled(day_grain, high, after, -1)
        elif low < high:
            rolled(day_grain, low, high)

    if upto is not None:
        r_end = min(end, upto)
        if start is None:
            # The open balance at r_end: the balance at its month start plus the days since, or the
            # balance at the next month start minus the days until then.
            month_start = _first_of_month(r_end)
            after = _next_month(month_start)
            if after <= upto and (after - r_end).days + 1 < (r_end - month_start).days:
                rolled(balance_grain, after, after + datetime.timedelta(days=1))
                rolled(day_grain, r_end, after, -1)
            else:
                rolled(balance_grain, month_start, month_start + datetime.timedelta(days=1))
                if month_start < r_end:
                    rolled(day_grain, month_start, r_end)
        elif start < r_end and not months:
            rolled(day_grain, start, r_end)
        elif start < r_end:
            # Head days, the complete months, tail days (each partial month read the cheaper way).
            m_from = start if start.day == 1 else _next_month(start)
            m_to = max(m_from, _first_of_month(r_end))
            if start < m_from:
                days_of_month(start, min(m_from, r_end))
            if m_from < m_to:
                rolled(month_grain, m_from, m_to)
            if m_to < r_end:
                days_of_month(m_to, r_end)
    live_from = start if upto is None else (upto if start is None else max(start, upto))
    live_start = midnight(live_from) if live_from is not None else midnight(datetime.date(1970, 1, 1))
    live_end = min(midnight(end), now)
    if live_start < live_end:
        sql, p = live_parts(live_start, live_end, filters)
        parts.extend(sql), params.extend(p)
    return parts, params


def flows(start: datetime.date, end: datetime.date, *, filters: Filters = ALL, by=KEYS, now=None,
          with_before: bool = True, months: bool = True) -> tuple[list[dict], list[dict]]:
    """Summed flows of [start, end) grouped by ``by`` (names in KEYS, or "bucket"), and — when
    ``with_before`` — the ``received - ended`` balance before ``start`` (the dossiers carried over).

    One statement, so the rollup and the live tail are read in one snapshot.
    """
    now = now or timezone.now()
    upto = watermark()
    family = family_for(by, filters)
    keys = ", ".join(by)
    sums = ", ".join(f"SUM({m}) AS {m}" for m in MEASURES)
    selects, params = [], []
    parts, p = covering_parts(start, end, upto, now, filters, months=months, family=family)
    for part in parts:
        selects.append(f"SELECT 'p' AS tag, x.* FROM ({part}) x")
    params += p
    if with_before:
        parts, p = covering_parts(None, start, upto, now, filters, family=family)
        for part in parts:
            selects.append(f"SELECT 'b' AS tag, x.* FROM ({part}) x")
        params += p
    if not selects:
        return [], []
    sql = (f"SELECT tag, {keys}, {sums} FROM (" + " UNION ALL ".join(selects) + f") u GROUP BY tag, {keys}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    period = [r for r in rows if r["tag"] == "p"]
    before = [r for r in rows if r["tag"] == "b"]
    return period, before


_KEY_SQL = {"agency_id": "d.competent_agency_id", "field_id": "v.field_id", "procedure_id": "v.procedure_id"}


def _overdue_sources(filters: Filters, select: str, group: str):
    """The three kinds of dossiers open at T and past due, as (SQL, parameter names):
    still open now; finished after T (late); stopped or closed after T."""
    fsql, fparams = filters.sql("d.competent_agency_id", "v.field_id", "v.procedure_id")
    join = f"JOIN {V} v ON v.id = d.procedure_version_id"
    open_states = ", ".join(f"'{s}'" for s in OPEN)
    return [
        (f"SELECT {select}, COUNT(*) AS n FROM {D} d {join} WHERE d.finished_at IS NULL "
         f"AND d.status IN ({open_states}) AND d.legal_due_at < %s AND d.received_at < %s{fsql} GROUP BY {group}",
         ["due_before", "received_before", *fparams]),
        (f"SELECT {select}, COUNT(*) AS n FROM {D} d {join} WHERE d.finished_at > d.legal_due_at "
         f"AND d.finished_at >= %s AND d.legal_due_at < %s AND d.received_at < %s{fsql} GROUP BY {group}",
         ["ended_from", "due_before", "received_before", *fparams]),
        (f"SELECT {select.replace('d.finished_at', 'e.at')}, COUNT(*) AS n FROM {E} e JOIN {D} d ON d.id = e.dossier_id "
         f"{join} WHERE e.action IN ('stop', 'close_unsupplemented') AND d.status IN ('stopped', 'closed') "
         f"AND e.at >= %s AND d.legal_due_at < %s "
         f"AND d.received_at < %s{fsql} GROUP BY {group.replace('d.finished_at', 'e.at')}",
         ["ended_from", "due_before", "received_before", *fparams]),
    ]


def _bind(names, values):
    return [values.get(n, n) if isinstance(n, str) else n for n in names]


def overdue(moment: datetime.datetime, *, filters: Filters = ALL, by=("agency_id", "field_id")) -> list[dict]:
    """Dossiers open at ``moment`` whose legal due moment had passed, grouped by ``by``.

    Open at T: received before T, and neither finished nor stopped nor closed before T.
    """
    exprs = [("d.competent_agency_id" if k == "agency_id" else "v." + k) for k in by]
    select = ", ".join(f"{x} AS {k}" for x, k in zip(exprs, by))
    group = ", ".join(by)
    sources = _overdue_sources(filters, select, ", ".join(exprs))
    values = {"due_before": moment, "received_before": moment, "ended_from": moment}
    sql = f"SELECT {group}, SUM(n) AS n FROM (" + " UNION ALL ".join(q for q, _ in sources) + f") u GROUP BY {group}"
    params = [p for _, names in sources for p in _bind(names, values)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]


def overdue_series(boundaries: list[datetime.date], *, filters: Filters = ALL) -> dict[datetime.date, int]:
    """Overdue-open counts at several midnights from one grouped read (for trend charts).

    A dossier is overdue at midnight t when its due day < t <= its end day (end: finished, or the
    stop/close event; open ones have none), so grouping candidates by (due day, end day) is exact.
    """
    if not boundaries:
        return {}
    low, high = midnight(min(boundaries)), midnight(max(boundaries))
    due_day, end_day = local_date_sql("d.legal_due_at"), local_date_sql("d.finished_at")
    select = f"{due_day} AS due_day, {end_day} AS end_day"
    sources = _overdue_sources(filters, select, f"{due_day}, {end_day}")
    values = {"due_before": high, "received_before": high, "ended_from": low}
    sql = "SELECT due_day, end_day, SUM(n) FROM (" + " UNION ALL ".join(q for q, _ in sources) + \
        ") u GROUP BY due_day, end_day"
    params = [p for _, names in sources for p in _bind(names, values)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [(_as_date(due), _as_date(ended), n) for due, ended, n in cursor.fetchall()]
    out = {}
    for t in boundaries:
        out[t] = sum(n for due, ended, n in rows if due < t and (ended is None or ended >= t))
    return out


def _as_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])



def overdue_at_month_starts(months: list[datetime.date], *, filters: Filters = ALL) -> dict[datetime.date, int]:
    """The overdue stock at month starts already rolled up (balance rows), {month start: count}."""
    if not months:
        return {}
    family = family_for((), filters)
    balance_grain = FAMILIES[family][2]
    fsql, fparams = filters.sql("r.agency_id", "r.field_id", "r.procedure_id")
    marks = ", ".join(["%s"] * len(months))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT r.day, SUM(r.overdue) FROM {Rollup._meta.db_table} r WHERE r.grain = %s "
                       f"AND r.day IN ({marks}){fsql} GROUP BY r.day", [balance_grain, *months, *fparams])
        found = {_as_date(day): int(n or 0) for day, n in cursor.fetchall()}
    return {m: found.get(m, 0) for m in months}
