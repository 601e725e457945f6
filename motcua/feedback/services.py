"""Every action on a feedback (phản ánh, kiến nghị), each one transaction, each one audited.

Views, the Open311 API and the background job call these functions and nothing else.

Who does what (roles from ``motcua.orgs``):

* **Triage** — classify, route to the responsible agency, merge duplicates, reject as out of
  scope, withdraw or restore publication — is done by the *receiving office*: the one-stop unit
  where the feedback arrives. A feedback about a dossier arrives at the service centre that
  received that dossier; every other feedback at the provincial service centre (or the agency
  coded in ``settings.FEEDBACK_TRIAGE_AGENCY``). Its receivers (``receiver``) and agency
  administrators (``agency_admin``) triage.
* **Answer and forward** — the responsible agency's handlers (``handler``) and leaders
  (``approver``) answer within the response deadline, or forward the feedback to a higher
  agency (its parent agency or the People's Committee of its unit or of a unit above).
* Inspectors read everything; nobody else sees a sender's personal data.

The response deadline is ``Category.response_days`` working days from the routing moment (the
clock starts like a dossier's: next opening, or next working day after the reception cut-off);
a forward gives the higher agency a full new period. A refused action raises
``FeedbackError`` with a Vietnamese ``message`` and changes nothing.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import services as catalog
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import next_dossier_code
from motcua.dossiers.uploads import validate_upload
from motcua.feedback import notify
from motcua.feedback.models import (
    CLOSED_STATUSES, OPEN_STATUSES, ApiKey, Attachment, Category, Channel, Feedback, FeedbackEvent, Status,
    Subject, Timeliness, Verification,
)
from motcua.orgs import services as orgs
from motcua.orgs.models import AdminUnit, Agency, Role
from motcua.text import fold
from motcua.workcal import arithmetic as wc
from motcua.workcal import services as calendar

CODE_PREFIX = "PAKN"
MAX_DESCRIPTION = 4000  # Open311: "free form text limited to 4,000 characters"
MIN_DESCRIPTION = 20
MAX_ATTACHMENTS = 5
SMS_CODE_LIFETIME = timedelta(minutes=15)
EMAIL_LINK_LIFETIME = timedelta(days=3)
MAX_CODE_ATTEMPTS = 5
MAX_VERIFICATIONS = 3
# Codes one phone number / address may receive per hour, whoever asks: no SMS bombing through the form.
MAX_CODES_PER_CONTACT_HOUR = 3
TRIAGE_ROLES = (Role.RECEIVER, Role.AGENCY_ADMIN)
ANSWER_ROLES = (Role.HANDLER, Role.APPROVER)
_SIGNING_SALT = "motcua.feedback.verify"


class FeedbackError(Exception):
    """An action refused for a reason the user can act on; ``message`` is Vietnamese."""

    def __init__(self, message, field_errors=None, status=400):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        self.status = status


class StaleFeedback(FeedbackError):
    pass


class NotAllowed(FeedbackError):
    def __init__(self, message, field_errors=None):
        super().__init__(message, field_errors, status=403)


# ---------------------------------------------------------------- sending


@dataclass
class Submission:
    """What a sender gives, from the portal form or an Open311 POST (texts as typed)."""

    category: Category | None
    description: str
    sender_name: str
    title: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    address: str = ""
    publish_identity: bool = False
    procedure: str = ""  # a procedure code or words of its name
    dossier_code: str = ""
    concerned_agency: Agency | None = None
    official_name: str = ""
    attachments: list = field(default_factory=list)  # UploadedFiles
    verify_by: str = ""  # "sms" or "email"; chosen from the contacts when empty
    channel: str = Channel.PORTAL
    api_key: ApiKey | None = None
    lat: Decimal | None = None
    long: Decimal | None = None
    address_id: str = ""
    media_url: str = ""
    account_id: str = ""
    device_id: str = ""
    attributes: dict = field(default_factory=dict)


def clean_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace(".", "")
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    return phone


def resolve_procedure(text: str) -> Procedure:
    """The procedure named by ``text`` (its code, or words of its name matching exactly one)."""
    text = (text or "").strip()
    version = catalog.current_version(text, include_abolished=False) if text else None
    if version is not None:
        return version.procedure
    matches = list(catalog.search(q=text)[:6]) if fold(text) else []
    if len(matches) == 1:
        return matches[0].procedure
    if not matches:
        raise FeedbackError(_("Không tìm thấy thủ tục hành chính “%(text)s”. Hãy nhập mã thủ tục (tra cứu tại "
                              "trang Thủ tục hành chính).") % {"text": text},
                            field_errors={"procedure": _("Không tìm thấy thủ tục.")})
    names = "; ".join(f"{v.procedure.code} — {v.name}" for v in matches[:5])
    raise FeedbackError(_("Có nhiều thủ tục khớp với “%(text)s”: %(names)s. Hãy nhập mã thủ tục.")
                        % {"text": text, "names": names},
                        field_errors={"procedure": _("Có nhiều thủ tục khớp; hãy nhập mã thủ tục.")})


def validate_submission(sub: Submission) -> tuple[dict[str, str], dict]:
    """(field → Vietnamese message, resolved links) for a submission; nothing is stored."""
    errors: dict[str, str] = {}
    links: dict = {"procedure": None, "dossier": None, "concerned_agency": sub.concerned_agency}
    if sub.category is None or not sub.category.is_active:
        errors["category"] = _("Vui lòng chọn loại phản ánh, kiến nghị.")
    description = (sub.description or "").strip()
    if len(description) < MIN_DESCRIPTION:
        errors["description"] = _("Vui lòng trình bày nội dung phản ánh, kiến nghị (ít nhất %(n)d ký tự).") % {
            "n": MIN_DESCRIPTION}
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Nội dung dài %(len)d ký tự; tối đa %(max)d ký tự.") % {
            "len": len(description), "max": MAX_DESCRIPTION}
    if len(sub.title or "") > 200:
        errors["title"] = _("Tiêu đề tối đa 200 ký tự.")
    if not (sub.sender_name or "").strip():
        errors["sender_name"] = _("Vui lòng nhập họ tên người gửi.")
    elif len(sub.sender_name.strip()) > 150:
        errors["sender_name"] = _("Họ tên tối đa 150 ký tự.")
    phone = clean_phone(sub.sender_phone)
    if phone and not (phone.isdigit() and len(phone) == 10 and phone.startswith("0")):
        errors["sender_phone"] = _("Số điện thoại phải gồm 10 chữ số và bắt đầu bằng 0.")
    email = (sub.sender_email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["sender_email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if not phone and not email:
        errors["sender_phone"] = _("Vui lòng nhập số điện thoại hoặc thư điện tử để nhận mã xác thực và câu trả "
                                   "lời.")
    if sub.verify_by == "sms" and not phone:
        errors["verify_by"] = _("Muốn nhận mã qua SMS, vui lòng nhập số điện thoại.")
    if sub.verify_by == "email" and not email:
        errors["verify_by"] = _("Muốn nhận liên kết xác thực qua thư điện tử, vui lòng nhập địa chỉ thư.")
    subject = sub.category.subject if sub.category is not None else None
    if subject == Subject.REGULATION and (sub.procedure or "").strip():
        try:
            links["procedure"] = resolve_procedure(sub.procedure)
        except FeedbackError as exc:
            errors["procedure"] = exc.message
    if subject == Subject.DOSSIER:
        code = (sub.dossier_code or "").strip()
        if not code:
            errors["dossier_code"] = _("Vui lòng nhập mã hồ sơ được phản ánh (in trên giấy tiếp nhận).")
        else:
            links["dossier"] = Dossier.objects.filter(code=code).select_related("receiving_agency",
                                                                               "competent_agency").first()
            if links["dossier"] is None:
                errors["dossier_code"] = _("Không có hồ sơ mã “%(code)s”. Vui lòng kiểm tra lại mã hồ sơ.") % {
                    "code": code}
    if subject == Subject.CONDUCT and sub.concerned_agency is None:
        errors["concerned_agency"] = _("Vui lòng chọn cơ quan nơi cán bộ, công chức bị phản ánh công tác.")
    if len(sub.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = _("Tối đa %(n)d tệp đính kèm.") % {"n": MAX_ATTACHMENTS}
    else:
        for upload in sub.attachments:
            problem = validate_upload(upload)
            if problem:
                errors["attachments"] = _("Tệp “%(name)s”: %(problem)s") % {"name": upload.name, "problem": problem}
                break
    return errors, links


def triage_office(dossier: Dossier | None = None) -> Agency:
    """Where a feedback is triaged: the centre that received the dossier, else the provincial centre."""
    if dossier is not None:
        return dossier.receiving_agency
    code = getattr(settings, "FEEDBACK_TRIAGE_AGENCY", "")
    office = Agency.objects.filter(code=code).first() if code else None
    if office is None:
        office = (Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True,
                                        unit__level=AdminUnit.Level.PROVINCE).order_by("code").first()
                  or Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True).order_by("code").first())
    if office is None:
        raise FeedbackError(_("Hệ thống chưa có trung tâm phục vụ hành chính công để tiếp nhận phản ánh."))
    return office


def _event(feedback, user, action, *, from_status="", agency=None, reason="", **data):
    return FeedbackEvent.objects.create(
        feedback=feedback, at=timezone.now(), actor=user if user is not None and user.is_authenticated else None,
        action=action, from_status=from_status, to_status=feedback.status, agency=agency, reason=reason,
        data={k: (v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, Decimal) else v)
              for k, v in data.items()})


def _search_text(feedback: Feedback) -> str:
    return fold(f"{feedback.code} {feedback.category.name} {feedback.title} {feedback.description} "
                f"{feedback.answer}")


@transaction.atomic
def submit(sub: Submission) -> Feedback:
    """Store a valid feedback with a tracking code and start verifying the sender's contact.

    Raises ``FeedbackError`` (with ``field_errors``) and stores nothing when anything is wrong.
    A feedback sent by an API client that verifies its own users is received at once.
    """
    errors, links = validate_submission(sub)
    if errors:
        raise FeedbackError(_("Thông tin phản ánh, kiến nghị chưa hợp lệ."), field_errors=errors)
    now = timezone.now()
    description = sub.description.strip()
    phone, email = clean_phone(sub.sender_phone), sub.sender_email.strip()
    feedback = Feedback(
        code=next_dossier_code(CODE_PREFIX, timezone.localdate(now)),
        category=sub.category, channel=sub.channel, api_key=sub.api_key,
        title=(sub.title or "").strip() or _short_title(description), description=description,
        procedure=links["procedure"], dossier=links["dossier"], concerned_agency=links["concerned_agency"],
        official_name=(sub.official_name or "").strip()[:150], address=(sub.address or "").strip()[:300],
        address_id=(sub.address_id or "")[:60], lat=sub.lat, long=sub.long, media_url=sub.media_url or "",
        attributes=sub.attributes or {}, sender_name=sub.sender_name.strip(), sender_phone=phone,
        sender_email=email, account_id=(sub.account_id or "")[:100], device_id=(sub.device_id or "")[:100],
        publish_identity=bool(sub.publish_identity), token=secrets.token_hex(16), submitted_at=now,
        receiving_agency=triage_office(links["dossier"]), status=Status.UNVERIFIED)
    feedback.search_text = _search_text(feedback)
    feedback.save()
    for upload in sub.attachments:
        Attachment.objects.create(feedback=feedback, file=upload, name=upload.name[:200],
                                  content_type=getattr(upload, "content_type", ""), size=upload.size)
    _event(feedback, None, "submit", agency=feedback.receiving_agency, channel=feedback.channel,
           api_key=sub.api_key.name if sub.api_key else "")
    if sub.api_key is not None and sub.api_key.trusted_contacts:
        _receive(feedback, now, verified_by=_("ứng dụng %(app)s") % {"app": sub.api_key.name})
    else:
        _start_verification(feedback, sub.verify_by or ("sms" if phone else "email"), now)
    return feedback


def _short_title(description: str) -> str:
    first = description.strip().splitlines()[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "…"


# ---------------------------------------------------------------- verifying the contact


def _hash(secret: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{secret}".encode()).hexdigest()


def _check_contact_quota(recipient: str, now: datetime) -> None:
    recent = Verification.objects.filter(recipient=recipient, created_at__gt=now - timedelta(hours=1)).count()
    if recent >= MAX_CODES_PER_CONTACT_HOUR:
        raise FeedbackError(_("%(contact)s đã nhận %(n)d mã xác thực trong một giờ qua. Vui lòng thử lại sau.")
                            % {"contact": recipient, "n": recent},
                            field_errors={"sender_phone" if "@" not in recipient else "sender_email":
                                          _("Đã nhận quá nhiều mã xác thực; vui lòng thử lại sau một giờ.")})


def _start_verification(feedback: Feedback, channel: str, now: datetime) -> Verification:
    _check_contact_quota(feedback.sender_phone if channel == Verification.Channel.SMS else feedback.sender_email,
                         now)
    if channel == Verification.Channel.SMS:
        secret = f"{secrets.randbelow(10**6):06d}"
        row = Verification.objects.create(feedback=feedback, channel=channel, recipient=feedback.sender_phone,
                                          code_hash=_hash(secret), created_at=now, expires_at=now + SMS_CODE_LIFETIME)
    else:
        row = Verification.objects.create(feedback=feedback, channel=Verification.Channel.EMAIL,
                                          recipient=feedback.sender_email, created_at=now,
                                          expires_at=now + EMAIL_LINK_LIFETIME)
        secret = signing.dumps({"v": row.pk}, salt=_SIGNING_SALT)
    notify.verification(feedback, row.channel, row.recipient, secret)
    return row


@transaction.atomic
def resend_verification(code: str, channel: str = "") -> Verification:
    """Send a new SMS code (or e-mail link); at most three per feedback."""
    feedback = Feedback.objects.select_for_update().filter(code=code).first()
    if feedback is None:
        raise FeedbackError(_("Không có phản ánh mã “%(code)s”.") % {"code": code}, status=404)
    if feedback.status != Status.UNVERIFIED:
        raise FeedbackError(_("Thông tin liên hệ của phản ánh này đã được xác thực."))
    if feedback.verifications.count() >= MAX_VERIFICATIONS:
        raise FeedbackError(_("Đã gửi mã xác thực %(n)d lần. Vui lòng gửi lại phản ánh hoặc liên hệ bộ phận một "
                              "cửa.") % {"n": MAX_VERIFICATIONS})
    if channel not in ("sms", "email"):
        channel = "sms" if feedback.sender_phone else "email"
    if channel == "sms" and not feedback.sender_phone or channel == "email" and not feedback.sender_email:
        raise FeedbackError(_("Phản ánh này không có thông tin liên hệ đó."))
    return _start_verification(feedback, channel, timezone.now())


def verify_code(code: str, secret: str) -> Feedback:
    """Check the SMS code; five wrong tries spend the code (a new one must be sent)."""
    secret = (secret or "").strip()
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().filter(code=code).first()
        if feedback is None:
            raise FeedbackError(_("Không có phản ánh mã “%(code)s”.") % {"code": code}, status=404)
        if feedback.status != Status.UNVERIFIED:
            return feedback
        now = timezone.now()
        row = feedback.verifications.filter(channel=Verification.Channel.SMS).order_by("-created_at").first()
        if row is None:
            raise FeedbackError(_("Chưa có mã xác thực nào được gửi qua SMS cho phản ánh này."))
        if row.expires_at < now or row.attempts >= MAX_CODE_ATTEMPTS:
            raise FeedbackError(_("Mã xác thực đã hết hiệu lực. Vui lòng bấm “Gửi lại mã”."))
        if secrets.compare_digest(row.code_hash, _hash(secret)):
            row.verified_at = now
            row.save(update_fields=["verified_at"])
            _receive(feedback, now, verified_by=_("mã SMS"))
            return feedback
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = MAX_CODE_ATTEMPTS - row.attempts
    # Raised after the commit so the wrong try is counted.
    raise FeedbackError(_("Mã xác thực không đúng. Còn %(n)d lần thử.") % {"n": left} if left else
                        _("Mã xác thực không đúng. Mã đã hết lượt thử, vui lòng bấm “Gửi lại mã”."),
                        field_errors={"secret": _("Mã không đúng.")})


@transaction.atomic
def verify_link(code: str, token: str) -> Feedback:
    """Check the signed link sent by e-mail (valid three days)."""
    try:
        data = signing.loads(token, salt=_SIGNING_SALT, max_age=EMAIL_LINK_LIFETIME)
    except signing.SignatureExpired:
        raise FeedbackError(_("Liên kết xác thực đã hết hạn. Vui lòng yêu cầu gửi lại.")) from None
    except signing.BadSignature:
        raise FeedbackError(_("Liên kết xác thực không hợp lệ.")) from None
    row = Verification.objects.select_related("feedback").filter(pk=data.get("v"), feedback__code=code).first()
    if row is None:
        raise FeedbackError(_("Liên kết xác thực không hợp lệ."))
    feedback = Feedback.objects.select_for_update().get(pk=row.feedback_id)
    if feedback.status == Status.UNVERIFIED:
        now = timezone.now()
        Verification.objects.filter(pk=row.pk).update(verified_at=now)
        _receive(feedback, now, verified_by=_("thư điện tử"))
    return feedback


def _receive(feedback: Feedback, now: datetime, verified_by: str) -> None:
    before = feedback.status
    feedback.status = Status.RECEIVED
    feedback.contact_verified_at = feedback.received_at = now
    _save(feedback)
    _event(feedback, None, "verify", from_status=before, agency=feedback.receiving_agency, verified_by=verified_by)
    notify.sender(feedback, "received")


# ---------------------------------------------------------------- permissions


def can_triage(user, feedback: Feedback) -> bool:
    return any(orgs.can_act(user, feedback.receiving_agency, role) for role in TRIAGE_ROLES)


def can_answer(user, feedback: Feedback) -> bool:
    agency = feedback.responsible_agency
    return agency is not None and any(orgs.can_act(user, agency, role) for role in ANSWER_ROLES)


def can_read(user, feedback: Feedback) -> bool:
    """The receiving office, the responsible agency (now or before) and inspectors."""
    if orgs.is_inspector(user) or can_triage(user, feedback):
        return True
    mine = orgs.agency_ids_for(user)
    if feedback.responsible_agency_id in mine:
        return True
    earlier = set(feedback.events.filter(action__in=["route", "forward"]).values_list("agency_id", flat=True))
    return bool(earlier & mine)


def readable(user):
    """Feedback an official may see in the desk list (one query)."""
    if orgs.is_inspector(user):
        return Feedback.objects.all()
    triage = orgs.agency_ids_for(user, roles=TRIAGE_ROLES)
    mine = orgs.agency_ids_for(user)
    return Feedback.objects.filter(Q(receiving_agency_id__in=triage) | Q(responsible_agency_id__in=mine))


def higher_agencies(agency: Agency) -> list[Agency]:
    """Agencies a feedback may be forwarded up to: parent agencies and People's Committees above."""
    found, seen = [], {agency.pk}
    parent = agency.parent
    while parent is not None:
        if parent.pk not in seen:
            found.append(parent)
            seen.add(parent.pk)
        parent = parent.parent
    units = [agency.unit] + agency.unit.ancestors()
    for committee in Agency.objects.filter(unit__in=units, kind=Agency.Kind.PEOPLES_COMMITTEE, is_active=True) \
            .select_related("unit"):
        if committee.pk not in seen:
            found.append(committee)
            seen.add(committee.pk)
    order = {unit.pk: depth for depth, unit in enumerate(units)}
    return sorted(found, key=lambda a: (order.get(a.unit_id, 0), a.code))


