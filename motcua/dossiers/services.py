"""Every action on a dossier, each one transaction, each one audited.

Views and the API call these functions and nothing else. Each action
- checks the official may act (orgs.services) and the rule of Decree 118/2025 it implements,
- locks the dossier and refuses a stale ``expected_version`` (two officials at once),
- changes state only through a django-fsm transition,
- writes one ``DossierEvent`` (who, when, from, to, why) and queues notifications.
A refused action raises ``DossierError`` with a Vietnamese message and changes nothing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import services as catalog
from motcua.catalog.models import ProcedureVersion, ProcessStep
from motcua.dossiers import notify
from motcua.dossiers.models import (
    ApologyLetter, ApplicantKind, BundleApplication, Channel, Consultation, DailySequence, Dossier, DossierDocument,
    DossierEvent, DossierStep, PostalZone, ReturnMethod, StaffAlert, Status, StepStatus, Timeliness,
)
from motcua.dossiers.uploads import validate_upload
from motcua.orgs import services as orgs
from motcua.orgs.models import Agency, Role
from motcua.workcal import arithmetic as wc
from motcua.workcal import services as calendar


class DossierError(Exception):
    """An action refused for a reason the user can act on; ``message`` is Vietnamese."""

    def __init__(self, message, field_errors=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class StaleDossier(DossierError):
    pass


class NotAllowed(DossierError):
    pass


# ---------------------------------------------------------------- reception


@dataclass
class Applicant:
    name: str
    id_number: str
    kind: str = ApplicantKind.INDIVIDUAL
    organisation_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class ReceivedDocument:
    name: str
    required_id: int | None = None
    originals: int = 0
    copies: int = 0
    upload: object = None  # an UploadedFile, optional


@dataclass
class Reception:
    procedure_version: ProcedureVersion
    receiving_agency: Agency
    competent_agency: Agency
    applicant: Applicant
    documents: list[ReceivedDocument] = field(default_factory=list)
    channel: str = Channel.COUNTER
    fee_amount: int = 0
    return_method: str = ReturnMethod.COUNTER
    postal_address: str = ""
    note: str = ""
    # Postal channel: the waybill of a dossier that arrived by post, and the zone pricing the postage.
    incoming_tracking: str = ""
    postal_zone: str = PostalZone.IN_PROVINCE


def validate_applicant(applicant: Applicant) -> dict[str, str]:
    """Field → Vietnamese message for each problem with the applicant's details."""
    errors = {}
    if not applicant.name.strip():
        errors["applicant_name"] = _("Vui lòng nhập họ tên người nộp hồ sơ.")
    digits = applicant.id_number.strip()
    if applicant.kind == ApplicantKind.INDIVIDUAL:
        if not (len(digits) == 12 and digits.isdigit()):
            errors["applicant_id_number"] = _("Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số.")
    else:
        if not applicant.organisation_name.strip():
            errors["organisation_name"] = _("Vui lòng nhập tên tổ chức.")
        if not (digits.replace("-", "").isdigit() and len(digits.replace("-", "")) in (10, 13)):
            errors["applicant_id_number"] = _("Mã số thuế/mã số doanh nghiệp phải gồm 10 hoặc 13 chữ số.")
    phone = applicant.phone.strip().replace(" ", "")
    if phone and not (phone.isdigit() and len(phone) == 10 and phone.startswith("0")):
        errors["applicant_phone"] = _("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0.")
    if applicant.email and "@" not in applicant.email:
        errors["applicant_email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    return errors


def missing_documents(version: ProcedureVersion, documents: list[ReceivedDocument]) -> list[str]:
    """Mandatory documents of the version that were not ticked as received (with enough copies)."""
    got = {d.required_id: d for d in documents if d.required_id}
    missing = []
    for required in catalog.reception_rules(version).mandatory_documents:
        doc = got.get(required.id)
        if doc is None or (doc.originals + doc.copies) == 0:
            missing.append(required.name)
        elif doc.originals < required.originals and doc.copies < required.originals + required.copies:
            missing.append(required.name)
    return missing


def _check_reception(user, reception: Reception, *, complete_required: bool):
    if not orgs.can_act(user, reception.receiving_agency, Role.RECEIVER):
        raise NotAllowed(_("Bạn không có quyền tiếp nhận hồ sơ tại %(agency)s.")
                         % {"agency": reception.receiving_agency.name})
    check_reception_content(reception, complete_required=complete_required)


def check_reception_content(reception: Reception, *, complete_required: bool) -> None:
    """The reception rules that do not depend on who receives: the counter and the portal share them."""
    version = reception.procedure_version
    if version.status != version.Status.PUBLISHED or version.procedure.current_version_id != version.id:
        raise DossierError(_("Thủ tục này không còn được áp dụng; vui lòng chọn phiên bản thủ tục đang có hiệu lực."))
    allowed = catalog.reception_rules(version).agency_ids
    if allowed and reception.competent_agency.pk not in allowed:
        raise DossierError(_("%(agency)s không có thẩm quyền giải quyết thủ tục này.")
                           % {"agency": reception.competent_agency.name})
    errors = validate_applicant(reception.applicant)
    if errors:
        raise DossierError(_("Thông tin người nộp hồ sơ chưa hợp lệ."), field_errors=errors)
    if reception.return_method == ReturnMethod.POST and not reception.postal_address.strip():
        raise DossierError(_("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."),
                           field_errors={"postal_address": _("Bắt buộc khi trả kết quả qua bưu chính.")})
    _check_postal_reception(reception)
    for doc in reception.documents:
        if doc.upload is not None:
            problem = validate_upload(doc.upload)
            if problem:
                raise DossierError(_("Tệp đính kèm “%(name)s”: %(problem)s") % {"name": doc.name, "problem": problem},
                                   field_errors={"documents": problem})
    if complete_required:
        missing = missing_documents(version, reception.documents)
        if missing:
            raise DossierError(
                _("Hồ sơ chưa đầy đủ, chưa thể tiếp nhận. Còn thiếu: %(items)s. Hãy in phiếu hướng dẫn bổ sung.")
                % {"items": "; ".join(missing)}, field_errors={"documents": "; ".join(missing)})


def _check_postal_reception(reception: Reception) -> None:
    """A dossier that came by post needs its waybill; postal choices must be allowed by the procedure."""
    from motcua.dossiers import postal
    version = reception.procedure_version
    by_post = reception.channel == Channel.POST
    if by_post:
        try:
            reception.incoming_tracking = postal.normalise_tracking(reception.incoming_tracking)
        except DossierError as error:
            raise DossierError(_("Hồ sơ nhận qua bưu chính: %(problem)s") % {"problem": error.message},
                               field_errors={"incoming_tracking": error.message}) from None
    else:
        reception.incoming_tracking = ""
    postal.validate_choice(version, send_documents=by_post,
                           return_by_post=reception.return_method == ReturnMethod.POST,
                           address=reception.postal_address, zone=reception.postal_zone)


def _reception_postage(reception: Reception) -> dict:
    from motcua.dossiers import postal
    by_post, return_by_post = reception.channel == Channel.POST, reception.return_method == ReturnMethod.POST
    if not (by_post or return_by_post):
        return {}
    return {"documents_by_post": by_post, "incoming_tracking": reception.incoming_tracking,
            "postal_zone": reception.postal_zone,
            "postal_fee": postal.postage(send_documents=by_post, return_by_post=return_by_post,
                                         zone=reception.postal_zone)}


def code_prefix(dossier_competent_agency: Agency, receiving_agency: Agency, is_bundle: bool) -> str:
    """Đ28: the competent agency's identifier, or the receiving unit's for a bundle."""
    return (receiving_agency if is_bundle else dossier_competent_agency).code


def next_dossier_code(prefix: str, day) -> str:
    """``<prefix>-<yymmdd>-<seq>``: must run inside the reception transaction so a rollback frees it.

    One upsert takes the next number and a row lock held until commit, so receptions at several
    counters queue on it: no duplicate and, because a failed reception rolls the increment back,
    no gap. Reception calls it last, so the lock is held only for the commit that follows.
    """
    table = DailySequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (prefix, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [prefix, day])
        (last,) = cursor.fetchone()
    return f"{prefix}-{day:%y%m%d}-{last:04d}"


def _step_agency_id(template: catalog.StepTemplate, dossier: Dossier) -> int:
    if template.performer == ProcessStep.Performer.RECEIVING:
        return dossier.receiving_agency_id
    if template.performer == ProcessStep.Performer.FIXED and template.agency_id:
        return template.agency_id
    return dossier.competent_agency_id


def _plan_steps(dossier: Dossier, start: datetime, steps) -> None:
    """Give each step (in order) a due moment: the clock start plus the budgets up to it."""
    version = dossier.procedure_version
    cal = calendar.get_calendar(dossier.competent_agency)
    running = Decimal("0")
    for step in steps:
        running += step.budget
        step.due_at = calendar.due_moment(start, running, version.time_unit, calendar=cal)


def _event(dossier, user, action, *, from_status="", step=None, reason="", agency=None, **data):
    event = DossierEvent(
        dossier=dossier, at=timezone.now(), actor=user if user and user.is_authenticated else None,
        action=action, from_status=from_status, to_status=dossier.status, step=step,
        agency=agency, reason=reason, data=_jsonable(data))
    _insert_rows([event])  # append-only: inserted, never saved again
    if dossier.application_id is not None:
        # A bundle part's change is recorded: keep its application in step (after the event, so a
        # finished part's own event comes before the paper passing on to the next part).
        from motcua.dossiers import bundles
        bundles.after_part_saved(dossier)
    return event


def _jsonable(data):
    out = {}
    for key, value in data.items():
        out[key] = value.isoformat() if isinstance(value, (datetime, date)) else (
            str(value) if isinstance(value, Decimal) else value)
    return out


@transaction.atomic
def receive(user, reception: Reception) -> Dossier:
    """Receive a complete, valid dossier at the counter or by post and start the legal clock (Đ17.3)."""
    with calendar.revision_checked_once():  # every deadline of this reception from one calendar
        return _receive(user, reception)


def _receive(user, reception: Reception) -> Dossier:
    _check_reception(user, reception, complete_required=True)
    now = timezone.now()
    dossier = _new_dossier(user, reception, status=Status.RECEIVED, fee_amount=reception.fee_amount,
                           return_method=reception.return_method,
                           postal_address=reception.postal_address.strip(),
                           reception_note=reception.note, received_at=now, **_reception_postage(reception))
    _start_legal_clock(dossier, now)
    insert_last = _reserve_dossier_id(dossier)
    if not insert_last:
        dossier.save()
    _store_documents(dossier, reception.documents)
    _create_steps(dossier)
    _event(dossier, user, "receive", from_status="", agency=reception.receiving_agency,
           reason=reception.note, legal_due_at=dossier.legal_due_at, channel=dossier.channel,
           **({"tracking": dossier.incoming_tracking} if dossier.incoming_tracking else {}))
    # The daily sequence is taken last: its row lock then lasts only until the commit.
    dossier.code = next_dossier_code(
        code_prefix(reception.competent_agency, reception.receiving_agency, False),
        timezone.localdate(now))
    dossier.search_text = _search_text(dossier)
    if insert_last:
        _insert_rows([dossier])
    else:
        Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code, search_text=dossier.search_text)
    notify.applicant(dossier, "received")
    return dossier


