"""The periodic report on handling administrative procedures, its indicators and targets.

Definitions (every figure is one of these, over the competent agency's dossiers):

* period: local days [start, end]; the report is "as of" ``min(end of period, now)``.
* received: ``received_at`` in the period (not online submissions awaiting reception, nor dossiers
  refused at the counter); by channel counter / online / post; "received by post" also counts online
  dossiers whose paper documents came by post.
* carried over: received before the period and not ended before it (ended = finished, stopped, closed).
* processed: ``finished_at`` in the period — result issued or refused after review — early / on time /
  late against the legal due moment; refusals are also shown apart.
* in progress at the "as of" moment: received and not ended; overdue when past its legal due moment.
  carried + received = processed + stopped + closed + in progress, always.
* on-time rate = (early + on time) / (processed + in progress overdue): open dossiers already past due
  count in the denominator.
* average processing time: mean time from the start of the legal clock to the result, against the mean
  time allowed (clock start to legal due moment), in calendar days.
* procedure shares count the published (agency, procedure) pairs of the catalogue: those offered full
  online (level 4 / toàn trình) and those with postal reception or return deployed.
* satisfaction: ratings given in the period (the rollup's ``rated*`` flows), by the rated dossier's
  competent agency, field and procedure; the same counts as ``portal.satisfaction.publication``.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Field, Procedure, ProcedureVersion
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.orgs import services as orgs
from motcua.orgs.models import AdminUnit, Agency, Role
from motcua.portal.models import SatisfactionLevel
from motcua.reports import rollup
from motcua.reports.models import MEASURES, Indicator, Target

REPORT_ROLES = [Role.APPROVER, Role.AGENCY_ADMIN]
GROUPS = {"co-quan": "agency", "cap": "level", "linh-vuc": "field", "thu-tuc": "procedure"}
GROUP_LABELS = {"agency": gettext_lazy("Cơ quan giải quyết"), "level": gettext_lazy("Cấp"),
                "field": gettext_lazy("Lĩnh vực"), "procedure": gettext_lazy("Thủ tục")}
MAX_DAYS = 366 * 5
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class ReportError(Exception):
    """Bad input or no permission; ``message`` is Vietnamese."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotAllowed(ReportError):
    status = 403


class NotFound(ReportError):
    status = 404


# ------------------------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str
    key: str  # how the period is written in a URL (ky=...), or "" for a free range

    @property
    def stop(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)

    def query(self) -> dict:
        if self.key:
            return {"ky": self.key}
        return {"tu": self.start.strftime("%d/%m/%Y"), "den": self.end.strftime("%d/%m/%Y")}


def _month_end(year, month):
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def period_of(key: str) -> Period:
    """"2026" (year), "2026-Q4" (quarter), "2026-11" (month)."""
    key = (key or "").strip()
    if m := re.fullmatch(r"(\d{4})", key):
        year = int(m[1])
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), _("Năm %(y)s") % {"y": year}, key)
    if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", key):
        year, q = int(m[1]), int(m[2])
        return Period(datetime.date(year, 3 * q - 2, 1), _month_end(year, 3 * q),
                      _("Quý %(q)s/%(y)s") % {"q": ROMAN[q], "y": year}, f"{year}-Q{q}")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", key):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return Period(datetime.date(year, month, 1), _month_end(year, month),
                          _("Tháng %(m)02d/%(y)s") % {"m": month, "y": year}, f"{year}-{month:02d}")
    raise ReportError(_("Kỳ báo cáo “%(key)s” không hợp lệ: ghi năm (2026), quý (2026-Q4) hoặc tháng (2026-11).")
                      % {"key": key})