def suggested_agency(feedback: Feedback) -> Agency | None:
    """The agency the triage form proposes: the dossier's competent agency, the agency of the
    official concerned, or the category's default."""
    if feedback.dossier_id:
        return feedback.dossier.competent_agency
    if feedback.concerned_agency_id:
        return feedback.concerned_agency
    if feedback.procedure_id and feedback.procedure.current_version_id:
        agency = feedback.procedure.current_version.agencies.order_by("code").first()
        if agency is not None:
            return agency
    return feedback.category.default_agency


# ---------------------------------------------------------------- staff actions


def _lock(feedback_id: int, expected_version: int | None) -> Feedback:
    feedback = (Feedback.objects.select_for_update(of=("self",))
                .select_related("category", "receiving_agency", "responsible_agency").get(pk=feedback_id))
    if expected_version is not None and feedback.row_version != expected_version:
        raise StaleFeedback(_("Phản ánh %(code)s vừa được người khác cập nhật. Vui lòng tải lại trang để xem "
                              "trạng thái mới nhất trước khi thao tác.") % {"code": feedback.code}, status=409)
    return feedback


def _save(feedback: Feedback) -> None:
    feedback.row_version += 1
    feedback.save()


def _require_triage(user, feedback: Feedback, action: str) -> None:
    if not can_triage(user, feedback):
        raise NotAllowed(_("Chỉ công chức tiếp nhận hoặc quản trị của %(agency)s được %(action)s phản ánh này.")
                         % {"agency": feedback.receiving_agency.name, "action": action})