def _reserve_dossier_id(dossier: Dossier) -> bool:
    """On PostgreSQL, give the unsaved dossier its id now so its row can be written once, code included.

    Documents, steps and the event may then be inserted before the dossier itself: Django declares
    foreign keys DEFERRABLE INITIALLY DEFERRED there, so they are checked at commit. Writing the
    row once instead of inserting it and then setting its code spares an UPDATE that touches every
    index of the table (the code is indexed, so the update cannot be HOT). SQLite has no sequence to
    draw from: there the dossier is inserted first and given its code at the end. Returns True
    when the id was reserved (the caller then inserts the dossier last).
    """
    if connection.vendor != "postgresql":
        return False
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        (dossier.pk,) = cursor.fetchone()
    return True


def _new_dossier(user, reception: Reception, **fields) -> Dossier:
    """An unsaved dossier carrying the reception's procedure, agencies and applicant."""
    applicant = reception.applicant
    return Dossier(
        channel=reception.channel, procedure_version=reception.procedure_version,
        receiving_agency=reception.receiving_agency, competent_agency=reception.competent_agency,
        received_by=user, applicant_kind=applicant.kind, applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number.strip(), organisation_name=applicant.organisation_name.strip(),
        applicant_phone=applicant.phone.strip().replace(" ", ""), applicant_email=applicant.email.strip(),
        applicant_address=applicant.address.strip(), **fields)


def _search_text(dossier):
    from motcua.text import fold
    return fold(f"{dossier.code or ''} {dossier.applicant_name} {dossier.organisation_name} "
                f"{dossier.applicant_id_number}")[:400]