def _day(raw: str, label: str) -> datetime.date:
    raw = (raw or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ReportError(_("%(label)s “%(raw)s” không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 01/11/2026.")
                      % {"label": label, "raw": raw})


def parse_period(params, today: datetime.date | None = None) -> Period:
    """The period asked for (``ky``, or ``tu``/``den``); by default this year until today."""
    today = today or timezone.localdate()
    if params.get("ky"):
        period = period_of(params["ky"])
    elif params.get("tu") or params.get("den"):
        if not (params.get("tu") and params.get("den")):
            raise ReportError(_("Vui lòng ghi cả ngày bắt đầu và ngày kết thúc của kỳ báo cáo."))
        start, end = _day(params["tu"], _("Ngày bắt đầu")), _day(params["den"], _("Ngày kết thúc"))
        if start > end:
            raise ReportError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        period = Period(start, end, _("Từ %(a)s đến %(b)s") % {"a": start.strftime("%d/%m/%Y"),
                                                               "b": end.strftime("%d/%m/%Y")}, "")
    else:
        period = period_of(str(today.year))
    if (period.end - period.start).days > MAX_DAYS:
        raise ReportError(_("Kỳ báo cáo dài quá 5 năm; vui lòng chọn kỳ ngắn hơn."))
    if period.start > today:
        raise ReportError(_("Kỳ báo cáo bắt đầu sau ngày hôm nay (%(d)s): chưa có số liệu.")
                          % {"d": today.strftime("%d/%m/%Y")})
    return period


# ------------------------------------------------------------------------------------------- who sees what


def readable_agency_ids(user) -> set[int] | None:
    """None: every agency (inspectors); else the agencies where the user leads or administers."""
    if not user.is_authenticated:
        raise NotAllowed(_("Vui lòng đăng nhập để xem báo cáo."))
    if orgs.is_inspector(user):
        return None
    ids = orgs.agency_ids_for(user, roles=REPORT_ROLES)
    if not ids:
        raise NotAllowed(_("Chỉ lãnh đạo, quản trị cơ quan và thanh tra được xem báo cáo, thống kê."))
    return ids


def _with_units(agency: Agency) -> set[int]:
    ids, frontier = {agency.pk}, {agency.pk}
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier, kind=Agency.Kind.INTERNAL_UNIT)
                       .values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


@dataclass
class Selection:
    period: Period
    readable: set[int] | None          # None: all
    agency: Agency | None = None
    level: str = ""
    field: Field | None = None
    procedure: Procedure | None = None
    group: str = "agency"

    @property
    def filters(self) -> rollup.Filters:
        ids = self.readable
        if self.agency is not None:
            own = _with_units(self.agency)
            ids = own if ids is None else ids & own
        if self.level:
            at_level = set(Agency.objects.filter(unit__level=self.level).values_list("id", flat=True))
            ids = at_level if ids is None else ids & at_level
        return rollup.Filters(frozenset(ids) if ids is not None else None,
                              self.field.pk if self.field else None,
                              self.procedure.pk if self.procedure else None)

    def query(self, **overrides) -> dict:
        """URL parameters that reproduce this selection (with ``overrides``; None removes one)."""
        q = dict(self.period.query())
        if self.agency:
            q["co-quan"] = self.agency.code
        if self.level:
            q["cap"] = self.level
        if self.field:
            q["linh-vuc"] = self.field.code
        if self.procedure:
            q["thu-tuc"] = self.procedure.code
        q["nhom"] = next(k for k, v in GROUPS.items() if v == self.group)
        for key, value in overrides.items():
            if value is None:
                q.pop(key, None)
            else:
                q[key] = value
        return q

    @property
    def title(self) -> str:
        parts = [self.agency.name if self.agency else _("Toàn tỉnh")]
        if self.level:
            parts.append(str(dict(AdminUnit.Level.choices).get(self.level, self.level)))
        if self.field:
            parts.append(_("lĩnh vực %(f)s") % {"f": self.field.name})
        if self.procedure:
            parts.append(self.procedure.current_version.name if self.procedure.current_version_id
                         else self.procedure.code)
        return " — ".join(parts)


def parse_selection(user, params, *, today=None, default_group=None) -> Selection:
    readable = readable_agency_ids(user)
    return _selection(params, readable, today=today, default_group=default_group)


def _selection(params, readable, *, today=None, default_group=None) -> Selection:
    period = parse_period(params, today)
    sel = Selection(period=period, readable=readable)
    code = (params.get("co-quan") or "").strip()
    if code:
        sel.agency = Agency.objects.filter(code=code).select_related("unit").first()
        if sel.agency is None:
            raise NotFound(_("Không có cơ quan mã “%(code)s”.") % {"code": code})
        if readable is not None and sel.agency.pk not in readable:
            raise NotAllowed(_("Bạn không có quyền xem báo cáo của %(name)s.") % {"name": sel.agency.name})
    elif readable is not None and len(readable) >= 1:
        tops = Agency.objects.filter(pk__in=readable).exclude(kind=Agency.Kind.INTERNAL_UNIT)
        if tops.count() == 1:
            sel.agency = tops.select_related("unit").first()
    level = (params.get("cap") or "").strip()
    if level:
        if level not in dict(AdminUnit.Level.choices):
            raise ReportError(_("Cấp “%(level)s” không hợp lệ.") % {"level": level})
        sel.level = level
    fcode = (params.get("linh-vuc") or "").strip()
    if fcode:
        sel.field = Field.objects.filter(code=fcode).first()
        if sel.field is None:
            raise NotFound(_("Không có lĩnh vực mã “%(code)s”.") % {"code": fcode})
    pcode = (params.get("thu-tuc") or "").strip()
    if pcode:
        sel.procedure = Procedure.objects.filter(code=pcode).select_related("current_version").first()
        if sel.procedure is None:
            raise NotFound(_("Không có thủ tục mã “%(code)s”.") % {"code": pcode})
    group = (params.get("nhom") or "").strip()
    if group:
        if group not in GROUPS:
            raise ReportError(_("Cách nhóm “%(g)s” không hợp lệ: co-quan, cap, linh-vuc hoặc thu-tuc.") % {"g": group})
        sel.group = GROUPS[group]
    else:
        sel.group = default_group or ("procedure" if sel.agency else "agency")
    return sel