def _require_answerer(user, feedback: Feedback, action: str) -> None:
    if not can_answer(user, feedback):
        agency = feedback.responsible_agency.name if feedback.responsible_agency_id else ""
        raise NotAllowed(_("Chỉ chuyên viên hoặc lãnh đạo của %(agency)s được %(action)s phản ánh này.")
                         % {"agency": agency, "action": action})


def _require_status(feedback: Feedback, allowed, action: str) -> None:
    if feedback.status not in allowed:
        raise FeedbackError(_("Không thể %(action)s phản ánh đang ở trạng thái “%(status)s”.")
                            % {"action": action, "status": feedback.get_status_display()})


def _due(agency: Agency, days, now: datetime) -> datetime:
    cal = calendar.get_calendar(agency)
    return calendar.due_moment(calendar.reception_start(now, calendar=cal), days, "working_days", calendar=cal)


def _assign(feedback: Feedback, agency: Agency, now: datetime) -> None:
    feedback.responsible_agency = agency
    feedback.assigned_at = now
    feedback.due_at = _due(agency, feedback.category.response_days, now)
    feedback.reminder_sent_at = feedback.overdue_flagged_at = None
    feedback.status = Status.ASSIGNED


def _announce_to_agency(feedback: Feedback, kind: str) -> None:
    notify.staff(feedback, feedback.responsible_agency, ANSWER_ROLES, kind,
                 _("Phản ánh, kiến nghị %(code)s cần trả lời trước %(due)s") % {
                     "code": feedback.code, "due": notify._when(feedback.due_at)},
                 _("%(agency)s được giao trả lời phản ánh, kiến nghị %(code)s (%(category)s): “%(title)s”. "
                   "Hạn trả lời: %(due)s.") % {"agency": feedback.responsible_agency.name, "code": feedback.code,
                                              "category": feedback.category.name, "title": feedback.title,
                                              "due": notify._when(feedback.due_at)})