def _start_legal_clock(dossier: Dossier, moment: datetime) -> None:
    """Clock start, legal due moment and appointment from the version's statutory time."""
    cal = calendar.get_calendar(dossier.competent_agency)
    version = dossier.procedure_version
    start = calendar.reception_start(moment, calendar=cal)
    dossier.clock_started_at = start
    if version.on_the_spot:
        dossier.legal_due_at = wc.end_of_working_day(cal, start.date()) if wc.is_working_moment(cal, start) \
            else calendar.due_moment(start, version.time_value, version.time_unit, calendar=cal)
    else:
        dossier.legal_due_at = calendar.due_moment(start, version.time_value, version.time_unit, calendar=cal)
    dossier.appointment_at = dossier.legal_due_at
    if dossier.channel in (Channel.COUNTER, Channel.POST):
        dossier.handover_due_at = calendar.handover_due(moment, dossier.receiving_agency)


def _store_documents(dossier, documents, *, supplement=False):
    records = []
    for doc in documents:
        record = DossierDocument(dossier=dossier, required_id=doc.required_id, name=doc.name,
                                 originals=doc.originals, copies=doc.copies, is_supplement=supplement)
        if doc.upload is not None:
            record.file = doc.upload  # written to storage by the insert, as save() would
            record.content_type = getattr(doc.upload, "content_type", "") or ""
            record.size = doc.upload.size
        records.append(record)
    _insert_rows(records)


def _create_steps(dossier: Dossier) -> None:
    version = dossier.procedure_version
    steps = [
        DossierStep(dossier=dossier, order=t.order, name=t.name, agency_id=_step_agency_id(t, dossier),
                    unit_name=t.unit_name, role=t.role, budget=t.budget, time_unit=version.time_unit,
                    is_inter_agency=t.is_inter_agency)
        for t in catalog.reception_rules(version).steps
    ]
    _plan_steps(dossier, dossier.clock_started_at, steps)
    if steps:
        steps[0].status = StepStatus.ACTIVE
        steps[0].started_at = dossier.received_at
    _insert_rows(steps)


def _insert_rows(objects) -> None:
    """Insert new objects of one model with one plain INSERT, as bulk_create() would, for less CPU.

    Every reception writes its dossier, documents, steps, event and notifications; through the ORM,
    building those few rows in Python cost about twice what the statements do (issue 8 profile:
    query compilation, and on PostgreSQL the UNNEST arrays of bulk_create quoted value by value on
    the client). The values still go through each field's pre_save() and get_db_prep_save(), as in
    save(): defaults, auto_now_add and uploaded files (stored by FileField.pre_save) behave the
    same. No signals are sent (bulk_create sends none either; no receiver listens to these models).
    Objects without a primary key get the one the database gave; objects that already have one
    (a reserved dossier id) are inserted with it.
    """
    if not objects:
        return
    meta = type(objects[0])._meta
    with_pk = objects[0].pk is not None
    fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES {', '.join([row] * len(objects))} RETURNING {quote(meta.pk.column)}")
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objects for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [pk for (pk,) in cursor.fetchall()]
    for obj, pk in zip(objects, ids):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


@transaction.atomic
def refuse_at_reception(user, reception: Reception, reason: str, *, incomplete: bool = False) -> Dossier:
    """Record a dossier not received at the counter (refused, or incomplete with a supplement slip).

    Nothing is received and no code is used; the record keeps the reason so the slip can be
    printed and the reception log stays complete (Đ17.4).
    """
    if not reason.strip():
        raise DossierError(_("Vui lòng ghi rõ lý do không tiếp nhận."), field_errors={"reason": _("Bắt buộc.")})
    _check_reception(user, reception, complete_required=False)
    missing = missing_documents(reception.procedure_version, reception.documents) if incomplete else []
    dossier = _new_dossier(user, reception, status=Status.REJECTED_AT_RECEPTION, outcome_reason=reason.strip(),
                           supplement_items="\n".join(missing))
    dossier.save()
    _event(dossier, user, "reception_incomplete" if incomplete else "reception_refused",
           agency=reception.receiving_agency, reason=reason.strip(), missing=missing)
    return dossier


# ---------------------------------------------------------------- locking and permission helpers


def _lock(dossier_id: int, expected_version: int | None) -> Dossier:
    # A bundle part's application is locked first, always in that order: its parts then change one
    # at a time (a finished part may start the next one) and two parts' actions never deadlock.
    application_id = Dossier.objects.filter(pk=dossier_id).values_list("application_id", flat=True).first()
    if application_id is not None:
        list(BundleApplication.objects.select_for_update().filter(pk=application_id).values_list("pk"))
    dossier = (Dossier.objects.select_for_update()
               .select_related("procedure_version", "competent_agency", "receiving_agency")
               .get(pk=dossier_id))
    if expected_version is not None and dossier.row_version != expected_version:
        raise StaleDossier(_("Hồ sơ %(code)s vừa được người khác cập nhật. Vui lòng tải lại trang để xem "
                             "trạng thái mới nhất trước khi thao tác.") % {"code": dossier.code})
    return dossier


def _save(dossier: Dossier) -> None:
    dossier.row_version += 1
    dossier.save()


def active_steps(dossier: Dossier):
    return dossier.steps.filter(status=StepStatus.ACTIVE).select_related("agency").order_by("order")


def _active_step(dossier: Dossier) -> DossierStep:
    step = active_steps(dossier).first()
    if step is None:
        raise DossierError(_("Hồ sơ không có bước nào đang xử lý."))
    return step


def _require_role(user, agency: Agency, roles, action: str):
    if not any(orgs.can_act(user, agency, role) for role in roles):
        raise NotAllowed(_("Bạn không có quyền %(action)s hồ sơ này tại %(agency)s.")
                         % {"action": action, "agency": agency.name})


def _require_status(dossier: Dossier, allowed, message: str):
    if dossier.status not in allowed:
        raise DossierError(message % {"status": dossier.get_status_display()})


def classify(completed_at: datetime, due_at: datetime) -> str:
    """Early when finished on a day before the due day, late when after the due moment."""
    if completed_at > due_at:
        return Timeliness.LATE
    if timezone.localdate(completed_at) < timezone.localdate(due_at):
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def _complete(step: DossierStep, user, note: str, now: datetime) -> None:
    step.status = StepStatus.DONE
    step.completed_at = now
    step.completed_by = user if user and user.is_authenticated else None
    step.note = note
    step.timeliness = classify(now, step.due_at) if step.due_at else ""
    step.save()


def _activate_next(dossier: Dossier, after: DossierStep, now: datetime) -> DossierStep | None:
    nxt = dossier.steps.filter(order__gt=after.order, status=StepStatus.PENDING).order_by("order").first()
    if nxt is not None:
        nxt.status = StepStatus.ACTIVE
        nxt.started_at = now
        nxt.save()
    return nxt