# ------------------------------------------------------------------------------------------- figures


def _pct(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """One row of the report: flows of the period, stocks at its edges, shares and rates."""

    key: object = None
    label: str = ""
    code: str = ""
    m: dict = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    carried: int = 0
    overdue: int = 0
    offered: int | None = None          # (agency, procedure) pairs published
    offered_full_online: int | None = None
    offered_postal: int | None = None   # … with postal reception or return deployed
    assessments: dict = field(default_factory=dict)

    def __getattr__(self, name):
        if name in MEASURES:
            return self.m[name]
        raise AttributeError(name)

    def add_measures(self, row):
        for name in MEASURES:
            self.m[name] += int(row[name] or 0)

    def absorb(self, other: "Figures"):
        for name in MEASURES:
            self.m[name] += other.m[name]
        self.carried += other.carried
        self.overdue += other.overdue
        if other.offered is not None:
            self.offered = (self.offered or 0) + other.offered
            self.offered_full_online = (self.offered_full_online or 0) + other.offered_full_online
            self.offered_postal = (self.offered_postal or 0) + other.offered_postal

    # derived figures
    @property
    def total(self):
        return self.carried + self.m["received"]

    @property
    def ended(self):
        return self.m["finished"] + self.m["stopped"] + self.m["closed"]

    @property
    def in_progress(self):
        return self.total - self.ended

    @property
    def within(self):
        return self.in_progress - self.overdue

    @property
    def on_time(self):
        return self.m["f_early"] + self.m["f_on_time"]

    @property
    def on_time_rate(self):
        return _pct(self.on_time, self.m["finished"] + self.overdue)

    @property
    def online_share(self):
        return _pct(self.m["rc_online"], self.m["received"])

    @property
    def post_received_share(self):
        return _pct(self.m["rc_by_post"], self.m["received"])

    @property
    def post_returned_share(self):
        return _pct(self.m["returned_post"], self.m["returned"])

    @property
    def full_online_share(self):
        return _pct(self.offered_full_online, self.offered) if self.offered else None

    @property
    def postal_procedures_share(self):
        return _pct(self.offered_postal, self.offered) if self.offered else None

    @property
    def satisfaction_rate(self):
        return _pct(self.m["rated_very"] + self.m["rated_satisfied"], self.m["rated"])

    @property
    def avg_days(self):
        if not self.m["finished"]:
            return None
        return (Decimal(self.m["used_seconds"]) / 86400 / self.m["finished"]).quantize(Decimal("0.1"))

    @property
    def allowed_days(self):
        if not self.m["finished"]:
            return None
        return (Decimal(self.m["allowed_seconds"]) / 86400 / self.m["finished"]).quantize(Decimal("0.1"))

    @property
    def time_used_share(self):
        return _pct(self.m["used_seconds"], self.m["allowed_seconds"])

    def value(self, indicator: str):
        return {
            Indicator.ON_TIME: self.on_time_rate, Indicator.SATISFACTION: self.satisfaction_rate,
            Indicator.FULL_ONLINE: self.full_online_share, Indicator.ONLINE: self.online_share,
            Indicator.POSTAL_PROCEDURES: self.postal_procedures_share,
            Indicator.POST_RECEIVED: self.post_received_share, Indicator.POST_RETURNED: self.post_returned_share,
        }[indicator]


# ------------------------------------------------------------------------------------------- targets


@dataclass
class Assessment:
    indicator: str
    label: str
    value: Decimal | None
    target: Decimal | None
    scope: str = ""

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target

    @property
    def gap(self) -> Decimal | None:
        if self.value is None or self.target is None:
            return None
        return self.target - self.value


class TargetBook:
    """Targets in force for a year: each (indicator, agency, field) from its latest year <= ``year``."""

    def __init__(self, year: int):
        self.year = year
        self.rows: dict[tuple, Target] = {}
        for target in Target.objects.filter(year__lte=year).select_related("field", "agency").order_by("year"):
            self.rows[(target.indicator, target.agency_id, target.field_id)] = target

    def get(self, indicator, agency_id=None, field_id=None) -> Decimal | None:
        for key in ((indicator, agency_id, field_id), (indicator, agency_id, None),
                    (indicator, None, field_id), (indicator, None, None)):
            target = self.rows.get(key)
            if target is not None:
                return target.value
        return None

    def field_targets(self, agency_id=None) -> list[Target]:
        """Targets restricted to one field that apply to the province or to ``agency_id``."""
        chosen = {}
        for (indicator, a_id, f_id), target in self.rows.items():
            if f_id is None or a_id not in (None, agency_id):
                continue
            key = (indicator, f_id)
            if key not in chosen or a_id is not None:
                chosen[key] = target
        return sorted(chosen.values(), key=lambda t: (t.indicator, t.field.name))


ROW_INDICATORS = [Indicator.ON_TIME, Indicator.ONLINE, Indicator.SATISFACTION]


def assess(figures: Figures, book: TargetBook, *, agency_id=None, field_id=None, indicators=None):
    out = {}
    for indicator in indicators or Indicator.values:
        out[indicator] = Assessment(indicator, str(Indicator(indicator).label), figures.value(indicator),
                                    book.get(indicator, agency_id, field_id))
    return out


# ------------------------------------------------------------------------------------------- the report


@dataclass
class Report:
    selection: Selection
    as_of: datetime.datetime
    rows: list[Figures]
    total: Figures
    indicators: list[Assessment]
    field_indicators: list[Assessment]
    upto: datetime.date | None
    generated_at: datetime.datetime
    cube: "Cube" = None

    @property
    def group_label(self):
        return GROUP_LABELS[self.selection.group]


KEY_COLUMN = {"agency": "agency_id", "field": "field_id", "procedure": "procedure_id"}
CATALOG_CACHE_SECONDS = 300


def offered_pairs() -> dict[tuple[int, int], tuple[int, int, int]]:
    """{(agency, field): (published pairs, full online, postal deployed)} of the catalogue.

    One grouped query, kept 5 minutes in the cache: the catalogue changes by publication decisions,
    not by the minute, and at a city's size it is a quarter of a million (agency, procedure) pairs.
    """
    from django.core.cache import cache
    found = cache.get("reports:offered_pairs")
    if found is not None:
        return found
    through = ProcedureVersion.agencies.through.objects.filter(procedureversion__status="published")
    postal = Q(procedureversion__postal_reception=True) | Q(procedureversion__postal_return=True)
    found = {(r["agency_id"], r["procedureversion__field_id"]): (r["n"], r["full"], r["postal"]) for r in
             through.values("agency_id", "procedureversion__field_id").annotate(
                 n=Count("id"), full=Count("id", filter=Q(procedureversion__online_level__is_full_online=True)),
                 postal=Count("id", filter=postal))}
    cache.set("reports:offered_pairs", found, CATALOG_CACHE_SECONDS)
    return found


class Cube:
    """The selection's figures, read per key (agency / field / procedure) on demand, grouped in SQL.

    Levels are agencies grouped in Python (a few hundred rows); the total is the sum of the field rows.
    """

    def __init__(self, selection: Selection, now: datetime.datetime):
        self.selection = selection
        self.now = now
        self.as_of = min(rollup.midnight(selection.period.stop), now)
        self.filters = selection.filters
        self._rows: dict[str, dict] = {}
        self._base: dict[tuple, tuple] = {}
        self._agencies = None

    @property
    def agencies(self) -> dict[int, Agency]:
        if self._agencies is None:
            ids = set(self.rows("agency"))
            self._agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids).select_related("unit")}
        return self._agencies

    def rows(self, key: str) -> dict:
        """{key value: Figures} for key agency / field / procedure (cached)."""
        if key in self._rows:
            return self._rows[key]
        column = KEY_COLUMN[key]
        period = self.selection.period
        out: dict = {}

        def cell(k):
            if k not in out:
                out[k] = Figures(key=k)
            return out[k]

        by = self._grouping(key)
        if by not in self._base:
            self._base[by] = (
                rollup.flows(period.start, period.stop, filters=self.filters, by=by, now=self.now),
                rollup.overdue(self.as_of, filters=self.filters, by=by))
        (rows, before), overdue_rows = self._base[by]
        for row in rows:
            cell(row[column]).add_measures(row)
        for row in before:
            cell(row[column]).carried += sum(int(row[m] or 0) * sign for m, sign in
                                             (("received", 1), ("finished", -1), ("stopped", -1), ("closed", -1)))
        for row in overdue_rows:
            cell(row[column]).overdue += int(row["n"])
        if key != "procedure":
            for k, (n, full, postal) in self._offered(column).items():
                row = cell(k)
                row.offered, row.offered_full_online, row.offered_postal = n, full, postal
        self._rows[key] = out
        return out

    def _grouping(self, key: str) -> tuple[str, ...]:
        """The keys one read groups by: agencies and fields come from one read per (agency, field),
        procedures from one per (field, procedure), which also gives the fields (the total, the field
        targets) of a report by procedure — one read less there."""
        if key == "procedure" or (key == "field" and self.selection.group == "procedure"):
            return ("field_id", "procedure_id")
        return ("agency_id", "field_id")

    def _offered(self, column):
        """Published (agency, procedure) pairs — all, full online, with postal service — per agency or field."""
        out = {}
        index = 0 if column == "agency_id" else 1
        for key, counts in offered_pairs().items():
            agency_id, field_id = key
            f = self.filters
            if (f.agency_ids is not None and agency_id not in f.agency_ids) or \
                    (f.field_id is not None and field_id != f.field_id) or f.procedure_id is not None:
                continue
            acc = out.setdefault(key[index], [0, 0, 0])
            for i in range(3):
                acc[i] += counts[i]
        return out

    def group(self, group: str) -> list[Figures]:
        """Rows grouped by agency / level / field / procedure, labelled, largest first."""
        if group == "level":
            levels = dict(AdminUnit.Level.choices)
            out = {}
            for agency_row in self.group("agency"):
                agency = self.agencies.get(agency_row.key)
                k = agency.unit.level if agency else ""
                row = out.setdefault(k, Figures(key=k, label=str(levels.get(k, k)), code=k))
                row.absorb(agency_row)
            rows = list(out.values())
        else:
            rows = list(self.rows(group).values())
            if group == "agency":
                for row in rows:
                    agency = self.agencies.get(row.key)
                    row.label, row.code = (agency.name, agency.code) if agency else (str(row.key), "")
            elif group == "field":
                names = {f.pk: f for f in Field.objects.filter(pk__in=[r.key for r in rows if r.key])}
                for row in rows:
                    f = names.get(row.key)
                    row.label, row.code = (f.name, f.code) if f else ("", "")
            else:
                procs = {p.pk: p for p in Procedure.objects.filter(pk__in=[r.key for r in rows if r.key])
                         .select_related("current_version")}
                for row in rows:
                    p = procs.get(row.key)
                    row.label = p.current_version.name if p and p.current_version_id else (p.code if p else "")
                    row.code = p.code if p else ""
        rows = [r for r in rows if r.total or r.offered]
        rows.sort(key=lambda r: (-r.total, r.label))
        return rows

    def total(self) -> Figures:
        """The sum of the field rows (fields, like agencies, split every figure without overlap)."""
        total = Figures(key=None, label=_("Tổng cộng"))
        for row in self.rows("field").values():
            total.absorb(row)
        return total

    def field_figures(self, field_id) -> Figures:
        return self.rows("field").get(field_id) or Figures(key=field_id)


