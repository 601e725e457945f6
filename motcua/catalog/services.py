"""Business rules of the procedure catalogue: process validation, publication, search.

Every change of a version's state goes through :func:`publish` (and :func:`abolish`,
which is a publication of an abolition), so there is one audited code path. A version
is immutable once published; amendments start from :func:`new_version_from`.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, TextField
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Field, OnlineLevel, Procedure, ProcedureVersion, ProcessStep, PublicationDecision, RequiredDocument,
    TimeUnit,
)
from motcua.orgs.models import AdminUnit, Agency
from motcua.text import fold

Status = ProcedureVersion.Status
Change = ProcedureVersion.Change

# Longest query we fold and split; longer input is cut, never an error.
MAX_QUERY_LENGTH = 200
# Columns a result list never shows.
LIST_DEFERRED = ("legal_basis", "requirements", "steps_description", "fee_description", "search_text",
                 "competent_authority", "created_at")


class InvalidFilter(ValidationError):
    """A search filter names something that does not exist (unknown field, agency…)."""

    def __init__(self, message, param):
        super().__init__(message, code="invalid_filter")
        self.param = param


def format_amount(value) -> str:
    """Decimal in Vietnamese notation without useless zeros: 12 → "12", 0.5 → "0,5"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def duration_label(value, unit) -> str:
    """"15 ngày làm việc", "4 giờ làm việc"."""
    return f"{format_amount(value)} {TimeUnit(unit).label}"


# --- process validation ---------------------------------------------------------------------------

def validate_process(version: ProcedureVersion) -> list[str]:
    """Return the Vietnamese reasons why ``version``'s internal process cannot be used (empty if fine).

    Steps must exist, be numbered 1..n, have non-negative budgets whose sum equals the
    statutory time (in the version's own unit), and a step done by a designated agency
    must name that agency.
    """
    steps = list(version.steps.all().order_by("order"))
    if not steps:
        return [_("Quy trình nội bộ chưa có bước nào.")]
    errors = []
    orders = [step.order for step in steps]
    if orders != list(range(1, len(steps) + 1)):
        errors.append(_("Thứ tự các bước phải liên tục từ 1 đến %(n)d (hiện có: %(orders)s).") % {
            "n": len(steps), "orders": ", ".join(str(o) for o in orders)})
    for step in steps:
        if step.budget is None or step.budget < 0:
            errors.append(_("Bước %(order)d (%(name)s): thời gian thực hiện không được âm.") % {
                "order": step.order, "name": step.name})
        if step.performer == ProcessStep.Performer.FIXED and not step.agency_id:
            errors.append(_("Bước %(order)d (%(name)s) do cơ quan được chỉ định thực hiện "
                            "nhưng chưa chọn cơ quan.") % {"order": step.order, "name": step.name})
    total = sum((step.budget or Decimal(0) for step in steps), Decimal(0))
    if version.time_value is None:
        errors.append(_("Chưa nhập thời hạn giải quyết."))
    elif total != Decimal(version.time_value):
        errors.append(
            _("Tổng thời gian các bước (%(total)s) không bằng thời hạn giải quyết (%(statutory)s).") % {
                "total": duration_label(total, version.time_unit),
                "statutory": duration_label(version.time_value, version.time_unit)})
    return errors


def validate_for_publication(version: ProcedureVersion) -> list[str]:
    """Everything that must hold before a new or amended version can be published."""
    errors = []
    if not version.agencies.exists():
        errors.append(_("Chưa chọn cơ quan thực hiện thủ tục."))
    return errors + validate_process(version)


# --- publication ----------------------------------------------------------------------------------

def _audit(version, event, before, after, decision, user):
    LogEntry.objects.log_create(
        version, force_log=True, action=LogEntry.Action.UPDATE, actor=user,
        changes={"status": [before, after]},
        additional_data={"event": event, "procedure": version.procedure.code, "version": version.number,
                         "decision": decision.number, "decision_id": decision.pk},
    )


def _actor_context(user):
    """Attach ``user`` to auditlog's automatic entries unless a request already did."""
    try:
        auditlog_value.get()
        already = True
    except LookupError:
        already = False
    if user is None or already:
        return nullcontext()
    return set_actor(user)