def _active_category(category) -> Category:
    if category is None or not Category.objects.filter(pk=category.pk, is_active=True).exists():
        raise FeedbackError(_("Vui lòng chọn loại phản ánh đang sử dụng."), field_errors={"category": _("Bắt buộc.")})
    return category


def _classify(user, feedback: Feedback, category: Category, now: datetime) -> bool:
    if category.pk == feedback.category_id:
        return False
    old = feedback.category
    feedback.category = category
    if feedback.status == Status.ASSIGNED and category.response_days != old.response_days:
        feedback.due_at = _due(feedback.responsible_agency, category.response_days, feedback.assigned_at)
    feedback.search_text = _search_text(feedback)
    _event(feedback, user, "classify", from_status=feedback.status, agency=feedback.receiving_agency,
           from_category=old.code, to_category=category.code, due_at=feedback.due_at)
    return True


@transaction.atomic
def classify(user, feedback_id: int, expected_version: int | None, category: Category) -> Feedback:
    """Change the category (and so the response time) of a feedback being triaged or handled."""
    category = _active_category(category)
    feedback = _lock(feedback_id, expected_version)
    _require_status(feedback, OPEN_STATUSES, _("phân loại"))
    _require_triage(user, feedback, _("phân loại"))
    if _classify(user, feedback, category, timezone.now()):
        _save(feedback)
    return feedback