def build_report(selection: Selection, *, now=None) -> Report:
    now = now or timezone.now()
    with rollup.snapshot():
        return _build_report(selection, now)


def _build_report(selection: Selection, now) -> Report:
    cube = Cube(selection, now)
    rows = cube.group(selection.group)
    total = cube.total()
    book = TargetBook(selection.period.end.year)
    agency_id = selection.agency.pk if selection.agency else None
    field_id = selection.field.pk if selection.field else None
    for row in rows:
        row.assessments = assess(row, book, agency_id=row.key if selection.group == "agency" else agency_id,
                                 field_id=row.key if selection.group == "field" else field_id,
                                 indicators=ROW_INDICATORS)
    indicators = list(assess(total, book, agency_id=agency_id, field_id=field_id).values())
    field_indicators = []
    if field_id is None and selection.procedure is None:
        for target in book.field_targets(agency_id):
            figures = cube.field_figures(target.field_id)
            if not figures.total and target.indicator not in (Indicator.FULL_ONLINE,):
                value = None
            else:
                value = figures.value(target.indicator)
            field_indicators.append(Assessment(
                target.indicator, str(Indicator(target.indicator).label), value,
                book.get(target.indicator, agency_id, target.field_id),
                scope=_("lĩnh vực %(f)s") % {"f": target.field.name}))
    return Report(selection=selection, as_of=cube.as_of, rows=rows, total=total, indicators=indicators,
                  field_indicators=field_indicators, upto=rollup.watermark(), generated_at=now, cube=cube)


