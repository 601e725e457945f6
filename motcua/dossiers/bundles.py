"""Procedure bundles (nhóm thủ tục liên thông, Đ20 Decree 118/2025): one application, several procedures.

A bundle application (``BundleApplication``) gives the citizen one code — the receiving one-stop
unit's identifier (Đ28) — and one appointment. Each procedure of the bundle becomes a *part*: an
ordinary ``Dossier`` at its own competent agency, with its own code, steps and deadlines, handled
through the same services (``services.py``) as any other dossier.

How the parts travel (Đ20):
* **electronic** application (submitted online, or every document received as a scan): every
  part starts at once, in parallel, and one agency is named to lead (*cơ quan chủ trì*);
* **paper** application: the parts run in sequence in the bundle's order; each agency passes the
  paper on when its part leaves processing (result, refusal, stop or close), and the next part's
  processing time starts from that moment. Until then the next part waits (received, no active step)
  with a provisional plan that starts when the previous part is legally due.

The citizen's appointment is the latest of the parts' and only ever moves later (a supplement that
restarts a part's clock, an approved extension of a part). Every change is written as a
``DossierEvent`` of the parts concerned, so each agency's audit trail stays complete.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureBundle, ProcedureVersion
from motcua.dossiers import notify
from motcua.dossiers import services
from motcua.dossiers.models import (
    OPEN_STATUSES, BundleApplication, BundleMode, Channel, Dossier, DossierStep, PostalZone, ReturnMethod,
    Status, StepStatus,
)
from motcua.orgs import services as orgs
from motcua.orgs.models import Agency, Role

FINISHED_STATUSES = [Status.RESULT_READY, Status.REFUSED]


@dataclass
class BundlePart:
    procedure_version: ProcedureVersion
    competent_agency: Agency
    documents: list[services.ReceivedDocument] = field(default_factory=list)
    fee_amount: int = 0


@dataclass
class BundleReception:
    bundle: ProcedureBundle
    receiving_agency: Agency
    applicant: services.Applicant
    parts: list[BundlePart]
    mode: str = BundleMode.PARALLEL
    lead_agency: Agency | None = None
    channel: str = Channel.COUNTER
    return_method: str = ReturnMethod.COUNTER
    postal_address: str = ""
    note: str = ""
    incoming_tracking: str = ""
    postal_zone: str = PostalZone.IN_PROVINCE


def bundle_versions(bundle: ProcedureBundle) -> list[ProcedureVersion]:
    """The bundle's procedures in force, in the bundle's order (the order they were added to it)."""
    through = ProcedureBundle.procedures.through
    order = list(through.objects.filter(procedurebundle=bundle).order_by("id")
                 .values_list("procedure_id", flat=True))
    versions = (ProcedureVersion.objects
                .filter(procedure_id__in=order, status=ProcedureVersion.Status.PUBLISHED,
                        procedure__current_version=F("id"))
                .select_related("procedure", "field").prefetch_related("documents", "agencies"))
    rank = {procedure_id: i for i, procedure_id in enumerate(order)}
    return sorted(versions, key=lambda v: rank[v.procedure_id])


def is_electronic(reception: BundleReception) -> bool:
    """Submitted online, or every document of every part received with its scan."""
    if reception.channel == Channel.ONLINE:
        return True
    documents = [doc for part in reception.parts for doc in part.documents]
    return bool(documents) and all(doc.upload is not None for doc in documents)


def _part_reception(reception: BundleReception, part: BundlePart) -> services.Reception:
    """The reception of one part: the application's applicant, channel and postal choices."""
    return services.Reception(
        procedure_version=part.procedure_version, receiving_agency=reception.receiving_agency,
        competent_agency=part.competent_agency, applicant=reception.applicant, documents=part.documents,
        channel=reception.channel, fee_amount=part.fee_amount, return_method=reception.return_method,
        postal_address=reception.postal_address, note=reception.note,
        incoming_tracking=reception.incoming_tracking, postal_zone=reception.postal_zone)