# ---------------------------------------------------------------- processing


@transaction.atomic
def hand_over(user, dossier_id: int, expected_version: int | None, note: str = "") -> Dossier:
    """The one-stop unit passes the dossier to the competent agency (Đ18.2)."""
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.RECEIVED], _("Không thể chuyển hồ sơ đang ở trạng thái “%(status)s”."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("chuyển"))
    if dossier.is_waiting_for_previous_part:
        previous = dossier.waiting_for
        raise DossierError(_("Hồ sơ giấy liên thông được chuyển lần lượt: %(agency)s sẽ chuyển hồ sơ sau khi giải "
                             "quyết xong hồ sơ %(code)s.") % {"agency": previous.competent_agency.name,
                                                              "code": previous.code})
    now = timezone.now()
    step = _active_step(dossier)
    if step.role == Role.RECEIVER and step.agency_id == dossier.receiving_agency_id:
        _complete(step, user, note, now)
        _activate_next(dossier, step, now)
    before = dossier.status
    dossier.start_processing()
    dossier.handed_over_at = now
    _save(dossier)
    late = bool(dossier.handover_due_at and now > dossier.handover_due_at)
    _event(dossier, user, "hand_over", from_status=before, step=step, reason=note,
           agency=dossier.receiving_agency, handover_late=late)
    return dossier


def _processing_step(user, dossier: Dossier, roles, action: str) -> DossierStep:
    """The active step the user may act on in one of ``roles``."""
    for step in active_steps(dossier):
        if step.role in roles and orgs.can_act(user, step.agency, step.role):
            return step
    step = active_steps(dossier).first()
    agency = step.agency if step else dossier.competent_agency
    raise NotAllowed(_("Bạn không có quyền %(action)s hồ sơ này tại %(agency)s.")
                     % {"action": action, "agency": agency.name})


@transaction.atomic
def forward(user, dossier_id: int, expected_version: int | None, note: str = "") -> Dossier:
    """Complete the current handling step and pass the dossier to the next one."""
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.IN_PROGRESS], _("Không thể chuyển bước khi hồ sơ đang “%(status)s”."))
    step = _processing_step(user, dossier, [Role.HANDLER, Role.RECEIVER], _("xử lý"))
    now = timezone.now()
    _complete(step, user, note, now)
    nxt = _activate_next(dossier, step, now)
    _save(dossier)
    _event(dossier, user, "forward", from_status=dossier.status, step=step, agency=step.agency, reason=note,
           next_step=nxt.name if nxt else "")
    return dossier


@transaction.atomic
def send_back(user, dossier_id: int, expected_version: int | None, to_order: int, reason: str) -> Dossier:
    """Return the dossier to an earlier step for rework; deadlines are not extended."""
    if not reason.strip():
        raise DossierError(_("Vui lòng ghi rõ lý do trả lại để xử lý lại."))
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.IN_PROGRESS], _("Không thể trả lại khi hồ sơ đang “%(status)s”."))
    step = _processing_step(user, dossier, [Role.HANDLER, Role.APPROVER, Role.CLERK], _("trả lại"))
    target = dossier.steps.filter(order=to_order, order__lt=step.order).exclude(role=Role.RECEIVER).first()
    if target is None:
        raise DossierError(_("Chỉ có thể trả lại về một bước xử lý trước bước hiện tại."))
    now = timezone.now()
    dossier.steps.filter(order__gt=target.order, order__lte=step.order).update(
        status=StepStatus.PENDING, started_at=None)
    target.status, target.started_at, target.completed_at, target.timeliness = StepStatus.ACTIVE, now, None, ""
    target.save()
    _save(dossier)
    _event(dossier, user, "send_back", from_status=dossier.status, step=step, agency=step.agency,
           reason=reason.strip(), to_step=target.name)
    return dossier


@transaction.atomic
def approve(user, dossier_id: int, expected_version: int | None, note: str = "") -> Dossier:
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.IN_PROGRESS], _("Không thể phê duyệt hồ sơ đang “%(status)s”."))
    step = _processing_step(user, dossier, [Role.APPROVER], _("phê duyệt"))
    now = timezone.now()
    _complete(step, user, note, now)
    _activate_next(dossier, step, now)
    before = dossier.status
    dossier.approve()
    _save(dossier)
    _event(dossier, user, "approve", from_status=before, step=step, agency=step.agency, reason=note)
    return dossier


def result_document_code(dossier: Dossier) -> str:
    """Đ22.4: the electronic copy's code from the applicant's ID and the result type."""
    kind = dossier.procedure_version.result_type_code or "KQ"
    return f"{dossier.applicant_id_number}.{kind}.{dossier.code.rsplit('-', 2)[-2]}{dossier.code[-4:]}"


@transaction.atomic
def issue_result(user, dossier_id: int, expected_version: int | None, *, number: str, signed_on, signer: str,
                 upload=None) -> Dossier:
    """The clerk numbers and issues the result; the dossier's result goes to the one-stop unit."""
    errors = {}
    if not number.strip():
        errors["number"] = _("Vui lòng nhập số văn bản kết quả.")
    if not signed_on:
        errors["signed_on"] = _("Vui lòng nhập ngày ký (dd/mm/yyyy).")
    if not signer.strip():
        errors["signer"] = _("Vui lòng nhập người ký.")
    if upload is not None:
        problem = validate_upload(upload)
        if problem:
            errors["upload"] = problem
    if errors:
        raise DossierError(_("Thông tin kết quả chưa hợp lệ."), field_errors=errors)
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.APPROVED], _("Chỉ phát hành kết quả cho hồ sơ đã phê duyệt (hiện: “%(status)s”)."))
    now = timezone.now()
    step = None
    if any(s.role == Role.CLERK for s in active_steps(dossier)):
        step = _processing_step(user, dossier, [Role.CLERK], _("phát hành kết quả"))
        _complete(step, user, "", now)
        _activate_next(dossier, step, now)
    else:
        _require_role(user, dossier.competent_agency, [Role.CLERK, Role.APPROVER], _("phát hành kết quả"))
    before = dossier.status
    dossier.issue_result()
    dossier.result_number, dossier.result_date, dossier.result_signer = number.strip(), signed_on, signer.strip()
    dossier.result_document_code = result_document_code(dossier)
    if upload is not None:
        dossier.result_file = upload
    _finish(dossier, now)
    dossier.notified_ready_at = now
    _save(dossier)
    _event(dossier, user, "issue_result", from_status=before, step=step, agency=dossier.competent_agency,
           number=dossier.result_number, document_code=dossier.result_document_code,
           timeliness=dossier.timeliness)
    notify.applicant(dossier, "result_ready")
    return dossier