# ------------------------------------------------------------------------------------------- trends


@dataclass
class TrendPoint:
    start: datetime.date
    label: str
    received: int
    finished: int
    on_time: int
    overdue: int

    @property
    def on_time_rate(self):
        return _pct(self.on_time, self.finished + self.overdue)


def trend(selection: Selection, *, now=None) -> list[TrendPoint]:
    """Received, processed and the on-time rate per month (per day for periods up to 62 days)."""
    now = now or timezone.now()
    period = selection.period
    daily = (period.end - period.start).days < 62
    rows, _before = rollup.flows(period.start, period.stop, filters=selection.filters, by=("bucket",), now=now,
                                 with_before=False, months=not daily)
    buckets: dict[datetime.date, dict] = {}
    for row in rows:
        day = rollup._as_date(row["bucket"])
        start = day if daily else day.replace(day=1)
        acc = buckets.setdefault(start, dict.fromkeys(MEASURES, 0))
        for m in MEASURES:
            acc[m] += int(row[m] or 0)
    starts = []
    day = period.start if daily else period.start.replace(day=1)
    while day <= period.end and day <= timezone.localdate(now):
        starts.append(day)
        day = day + datetime.timedelta(days=1) if daily else rollup._next_month(day)
    ends = {s: (s + datetime.timedelta(days=1) if daily else rollup._next_month(s)) for s in starts}
    today = timezone.localdate(now)
    midnights = [min(e, period.stop) for e in ends.values() if min(e, period.stop) <= today]
    upto = rollup.watermark()
    # Month starts already rolled up carry their overdue stock; other midnights are counted live.
    stored = [m for m in midnights if not daily and m.day == 1 and upto and m <= upto]
    series = rollup.overdue_at_month_starts(stored, filters=selection.filters)
    series.update(rollup.overdue_series([m for m in midnights if m not in series], filters=selection.filters))
    points = []
    for s in starts:
        e = min(ends[s], period.stop)
        acc = buckets.get(s, dict.fromkeys(MEASURES, 0))
        if e <= today:
            od = series.get(e, 0)
        else:  # the running bucket: overdue now
            od = sum(r["n"] for r in rollup.overdue(now, filters=selection.filters, by=("agency_id",)))
        label = s.strftime("%d/%m") if daily else s.strftime("%m/%Y")
        points.append(TrendPoint(s, label, acc["received"], acc["finished"], acc["f_early"] + acc["f_on_time"], od))
    return points


