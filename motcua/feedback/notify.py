"""Messages about a feedback: rows written in the action's transaction, sent by a job after commit.

The same providers as dossier notifications: Django's mail framework for e-mail and the class
named in ``settings.SMS_PROVIDER`` (``motcua.dossiers.notify.FileSmsProvider`` by default) for
SMS, so one SMS gateway configuration serves both.
"""
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers import notify as dossier_notify
from motcua.feedback.models import Feedback, Notification
from motcua.orgs.models import StaffRole

FMT = "%H:%M ngày %d/%m/%Y"


def public_url(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def tracking_url(feedback: Feedback) -> str:
    return public_url(reverse("feedback:track") + f"?ma={feedback.code}")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime(FMT) if moment else ""


def _sender_texts(feedback: Feedback, kind: str, extra: dict) -> tuple[str, str, str] | None:
    """(subject, e-mail body, SMS text) for the sender, or None for an unknown kind."""
    values = {"code": feedback.code, "url": tracking_url(feedback), "due": _when(feedback.due_at),
              "agency": feedback.responsible_agency.name if feedback.responsible_agency_id else "",
              "reason": feedback.reject_reason, "answer": feedback.answer, **extra}
    texts = {
        "received": (
            _("Phản ánh, kiến nghị %(code)s đã được tiếp nhận"),
            _("Phản ánh, kiến nghị của ông/bà đã được tiếp nhận với mã %(code)s. Theo dõi tại %(url)s"),
            _("Phản ánh %(code)s đã được tiếp nhận. Theo dõi: %(url)s")),
        "routed": (
            _("Phản ánh, kiến nghị %(code)s đã được chuyển đến cơ quan xử lý"),
            _("Phản ánh, kiến nghị %(code)s đã được chuyển đến %(agency)s. Hạn trả lời: %(due)s. Theo dõi tại %(url)s"),
            _("Phản ánh %(code)s đã chuyển đến %(agency)s, hạn trả lời %(due)s. Theo dõi: %(url)s")),
        "forwarded": (
            _("Phản ánh, kiến nghị %(code)s đã được chuyển lên cơ quan cấp trên"),
            _("Phản ánh, kiến nghị %(code)s đã được chuyển đến %(agency)s để xử lý. Hạn trả lời mới: %(due)s. "
              "Theo dõi tại %(url)s"),
            _("Phản ánh %(code)s đã chuyển lên %(agency)s, hạn trả lời %(due)s. Theo dõi: %(url)s")),
        "answered": (
            _("Trả lời phản ánh, kiến nghị %(code)s"),
            _("%(agency)s trả lời phản ánh, kiến nghị %(code)s của ông/bà:\n\n%(answer)s\n\nXem tại %(url)s"),
            _("Phản ánh %(code)s đã có câu trả lời. Xem tại: %(url)s")),
        "rejected": (
            _("Phản ánh, kiến nghị %(code)s không được xử lý"),
            _("Phản ánh, kiến nghị %(code)s không thuộc phạm vi xử lý. Lý do: %(reason)s"),
            _("Phản ánh %(code)s không được xử lý. Xem lý do tại: %(url)s")),
        "merged": (
            _("Phản ánh, kiến nghị %(code)s được xử lý cùng phản ánh %(target)s"),
            _("Phản ánh, kiến nghị %(code)s có cùng nội dung với phản ánh %(target)s nên được xử lý chung; "
              "ông/bà sẽ nhận được câu trả lời. Theo dõi tại %(url)s"),
            _("Phản ánh %(code)s được xử lý chung với %(target)s. Theo dõi: %(url)s")),
    }
    if kind not in texts:
        return None
    subject, body, sms = texts[kind]
    return subject % values, body % values, sms % values


def _queue(rows: list[Notification]) -> list[Notification]:
    if not rows:
        return []
    rows = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _schedule(ids))
    return rows


def _schedule(ids):
    from motcua.feedback import tasks
    for notification_id in ids:
        tasks.send_notification(notification_id)


def sender(feedback: Feedback, kind: str, **extra) -> list[Notification]:
    """Queue e-mail and SMS for the sender; only to a contact the sender has verified."""
    if feedback.contact_verified_at is None:
        return []
    texts = _sender_texts(feedback, kind, extra)
    if texts is None:
        return []
    subject, body, sms = texts
    rows = []
    if feedback.sender_email:
        rows.append(Notification(feedback=feedback, kind=kind, channel=Notification.Channel.EMAIL,
                                 recipient=feedback.sender_email, subject=subject, body=body))
    if feedback.sender_phone:
        rows.append(Notification(feedback=feedback, kind=kind, channel=Notification.Channel.SMS,
                                 recipient=feedback.sender_phone, subject=subject, body=sms))
    return _queue(rows)


def verification(feedback: Feedback, channel: str, recipient: str, secret: str) -> list[Notification]:
    """The SMS code or the e-mail link proving the sender owns ``recipient``."""
    if channel == Notification.Channel.SMS:
        body = _("Mã xác thực phản ánh %(code)s: %(secret)s (hiệu lực 15 phút).") % {
            "code": feedback.code, "secret": secret}
        subject = ""
    else:
        link = public_url(reverse("feedback:verify", args=[feedback.code]) + f"?t={secret}")
        subject = _("Xác nhận phản ánh, kiến nghị %(code)s") % {"code": feedback.code}
        body = _("Ông/bà vừa gửi phản ánh, kiến nghị mã %(code)s. Bấm vào liên kết sau để xác nhận địa chỉ thư "
                 "điện tử (hiệu lực 3 ngày):\n\n%(link)s\n\nNếu không phải ông/bà gửi, hãy bỏ qua thư này.") % {
            "code": feedback.code, "link": link}
    return _queue([Notification(feedback=feedback, kind="verification", channel=channel, recipient=recipient,
                                subject=subject, body=body)])


def staff(feedback: Feedback, agency, roles, kind: str, subject: str, body: str) -> list[Notification]:
    """E-mail to the officials holding one of ``roles`` in ``agency`` (those with an address)."""
    emails = sorted(set(StaffRole.objects.filter(agency=agency, role__in=list(roles), user__is_active=True)
                        .exclude(user__email="").values_list("user__email", flat=True)))
    link = public_url(reverse("feedback:desk_detail", args=[feedback.pk]))
    return _queue([Notification(feedback=feedback, kind=kind, channel=Notification.Channel.EMAIL, recipient=email,
                                subject=subject, body=f"{body}\n\n{link}") for email in emails])


def deliver(notification_id: int) -> bool:
    """Send one notification unless already sent (idempotent). Returns True when sent now."""
    return dossier_notify.deliver_message(Notification, notification_id)