def check_bundle_reception(user, reception: BundleReception) -> list[services.Reception]:
    """Every rule of a bundle reception; returns the parts' receptions (validated) or raises."""
    if not orgs.can_act(user, reception.receiving_agency, Role.RECEIVER):
        raise services.NotAllowed(_("Bạn không có quyền tiếp nhận hồ sơ tại %(agency)s.")
                                  % {"agency": reception.receiving_agency.name})
    bundle = reception.bundle
    if not bundle.is_active:
        raise services.DossierError(_("Nhóm thủ tục “%(name)s” không còn được áp dụng.") % {"name": bundle.name})
    if len(reception.parts) < 2:
        raise services.DossierError(_("Hồ sơ liên thông phải gồm ít nhất hai thủ tục của nhóm; với một thủ tục, "
                                      "hãy tiếp nhận như hồ sơ thông thường."), field_errors={"parts": _("Chọn "
                                      "ít nhất hai thủ tục.")})
    members = set(bundle.procedures.values_list("pk", flat=True))
    seen = set()
    for part in reception.parts:
        procedure_id = part.procedure_version.procedure_id
        if procedure_id not in members:
            raise services.DossierError(_("Thủ tục “%(name)s” không thuộc nhóm “%(bundle)s”.")
                                        % {"name": part.procedure_version.name, "bundle": bundle.name})
        if procedure_id in seen:
            raise services.DossierError(_("Mỗi thủ tục chỉ được chọn một lần trong hồ sơ liên thông."))
        seen.add(procedure_id)
    if reception.mode not in BundleMode.values:
        raise services.DossierError(_("Cách luân chuyển hồ sơ liên thông không hợp lệ."))
    if reception.mode == BundleMode.PARALLEL and not is_electronic(reception):
        raise services.DossierError(
            _("Hồ sơ giấy liên thông phải được chuyển tuần tự qua từng cơ quan (Điều 20 Nghị định "
              "118/2025/NĐ-CP). Để giải quyết song song, hãy đính kèm bản quét của tất cả giấy tờ."),
            field_errors={"mode": _("Hồ sơ chưa được số hóa đầy đủ.")})
    competent_ids = {part.competent_agency.pk for part in reception.parts}
    if reception.lead_agency is not None and reception.lead_agency.pk not in competent_ids:
        raise services.DossierError(_("Cơ quan chủ trì phải là một trong các cơ quan giải quyết của hồ sơ."),
                                    field_errors={"lead_agency": _("Không thuộc các cơ quan giải quyết.")})
    receptions = []
    for part in reception.parts:
        part_reception = _part_reception(reception, part)
        try:
            services.check_reception_content(part_reception, complete_required=True)
        except services.DossierError as error:
            raise services.DossierError(
                _("Thủ tục “%(name)s”: %(problem)s") % {"name": part.procedure_version.name, "problem": error.message},
                field_errors={f"part_{part.procedure_version.pk}": error.message}) from None
        receptions.append(part_reception)
    return receptions


@transaction.atomic
def receive_bundle(user, reception: BundleReception) -> BundleApplication:
    """Receive a complete bundle application: one code and appointment, one dossier per procedure."""
    receptions = check_bundle_reception(user, reception)
    now = timezone.now()
    lead = reception.lead_agency or reception.parts[0].competent_agency
    application = BundleApplication.objects.create(
        bundle=reception.bundle, mode=reception.mode, receiving_agency=reception.receiving_agency,
        lead_agency=lead, received_by=user, received_at=now, appointment_at=now)
    parts, previous = [], None
    for order, part_reception in enumerate(receptions, start=1):
        # One postal consignment for the whole application: its postage is carried by the first part.
        postage = services._reception_postage(part_reception) if order == 1 else {}
        dossier = services._new_dossier(
            user, part_reception, status=Status.RECEIVED, fee_amount=part_reception.fee_amount,
            return_method=part_reception.return_method, postal_address=part_reception.postal_address.strip(),
            reception_note=part_reception.note, received_at=now, application=application, part_order=order,
            **postage)
        waits = reception.mode == BundleMode.SEQUENTIAL and previous is not None
        if waits:
            # Provisional plan: this agency gets the paper when the previous part is legally due.
            dossier.waiting_for = previous
            services._start_legal_clock(dossier, previous.legal_due_at)
            dossier.handover_due_at = None
        else:
            services._start_legal_clock(dossier, now)
        dossier.save()
        services._store_documents(dossier, part_reception.documents)
        services._create_steps(dossier)
        if waits:
            dossier.steps.update(status=StepStatus.PENDING, started_at=None)
        services._event(dossier, user, "receive", agency=reception.receiving_agency, reason=reception.note,
                        legal_due_at=dossier.legal_due_at, channel=dossier.channel, bundle=reception.bundle.code,
                        part=order, parts=len(receptions), mode=reception.mode, lead_agency=lead.name,
                        waiting_for_part=order - 1 if waits else None)
        parts.append(dossier)
        previous = dossier
    application.appointment_at = max(p.appointment_at for p in parts)
    _assign_codes(application, parts, now)
    notify.applicant(parts[0], "bundle_received")
    application.refresh_from_db()  # each part's reception event moved its row_version
    return application