def publish(version: ProcedureVersion, decision: PublicationDecision, user=None) -> ProcedureVersion:
    """Bring ``version`` into force under ``decision``; the previous version becomes superseded.

    ``version.change == ABOLISHED`` publishes the abolition: the procedure stays pointing at
    this version, whose status is ABOLISHED, and public search no longer lists it.
    Raises ``ValidationError`` (Vietnamese messages) and changes nothing when refused.
    """
    if decision is None:
        raise ValidationError(_("Phải chọn quyết định công bố."))
    original = version
    with transaction.atomic(), _actor_context(user):
        procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        version.procedure = procedure
        if version.status != Status.DRAFT:
            raise ValidationError(_("Chỉ công bố được phiên bản dự thảo; phiên bản %(n)d đang ở trạng thái "
                                    "“%(status)s”.") % {"n": version.number,
                                                        "status": version.get_status_display()})
        previous = procedure.current_version
        if version.change == Change.ABOLISHED:
            if previous is None or previous.status != Status.PUBLISHED:
                raise ValidationError(_("Thủ tục %(code)s chưa được công bố hoặc đã bị bãi bỏ nên không thể "
                                        "bãi bỏ.") % {"code": procedure.code})
            new_status, event = Status.ABOLISHED, "abolish"
        else:
            errors = validate_for_publication(version)
            if errors:
                raise ValidationError(errors)
            new_status, event = Status.PUBLISHED, "publish"
        if decision.pk is None:
            decision.save()
        if previous is not None and previous.pk != version.pk:
            before = previous.status
            previous.status = Status.SUPERSEDED
            previous.save(update_fields=["status"])
            _audit(previous, "supersede", before, previous.status, decision, user)
        version.status = new_status
        version.decision = decision
        version.save(update_fields=["status", "decision"])
        procedure.current_version = version
        procedure.save(update_fields=["current_version"])
        _audit(version, event, Status.DRAFT, new_status, decision, user)
    # Keep the caller's objects in step with the database.
    original.status, original.decision = version.status, decision
    if ProcedureVersion.procedure.is_cached(original):
        original.procedure.current_version = version
    return version


def new_version_from(version: ProcedureVersion, change: str = Change.AMENDED) -> ProcedureVersion:
    """Copy ``version`` (documents, steps, agencies) into a new draft numbered after the latest one."""
    with transaction.atomic():
        Procedure.objects.select_for_update().get(pk=version.procedure_id)
        latest = ProcedureVersion.objects.filter(procedure_id=version.procedure_id).aggregate(n=Max("number"))["n"]
        documents = list(version.documents.all())
        steps = list(version.steps.all())
        agencies = list(version.agencies.all())
        draft = ProcedureVersion.objects.get(pk=version.pk)
        draft.pk = None
        draft.id = None
        draft._state.adding = True
        draft.number = (latest or 0) + 1
        draft.status = Status.DRAFT
        draft.decision = None
        draft.change = change
        draft.save()
        draft.agencies.set(agencies)
        for document in documents:
            document.pk = None
            document.version = draft
        RequiredDocument.objects.bulk_create(documents)
        for step in steps:
            step.pk = None
            step.version = draft
        ProcessStep.objects.bulk_create(steps)
    return draft


def abolish(procedure: Procedure, decision: PublicationDecision, user=None) -> ProcedureVersion:
    """Publish the abolition of ``procedure`` (a copy of its current version marked ABOLISHED)."""
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=procedure.pk)
        current = procedure.current_version
        if current is None or current.status != Status.PUBLISHED:
            raise ValidationError(_("Thủ tục %(code)s chưa được công bố hoặc đã bị bãi bỏ nên không thể "
                                    "bãi bỏ.") % {"code": procedure.code})
        draft = new_version_from(current, change=Change.ABOLISHED)
        return publish(draft, decision, user=user)


# --- search ---------------------------------------------------------------------------------------

def _resolve(model, value, label, param):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(code=str(value)).first()
    if found is None:
        raise InvalidFilter(_("Không có %(label)s có mã “%(value)s”.") % {"label": label, "value": value},
                            param)
    return found


def search(q: str = "", field=None, level=None, agency=None, online_level=None, include_abolished=False):
    """Current published procedure versions matching ``q`` and the filters, ordered by name.

    ``q`` is folded with :func:`motcua.text.fold`, so accents and case do not matter; every
    word must occur in the folded "code name" (any order), or ``q`` may be the start of a
    procedure code. Filters take codes (Field.code, AdminUnit.Level value, Agency.code,
    OnlineLevel.code) or instances; an unknown value raises :class:`InvalidFilter`.
    """
    field = _resolve(Field, field, _("lĩnh vực"), "field")
    agency = _resolve(Agency, agency, _("cơ quan"), "agency")
    online_level_ids = None
    if isinstance(online_level, OnlineLevel):
        online_level_ids = [online_level.pk]
    elif online_level not in (None, ""):
        # A code may exist in several schemes; resolving to ids spares the query a join.
        online_level_ids = list(OnlineLevel.objects.filter(code=str(online_level)).values_list("pk", flat=True))
        if not online_level_ids:
            raise InvalidFilter(_("Không có mức độ dịch vụ công trực tuyến có mã “%(value)s”.")
                                % {"value": online_level}, "online_level")
    if level not in (None, "") and level not in AdminUnit.Level.values:
        raise InvalidFilter(_("Cấp thực hiện “%(value)s” không hợp lệ (chỉ nhận: %(choices)s).") % {
            "value": level, "choices": ", ".join(AdminUnit.Level.values)}, "level")

    statuses = [Status.PUBLISHED, Status.ABOLISHED] if include_abolished else [Status.PUBLISHED]
    # The constraint "one_current_version_per_procedure" and publish() keep exactly the current
    # version in these statuses, so no join on Procedure.current_version is needed here.
    qs = ProcedureVersion.objects.filter(status__in=statuses)
    if field is not None:
        qs = qs.filter(field=field)
    if agency is not None:
        qs = qs.filter(agencies=agency)
    if online_level_ids is not None:
        qs = qs.filter(online_level_id__in=online_level_ids)
    if level not in (None, ""):
        # JSON "contains" is not available on SQLite; the quoted value inside the JSON text is.
        qs = qs.annotate(_levels=Cast("levels", TextField())).filter(_levels__contains=f'"{level}"')
    # search_text is the folded "code name": every word must occur in it, which also finds a
    # procedure by (the start of) its code.
    for word in fold((q or "")[:MAX_QUERY_LENGTH]).split():
        qs = qs.filter(search_text__contains=word)
    # Long texts are not shown in lists; callers needing them (export, detail) use .defer(None).
    return (qs.select_related("procedure", "field", "online_level")
              .defer(*LIST_DEFERRED)
              .order_by("name", "id"))


