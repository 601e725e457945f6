"""Data for the printed forms of Thông tư 03/2025/TT-VPCP (Phụ lục I, Mẫu số 01–07).

Each ``*_context(dossier)`` gathers what one form shows as plain values (strings already
formatted the way offices write them), so templates hold no logic and the portal or the
API can reuse the same data. A form that does not exist for the dossier's state raises
``FormNotAvailable`` with a Vietnamese message; bad tracking-book parameters raise
``BadParameters``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.dossiers.models import (
    ApologyLetter, ApplicantKind, BundleApplication, Dossier, DossierEvent, DossierStep, Status, StepStatus, Timeliness,
)
from motcua.dossiers.services import classify
from motcua.forms_print.render import lookup_url, qr_data_uri
from motcua.orgs.models import Agency


class FormNotAvailable(Exception):
    """The form does not exist for this dossier (e.g. no apology letter); ``message`` is Vietnamese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class BadParameters(FormNotAvailable):
    """Tracking-book parameters the user must correct."""


@dataclass(frozen=True)
class Form:
    number: str
    title: object  # lazy Vietnamese text
    slug: str  # file name prefix
    template: str


# The numbering of Phụ lục I, Thông tư 03/2025/TT-VPCP (15/9/2025). Mẫu số 03 serves both the
# refusal at reception and the refusal after review (Đ19.3); one table, used by every form.
FORMS = {
    "receipt": Form("Mẫu số 01", gettext_lazy("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
                    "giay-tiep-nhan", "forms_print/receipt.html"),
    "supplement": Form("Mẫu số 02", gettext_lazy("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
                       "phieu-yeu-cau-bo-sung", "forms_print/supplement.html"),
    "reception_refusal": Form("Mẫu số 03", gettext_lazy("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
                              "phieu-tu-choi-tiep-nhan", "forms_print/refusal.html"),
    "refusal": Form("Mẫu số 03", gettext_lazy("PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ"),
                    "phieu-tu-choi", "forms_print/refusal.html"),
    "apology": Form("Mẫu số 04", gettext_lazy("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
                    "van-ban-xin-loi", "forms_print/apology.html"),
    "stop": Form("Mẫu số 05", gettext_lazy("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
                 "thong-bao-dung", "forms_print/stop.html"),
    "control_sheet": Form("Mẫu số 06", gettext_lazy("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
                          "phieu-kiem-soat", "forms_print/control_sheet.html"),
    "tracking_book": Form("Mẫu số 07", gettext_lazy("SỔ THEO DÕI HỒ SƠ"),
                          "so-theo-doi", "forms_print/tracking_book.html"),
    # A bundle application's receipt is Mẫu số 01 listing every procedure under the one code.
    "bundle_receipt": Form("Mẫu số 01", gettext_lazy("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
                           "giay-tiep-nhan-lien-thong", "forms_print/bundle_receipt.html"),
    # Đ20: paper travelling in sequence carries a slip stating each agency's task and deadline.
    # The circular has no model for it, so it carries no form number.
    "bundle_transfer": Form("", gettext_lazy("PHIẾU CHUYỂN HỒ SƠ GIẢI QUYẾT LIÊN THÔNG"),
                            "phieu-chuyen-lien-thong", "forms_print/bundle_transfer.html"),
}

# More rows than this make a PDF nobody prints; the Excel export has no such limit.
TRACKING_BOOK_PDF_MAX_ROWS = 2000


# ---------------------------------------------------------------- formatting (as offices write it)


def _local(moment):
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment)
    return moment


def vn_date(moment) -> str:
    """dd/mm/yyyy, or an empty string."""
    moment = _local(moment)
    return moment.strftime("%d/%m/%Y") if moment else ""


def vn_datetime(moment) -> str:
    moment = _local(moment)
    return moment.strftime("%H:%M %d/%m/%Y") if moment else ""


def _day_month(day: datetime.date) -> tuple[str, str]:
    # Nghị định 30/2020/NĐ-CP: days below 10 and the months 1 and 2 are written with a leading zero.
    return f"{day.day:02d}", (f"{day.month:02d}" if day.month < 3 else str(day.month))


def vn_long_date(moment) -> str:
    """``ngày 08 tháng 12 năm 2026``."""
    moment = _local(moment)
    if not moment:
        return ""
    day, month = _day_month(moment)
    return _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": day, "m": month, "y": moment.year}


def vn_time_phrase(moment) -> str:
    """``09 giờ 00 phút, ngày 08 tháng 12 năm 2026``."""
    moment = _local(moment)
    if not moment:
        return ""
    return _("%(h)s giờ %(min)s phút, %(date)s") % {
        "h": f"{moment.hour:02d}", "min": f"{moment.minute:02d}", "date": vn_long_date(moment)}


def vn_short_time_phrase(moment) -> str:
    """``09 giờ 00 phút, ngày 23/11/2026`` for table cells."""
    moment = _local(moment)
    if not moment:
        return ""
    return _("%(h)s giờ %(min)s phút, ngày %(date)s") % {
        "h": f"{moment.hour:02d}", "min": f"{moment.minute:02d}", "date": vn_date(moment)}


def session_of(moment) -> str:
    """Buổi sáng / buổi chiều of a moment."""
    moment = _local(moment)
    if not moment:
        return ""
    return _("buổi sáng") if moment.hour < 12 else _("buổi chiều")


def money(amount: int) -> str:
    """``200.000 đồng``."""
    return _("%(amount)s đồng") % {"amount": f"{int(amount or 0):,}".replace(",", ".")}


def statutory_time(version) -> str:
    return f"{version.time_value.normalize():f} {version.get_time_unit_display().lower()}"


def place_name(agency: Agency) -> str:
    """The place written before the date: the province (or, for commune agencies, the commune)."""
    unit = agency.unit
    name = unit.name
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def issuer_lines(agency: Agency) -> tuple[str, str]:
    """(governing body, agency) in upper case for the top-left block of an official document."""
    parent = agency.parent
    if parent is None and agency.kind != Agency.Kind.PEOPLES_COMMITTEE:
        parent = (Agency.objects.filter(unit_id=agency.unit_id, kind=Agency.Kind.PEOPLES_COMMITTEE)
                  .exclude(pk=agency.pk).order_by("code").first())
    return (parent.name.upper() if parent else ""), agency.name.upper()


def _person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.get_username()


def _applicant(dossier: Dossier) -> dict:
    is_org = dossier.applicant_kind == ApplicantKind.ORGANISATION
    return {
        "name": dossier.applicant_name,
        "organisation": dossier.organisation_name if is_org else "",
        "display": dossier.applicant_display,
        "id_label": _("Mã số thuế/mã số doanh nghiệp") if is_org else _("Số định danh cá nhân"),
        "id_number": dossier.applicant_id_number,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
    }


def _last_event(dossier: Dossier, actions) -> DossierEvent | None:
    return (dossier.events.filter(action__in=list(actions)).select_related("actor", "agency", "step")
            .order_by("-at", "-id").first())


def base_context(form_key: str, issuer: Agency, dated, dossier: Dossier | None = None) -> dict:
    """What every form shows: header, form number and title, place and date, QR code."""
    form = FORMS[form_key]
    governing, agency = issuer_lines(issuer)
    context = {
        "form": form, "form_number": form.number, "title": str(form.title),
        "issuer": issuer, "issuer_parent_upper": governing, "issuer_upper": agency,
        "place_date": f"{place_name(issuer)}, {vn_long_date(dated)}",
        "dossier": dossier, "code": (dossier.code if dossier else "") or "",
        "qr": None, "qr_url": "",
    }
    if dossier is not None and dossier.code:
        context["qr_url"] = lookup_url(dossier.code)
        context["qr"] = qr_data_uri(context["qr_url"])
    return context


def filename(form_key: str, dossier: Dossier) -> str:
    return f"{FORMS[form_key].slug}-{dossier.code or dossier.pk}.pdf"


def load_dossier(pk: int) -> Dossier:
    """One query for the dossier and everything the headers need."""
    return (Dossier.objects.select_related(
        "procedure_version", "procedure_version__procedure",
        "receiving_agency", "receiving_agency__parent", "receiving_agency__unit",
        "competent_agency", "competent_agency__parent", "competent_agency__unit", "received_by")
        .get(pk=pk))


def _documents(dossier: Dossier, *, supplement: bool | None = None) -> list[dict]:
    rows = dossier.documents.all()
    if supplement is not None:
        rows = rows.filter(is_supplement=supplement)
    return [{"name": d.name, "originals": d.originals, "copies": d.copies, "is_supplement": d.is_supplement}
            for d in rows]


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


# ---------------------------------------------------------------- Mẫu số 01: receipt and appointment


def receipt_context(dossier: Dossier) -> dict:
    if not dossier.code or not dossier.received_at:
        raise FormNotAvailable(_("Hồ sơ chưa được tiếp nhận nên không có giấy tiếp nhận và hẹn trả kết quả."))
    version = dossier.procedure_version
    context = base_context("receipt", dossier.receiving_agency, dossier.received_at, dossier)
    context.update({
        "applicant": _applicant(dossier),
        "procedure_name": version.name,
        "procedure_code": version.procedure.code,
        "receiving_agency": dossier.receiving_agency, "competent_agency": dossier.competent_agency,
        "documents": _documents(dossier),
        "statutory_time": statutory_time(version),
        "received_at": vn_time_phrase(dossier.received_at),
        "appointment": vn_time_phrase(dossier.appointment_at),
        "appointment_session": session_of(dossier.appointment_at),
        "legal_due": vn_time_phrase(dossier.legal_due_at),
        "appointment_moved": bool(dossier.extension_count),
        "fee": money(dossier.fee_amount) if dossier.fee_amount else "",
        "channel": dossier.get_channel_display(),
        "return_method": dossier.get_return_method_display(),
        "postal_address": dossier.postal_address,
        "postal_fee": money(dossier.postal_fee) if dossier.postal_fee else "",
        "incoming_tracking": dossier.incoming_tracking,
        "postal_tracking": dossier.postal_tracking,
        "postal_dispatched_on": vn_date(dossier.postal_dispatched_on),
        "fee_receipt_number": dossier.fee_receipt_number,
        "receiver_name": _person(dossier.received_by),
    })
    return context


# ---------------------------------------------------------------- Mẫu số 02: supplement request


def supplement_context(dossier: Dossier) -> dict:
    at_counter = dossier.status == Status.REJECTED_AT_RECEPTION
    if at_counter:
        if not dossier.supplement_items.strip():
            raise FormNotAvailable(_("Hồ sơ bị từ chối tiếp nhận không thuộc trường hợp thiếu giấy tờ; "
                                     "hãy in phiếu từ chối tiếp nhận."))
        event = _last_event(dossier, ["reception_incomplete"])
        dated = event.at if event else dossier.created_at
        requester = dossier.receiving_agency
        official = _person(event.actor if event else dossier.received_by)
        reason = dossier.outcome_reason
    else:
        if dossier.supplement_requested_at is None:
            raise FormNotAvailable(_("Hồ sơ này chưa có yêu cầu bổ sung, hoàn thiện."))
        event = _last_event(dossier, ["request_supplement"])
        dated = dossier.supplement_requested_at
        requester = (event.agency if event and event.agency else dossier.competent_agency)
        official = _person(event.actor) if event else ""
        reason = _("Hồ sơ chưa đầy đủ, hợp lệ theo quy định để giải quyết.")
    context = base_context("supplement", dossier.receiving_agency, dated, dossier)
    context.update({
        "at_counter": at_counter,
        "applicant": _applicant(dossier),
        "procedure_name": dossier.procedure_version.name,
        "items": _lines(dossier.supplement_items),
        "reason": reason,
        "requester": requester,
        "official_name": official,
        "received_at": vn_date(dossier.received_at),
        "deadline": vn_time_phrase(dossier.supplement_deadline_at) if not at_counter else "",
        "wait_days": dossier.procedure_version.supplement_wait_days,
        "contact": dossier.receiving_agency,
    })
    return context


# ---------------------------------------------------------------- Mẫu số 03: refusals


def refusal_context(dossier: Dossier) -> dict:
    """Phiếu từ chối giải quyết hồ sơ: refused after review by the competent agency (Đ19.3)."""
    event = _last_event(dossier, ["refuse"])
    if event is None:
        raise FormNotAvailable(_("Hồ sơ này không bị từ chối giải quyết."))
    issuer = event.agency or dossier.competent_agency
    context = base_context("refusal", issuer, event.at, dossier)
    context.update({
        "at_reception": False,
        "applicant": _applicant(dossier),
        "procedure_name": dossier.procedure_version.name,
        "received_at": vn_date(dossier.received_at),
        "reason": dossier.outcome_reason or event.reason,
        "official_name": _person(event.actor),
        "official_title": _("NGƯỜI KÝ"),
        "receiving_agency": dossier.receiving_agency,
    })
    return context


def reception_refusal_context(dossier: Dossier) -> dict:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ, for a record not received at the counter."""
    if dossier.status != Status.REJECTED_AT_RECEPTION:
        raise FormNotAvailable(_("Hồ sơ này đã được tiếp nhận nên không có phiếu từ chối tiếp nhận."))
    event = _last_event(dossier, ["reception_refused", "reception_incomplete", "reject_online"])
    dated = event.at if event else dossier.created_at
    context = base_context("reception_refusal", dossier.receiving_agency, dated, dossier)
    context.update({
        "at_reception": True,
        "applicant": _applicant(dossier),
        "procedure_name": dossier.procedure_version.name,
        "reason": dossier.outcome_reason,
        "official_name": _person(event.actor if event else dossier.received_by),
        "official_title": _("NGƯỜI TIẾP NHẬN HỒ SƠ"),
        "channel": dossier.get_channel_display(),
    })
    return context


# ---------------------------------------------------------------- Mẫu số 04: apology and extension request


def apology_context(dossier: Dossier) -> dict:
    letter = (ApologyLetter.objects.select_related("agency", "agency__parent", "agency__unit", "approved_by",
                                                  "drafted_by").filter(dossier=dossier).first())
    if letter is None:
        raise FormNotAvailable(_("Hồ sơ %(code)s không có văn bản xin lỗi và đề nghị gia hạn.")
                               % {"code": dossier.code or dossier.pk})
    context = base_context("apology", letter.agency, letter.approved_at or letter.drafted_at, dossier)
    context.update({
        "letter": letter,
        "is_draft": letter.state == ApologyLetter.State.DRAFT,
        "applicant": _applicant(dossier),
        "procedure_name": dossier.procedure_version.name,
        "received_at": vn_time_phrase(dossier.received_at),
        "reason": letter.reason,
        "previous_appointment": vn_time_phrase(letter.previous_appointment_at),
        "proposed_appointment": vn_time_phrase(letter.proposed_due_at),
        "proposed_session": session_of(letter.proposed_due_at),
        "signer_name": _person(letter.approved_by),
        "receiving_agency": dossier.receiving_agency,
    })
    return context


# ---------------------------------------------------------------- Mẫu số 05: stop notice


def stop_context(dossier: Dossier) -> dict:
    if dossier.status != Status.STOPPED:
        raise FormNotAvailable(_("Hồ sơ này không bị dừng giải quyết."))
    event = _last_event(dossier, ["stop"])
    dated = event.at if event else dossier.updated_at
    context = base_context("stop", dossier.receiving_agency, dated, dossier)
    context.update({
        "applicant": _applicant(dossier),
        "procedure_name": dossier.procedure_version.name,
        "received_at": vn_time_phrase(dossier.received_at),
        "stopped_at": vn_time_phrase(dated),
        "reason": dossier.outcome_reason,
        "fee_refunded": dossier.fee_refunded,
        "fee": money(dossier.fee_amount) if dossier.fee_amount else "",
        "official_name": _person(event.actor if event else None),
    })
    return context


# ---------------------------------------------------------------- Mẫu số 06: control sheet


APPLICANT = gettext_lazy("Người nộp hồ sơ")
# Events that hand the dossier from one step to the next.
_HANDOVER_ACTIONS = {"hand_over", "forward", "approve", "issue_result", "refuse", "send_back"}
_NOTE_ACTIONS = {"request_supplement", "receive_supplement", "extend", "stop", "consult", "consult_reply",
                 "close_unsupplemented", "return"}


def _step_party(step: DossierStep | None, fallback: Agency | None = None) -> str:
    if step is None:
        return fallback.name if fallback else ""
    name = step.agency.name
    return f"{name} — {step.unit_name}" if step.unit_name else name


def control_sheet_context(dossier: Dossier) -> dict:
    """Every hand-over (from the event log) and every step's result against its own due moment."""
    if not dossier.code or not dossier.received_at:
        raise FormNotAvailable(_("Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát."))
    steps = list(dossier.steps.select_related("agency", "completed_by", "assignee").order_by("order"))
    by_id = {s.id: s for s in steps}
    by_name = {s.name: s for s in steps}
    events = list(dossier.events.select_related("actor", "agency").order_by("at", "id"))
    rows = []
    for event in events:
        step = by_id.get(event.step_id)
        actor = _person(event.actor)
        if event.action == "receive":
            rows.append({
                "giver": str(APPLICANT), "giver_person": dossier.applicant_display,
                "receiver": dossier.receiving_agency.name, "receiver_person": actor,
                "at": vn_short_time_phrase(event.at), "result": "",
                "note": _("Tiếp nhận hồ sơ; hẹn trả kết quả %(due)s.") % {"due": vn_datetime(dossier.legal_due_at)}
                if not dossier.extension_count else _("Tiếp nhận hồ sơ."),
            })
        elif event.action in _HANDOVER_ACTIONS:
            if event.action == "send_back":
                target = by_name.get(event.data.get("to_step", ""))
                receiver, result = _step_party(target), ""
                note = _("Trả lại để xử lý lại: %(reason)s") % {"reason": event.reason}
            else:
                nxt = next((s for s in steps if step and s.order > step.order
                            and s.status != StepStatus.CANCELLED), None)
                if event.action == "refuse":
                    nxt = next((s for s in reversed(steps) if s.role == "receiver"
                                and s.agency_id == dossier.receiving_agency_id and step
                                and s.order > step.order), None)
                receiver = _step_party(nxt, dossier.receiving_agency)
                due = step.due_at if step else None
                result = Timeliness(classify(event.at, due)).label if due else ""
                note = {
                    "refuse": _("Từ chối giải quyết: %(reason)s") % {"reason": event.reason},
                    "issue_result": _("Phát hành kết quả số %(number)s.") % {"number": event.data.get("number", "")},
                    "approve": _("Phê duyệt."),
                }.get(event.action, event.reason)
                if due:
                    note = _sentence(note) + _("Hạn bước: %(due)s.") % {"due": vn_datetime(due)}
            rows.append({
                "giver": _step_party(step, event.agency), "giver_person": actor,
                "receiver": receiver, "receiver_person": "",
                "at": vn_short_time_phrase(event.at), "result": str(result), "note": note,
            })
        elif event.action in _NOTE_ACTIONS:
            rows.append(_note_row(dossier, event, step, actor))
    step_rows = [{
        "order": s.order, "name": s.name, "party": _step_party(s), "status": s.get_status_display(),
        "person": _person(s.completed_by or s.assignee),
        "started": vn_datetime(s.started_at), "due": vn_datetime(s.due_at), "completed": vn_datetime(s.completed_at),
        "result": s.get_timeliness_display() if s.timeliness else "",
    } for s in steps]
    context = base_context("control_sheet", dossier.receiving_agency, timezone.now(), dossier)
    context.update({
        "applicant": _applicant(dossier),
        "procedure_name": dossier.procedure_version.name,
        "competent_agency": dossier.competent_agency,
        "received_at": vn_time_phrase(dossier.received_at),
        "legal_due": vn_time_phrase(dossier.legal_due_at),
        "appointment": vn_time_phrase(dossier.appointment_at),
        "status": dossier.get_status_display(),
        "timeliness": dossier.get_timeliness_display() if dossier.timeliness else "",
        "rows": rows, "step_rows": step_rows,
    })
    return context


def _sentence(text: str) -> str:
    """``text`` ending with a full stop and a space, ready for the next sentence ('' stays '')."""
    text = (text or "").strip()
    if not text:
        return ""
    return text + (" " if text[-1] in ".!?:;" else ". ")


def _note_row(dossier, event, step, actor) -> dict:
    applicant = str(APPLICANT)
    if event.action == "request_supplement":
        giver, receiver = _step_party(step, event.agency), applicant
        note = _("Yêu cầu bổ sung: %(items)s") % {"items": event.reason}
    elif event.action == "receive_supplement":
        giver, receiver = applicant, dossier.receiving_agency.name
        note = _("Nhận đủ hồ sơ bổ sung; thời hạn giải quyết tính lại từ đầu, hạn mới %(due)s.") % {
            "due": vn_datetime(_parse(event.data.get("legal_due_at")))}
    elif event.action == "return":
        giver, receiver = dossier.receiving_agency.name, applicant
        note = _("Trả kết quả cho người nộp hồ sơ.")
    elif event.action == "extend":
        giver, receiver = dossier.receiving_agency.name, applicant
        note = _("Xin lỗi và hẹn lại ngày trả kết quả: %(due)s.") % {
            "due": vn_datetime(_parse(event.data.get("appointment_at")))}
    elif event.action == "consult":
        giver, receiver = _step_party(step, event.agency), event.data.get("to_agency", "")
        note = _("Xin ý kiến: %(q)s") % {"q": event.reason}
    elif event.action == "consult_reply":
        giver, receiver = (event.agency.name if event.agency else ""), _step_party(step)
        note = _("Trả lời xin ý kiến.")
    elif event.action == "stop":
        giver, receiver = applicant, dossier.receiving_agency.name
        note = _("Dừng giải quyết theo đề nghị của người nộp: %(reason)s") % {"reason": event.reason}
    else:  # close_unsupplemented
        giver, receiver = dossier.receiving_agency.name, applicant
        note = event.reason
    return {"giver": giver, "giver_person": actor, "receiver": receiver, "receiver_person": "",
            "at": vn_short_time_phrase(event.at), "result": "", "note": note}


def _parse(value):
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- Mẫu số 07: tracking book


@dataclass
class TrackingBookQuery:
    agency: Agency
    date_from: datetime.date
    date_to: datetime.date
    fmt: str = "pdf"


def _parse_day(raw: str, label: str) -> datetime.date:
    raw = (raw or "").strip()
    if not raw:
        raise BadParameters(_("Vui lòng nhập %(label)s theo dạng dd/mm/yyyy.") % {"label": label})
    try:
        return datetime.datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        raise BadParameters(_("%(label)s “%(value)s” không đúng định dạng dd/mm/yyyy hoặc không có thật.")
                            % {"label": label[:1].upper() + label[1:], "value": raw}) from None


def parse_tracking_book_params(params) -> TrackingBookQuery:
    """Validate ``agency``, ``from``, ``to`` (dd/mm/yyyy) and ``format`` (pdf|xlsx) from a query string."""
    code = (params.get("agency") or "").strip()
    if not code:
        raise BadParameters(_("Vui lòng chọn cơ quan (mã định danh của cơ quan)."))
    agency = Agency.objects.select_related("parent", "unit").filter(code=code).first()
    if agency is None:
        raise BadParameters(_("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": code})
    date_from = _parse_day(params.get("from"), _("ngày bắt đầu"))
    date_to = _parse_day(params.get("to"), _("ngày kết thúc"))
    if date_from > date_to:
        raise BadParameters(_("Ngày bắt đầu (%(start)s) phải trước hoặc trùng ngày kết thúc (%(end)s).")
                            % {"start": vn_date(date_from), "end": vn_date(date_to)})
    fmt = (params.get("format") or "pdf").strip().lower()
    if fmt not in ("pdf", "xlsx"):
        raise BadParameters(_("Định dạng “%(fmt)s” không được hỗ trợ; chọn pdf hoặc xlsx.") % {"fmt": fmt})
    return TrackingBookQuery(agency, date_from, date_to, fmt)


def tracking_book_dossiers(agency: Agency, date_from: datetime.date, date_to: datetime.date):
    """Dossiers received in [date_from, date_to] (local days) where the agency received or decides them."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return (Dossier.objects
            .filter(Q(receiving_agency=agency) | Q(competent_agency=agency),
                    received_at__gte=start, received_at__lt=end)
            .exclude(status=Status.REJECTED_AT_RECEPTION)
            .select_related("procedure_version", "competent_agency")
            .order_by("received_at", "id"))


TRACKING_BOOK_COLUMNS = [
    gettext_lazy("STT"), gettext_lazy("Mã hồ sơ"), gettext_lazy("Tên thủ tục hành chính"),
    gettext_lazy("Số lượng hồ sơ (bộ)"), gettext_lazy("Tên cá nhân, tổ chức"),
    gettext_lazy("Địa chỉ, số điện thoại"), gettext_lazy("Cơ quan chủ trì giải quyết"),
    gettext_lazy("Ngày nhận hồ sơ"), gettext_lazy("Ngày hẹn trả kết quả"), gettext_lazy("Ngày chuyển hồ sơ"),
    gettext_lazy("Ngày có kết quả/yêu cầu bổ sung"), gettext_lazy("Ngày trả kết quả"),
    gettext_lazy("Ký nhận"), gettext_lazy("Ghi chú"),
]


# Percent of the landscape page width, one per column above.
TRACKING_BOOK_PDF_WIDTHS = [3, 14, 13, 3.5, 9, 10, 8, 6.3, 6.3, 6.3, 6.3, 6.3, 3.5, 0]
# Columns printed on one line (the code and the dates).
TRACKING_BOOK_NOWRAP = {1, 7, 8, 9, 10, 11}
TRACKING_BOOK_PDF_WIDTHS[-1] = round(100 - sum(TRACKING_BOOK_PDF_WIDTHS), 1)


def _tracking_note(d: Dossier) -> str:
    parts = [d.get_status_display()]
    if d.timeliness:
        parts.append(d.get_timeliness_display())
    if d.extension_count:
        parts.append(_("đã gia hạn"))
    return "; ".join(parts)


def tracking_book_rows(agency: Agency, date_from: datetime.date, date_to: datetime.date, *, limit=None):
    """One list of cell values per dossier, in the order of TRACKING_BOOK_COLUMNS (one query)."""
    queryset = tracking_book_dossiers(agency, date_from, date_to)
    if limit is not None:
        queryset = queryset[:limit]
    rows = []
    for number, d in enumerate(queryset.iterator(chunk_size=1000), start=1):
        contact = ", ".join(x for x in (d.applicant_address, d.applicant_phone) if x)
        result_day = d.finished_at or d.supplement_requested_at
        rows.append([
            number, d.code, d.procedure_version.name, 1, d.applicant_display, contact, d.competent_agency.name,
            vn_date(d.received_at), vn_date(d.appointment_at), vn_date(d.handed_over_at), vn_date(result_day),
            vn_date(d.returned_at), "", _tracking_note(d),
        ])
    return rows


def tracking_book_context(query: TrackingBookQuery) -> dict:
    total = tracking_book_dossiers(query.agency, query.date_from, query.date_to).count() \
        if query.fmt == "pdf" else None
    if total is not None and total > TRACKING_BOOK_PDF_MAX_ROWS:
        raise BadParameters(_("Kỳ đã chọn có %(n)s hồ sơ, quá nhiều để in PDF (tối đa %(max)s). Vui lòng chọn "
                              "khoảng thời gian ngắn hơn hoặc tải tệp Excel.")
                            % {"n": total, "max": TRACKING_BOOK_PDF_MAX_ROWS})
    context = base_context("tracking_book", query.agency, timezone.now())
    context.update({
        "agency": query.agency,
        "period": _("Từ ngày %(start)s đến ngày %(end)s") % {"start": vn_date(query.date_from),
                                                           "end": vn_date(query.date_to)},
        "columns": [str(c) for c in TRACKING_BOOK_COLUMNS],
        "column_widths": TRACKING_BOOK_PDF_WIDTHS,
        "nowrap": TRACKING_BOOK_NOWRAP,
        "rows": tracking_book_rows(query.agency, query.date_from, query.date_to),
    })
    return context


def tracking_book_filename(query: TrackingBookQuery) -> str:
    return (f"so-theo-doi-{query.agency.code}-{query.date_from:%Y%m%d}-{query.date_to:%Y%m%d}."
            f"{query.fmt}")


def tracking_book_xlsx(context: dict) -> bytes:
    """The same book as an Excel workbook: title block, header row, one row per dossier."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Sổ theo dõi hồ sơ"))
    columns = context["columns"]
    last = get_column_letter(len(columns))
    ws["A1"] = context["issuer_parent_upper"]
    ws["A2"] = context["issuer_upper"]
    ws["A2"].font = Font(bold=True)
    ws[f"{get_column_letter(len(columns) - 4)}1"] = str(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    ws[f"{get_column_letter(len(columns) - 4)}2"] = str(_("Độc lập - Tự do - Hạnh phúc"))
    ws["A4"] = context["title"]
    ws["A4"].font = Font(bold=True, size=14)
    ws["A4"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A4:{last}4")
    ws["A5"] = context["period"]
    ws["A5"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A5:{last}5")
    ws[f"{last}3"] = context["form_number"]
    header_row = 7
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, title in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=col, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for r, row in enumerate(context["rows"], start=header_row + 1):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    widths = [6, 26, 40, 9, 24, 30, 26, 12, 12, 12, 14, 12, 10, 24]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- bundle applications (Đ20)


def load_application(pk: int) -> BundleApplication:
    return (BundleApplication.objects.select_related(
        "bundle", "lead_agency", "received_by", "receiving_agency", "receiving_agency__parent",
        "receiving_agency__unit").get(pk=pk))


def _application_parts(application: BundleApplication) -> list[Dossier]:
    return list(application.parts.select_related("procedure_version", "procedure_version__procedure",
                                                 "competent_agency").order_by("part_order"))


def _application_base(form_key: str, application: BundleApplication, parts: list[Dossier]) -> dict:
    context = base_context(form_key, application.receiving_agency, application.received_at, parts[0])
    context.update(code=application.code, qr_url=lookup_url(application.code))
    context["qr"] = qr_data_uri(context["qr_url"])
    return context


def bundle_receipt_context(application: BundleApplication) -> dict:
    if not application.code:
        raise FormNotAvailable(_("Hồ sơ liên thông chưa được cấp mã."))
    parts = _application_parts(application)
    first = parts[0]
    context = _application_base("bundle_receipt", application, parts)
    context.update({
        "application": application, "applicant": _applicant(first), "receiving_agency": application.receiving_agency,
        "bundle_name": application.bundle.name, "mode": application.get_mode_display(),
        "lead_agency": application.lead_agency, "sequential": application.mode == "sequential",
        "parts": [{"order": p.part_order, "code": p.code, "procedure_name": p.procedure_version.name,
                   "procedure_code": p.procedure_version.procedure.code, "agency": p.competent_agency,
                   "statutory_time": statutory_time(p.procedure_version), "documents": _documents(p),
                   "fee": money(p.fee_amount) if p.fee_amount else ""} for p in parts],
        "fee_total": money(sum(p.fee_amount for p in parts)) if any(p.fee_amount for p in parts) else "",
        "channel": first.get_channel_display(), "return_method": first.get_return_method_display(),
        "postal_address": first.postal_address, "postal_fee": money(first.postal_fee) if first.postal_fee else "",
        "received_at": vn_time_phrase(application.received_at),
        "appointment": vn_time_phrase(application.appointment_at),
        "appointment_session": session_of(application.appointment_at),
        "receiver_name": _person(application.received_by),
    })
    return context


def bundle_transfer_context(application: BundleApplication) -> dict:
    from motcua.dossiers import bundles
    parts = _application_parts(application)
    context = _application_base("bundle_transfer", application, parts)
    rows = bundles.transfer_plan(application, parts)
    for row in rows:
        row.update(starts_text=vn_datetime(row["starts"]), due_text=vn_datetime(row["due"]))
    context.update({"application": application, "applicant": _applicant(parts[0]), "rows": rows,
                    "bundle_name": application.bundle.name, "mode": application.get_mode_display(),
                    "lead_agency": application.lead_agency, "sequential": application.mode == "sequential",
                    "receiver_name": _person(application.received_by)})
    return context


APPLICATION_CONTEXTS = {"bundle_receipt": bundle_receipt_context, "bundle_transfer": bundle_transfer_context}


def application_filename(form_key: str, application: BundleApplication) -> str:
    return f"{FORMS[form_key].slug}-{application.code or application.pk}.pdf"


CONTEXTS = {
    "receipt": receipt_context, "supplement": supplement_context, "refusal": refusal_context,
    "reception_refusal": reception_refusal_context, "apology": apology_context, "stop": stop_context,
    "control_sheet": control_sheet_context,
}


def render_form_context(form_key: str, dossier: Dossier) -> dict:
    return CONTEXTS[form_key](dossier)