def _assign_codes(application: BundleApplication, parts: list[Dossier], now) -> None:
    """Take every daily sequence last, in one fixed order (by prefix) so two receptions never deadlock."""
    day = timezone.localdate(now)
    wanted = [(application.receiving_agency.code, application)] + [(p.competent_agency.code, p) for p in parts]
    for prefix, record in sorted(wanted, key=lambda item: item[0]):
        record.code = services.next_dossier_code(prefix, day)
    BundleApplication.objects.filter(pk=application.pk).update(code=application.code,
                                                               appointment_at=application.appointment_at)
    for part in parts:
        part.search_text = services._search_text(part)
        Dossier.objects.filter(pk=part.pk).update(code=part.code, search_text=part.search_text)


# ---------------------------------------------------------------- keeping the application in step


def after_part_saved(part: Dossier) -> None:
    """Called by ``services._event`` for every recorded change of a part, inside the action's transaction.

    The caller already holds the application's row lock (``services._lock`` takes it before the
    part's), so parts of one application change one at a time.
    """
    application = BundleApplication.objects.get(pk=part.application_id)
    if application.mode == BundleMode.SEQUENTIAL and part.status not in OPEN_STATUSES:
        following = (Dossier.objects.select_for_update().select_related("procedure_version", "competent_agency",
                                                                        "receiving_agency")
                     .filter(waiting_for=part, status=Status.RECEIVED).first())
        if following is not None:
            _start_part(following, part)
    latest = max(Dossier.objects.filter(application=application).values_list("appointment_at", flat=True))
    fields = {"row_version": F("row_version") + 1}
    if latest > application.appointment_at:
        fields["appointment_at"] = latest
    BundleApplication.objects.filter(pk=application.pk).update(**fields)


def _start_part(part: Dossier, previous: Dossier) -> None:
    """The previous agency passed the paper on: this part's processing time starts now (Đ20)."""
    now = timezone.now()
    services._start_legal_clock(part, now)
    part.handover_due_at, part.handed_over_at = None, now
    steps = list(part.steps.order_by("order"))
    # The one-stop unit's reception steps were done when the whole application was received.
    leading = []
    for step in steps:
        if step.role != Role.RECEIVER or step.agency_id != part.receiving_agency_id:
            break
        leading.append(step)
    remaining = steps[len(leading):]
    for step in leading:
        step.status, step.completed_at, step.due_at = StepStatus.DONE, now, now
        step.note = _("Đã tiếp nhận cùng hồ sơ liên thông.")
        step.timeliness = services.classify(now, now)
    services._plan_steps(part, part.clock_started_at, remaining)
    if remaining:
        remaining[0].status, remaining[0].started_at = StepStatus.ACTIVE, now
    DossierStep.objects.bulk_update(leading + remaining,
                                    ["status", "completed_at", "due_at", "note", "timeliness", "started_at"])
    before = part.status
    part.start_processing()
    services._save(part)
    services._event(part, None, "bundle_transfer", from_status=before, agency=previous.competent_agency,
                    reason=_("%(agency)s chuyển hồ sơ giấy liên thông sau khi giải quyết xong hồ sơ %(code)s.")
                    % {"agency": previous.competent_agency.name, "code": previous.code},
                    legal_due_at=part.legal_due_at, previous_part=previous.code)


# ---------------------------------------------------------------- actions on the whole application


def _lock_application(application_id: int, expected_version: int | None) -> BundleApplication:
    application = (BundleApplication.objects.select_for_update().select_related("receiving_agency", "bundle")
                   .get(pk=application_id))
    if expected_version is not None and application.row_version != expected_version:
        raise services.StaleDossier(_("Hồ sơ liên thông %(code)s vừa được người khác cập nhật. Vui lòng tải lại "
                                      "trang trước khi thao tác.") % {"code": application.code})
    return application


def parts_of(application: BundleApplication):
    return (application.parts.select_related("procedure_version", "competent_agency", "waiting_for")
            .order_by("part_order"))