# ------------------------------------------------------------------------------------------- dossier lists


LIST_MEASURES = {
    "received": gettext_lazy("Hồ sơ tiếp nhận mới trong kỳ"),
    "rc_counter": gettext_lazy("Hồ sơ tiếp nhận trực tiếp"),
    "rc_online": gettext_lazy("Hồ sơ tiếp nhận trực tuyến"),
    "rc_post": gettext_lazy("Hồ sơ tiếp nhận qua bưu chính"),
    "rc_by_post": gettext_lazy("Hồ sơ có giấy tờ gửi qua bưu chính"),
    "carried": gettext_lazy("Hồ sơ kỳ trước chuyển sang"),
    "finished": gettext_lazy("Hồ sơ đã giải quyết"),
    "f_early": gettext_lazy("Hồ sơ giải quyết trước hạn"),
    "f_on_time": gettext_lazy("Hồ sơ giải quyết đúng hạn"),
    "f_late": gettext_lazy("Hồ sơ giải quyết quá hạn"),
    "f_refused": gettext_lazy("Hồ sơ từ chối giải quyết"),
    "in_progress": gettext_lazy("Hồ sơ đang giải quyết"),
    "within": gettext_lazy("Hồ sơ đang giải quyết trong hạn"),
    "overdue": gettext_lazy("Hồ sơ đang giải quyết quá hạn"),
    "stopped": gettext_lazy("Hồ sơ dừng giải quyết (rút hồ sơ)"),
    "closed": gettext_lazy("Hồ sơ kết thúc do không bổ sung"),
    "supplements": gettext_lazy("Hồ sơ yêu cầu bổ sung"),
    "apologies": gettext_lazy("Hồ sơ có văn bản xin lỗi"),
    "returned": gettext_lazy("Hồ sơ đã trả kết quả"),
    "returned_post": gettext_lazy("Hồ sơ trả kết quả qua bưu chính"),
    "rated": gettext_lazy("Hồ sơ được đánh giá mức độ hài lòng"),
    "rated_very": gettext_lazy("Hồ sơ được đánh giá rất hài lòng"),
    "rated_satisfied": gettext_lazy("Hồ sơ được đánh giá hài lòng"),
    "rated_dissatisfied": gettext_lazy("Hồ sơ được đánh giá không hài lòng"),
}


def _ended_before(moment) -> Q:
    ended_event = DossierEvent.objects.filter(dossier=OuterRef("pk"), action__in=rollup.ENDED_ACTIONS, at__lt=moment)
    return Q(finished_at__lt=moment) | Q(Exists(ended_event))


def _open_at(moment) -> Q:
    return Q(received_at__lt=moment) & ~_ended_before(moment)