@transaction.atomic
def route(user, feedback_id: int, expected_version: int | None, agency: Agency, category: Category | None = None,
          note: str = "") -> Feedback:
    """Classify (optionally) and send the feedback to the agency that must answer it; the deadline starts."""
    if agency is None or not agency.is_active:
        raise FeedbackError(_("Vui lòng chọn cơ quan xử lý."), field_errors={"agency": _("Bắt buộc.")})
    if category is not None:
        category = _active_category(category)
    feedback = _lock(feedback_id, expected_version)
    _require_status(feedback, OPEN_STATUSES, _("chuyển xử lý"))
    _require_triage(user, feedback, _("chuyển xử lý"))
    now = timezone.now()
    if category is not None:
        _classify(user, feedback, category, now)
    before, previous = feedback.status, feedback.responsible_agency
    if previous is not None and previous.pk == agency.pk and before == Status.ASSIGNED:
        raise FeedbackError(_("Phản ánh đang được %(agency)s xử lý.") % {"agency": agency.name})
    _assign(feedback, agency, now)
    _save(feedback)
    _event(feedback, user, "route", from_status=before, agency=agency, reason=note.strip(),
           previous_agency=previous.name if previous else "", due_at=feedback.due_at)
    notify.sender(feedback, "routed")
    _announce_to_agency(feedback, "assigned")
    return feedback


@transaction.atomic
def merge(user, feedback_id: int, expected_version: int | None, into_code: str, note: str = "") -> Feedback:
    """Close a duplicate: it is answered together with ``into_code`` (its duplicates move along)."""
    into_code = (into_code or "").strip().upper()
    feedback = _lock(feedback_id, expected_version)
    _require_status(feedback, OPEN_STATUSES, _("gộp"))
    _require_triage(user, feedback, _("gộp"))
    if not into_code or into_code == feedback.code:
        raise FeedbackError(_("Vui lòng nhập mã của phản ánh khác có cùng nội dung."),
                            field_errors={"into_code": _("Bắt buộc.")})
    target = Feedback.objects.select_for_update().filter(code=into_code).first()
    if target is None:
        raise FeedbackError(_("Không có phản ánh mã “%(code)s”.") % {"code": into_code},
                            field_errors={"into_code": _("Không tìm thấy.")})
    if target.status not in (Status.RECEIVED, Status.ASSIGNED, Status.ANSWERED):
        raise FeedbackError(_("Không thể gộp vào phản ánh %(code)s đang ở trạng thái “%(status)s”.")
                            % {"code": target.code, "status": target.get_status_display()})
    now = timezone.now()
    before = feedback.status
    feedback.status, feedback.merged_into, feedback.closed_at = Status.MERGED, target, now
    _save(feedback)
    moved = list(Feedback.objects.filter(merged_into=feedback).values_list("code", flat=True))
    Feedback.objects.filter(merged_into=feedback).update(merged_into=target)
    _event(feedback, user, "merge", from_status=before, agency=feedback.receiving_agency, reason=note.strip(),
           into=target.code)
    _event(target, user, "duplicate_merged", from_status=target.status, agency=feedback.receiving_agency,
           duplicate=feedback.code, moved=moved)
    notify.sender(feedback, "merged", target=target.code)
    if target.status == Status.ANSWERED:
        notify.sender(feedback, "answered", agency=target.responsible_agency.name, answer=target.answer)
    return feedback