@transaction.atomic
def hand_over_application(user, application_id: int, expected_version: int | None, note: str = "") -> list[Dossier]:
    """The one-stop unit passes every part whose turn has come to its competent agency."""
    application = _lock_application(application_id, expected_version)
    ready = [p for p in parts_of(application) if p.status == Status.RECEIVED and not p.is_waiting_for_previous_part]
    if not ready:
        raise services.DossierError(_("Không có hồ sơ thành phần nào chờ chuyển đến cơ quan giải quyết."))
    return [services.hand_over(user, part.pk, None, note) for part in ready]


@transaction.atomic
def stop_application(user, application_id: int, expected_version: int | None, reason: str) -> list[Dossier]:
    """The applicant withdraws the whole application (Đ21): every part still open is stopped."""
    application = _lock_application(application_id, expected_version)
    open_parts = [p for p in parts_of(application) if p.status in OPEN_STATUSES]
    if not open_parts:
        raise services.DossierError(_("Không còn hồ sơ thành phần nào đang giải quyết để dừng."))
    # Last first, so a stopped part never passes the paper on to a part about to be stopped.
    return [services.stop(user, part.pk, None, reason) for part in reversed(open_parts)]


@transaction.atomic
def return_application(user, application_id: int, expected_version: int | None, *,
                       method: str = ReturnMethod.COUNTER, tracking: str = "", note: str = "",
                       dispatched_on=None, postal_address: str = "") -> BundleApplication:
    """Hand every result back together, once no part is still being processed (one appointment)."""
    application = _lock_application(application_id, expected_version)
    parts = list(parts_of(application))
    still_open = [p for p in parts if p.status in OPEN_STATUSES]
    if still_open:
        raise services.DossierError(
            _("Chưa thể trả kết quả hồ sơ liên thông: còn %(n)s thủ tục đang giải quyết (%(names)s).")
            % {"n": len(still_open), "names": ", ".join(p.procedure_version.name for p in still_open)})
    finished = [p for p in parts if p.status in FINISHED_STATUSES]
    if not finished:
        raise services.DossierError(_("Không có kết quả nào chờ trả cho hồ sơ liên thông này."))
    for part in finished:
        services.return_result(user, part.pk, None, method=method, tracking=tracking, note=note,
                               dispatched_on=dispatched_on, postal_address=postal_address)
    BundleApplication.objects.filter(pk=application.pk).update(returned_at=timezone.now())
    application.refresh_from_db()
    return application


# ---------------------------------------------------------------- reading


@dataclass
class ApplicationSummary:
    label: str
    css: str
    finished: int
    total: int


def summary(parts: list[Dossier]) -> ApplicationSummary:
    """One status for the citizen: processing until every part is out of processing."""
    total = len(parts)
    finished = sum(1 for p in parts if p.status not in OPEN_STATUSES)
    if all(p.status == Status.RETURNED for p in parts):
        return ApplicationSummary(_("Đã trả kết quả"), "success", finished, total)
    if finished < total:
        return ApplicationSummary(_("Đang giải quyết (%(done)s/%(total)s thủ tục đã có kết quả)")
                                  % {"done": finished, "total": total}, "primary", finished, total)
    if any(p.status in FINISHED_STATUSES for p in parts):
        return ApplicationSummary(_("Có kết quả, chờ trả"), "info", finished, total)
    return ApplicationSummary(_("Đã kết thúc"), "secondary", finished, total)


def transfer_plan(application: BundleApplication, parts: list[Dossier]) -> list[dict]:
    """Each agency's task and deadline, in the order the paper travels (the transfer slip)."""
    rows = []
    for part in parts:
        rows.append({
            "order": part.part_order, "pk": part.pk, "agency": part.competent_agency, "code": part.code,
            "task": part.procedure_version.name, "result": part.procedure_version.result_name,
            "starts": part.clock_started_at, "due": part.legal_due_at, "status": part.get_status_display(),
            "waiting": part.is_waiting_for_previous_part,
            "next_agency": None,
        })
    if application.mode == BundleMode.SEQUENTIAL:
        for row, following in zip(rows, rows[1:]):
            row["next_agency"] = following["agency"]
    return rows


def can_read_application(user, application: BundleApplication) -> bool:
    if orgs.is_inspector(user) or orgs.can_read(user, application.receiving_agency):
        return True
    agencies = {application.lead_agency_id} | set(application.parts.values_list("competent_agency_id", flat=True))
    return bool(agencies & orgs.agency_ids_for(user))