def _finish(dossier: Dossier, now: datetime) -> None:
    """Measure the dossier against its legal due moment and name the agency whose step overran."""
    dossier.finished_at = now
    dossier.timeliness = classify(now, dossier.legal_due_at)
    if dossier.timeliness == Timeliness.LATE:
        late_steps = [s for s in dossier.steps.filter(status=StepStatus.DONE, timeliness=Timeliness.LATE)]
        if late_steps:
            worst = max(late_steps, key=lambda s: s.completed_at - s.due_at)
            dossier.late_cause_agency_id = worst.agency_id
        else:
            dossier.late_cause_agency_id = dossier.competent_agency_id


@transaction.atomic
def refuse(user, dossier_id: int, expected_version: int | None, reason: str) -> Dossier:
    """Refuse after review (Phiếu từ chối giải quyết hồ sơ, Đ19.3), within the processing time."""
    if not reason.strip():
        raise DossierError(_("Vui lòng ghi rõ lý do từ chối giải quyết."), field_errors={"reason": _("Bắt buộc.")})
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.IN_PROGRESS, Status.APPROVED],
                    _("Không thể từ chối giải quyết hồ sơ đang “%(status)s”."))
    step = _processing_step(user, dossier, [Role.HANDLER, Role.APPROVER], _("từ chối giải quyết"))
    now = timezone.now()
    if now > dossier.appointment_at:
        raise DossierError(_("Đã quá thời hạn giải quyết: văn bản từ chối phải được ban hành trong thời hạn "
                             "giải quyết (Điều 19 Nghị định 118/2025/NĐ-CP). Hãy lập văn bản xin lỗi và hẹn lại."))
    before = dossier.status
    dossier.refuse()
    dossier.outcome_reason = reason.strip()
    _complete(step, user, reason.strip(), now)
    dossier.steps.filter(status=StepStatus.PENDING).exclude(role=Role.RECEIVER, agency=dossier.receiving_agency) \
        .update(status=StepStatus.CANCELLED)
    last = dossier.steps.filter(status=StepStatus.PENDING).order_by("-order").first()
    if last is not None:
        last.status, last.started_at = StepStatus.ACTIVE, now
        last.save()
    _finish(dossier, now)
    _save(dossier)
    _event(dossier, user, "refuse", from_status=before, step=step, agency=step.agency, reason=reason.strip())
    notify.applicant(dossier, "refused")
    return dossier


@transaction.atomic
def return_result(user, dossier_id: int, expected_version: int | None, *, method: str = ReturnMethod.COUNTER,
                  tracking: str = "", note: str = "", dispatched_on=None, postal_address: str = "") -> Dossier:
    """Hand the result (or the refusal) back at the counter, or dispatch it by post.

    By post, the official records the waybill number and the day the post office took the item
    (today unless said otherwise, never in the future nor before the result); the applicant is told
    the waybill number so they can follow the parcel.
    """
    if method not in ReturnMethod.values:
        raise DossierError(_("Hình thức trả kết quả không hợp lệ."))
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.RESULT_READY, Status.REFUSED],
                    _("Chỉ trả kết quả cho hồ sơ đã có kết quả (hiện: “%(status)s”)."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("trả kết quả"))
    now = timezone.now()
    postal = {}
    if method == ReturnMethod.POST:
        postal = _postal_dispatch(dossier, tracking, dispatched_on, postal_address, now)
    for step in active_steps(dossier):
        _complete(step, user, note, now)
    before = dossier.status
    dossier.hand_back()
    dossier.returned_at, dossier.return_method = now, method
    dossier.postal_tracking = postal.get("tracking", "")
    if postal:
        dossier.postal_dispatched_on, dossier.postal_address = postal["dispatched_on"], postal["address"]
        if not dossier.postal_zone:
            dossier.postal_zone = PostalZone.IN_PROVINCE
    _save(dossier)
    _event(dossier, user, "return", from_status=before, agency=dossier.receiving_agency, reason=note,
           method=method, **postal)
    notify.applicant(dossier, "returned_by_post" if postal else "returned")
    return dossier


def _postal_dispatch(dossier: Dossier, tracking: str, dispatched_on, address: str, now: datetime) -> dict:
    from motcua.dossiers import postal
    code = postal.normalise_tracking(tracking)
    address = (address or "").strip() or dossier.postal_address
    if not address:
        raise DossierError(_("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."),
                           field_errors={"postal_address": _("Bắt buộc khi trả kết quả qua bưu chính.")})
    today = timezone.localdate(now)
    day = dispatched_on or today
    if day > today:
        raise DossierError(_("Ngày gửi bưu chính không được sau ngày hôm nay."),
                           field_errors={"dispatched_on": _("Không được ở tương lai.")})
    ready = dossier.finished_at and timezone.localdate(dossier.finished_at)
    if ready and day < ready:
        raise DossierError(_("Ngày gửi bưu chính không được trước ngày có kết quả (%(day)s).")
                           % {"day": ready.strftime("%d/%m/%Y")},
                           field_errors={"dispatched_on": _("Trước ngày có kết quả.")})
    return {"tracking": code, "dispatched_on": day, "address": address}


# ---------------------------------------------------------------- consultation (Đ19.4)


@transaction.atomic
def consult(user, dossier_id: int, expected_version: int | None, *, to_agency: Agency, question: str,
            reply_days: int) -> Consultation:
    if not question.strip():
        raise DossierError(_("Vui lòng nhập nội dung xin ý kiến."))
    if reply_days is None or reply_days < 1:
        raise DossierError(_("Thời hạn trả lời phải từ 1 ngày làm việc trở lên."))
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.IN_PROGRESS], _("Chỉ xin ý kiến khi hồ sơ đang giải quyết (hiện: “%(status)s”)."))
    step = _processing_step(user, dossier, [Role.HANDLER, Role.APPROVER], _("xin ý kiến"))
    if to_agency.pk == step.agency_id:
        raise DossierError(_("Không thể xin ý kiến chính cơ quan đang xử lý."))
    now = timezone.now()
    consultation = Consultation.objects.create(
        dossier=dossier, from_agency=step.agency, to_agency=to_agency, question=question.strip(), asked_by=user,
        asked_at=now, reply_due_at=calendar.due_moment(now, reply_days, "working_days", agency=to_agency))
    _save(dossier)
    _event(dossier, user, "consult", from_status=dossier.status, step=step, agency=step.agency,
           reason=question.strip(), to_agency=to_agency.name, reply_due_at=consultation.reply_due_at)
    return consultation