@transaction.atomic
def reject(user, feedback_id: int, expected_version: int | None, reason: str) -> Feedback:
    """Close a feedback out of scope (not about administrative regulations or their handling…)."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise FeedbackError(_("Vui lòng ghi rõ lý do không xử lý (ít nhất 10 ký tự)."),
                            field_errors={"reason": _("Bắt buộc.")})
    feedback = _lock(feedback_id, expected_version)
    _require_status(feedback, OPEN_STATUSES, _("từ chối"))
    _require_triage(user, feedback, _("từ chối"))
    before = feedback.status
    feedback.status, feedback.reject_reason, feedback.closed_at = Status.REJECTED, reason, timezone.now()
    _save(feedback)
    _event(feedback, user, "reject", from_status=before, agency=feedback.receiving_agency, reason=reason)
    notify.sender(feedback, "rejected")
    return feedback


@transaction.atomic
def answer(user, feedback_id: int, expected_version: int | None, text: str, publish: bool = True) -> Feedback:
    """The responsible agency answers; on time when before the due moment. Duplicates get the answer."""
    text = (text or "").strip()
    if len(text) < MIN_DESCRIPTION:
        raise FeedbackError(_("Vui lòng nhập nội dung trả lời (ít nhất %(n)d ký tự).") % {"n": MIN_DESCRIPTION},
                            field_errors={"answer": _("Bắt buộc.")})
    feedback = _lock(feedback_id, expected_version)
    _require_status(feedback, [Status.ASSIGNED], _("trả lời"))
    _require_answerer(user, feedback, _("trả lời"))
    now = timezone.now()
    before = feedback.status
    feedback.status, feedback.answer, feedback.answered_at, feedback.answered_by = Status.ANSWERED, text, now, user
    feedback.closed_at = now
    feedback.timeliness = Timeliness.LATE if now > feedback.due_at else Timeliness.ON_TIME
    feedback.is_published = bool(publish)
    feedback.search_text = _search_text(feedback)
    _save(feedback)
    _event(feedback, user, "answer", from_status=before, agency=feedback.responsible_agency,
           timeliness=feedback.timeliness, published=feedback.is_published, due_at=feedback.due_at)
    notify.sender(feedback, "answered")
    for duplicate in feedback.duplicates.all():
        notify.sender(duplicate, "answered", agency=feedback.responsible_agency.name, answer=text,
                      url=notify.tracking_url(duplicate))
    return feedback


@transaction.atomic
def forward(user, feedback_id: int, expected_version: int | None, agency: Agency, reason: str) -> Feedback:
    """Send the feedback up to a higher agency, which gets a full new response period."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise FeedbackError(_("Vui lòng ghi rõ lý do chuyển cơ quan cấp trên (ít nhất 10 ký tự)."),
                            field_errors={"reason": _("Bắt buộc.")})
    feedback = _lock(feedback_id, expected_version)
    _require_status(feedback, [Status.ASSIGNED], _("chuyển cấp trên"))
    _require_answerer(user, feedback, _("chuyển cấp trên"))
    if agency is None or agency.pk not in {a.pk for a in higher_agencies(feedback.responsible_agency)}:
        raise FeedbackError(_("Chỉ chuyển được lên cơ quan cấp trên của %(agency)s.")
                            % {"agency": feedback.responsible_agency.name}, field_errors={"agency": _("Không hợp lệ.")})
    previous, previous_due = feedback.responsible_agency, feedback.due_at
    _assign(feedback, agency, timezone.now())
    _save(feedback)
    _event(feedback, user, "forward", from_status=Status.ASSIGNED, agency=agency, reason=reason,
           from_agency=previous.name, previous_due_at=previous_due, due_at=feedback.due_at)
    notify.sender(feedback, "forwarded")
    _announce_to_agency(feedback, "forwarded")
    return feedback


@transaction.atomic
def set_published(user, feedback_id: int, expected_version: int | None, published: bool) -> Feedback:
    """Withdraw an answer from the public page (or publish it again)."""
    feedback = _lock(feedback_id, expected_version)
    _require_status(feedback, [Status.ANSWERED], _("thay đổi việc công khai"))
    if not (can_triage(user, feedback) or can_answer(user, feedback)):
        raise NotAllowed(_("Bạn không có quyền thay đổi việc công khai phản ánh này."))
    if feedback.is_published == bool(published):
        return feedback
    feedback.is_published = bool(published)
    _save(feedback)
    _event(feedback, user, "publish" if published else "unpublish", from_status=feedback.status,
           agency=feedback.responsible_agency)
    return feedback


# ---------------------------------------------------------------- deadline watch (background job)


def _remind_one(feedback_id: int, now: datetime) -> bool:
    with transaction.atomic():
        feedback = (Feedback.objects.select_for_update(of=("self",))
                    .select_related("category", "responsible_agency").get(pk=feedback_id))
        if feedback.status != Status.ASSIGNED or feedback.reminder_sent_at or feedback.due_at <= now:
            return False
        cal = calendar.get_calendar(feedback.responsible_agency)
        left = wc.working_days_between(cal, now, feedback.due_at)
        if left > feedback.category.reminder_days:
            return False
        feedback.reminder_sent_at = now
        feedback.save(update_fields=["reminder_sent_at", "updated_at"])
        _event(feedback, None, "remind", from_status=feedback.status, agency=feedback.responsible_agency,
               due_at=feedback.due_at, working_days_left=left.quantize(Decimal("0.1")))
        notify.staff(feedback, feedback.responsible_agency, ANSWER_ROLES, "reminder",
                     _("Nhắc hạn: phản ánh, kiến nghị %(code)s phải trả lời trước %(due)s") % {
                         "code": feedback.code, "due": notify._when(feedback.due_at)},
                     _("Phản ánh, kiến nghị %(code)s (“%(title)s”) còn %(left)s ngày làm việc đến hạn trả lời "
                       "(%(due)s).") % {"code": feedback.code, "title": feedback.title,
                                        "left": catalog.format_amount(left.quantize(Decimal("0.1"))),
                                        "due": notify._when(feedback.due_at)})
        return True


def send_reminders(now: datetime | None = None) -> list[str]:
    """Remind the responsible agency ``reminder_days`` working days before the deadline. Idempotent."""
    now = now or timezone.now()
    # A working day spans at most ~10 calendar days (Tết): a generous window, refined per row.
    longest = max([int(c.reminder_days) + 1 for c in Category.objects.all()] or [1])
    ids = Feedback.objects.filter(status=Status.ASSIGNED, reminder_sent_at__isnull=True, due_at__gt=now,
                                  due_at__lte=now + timedelta(days=longest * 3 + 10)).values_list("id", "code")
    return [code for feedback_id, code in list(ids) if _remind_one(feedback_id, now)]