def dossiers_for(measure: str, selection: Selection, *, now=None):
    """The dossiers behind one figure of the report (same definitions, straight from the table)."""
    if measure not in LIST_MEASURES:
        raise ReportError(_("Chỉ số “%(m)s” không có trong báo cáo.") % {"m": measure})
    now = now or timezone.now()
    period = selection.period
    start, stop = rollup.midnight(period.start), min(rollup.midnight(period.stop), now)
    as_of = stop
    qs = Dossier.objects.all()
    f = selection.filters
    if f.agency_ids is not None:
        qs = qs.filter(competent_agency_id__in=f.agency_ids)
    if f.field_id is not None:
        qs = qs.filter(procedure_version__field_id=f.field_id)
    if f.procedure_id is not None:
        qs = qs.filter(procedure_version__procedure_id=f.procedure_id)
    received = Q(received_at__gte=start, received_at__lt=stop)
    finished = Q(finished_at__gte=start, finished_at__lt=stop)
    returned = Q(returned_at__gte=start, returned_at__lt=stop)
    rated = Q(rating__rated_at__gte=start, rating__rated_at__lt=stop)

    def event(action):
        return Exists(DossierEvent.objects.filter(dossier=OuterRef("pk"), action=action, at__gte=start, at__lt=stop))

    condition = {
        "received": received,
        "rc_counter": received & Q(channel="counter"),
        "rc_online": received & Q(channel="online"),
        "rc_post": received & Q(channel="post"),
        "rc_by_post": received & (Q(channel="post") | Q(documents_by_post=True)),
        "carried": _open_at(start),
        "finished": finished,
        "f_early": finished & Q(timeliness="early"),
        "f_on_time": finished & Q(timeliness="on_time"),
        "f_late": finished & Q(timeliness="late"),
        "f_refused": finished & Q(result_number=""),
        "in_progress": _open_at(as_of),
        "within": _open_at(as_of) & Q(legal_due_at__gte=as_of),
        "overdue": _open_at(as_of) & Q(legal_due_at__lt=as_of),
        "stopped": Q(event("stop")),
        "closed": Q(event("close_unsupplemented")),
        "supplements": Q(supplement_requested_at__gte=start, supplement_requested_at__lt=stop),
        "apologies": Q(apology__approved_at__gte=start, apology__approved_at__lt=stop),
        "returned": returned,
        "returned_post": returned & Q(return_method="post"),
        "rated": rated,
        "rated_very": rated & Q(rating__overall=SatisfactionLevel.VERY_SATISFIED),
        "rated_satisfied": rated & Q(rating__overall=SatisfactionLevel.SATISFIED),
        "rated_dissatisfied": rated & Q(rating__overall=SatisfactionLevel.DISSATISFIED),
    }[measure]
    return qs.filter(condition)


def dossier_page(measure, selection, *, page=1, per_page=50, now=None):
    """One page of the list (newest reception first) without counting the whole list."""
    qs = (dossiers_for(measure, selection, now=now)
          .select_related("procedure_version", "competent_agency").order_by("-received_at", "-id"))
    offset = (page - 1) * per_page
    rows = list(qs[offset:offset + per_page + 1])
    return rows[:per_page], len(rows) > per_page


# ------------------------------------------------------------------------------------------- public board


@dataclass
class BoardRow:
    agency_name: str
    level: str
    finished: int
    on_time_rate: Decimal | None
    on_time_target: Decimal | None
    satisfaction_rate: Decimal | None
    satisfaction_target: Decimal | None
    ratings: int

    @property
    def on_time_met(self):
        return None if self.on_time_rate is None or self.on_time_target is None else \
            self.on_time_rate >= self.on_time_target

    @property
    def satisfaction_met(self):
        return None if self.satisfaction_rate is None or self.satisfaction_target is None else \
            self.satisfaction_rate >= self.satisfaction_target


def public_board(params, *, now=None):
    """On-time and satisfaction rates per agency for the public (no personal data, no login)."""
    now = now or timezone.now()
    selection = _selection(params, None, today=timezone.localdate(now), default_group="agency")
    selection.agency = selection.field = selection.procedure = None
    selection.level = ""
    selection.group = "agency"
    report = build_report(selection, now=now)
    book = TargetBook(selection.period.end.year)
    levels = dict(AdminUnit.Level.choices)
    rows = []
    for row in report.rows:
        if not (row.m["finished"] or row.overdue or row.m["rated"]):
            continue
        agency = report.cube.agencies.get(row.key)
        rows.append(BoardRow(row.label, str(levels.get(agency.unit.level, "")) if agency else "",
                             row.m["finished"], row.on_time_rate, book.get(Indicator.ON_TIME, row.key),
                             row.satisfaction_rate, book.get(Indicator.SATISFACTION, row.key),
                             row.m["rated"]))
    rows.sort(key=lambda r: (r.on_time_rate is None, -(r.on_time_rate or 0), r.agency_name))
    return report, rows