@transaction.atomic
def reply_consultation(user, consultation_id: int, reply: str) -> Consultation:
    if not reply.strip():
        raise DossierError(_("Vui lòng nhập ý kiến trả lời."))
    consultation = Consultation.objects.select_for_update().select_related("dossier", "to_agency").get(
        pk=consultation_id)
    if consultation.replied_at:
        raise DossierError(_("Yêu cầu xin ý kiến này đã được trả lời."))
    _require_role(user, consultation.to_agency, [Role.HANDLER, Role.APPROVER], _("trả lời xin ý kiến cho"))
    now = timezone.now()
    consultation.reply, consultation.replied_at, consultation.replied_by = reply.strip(), now, user
    consultation.save()
    dossier = consultation.dossier
    _event(dossier, user, "consult_reply", from_status=dossier.status, agency=consultation.to_agency,
           reason=reply.strip(), late=now > consultation.reply_due_at)
    return consultation


# ---------------------------------------------------------------- supplement: once (Đ17.1c, Đ19.5)


@transaction.atomic
def request_supplement(user, dossier_id: int, expected_version: int | None, items: str) -> Dossier:
    """Ask once, within N working days of reception, for exactly what is missing."""
    if not items.strip():
        raise DossierError(_("Vui lòng liệt kê cụ thể giấy tờ, nội dung cần bổ sung."),
                           field_errors={"items": _("Bắt buộc.")})
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.RECEIVED, Status.IN_PROGRESS],
                    _("Không thể yêu cầu bổ sung khi hồ sơ đang “%(status)s”."))
    step = _processing_step(user, dossier, [Role.HANDLER, Role.APPROVER, Role.RECEIVER], _("yêu cầu bổ sung"))
    if dossier.supplement_requested_at is not None:
        raise DossierError(_("Hồ sơ đã được yêu cầu bổ sung một lần. Theo Nghị định 118/2025/NĐ-CP chỉ được yêu "
                             "cầu bổ sung, hoàn thiện hồ sơ một lần."))
    version = dossier.procedure_version
    now = timezone.now()
    cal = calendar.get_calendar(dossier.competent_agency)
    first_start = calendar.reception_start(dossier.received_at, calendar=cal)
    elapsed = wc.working_days_between(cal, first_start, now)
    if elapsed > version.supplement_request_limit_days:
        raise DossierError(_("Đã quá %(days)s ngày làm việc kể từ ngày tiếp nhận hồ sơ; không được yêu cầu bổ sung "
                             "nữa (Điều 19 Nghị định 118/2025/NĐ-CP).") % {"days": version.supplement_request_limit_days})
    before = dossier.status
    dossier.await_supplement()
    dossier.supplement_requested_at = now
    dossier.supplement_items = items.strip()
    dossier.supplement_deadline_at = now + timedelta(days=version.supplement_wait_days)
    _save(dossier)
    _event(dossier, user, "request_supplement", from_status=before, step=step, agency=step.agency,
           reason=items.strip(), deadline=dossier.supplement_deadline_at)
    notify.applicant(dossier, "supplement_requested")
    return dossier


@transaction.atomic
def receive_supplement(user, dossier_id: int, expected_version: int | None,
                       documents: list[ReceivedDocument], note: str = "") -> Dossier:
    """The complete supplement arrived: the processing time restarts from zero (new legal due moment)."""
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.AWAITING_SUPPLEMENT], _("Hồ sơ không ở trạng thái chờ bổ sung (hiện: “%(status)s”)."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("nhận bổ sung"))
    return apply_supplement(user, dossier, documents, note)


def apply_supplement(user, dossier: Dossier, documents: list[ReceivedDocument], note: str = "",
                     **event_data) -> Dossier:
    """The supplement rule on a locked dossier, whoever brings it (counter or the applicant online)."""
    if not documents:
        raise DossierError(_("Vui lòng ghi nhận ít nhất một giấy tờ bổ sung."))
    for doc in documents:
        if doc.upload is not None:
            problem = validate_upload(doc.upload)
            if problem:
                raise DossierError(_("Tệp đính kèm “%(name)s”: %(problem)s") % {"name": doc.name, "problem": problem})
    now = timezone.now()
    old_due = dossier.legal_due_at
    before = dossier.status
    dossier.resume_after_supplement()
    dossier.supplement_received_at = now
    _start_legal_clock(dossier, now)
    dossier.handover_due_at = None
    remaining = list(dossier.steps.exclude(status__in=[StepStatus.DONE, StepStatus.CANCELLED]).order_by("order"))
    _plan_steps(dossier, dossier.clock_started_at, remaining)
    for step in remaining:
        step.save(update_fields=["due_at"])
    _store_documents(dossier, documents, supplement=True)
    _save(dossier)
    _event(dossier, user, "receive_supplement", from_status=before, agency=dossier.receiving_agency, reason=note,
           previous_legal_due_at=old_due, legal_due_at=dossier.legal_due_at, **event_data)
    notify.applicant(dossier, "supplement_received")
    return dossier


@transaction.atomic
def close_unsupplemented(now: datetime | None = None) -> list[str]:
    """Close dossiers whose supplement never came within the waiting time. Idempotent."""
    now = now or timezone.now()
    closed = []
    ids = Dossier.objects.filter(status=Status.AWAITING_SUPPLEMENT, supplement_deadline_at__lt=now) \
        .values_list("id", flat=True)
    for dossier_id in list(ids):
        dossier = _lock(dossier_id, None)
        if dossier.status != Status.AWAITING_SUPPLEMENT:
            continue
        dossier.close_without_supplement()
        dossier.steps.exclude(status=StepStatus.DONE).update(status=StepStatus.CANCELLED)
        _save(dossier)
        _event(dossier, None, "close_unsupplemented", from_status=Status.AWAITING_SUPPLEMENT,
               reason=_("Người nộp không bổ sung hồ sơ trong thời hạn %(days)s ngày.")
               % {"days": dossier.procedure_version.supplement_wait_days})
        notify.applicant(dossier, "closed")
        closed.append(dossier.code)
    return closed


# ---------------------------------------------------------------- stop at the applicant's request (Đ21)