def flag_overdue(now: datetime | None = None) -> list[str]:
    """Flag feedback past its deadline and tell the agency's leaders and the receiving office. Idempotent."""
    now = now or timezone.now()
    flagged = []
    ids = Feedback.objects.filter(status=Status.ASSIGNED, overdue_flagged_at__isnull=True, due_at__lt=now) \
        .values_list("id", flat=True)
    for feedback_id in list(ids):
        with transaction.atomic():
            feedback = (Feedback.objects.select_for_update(of=("self",))
                        .select_related("category", "responsible_agency", "receiving_agency").get(pk=feedback_id))
            if feedback.status != Status.ASSIGNED or feedback.overdue_flagged_at or feedback.due_at >= now:
                continue
            feedback.overdue_flagged_at = now
            feedback.save(update_fields=["overdue_flagged_at", "updated_at"])
            _event(feedback, None, "overdue", from_status=feedback.status, agency=feedback.responsible_agency,
                   due_at=feedback.due_at)
            subject = _("Quá hạn: phản ánh, kiến nghị %(code)s chưa được trả lời") % {"code": feedback.code}
            body = _("%(agency)s chưa trả lời phản ánh, kiến nghị %(code)s (“%(title)s”); hạn trả lời là %(due)s.") % {
                "agency": feedback.responsible_agency.name, "code": feedback.code, "title": feedback.title,
                "due": notify._when(feedback.due_at)}
            notify.staff(feedback, feedback.responsible_agency, ANSWER_ROLES, "overdue", subject, body)
            notify.staff(feedback, feedback.receiving_agency, TRIAGE_ROLES, "overdue_office", subject, body)
            flagged.append(feedback.code)
    return flagged


# ---------------------------------------------------------------- reading


def is_overdue(feedback: Feedback, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return feedback.status == Status.ASSIGNED and feedback.due_at is not None and feedback.due_at < now


def explain_due(feedback: Feedback) -> list[str]:
    """Vietnamese lines saying how the response deadline was reached (holidays, swaps)."""
    if not (feedback.assigned_at and feedback.due_at):
        return []
    fmt = "%H:%M %d/%m/%Y"
    lines = [_("Thời hạn trả lời: %(days)s ngày làm việc kể từ khi chuyển đến %(agency)s lúc %(at)s.") % {
        "days": catalog.format_amount(feedback.category.response_days),
        "agency": feedback.responsible_agency.name, "at": timezone.localtime(feedback.assigned_at).strftime(fmt)}]
    start = calendar.reception_start(feedback.assigned_at, feedback.responsible_agency)
    lines += calendar.explain_due(start, feedback.due_at, agency=feedback.responsible_agency,
                                  received_at=feedback.assigned_at)
    lines.append(_("Hạn trả lời: %(due)s.") % {"due": timezone.localtime(feedback.due_at).strftime(fmt)})
    return lines


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_NUMBER = re.compile(r"(?<![\d+])\+?\d[\d .]{7,14}\d(?!\d)")


def redact(text: str) -> str:
    """``text`` without e-mail addresses and phone / identity numbers (9+ digits), for the public page."""
    text = _EMAIL.sub(_("[đã ẩn]"), text or "")

    def hide(match):
        digits = re.sub(r"\D", "", match.group(0))
        return _("[đã ẩn]") if len(digits) >= 9 else match.group(0)
    return _NUMBER.sub(hide, text)


def public_sender(feedback: Feedback) -> str:
    if feedback.publish_identity:
        return feedback.sender_name
    return _("Người gửi đề nghị không công khai danh tính")


def published(q: str = "", category=None):
    """Answered feedback published on the portal matching ``q`` (accents and case ignored), newest first."""
    qs = Feedback.objects.filter(status=Status.ANSWERED, is_published=True)
    if category is not None:
        qs = qs.filter(category=category)
    for word in fold((q or "")[:200]).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("category", "responsible_agency").order_by("-answered_at", "-id")


PUBLIC_ACTIONS = {"verify", "route", "forward", "merge", "reject", "answer"}


def public_timeline(feedback: Feedback):
    """Events a sender may see (no officials' names, no internal notes)."""
    return [e for e in feedback.events.select_related("agency").order_by("at", "id") if e.action in PUBLIC_ACTIONS]


def find_for_sender(code: str, contact: str) -> Feedback:
    """The sender's own feedback: its code plus the last 4 digits of the phone or the e-mail address."""
    code, contact = (code or "").strip().upper(), (contact or "").strip()
    feedback = Feedback.objects.select_related("category", "responsible_agency", "merged_into").filter(
        code=code).first() if code else None
    ok = feedback is not None and contact and (
        (feedback.sender_phone and len(contact) == 4 and contact.isdigit() and feedback.sender_phone.endswith(contact))
        or (feedback.sender_email and contact.lower() == feedback.sender_email.lower()))
    if not ok:
        raise FeedbackError(_("Không tìm thấy phản ánh với mã và thông tin liên hệ đã nhập. Vui lòng kiểm tra lại "
                              "mã phản ánh và 4 số cuối điện thoại (hoặc địa chỉ thư điện tử)."), status=404)
    return feedback


# ---------------------------------------------------------------- counts for reports


PERIODS = ("day", "month", "quarter", "year")


def _period_key(moment: datetime, period: str):
    day = timezone.localtime(moment).date()
    if period == "day":
        return day.isoformat()
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def counts(start: datetime, end: datetime, agency_ids=None, group_by=("agency",), period: str = "month",
           now: datetime | None = None) -> list[dict]:
    """Feedback figures for reports over ``[start, end)`` (aware datetimes).

    ``group_by`` is any combination of ``"agency"`` (the responsible agency; ``None`` while not
    yet routed), ``"category"`` and ``"period"`` (buckets of ``period``: day, month, quarter, year,
    in Vietnam time); an empty tuple gives one total row. ``agency_ids`` keeps only feedback whose
    responsible agency is one of them. Each row is a dict with the group keys (``agency_id``,
    ``agency_name``, ``category_code``, ``category_name``, ``period``) and:

    * ``received`` — received (contact verified) in the range;
    * ``answered``, ``answered_on_time``, ``answered_late`` — answered in the range, split by
      the response deadline in force when answered;
    * ``rejected``, ``merged`` — closed in the range as out of scope / duplicate;
    * ``open`` — received before the end of the row's range and not closed then;
    * ``open_overdue`` — of those, already past their deadline at the end of the range (or
      now, if earlier): like dossiers, an on-time rate must count them in its denominator;
    * ``on_time_rate`` — answered on time ÷ (answered + open overdue), in percent, or None.

    Rows are sorted by their group keys. One query per figure family, grouped in Python, so it
    stays cheap for a province's yearly volume.
    """
    if group_by is None:
        group_by = ()
    unknown = set(group_by) - {"agency", "category", "period"}
    if unknown or period not in PERIODS:
        raise ValueError(f"group_by must use agency/category/period and period one of {PERIODS}")
    now = now or timezone.now()
    base = Feedback.objects.exclude(status=Status.UNVERIFIED)
    if agency_ids is not None:
        base = base.filter(responsible_agency_id__in=list(agency_ids))
    fields = ["responsible_agency_id", "responsible_agency__name", "category__code", "category__name"]
    rows: dict[tuple, dict] = {}

    def bucket(values, moment):
        key = []
        if "agency" in group_by:
            key.append(values["responsible_agency_id"])
        if "category" in group_by:
            key.append(values["category__code"])
        if "period" in group_by:
            key.append(_period_key(moment, period))
        key = tuple(key)
        row = rows.get(key)
        if row is None:
            row = rows[key] = {"received": 0, "answered": 0, "answered_on_time": 0, "answered_late": 0,
                               "rejected": 0, "merged": 0, "open": 0, "open_overdue": 0}
            if "agency" in group_by:
                row["agency_id"] = values["responsible_agency_id"]
                row["agency_name"] = values["responsible_agency__name"]
            if "category" in group_by:
                row["category_code"], row["category_name"] = values["category__code"], values["category__name"]
            if "period" in group_by:
                row["period"] = _period_key(moment, period)
        return row

    for values in base.filter(received_at__gte=start, received_at__lt=end).values(*fields, "received_at"):
        bucket(values, values["received_at"])["received"] += 1
    for values in base.filter(status=Status.ANSWERED, answered_at__gte=start, answered_at__lt=end) \
            .values(*fields, "answered_at", "timeliness"):
        row = bucket(values, values["answered_at"])
        row["answered"] += 1
        row["answered_on_time" if values["timeliness"] == Timeliness.ON_TIME else "answered_late"] += 1
    for values in base.filter(status__in=[Status.REJECTED, Status.MERGED], closed_at__gte=start, closed_at__lt=end) \
            .values(*fields, "closed_at", "status"):
        bucket(values, values["closed_at"])["rejected" if values["status"] == Status.REJECTED else "merged"] += 1
    # Open at the end of each bucket: with periods, every period end is a moment to look at.
    ends = [end]
    if "period" in group_by:
        ends = sorted({_period_end(m, period, end) for m in _period_starts(start, end, period)})
    for moment in ends:
        at = min(moment, now)
        open_qs = base.filter(received_at__lt=at).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=at))
        for values in open_qs.values(*fields, "due_at"):
            row = bucket(values, moment - timedelta(microseconds=1))
            row["open"] += 1
            if values["due_at"] is not None and values["due_at"] < at:
                row["open_overdue"] += 1
    result = []
    for key in sorted(rows, key=lambda k: tuple((v is None, str(v)) for v in k)):
        row = rows[key]
        denominator = row["answered"] + row["open_overdue"]
        row["on_time_rate"] = round(100 * row["answered_on_time"] / denominator, 1) if denominator else None
        result.append(row)
    return result


