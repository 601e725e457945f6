"""Notifications go out through a real SMTP conversation (aiosmtpd on 127.0.0.1)."""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from motcua.dossiers import notify
from motcua.dossiers.models import Notification


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


def test_reception_email_reaches_the_applicant_over_smtp(received_dossier, smtp_server):
    notification = Notification.objects.get(dossier=received_dossier, channel="email")
    assert notify.deliver(notification.pk) is True
    [message] = smtp_server.messages
    assert message["To"] == "an.nguyen@example.vn"
    assert str(message["Subject"]).strip() == f"Hồ sơ {received_dossier.code} đã được tiếp nhận"
    assert "Hẹn trả kết quả: 09:00 ngày 08/12/2026" in message.get_content()
    assert Notification.objects.get(pk=notification.pk).sent_at is not None


def test_unreachable_smtp_server_records_the_error_and_keeps_it_unsent(received_dossier, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    notification = Notification.objects.get(dossier=received_dossier, channel="email")
    with pytest.raises(OSError):
        notify.deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.error