@transaction.atomic
def stop(user, dossier_id: int, expected_version: int | None, reason: str) -> Dossier:
    if not reason.strip():
        raise DossierError(_("Vui lòng ghi nội dung đề nghị dừng giải quyết của người nộp."))
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.APPROVED],
                    _("Chỉ dừng giải quyết từ khi tiếp nhận đến trước khi có kết quả (hiện: “%(status)s”)."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("dừng giải quyết"))
    before = dossier.status
    dossier.stop()
    dossier.outcome_reason = reason.strip()
    dossier.fee_refunded = bool(dossier.procedure_version.fee_refundable_on_stop and dossier.fee_amount)
    dossier.steps.exclude(status=StepStatus.DONE).update(status=StepStatus.CANCELLED)
    _save(dossier)
    _event(dossier, user, "stop", from_status=before, agency=dossier.receiving_agency, reason=reason.strip(),
           fee_refunded=dossier.fee_refunded)
    notify.applicant(dossier, "stopped")
    return dossier


# ---------------------------------------------------------------- apology and extension (Đ19.6)


def _remaining_budget_days(dossier: Dossier, now: datetime, cal) -> Decimal:
    """Working days still needed: the overdue part of the active step counts as one more day."""
    pending = [s for s in dossier.steps.all() if s.status in (StepStatus.PENDING, StepStatus.ACTIVE)]
    total = Decimal("0")
    for step in pending:
        if step.status == StepStatus.ACTIVE and step.due_at:
            left = wc.working_days_between(cal, now, step.due_at)
            total += left if left > 0 else Decimal("1")
        else:
            total += budget_in_days(step, cal)
    return total


def budget_in_days(step: DossierStep, cal) -> Decimal:
    """A step's budget in standard working days (hour budgets divided by the day's length)."""
    if step.time_unit == "working_hours":
        return step.budget / Decimal(cal.day_length.total_seconds() / 3600)
    return step.budget


def foreseen_late(dossier: Dossier, now: datetime) -> tuple[bool, DossierStep | None]:
    """True (and the step at fault) when the dossier cannot meet its appointment."""
    cal = calendar.get_calendar(dossier.competent_agency)
    active = [s for s in dossier.steps.all() if s.status == StepStatus.ACTIVE]
    overdue = [s for s in active if s.due_at and s.due_at < now]
    if overdue:
        return True, overdue[0]
    left = wc.working_days_between(cal, now, dossier.appointment_at)
    if _remaining_budget_days(dossier, now, cal) > left:
        return True, active[0] if active else None
    return False, None


def scan_for_delays(now: datetime | None = None) -> list[str]:
    """Background job: draft the apology letter as soon as a delay is foreseen. Idempotent.

    Đ19.6 wants the letter at least 1 working day before the due moment, so the job drafts it
    the moment a step overruns or the remaining budgets no longer fit before the appointment;
    it only looks at dossiers due within a week or with an overdue step, to stay cheap.
    """
    now = now or timezone.now()
    drafted = []
    overdue_ids = DossierStep.objects.filter(status=StepStatus.ACTIVE, due_at__lt=now).values("dossier_id")
    candidates = (Dossier.objects.filter(status__in=[Status.RECEIVED, Status.IN_PROGRESS, Status.APPROVED],
                                         extension_count=0, apology__isnull=True)
                  .filter(Q(pk__in=overdue_ids) | Q(appointment_at__lt=now + timedelta(days=7)))
                  .select_related("procedure_version", "competent_agency").prefetch_related("steps__agency"))
    for dossier in candidates.iterator(chunk_size=500):
        late, step = foreseen_late(dossier, now)
        if late and _draft_apology(dossier.pk, now, step):
            drafted.append(dossier.code)
    return drafted


@transaction.atomic
def _draft_apology(dossier_id: int, now: datetime, step: DossierStep | None) -> bool:
    dossier = _lock(dossier_id, None)
    if ApologyLetter.objects.filter(dossier=dossier).exists():
        return False
    cal = calendar.get_calendar(dossier.competent_agency)
    agency = step.agency if step else dossier.competent_agency
    needed = max(Decimal("1"), _remaining_budget_days(dossier, now, cal))
    proposed = wc.add_working_days(cal, dossier.appointment_at, math.ceil(needed))
    reason = _("Bước “%(step)s” tại %(agency)s không hoàn thành đúng hạn.") % {
        "step": step.name if step else "", "agency": agency.name}
    ApologyLetter.objects.create(dossier=dossier, agency=agency, reason=reason, proposed_due_at=proposed,
                                 drafted_at=now, previous_appointment_at=dossier.appointment_at)
    for role in (Role.APPROVER, Role.HANDLER):
        StaffAlert.objects.get_or_create(
            dossier=dossier, agency=agency, kind=f"apology_{role}",
            defaults={"role": role, "message": _("Hồ sơ %(code)s có nguy cơ trễ hạn (hẹn %(due)s). Đã lập dự thảo văn "
                                                 "bản xin lỗi, đề nghị lãnh đạo duyệt.")
                      % {"code": dossier.code, "due": timezone.localtime(dossier.appointment_at)
                         .strftime("%H:%M %d/%m/%Y")}})
    _event(dossier, None, "apology_drafted", from_status=dossier.status, agency=agency, reason=reason,
           proposed_due_at=proposed)
    return True


@transaction.atomic
def draft_apology(user, dossier_id: int, expected_version: int | None, *, reason: str,
                  proposed_due_at: datetime) -> ApologyLetter:
    """An official drafts the apology letter by hand (the job does it automatically too)."""
    if not reason.strip():
        raise DossierError(_("Vui lòng ghi rõ lý do chậm giải quyết."))
    dossier = _lock(dossier_id, expected_version)
    _require_status(dossier, [Status.RECEIVED, Status.IN_PROGRESS, Status.APPROVED],
                    _("Không thể lập văn bản xin lỗi cho hồ sơ đang “%(status)s”."))
    if dossier.extension_count or ApologyLetter.objects.filter(dossier=dossier).exists():
        raise DossierError(_("Hồ sơ đã có văn bản xin lỗi và gia hạn; chỉ được hẹn lại một lần."))
    step = _processing_step(user, dossier, [Role.HANDLER, Role.APPROVER], _("lập văn bản xin lỗi cho"))
    if proposed_due_at <= dossier.appointment_at:
        raise DossierError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
    now = timezone.now()
    letter = ApologyLetter.objects.create(
        dossier=dossier, agency=step.agency, reason=reason.strip(), proposed_due_at=proposed_due_at,
        drafted_at=now, drafted_by=user, previous_appointment_at=dossier.appointment_at)
    _save(dossier)
    _event(dossier, user, "apology_drafted", from_status=dossier.status, agency=step.agency, reason=reason.strip(),
           proposed_due_at=proposed_due_at)
    return letter