def _period_starts(start: datetime, end: datetime, period: str):
    """Local-time starts of the periods that overlap [start, end)."""
    tz = timezone.get_current_timezone()
    day = timezone.localtime(start).date()
    if period == "month":
        day = day.replace(day=1)
    elif period == "quarter":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif period == "year":
        day = day.replace(month=1, day=1)
    while True:
        moment = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        if moment >= end:
            return
        yield max(moment, start)
        day = _next_period_day(day, period)


def _next_period_day(day, period):
    if period == "day":
        return day + timedelta(days=1)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def _period_end(moment: datetime, period: str, end: datetime) -> datetime:
    tz = timezone.get_current_timezone()
    day = timezone.localtime(moment).date()
    if period == "month":
        day = day.replace(day=1)
    elif period == "quarter":
        day = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    elif period == "year":
        day = day.replace(month=1, day=1)
    return min(datetime.combine(_next_period_day(day, period), datetime.min.time(), tzinfo=tz), end)


def category_counts():
    """Published answers per category, for the public page's filter."""
    return dict(Feedback.objects.filter(status=Status.ANSWERED, is_published=True)
                .values_list("category_id").annotate(n=Count("id")))


# ---------------------------------------------------------------- API keys


def _key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_api_key(name: str, contact: str = "", trusted_contacts: bool = False, raw: str | None = None) -> tuple[ApiKey, str]:
    """A new API key; the raw key is returned once and only its hash is stored."""
    raw = raw or secrets.token_urlsafe(30)
    key = ApiKey.objects.create(name=name, contact=contact, trusted_contacts=trusted_contacts, prefix=raw[:8],
                                key_hash=_key_hash(raw))
    return key, raw


def check_api_key(raw: str) -> ApiKey | None:
    """The active key matching ``raw`` (its last use recorded), or None."""
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=_key_hash(raw.strip()), is_active=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


__all__ = ["FeedbackError", "StaleFeedback", "NotAllowed", "Submission", "submit", "verify_code", "verify_link",
           "resend_verification", "classify", "route", "merge", "reject", "answer", "forward", "set_published",
           "send_reminders", "flag_overdue", "counts", "published", "CLOSED_STATUSES"]