def with_agencies(queryset):
    """``queryset`` with each version's performing agencies prefetched (ordered by code)."""
    return queryset.prefetch_related(Prefetch("agencies", queryset=Agency.objects.order_by("code")))


def current_version(code: str, include_abolished=True) -> ProcedureVersion | None:
    """The version in force (or the abolition) of the procedure ``code``, with everything a page shows."""
    statuses = [Status.PUBLISHED, Status.ABOLISHED] if include_abolished else [Status.PUBLISHED]
    return (ProcedureVersion.objects
            .filter(procedure__code=code, status__in=statuses)
            .select_related("procedure", "field", "online_level", "decision")
            .prefetch_related(
                Prefetch("agencies", queryset=Agency.objects.select_related("unit").order_by("code")),
                Prefetch("documents", queryset=RequiredDocument.objects.order_by("order", "id")),
                Prefetch("steps", queryset=ProcessStep.objects.select_related("agency").order_by("order")))
            .first())


# --- what a reception reads from a version (cached per process) -----------------------------------

@dataclass(frozen=True)
class MandatoryDocument:
    id: int
    name: str
    originals: int
    copies: int


@dataclass(frozen=True)
class StepTemplate:
    order: int
    name: str
    performer: str
    agency_id: int | None
    unit_name: str
    role: str
    budget: Decimal
    is_inter_agency: bool


@dataclass(frozen=True)
class ReceptionRules:
    """The parts of a version every reception reads: who may handle it, what must be handed in, the process."""

    agency_ids: frozenset[int]                          # empty: any agency may be competent
    mandatory_documents: tuple[MandatoryDocument, ...]  # in the version's order
    steps: tuple[StepTemplate, ...]                     # by step order


_reception_rules: dict[int, ReceptionRules] = {}


def reception_rules(version: ProcedureVersion) -> ReceptionRules:
    """The reception data of ``version``, read from the database once per process for a published version.

    A version is immutable once published (amendments are new versions, see
    :func:`new_version_from`), so counters receiving the same procedure all day need not read
    its agencies, documents and steps again. A draft can still change and is read every time.
    Any save or delete of a version, document, step or agency link in this process empties the
    cache, so tests (whose rolled-back ids come back on SQLite) and the demo loader, which
    refreshes its versions in place, never see old data in the process that wrote.
    """
    cached = _reception_rules.get(version.pk)
    if cached is not None:
        return cached
    rules = ReceptionRules(
        agency_ids=frozenset(version.agencies.values_list("pk", flat=True)),
        mandatory_documents=tuple(
            MandatoryDocument(*row) for row in version.documents.filter(mandatory=True)
            .order_by("order", "id").values_list("id", "name", "originals", "copies")),
        steps=tuple(
            StepTemplate(*row) for row in version.steps.order_by("order").values_list(
                "order", "name", "performer", "agency_id", "unit_name", "role", "budget", "is_inter_agency")))
    if version.status != Status.DRAFT:
        _reception_rules[version.pk] = rules
    return rules


def _forget_reception_rules(**_kwargs):
    _reception_rules.clear()


for _model in (ProcedureVersion, RequiredDocument, ProcessStep):
    post_save.connect(_forget_reception_rules, sender=_model, dispatch_uid=f"reception_rules_save_{_model.__name__}")
    post_delete.connect(_forget_reception_rules, sender=_model,
                        dispatch_uid=f"reception_rules_delete_{_model.__name__}")
m2m_changed.connect(_forget_reception_rules, sender=ProcedureVersion.agencies.through,
                    dispatch_uid="reception_rules_agencies")