@transaction.atomic
def approve_apology(user, dossier_id: int, expected_version: int | None) -> ApologyLetter:
    dossier = _lock(dossier_id, expected_version)
    letter = ApologyLetter.objects.select_for_update().filter(dossier=dossier).first()
    if letter is None or letter.state != ApologyLetter.State.DRAFT:
        raise DossierError(_("Không có dự thảo văn bản xin lỗi chờ duyệt."))
    _require_role(user, letter.agency, [Role.APPROVER], _("duyệt văn bản xin lỗi cho"))
    letter.state, letter.approved_at, letter.approved_by = ApologyLetter.State.APPROVED, timezone.now(), user
    letter.save()
    StaffAlert.objects.filter(dossier=dossier, kind__startswith="apology_").update(resolved_at=timezone.now())
    _save(dossier)
    _event(dossier, user, "apology_approved", from_status=dossier.status, agency=letter.agency,
           proposed_due_at=letter.proposed_due_at)
    return letter


@transaction.atomic
def apply_extension(user, dossier_id: int, expected_version: int | None) -> Dossier:
    """The one-stop unit sets the new appointment: at most once per dossier (Đ19.6)."""
    dossier = _lock(dossier_id, expected_version)
    if dossier.extension_count >= 1:
        raise DossierError(_("Hồ sơ đã được gia hạn một lần; không được gia hạn lần thứ hai."))
    letter = ApologyLetter.objects.select_for_update().filter(dossier=dossier).first()
    if letter is None or letter.state != ApologyLetter.State.APPROVED:
        raise DossierError(_("Văn bản xin lỗi chưa được lãnh đạo duyệt nên chưa thể hẹn lại."))
    _require_role(user, dossier.receiving_agency, [Role.RECEIVER], _("hẹn lại"))
    now = timezone.now()
    old = dossier.appointment_at
    dossier.appointment_at = letter.proposed_due_at
    dossier.extension_count += 1
    letter.state, letter.applied_at = ApologyLetter.State.APPLIED, now
    letter.save()
    _save(dossier)
    _event(dossier, user, "extend", from_status=dossier.status, agency=dossier.receiving_agency,
           reason=letter.reason, previous_appointment_at=old, appointment_at=dossier.appointment_at)
    notify.applicant(dossier, "extended")
    return dossier


def flag_late_consultations(now: datetime | None = None) -> int:
    """Alert the head of the one-stop unit about consultation replies past their deadline (Đ19.4)."""
    now = now or timezone.now()
    count = 0
    for consultation in Consultation.objects.filter(replied_at__isnull=True, reply_due_at__lt=now,
                                                    late_flagged_at__isnull=True).select_related("dossier"):
        dossier = consultation.dossier
        StaffAlert.objects.get_or_create(
            dossier=dossier, agency=dossier.receiving_agency, kind=f"consultation_late_{consultation.pk}",
            defaults={"role": Role.APPROVER,
                      "message": _("%(agency)s chưa trả lời xin ý kiến về hồ sơ %(code)s đúng hạn.")
                      % {"agency": consultation.to_agency.name, "code": dossier.code}})
        Consultation.objects.filter(pk=consultation.pk).update(late_flagged_at=now)
        count += 1
    return count


# ---------------------------------------------------------------- reading


def explain_due(dossier: Dossier) -> list[str]:
    """Human lines saying how the legal due moment and the appointment were reached."""
    version = dossier.procedure_version
    fmt = "%H:%M %d/%m/%Y"
    lines = [_("Thời hạn giải quyết theo quy định: %(value)s %(unit)s.")
             % {"value": f"{version.time_value.normalize():f}", "unit": version.get_time_unit_display()}]
    if dossier.received_at and dossier.clock_started_at:
        received, start = timezone.localtime(dossier.received_at), timezone.localtime(dossier.clock_started_at)
        lines.append(_("Tiếp nhận lúc %(at)s; bắt đầu tính thời hạn từ %(start)s.")
                     % {"at": received.strftime(fmt), "start": start.strftime(fmt)})
    if dossier.supplement_received_at:
        lines.append(_("Nhận đủ hồ sơ bổ sung lúc %(at)s: thời hạn giải quyết được tính lại từ đầu.")
                     % {"at": timezone.localtime(dossier.supplement_received_at).strftime(fmt)})
    if dossier.clock_started_at and dossier.legal_due_at:
        lines.extend(calendar.explain_due(dossier.clock_started_at, dossier.legal_due_at,
                                          agency=dossier.competent_agency,
                                          received_at=None if dossier.supplement_received_at else dossier.received_at))
        lines.append(_("Hạn giải quyết theo quy định: %(due)s.")
                     % {"due": timezone.localtime(dossier.legal_due_at).strftime(fmt)})
    if dossier.extension_count:
        lines.append(_("Đã gia hạn một lần theo văn bản xin lỗi: hẹn trả mới %(due)s.")
                     % {"due": timezone.localtime(dossier.appointment_at).strftime(fmt)})
    return lines


def can_read_dossier(user, dossier: Dossier) -> bool:
    """Competent or receiving agency, agencies of its steps and consultations; inspectors everywhere."""
    if orgs.is_inspector(user):
        return True
    if orgs.can_read(user, dossier.competent_agency) or orgs.can_read(user, dossier.receiving_agency):
        return True
    mine = orgs.agency_ids_for(user)
    others = set(dossier.steps.values_list("agency_id", flat=True)) | set(
        dossier.consultations.values_list("to_agency_id", flat=True))
    if dossier.application_id is not None:
        # The agencies of one bundle application (and its lead agency) follow each other's parts.
        application = dossier.application
        others |= {application.lead_agency_id} | set(
            application.parts.values_list("competent_agency_id", flat=True))
    return bool(others & mine)


def queue_for(user, *, scope: str = "mine", now: datetime | None = None):
    """Active steps the user may act on, most urgent first (one query, no N+1)."""
    now = now or timezone.now()
    from motcua.orgs.models import StaffRole
    roles = set(StaffRole.objects.filter(user=user).exclude(role=Role.INSPECTOR).values_list("role", flat=True))
    if not roles:
        return DossierStep.objects.none()
    condition = Q()
    for role in roles:
        condition |= Q(agency_id__in=orgs.agency_ids_for(user, roles=[role]), role=role)
    steps = (DossierStep.objects.filter(condition, status=StepStatus.ACTIVE)
             .select_related("dossier", "dossier__procedure_version", "agency", "assignee")
             .order_by("due_at", "id"))
    if scope == "mine":
        steps = steps.filter(Q(assignee=user) | Q(assignee__isnull=True))
    elif scope == "overdue":
        steps = steps.filter(due_at__lt=now)
    elif scope == "due_soon":
        steps = steps.filter(due_at__gte=now, due_at__lt=now + timedelta(days=2))
    return steps
