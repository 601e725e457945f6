"""Notifications to the applicant: rows written in the action's transaction, sent by a job after commit.

Email goes through Django's mail framework; SMS through a provider class named in
settings.SMS_PROVIDER (the default appends to a file, for installations without a gateway).
"""
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, Notification

FMT = "%H:%M ngày %d/%m/%Y"


def _messages(dossier: Dossier, kind: str) -> tuple[str, str] | None:
    when = timezone.localtime(dossier.appointment_at).strftime(FMT) if dossier.appointment_at else ""
    code = dossier.code or ""
    lookup = f"{settings.PUBLIC_BASE_URL}/tra-cuu/?ma={code}"
    texts = {
        "received": (_("Hồ sơ %(code)s đã được tiếp nhận"),
                     _("Hồ sơ %(code)s (%(proc)s) đã được tiếp nhận. Hẹn trả kết quả: %(when)s. Tra cứu: %(url)s")),
        "bundle_received": (_("Hồ sơ liên thông %(application)s đã được tiếp nhận"),
                            _("Hồ sơ liên thông %(application)s (%(bundle)s) đã được tiếp nhận. Hẹn trả kết quả: "
                              "%(bundle_when)s. Tra cứu: %(bundle_url)s")),
        "supplement_requested": (_("Hồ sơ %(code)s cần bổ sung"),
                                 _("Hồ sơ %(code)s cần bổ sung: %(items)s. Vui lòng bổ sung trước %(deadline)s.")),
        "supplement_received": (_("Hồ sơ %(code)s đã nhận đủ bổ sung"),
                                _("Đã nhận đủ hồ sơ bổ sung %(code)s. Thời hạn giải quyết được tính lại; hẹn trả "
                                  "kết quả mới: %(when)s.")),
        "result_ready": (_("Hồ sơ %(code)s đã có kết quả"),
                         _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà đến nhận kết quả hoặc chờ nhận qua bưu chính.")),
        "refused": (_("Hồ sơ %(code)s bị từ chối giải quyết"),
                    _("Hồ sơ %(code)s bị từ chối giải quyết. Lý do: %(reason)s")),
        "extended": (_("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
                     _("Cơ quan giải quyết xin lỗi vì chậm giải quyết hồ sơ %(code)s. Thời gian hẹn trả kết quả mới: "
                       "%(when)s.")),
        "returned": (_("Hồ sơ %(code)s đã trả kết quả"),
                     _("Hồ sơ %(code)s đã được trả kết quả. Mời ông/bà đánh giá mức độ hài lòng tại %(url)s")),
        "returned_by_post": (_("Kết quả hồ sơ %(code)s đã gửi qua bưu chính, mã vận đơn %(tracking)s"),
                             _("Kết quả hồ sơ %(code)s đã được gửi qua bưu chính công ích ngày %(dispatched)s đến "
                               "địa chỉ %(address)s. Mã vận đơn: %(tracking)s (tra cứu hành trình bưu gửi theo mã "
                               "này). Mời ông/bà đánh giá mức độ hài lòng tại %(url)s")),
        "payment_received": (_("Đã nhận phí, lệ phí hồ sơ %(ref)s"),
                             _("Đã nhận %(amount)s đồng phí, lệ phí hồ sơ %(ref)s (%(proc)s) qua thanh toán trực "
                               "tuyến. Biên lai điện tử số %(receipt)s.")),
        "stopped": (_("Hồ sơ %(code)s đã dừng giải quyết"),
                    _("Hồ sơ %(code)s đã dừng giải quyết theo đề nghị của ông/bà.")),
        "closed": (_("Hồ sơ %(code)s đã kết thúc"),
                   _("Hồ sơ %(code)s đã kết thúc do không được bổ sung trong thời hạn.")),
        # Online submissions have no code until a receiver accepts them: they are named by reference.
        "submitted_online": (_("Đã gửi hồ sơ trực tuyến số %(ref)s"),
                             _("Hồ sơ “%(proc)s” (số tham chiếu %(ref)s) đã được gửi lúc %(submitted)s đến "
                               "%(centre)s. Cán bộ sẽ kiểm tra và tiếp nhận; mã hồ sơ và ngày hẹn trả kết quả "
                               "được gửi cho ông/bà khi hồ sơ được tiếp nhận. Xem hồ sơ: %(mine)s")),
        "returned_online": (_("Hồ sơ trực tuyến số %(ref)s cần hoàn thiện"),
                            _("Hồ sơ “%(proc)s” (số tham chiếu %(ref)s) chưa được tiếp nhận và được trả lại để "
                              "hoàn thiện. Nội dung cần hoàn thiện: %(reason)s. Vui lòng sửa và nộp lại tại "
                              "%(mine)s")),
        "rejected_online": (_("Hồ sơ trực tuyến số %(ref)s không được tiếp nhận"),
                            _("Hồ sơ “%(proc)s” (số tham chiếu %(ref)s) không được tiếp nhận. Lý do: %(reason)s")),
    }
    if kind not in texts:
        return None
    subject, body = texts[kind]
    deadline = (timezone.localtime(dossier.supplement_deadline_at).strftime(FMT)
                if dossier.supplement_deadline_at else "")
    values = {"code": code, "proc": dossier.procedure_version.name, "when": when, "url": lookup,
              "items": dossier.supplement_items.replace("\n", "; "), "deadline": deadline,
              "reason": dossier.outcome_reason, "tracking": dossier.postal_tracking,
              "dispatched": dossier.postal_dispatched_on.strftime("%d/%m/%Y") if dossier.postal_dispatched_on else "",
              "address": dossier.postal_address, "receipt": dossier.fee_receipt_number,
              "amount": f"{dossier.fee_amount:,}".replace(",", "."),
              # A dossier not yet accepted has no code: the online reference is its number.
              "ref": code or _("số tham chiếu %(pk)s") % {"pk": dossier.pk}}
    if dossier.application_id is not None:
        # A bundle part: the citizen knows the application's code and its one appointment.
        application = dossier.application
        if kind != "bundle_received":
            values["code"] = _("%(code)s (thuộc hồ sơ liên thông %(application)s)") % {
                "code": code, "application": application.code}
        values.update(application=application.code or "", bundle=application.bundle.name,
                      bundle_when=timezone.localtime(application.appointment_at).strftime(FMT),
                      bundle_url=f"{settings.PUBLIC_BASE_URL}/tra-cuu/?ma={application.code}")
    if kind.endswith("_online"):
        values.update(ref=dossier.pk, centre=dossier.receiving_agency.name,
                      mine=f"{settings.PUBLIC_BASE_URL}/ho-so-cua-toi/{dossier.pk}/",
                      submitted=timezone.localtime(dossier.submitted_at).strftime(FMT) if dossier.submitted_at else "")
    return subject % values, body % values


def applicant(dossier: Dossier, kind: str) -> list[Notification]:
    """Queue email and SMS for the applicant; they are sent after the transaction commits."""
    message = _messages(dossier, kind)
    if message is None:
        return []
    subject, body = message
    created = []
    if dossier.applicant_email:
        created.append(Notification(dossier=dossier, channel=Notification.Channel.EMAIL,
                                    recipient=dossier.applicant_email, subject=subject, body=body))
    if dossier.applicant_phone:
        created.append(Notification(dossier=dossier, channel=Notification.Channel.SMS,
                                    recipient=dossier.applicant_phone, subject=subject, body=body))
    if created:
        # The plain insert every reception uses (imported here: services imports this module).
        from motcua.dossiers.services import _insert_rows
        _insert_rows(created)
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _schedule(ids))
    return created


def _schedule(ids):
    from motcua.dossiers import tasks
    # One job for the action's email and SMS: each enqueue is a write to the queue's storage.
    tasks.send_notifications(ids)


class FileSmsProvider:
    """Appends each SMS to settings.SMS_OUTBOX: the default when no SMS gateway is configured."""

    def send(self, phone: str, text: str) -> None:
        path = Path(settings.SMS_OUTBOX)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as outbox:
            outbox.write(f"{timezone.now().isoformat()}\t{phone}\t{text}\n")


def deliver(notification_id: int) -> bool:
    """Send one notification unless already sent (idempotent). Returns True when sent now."""
    return deliver_message(Notification, notification_id)


def deliver_message(model, notification_id: int) -> bool:
    """Send one row of a notification ``model`` (channel, recipient, subject, body, sent_at, error).

    Shared by the dossier and feedback notifications: at most once, failures recorded for the retry.
    """
    pending = model.objects.filter(pk=notification_id, sent_at__isnull=True)
    notification = pending.first()
    if notification is None:
        return False
    try:
        if notification.channel == "email":
            send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient])
        else:
            import_string(settings.SMS_PROVIDER)().send(notification.recipient, notification.body)
    except Exception as exc:  # noqa: BLE001 — a failed delivery is recorded and retried by the job
        model.objects.filter(pk=notification_id).update(error=str(exc)[:1000])
        raise
    return bool(pending.update(sent_at=timezone.now(), error=""))