# ------------------------------------------------------------------------------------------- page helpers


def bad_format_message(fmt: str) -> str:
    return _("Định dạng “%(fmt)s” không được hỗ trợ; chọn xlsx, csv hoặc pdf.") % {"fmt": fmt}


def page_number(raw) -> int:
    try:
        page = int(raw or 1)
    except (TypeError, ValueError):
        raise ReportError(_("Số trang không hợp lệ.")) from None
    if page < 1 or page > 10_000:
        raise ReportError(_("Số trang không hợp lệ."))
    return page


def as_of(selection: Selection, now=None) -> datetime.datetime:
    return min(rollup.midnight(selection.period.stop), now or timezone.now())


def group_choices(selection: Selection) -> list[tuple[str, str, bool]]:
    return [(k, str(GROUP_LABELS[v]), v == selection.group) for k, v in GROUPS.items()]


def period_choices(today: datetime.date, current: Period | None) -> dict:
    """Shortcuts for the period picker: this and last year, quarters and months of this year."""
    keys = [str(today.year), str(today.year - 1)]
    keys += [f"{today.year}-Q{q}" for q in range(1, (today.month - 1) // 3 + 2)]
    keys += [f"{today.year}-{m:02d}" for m in range(1, today.month + 1)]
    keys += [f"{today.year - 1}-{m:02d}" for m in range(today.month + 1, 13)]
    choices = [(k, period_of(k).label) for k in keys]
    return {"choices": choices, "current": current.key if current else "",
            "start": current.start.strftime("%d/%m/%Y") if current else "",
            "end": current.end.strftime("%d/%m/%Y") if current else ""}


def furthest_from_target(rows: list[Figures], book: TargetBook, *, n=10) -> list[tuple[Figures, Assessment]]:
    """Agencies whose on-time rate is furthest below their target (those with a rate and a target)."""
    out = []
    for row in rows:
        a = Assessment(Indicator.ON_TIME, str(Indicator.ON_TIME.label), row.on_time_rate,
                       book.get(Indicator.ON_TIME, row.key))
        if a.gap is not None and a.gap > 0:
            out.append((row, a))
    out.sort(key=lambda pair: (-pair[1].gap, pair[0].label))
    return out[:n]


def _f(value):
    return float(value) if value is not None else None


def dashboard(selection: Selection, *, now=None) -> dict:
    """The dashboard's report, trend and breakdowns, all read in one snapshot."""
    now = now or timezone.now()
    with rollup.snapshot():
        return dashboard_context(_build_report(selection, now), now=now)


def dashboard_context(report: Report, *, now=None) -> dict:
    selection, cube = report.selection, report.cube
    book = TargetBook(selection.period.end.year)
    points = trend(selection, now=now or report.generated_at)
    by_agency = report.rows if selection.group == "agency" else cube.group("agency")
    levels = cube.group("level") if not selection.level else []
    fields = sorted(cube.group("field"), key=lambda r: -r.received)[:10] if not selection.field else []
    on_time_target = book.get(Indicator.ON_TIME, selection.agency.pk if selection.agency else None)
    t = report.total
    charts = {
        "text": {"received": _("Tiếp nhận mới"), "finished": _("Đã giải quyết"), "rate": _("Tỉ lệ đúng hạn"),
                 "target": _("Chỉ tiêu đúng hạn")},
        "trend": {"labels": [p.label for p in points], "received": [p.received for p in points],
                  "finished": [p.finished for p in points], "rate": [_f(p.on_time_rate) for p in points],
                  "target": _f(on_time_target)},
        "channels": {"labels": [_("Trực tiếp"), _("Trực tuyến"), _("Bưu chính")],
                     "values": [t.rc_counter, t.rc_online, t.rc_post]},
        "levels": {"labels": [r.label for r in levels], "rate": [_f(r.on_time_rate) for r in levels],
                   "received": [r.received for r in levels]},
        "fields": {"labels": [r.label for r in fields], "received": [r.received for r in fields],
                   "rate": [_f(r.on_time_rate) for r in fields]},
    }
    return {"report": report, "selection": selection, "total": t, "indicators": report.indicators,
            "field_indicators": report.field_indicators, "rows": [r for r in report.rows if r.total][:30],
            "row_count": len(report.rows),
            "furthest": furthest_from_target(by_agency, book) if not selection.procedure else [],
            "charts": charts, "points": points, "levels": levels, "fields": fields,
            "group_choices": group_choices(selection)}


def row_filters(selection: Selection, row) -> dict:
    """The URL filter that narrows ``selection`` to one row of its grouping."""
    key = {"agency": "co-quan", "field": "linh-vuc", "procedure": "thu-tuc", "level": "cap"}[selection.group]
    return {key: row.code} if row is not None and row.code else {}
