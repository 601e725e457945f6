"""Payment and postal pages through HTTP: the citizen's pay page, the sandbox's page, the notify and
return URLs, the electronic receipt (HTML and PDF) and the desk's view of a paid dossier."""
import io
import re
import urllib.parse

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.dossiers.models import DossierEvent, ReturnMethod, Status
from motcua.portal import payments
from motcua.portal.models import PaymentEvent, PaymentOrder, PaymentReceipt, SandboxTransaction
from tests.portal.payment_fixtures import *  # noqa: F403 — fixtures
from tests.portal.payment_fixtures import PASSWORD, client_transport, make_online_dossier, reload


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def path_of(url):
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def signed_in(client, citizen):
    client.login(username=citizen.username, password=PASSWORD)
    return client


def pay_in_sandbox(client, dossier, decision="approve", django_capture_on_commit_callbacks=None):
    """Citizen: pay page → gateway page → approve/cancel → (notification) → back on the portal."""
    response = client.post(reverse("portal:pay", args=[dossier.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/sandbox-thanh-toan/?")
    page = client.get(response["Location"])
    assert page.status_code == 200
    reference = SandboxTransaction.objects.get().reference
    with django_capture_on_commit_callbacks(execute=False):
        back = client.post("/sandbox-thanh-toan/", {"reference": reference, "decision": decision})
    assert back.status_code == 302 and back["Location"].startswith("http://testserver/thanh-toan/tra-ve/sandbox/?")
    return page, back


def test_pay_page_shows_the_fee_to_the_applicant_only(client, signed_in, online_dossier, other_citizen):
    page = signed_in.get(reverse("portal:pay", args=[online_dossier.pk]))
    assert page.status_code == 200
    body = text(page)
    assert "Thanh toán 200.000 đồng" in body and "Cổng thanh toán thử nghiệm" in body
    assert "Cấp Phiếu lý lịch tư pháp" in body
    signed_in.logout()
    anonymous = client.get(reverse("portal:pay", args=[online_dossier.pk]))
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    client.login(username=other_citizen.username, password=PASSWORD)
    assert client.get(reverse("portal:pay", args=[online_dossier.pk])).status_code == 404
    assert client.post(reverse("portal:pay", args=[online_dossier.pk])).status_code == 404
    assert not PaymentOrder.objects.exists()


def test_full_round_trip_through_http(signed_in, online_dossier, django_capture_on_commit_callbacks):
    page, back = pay_in_sandbox(signed_in, online_dossier,
                                django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    body = text(page)
    assert "MÔI TRƯỜNG THỬ NGHIỆM" in body and "200.000 VND" in body and "Xác nhận thanh toán" in body
    # The gateway's server-to-server notification, through the notify URL.
    txn = SandboxTransaction.objects.get()
    assert payments.deliver_sandbox_notification(txn.pk, post=client_transport()) is True
    # The browser comes back.
    done = signed_in.get(path_of(back["Location"]), follow=True)
    body = text(done)
    assert "Thanh toán thành công 200.000 đồng" in body and "Đã thanh toán" in body
    receipt = PaymentReceipt.objects.get()
    assert receipt.series in body and receipt.number in body
    html = signed_in.get(reverse("portal:payment_receipt", args=[online_dossier.pk]))
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text(html) and "Hai trăm nghìn đồng" in text(html)
    pdf = signed_in.get(reverse("portal:payment_receipt_pdf", args=[online_dossier.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    content = re.sub(r"\s+", " ", content)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in content and "200.000" in content and receipt.number in content
    assert "Nguyễn Văn An" in content and "Hai trăm nghìn đồng" in content
    # Paid: no second payment offered, and a second POST is refused with the receipt number.
    again = signed_in.post(reverse("portal:pay", args=[online_dossier.pk]))
    assert again.status_code == 400 and "đã được thanh toán" in text(again)
    assert PaymentOrder.objects.count() == 1


def test_return_before_the_notification_asks_the_gateway(signed_in, online_dossier,
                                                         django_capture_on_commit_callbacks):
    _page, back = pay_in_sandbox(signed_in, online_dossier,
                                 django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    done = signed_in.get(path_of(back["Location"]), follow=True)
    assert "Thanh toán thành công" in text(done)
    assert PaymentEvent.objects.get(kind=PaymentEvent.Kind.NOTIFY_PAID).source == "query 127.0.0.1"
    # The late notification is then a harmless replay.
    assert payments.deliver_sandbox_notification(SandboxTransaction.objects.get().pk, post=client_transport())
    assert PaymentReceipt.objects.count() == 1


def test_cancel_in_the_sandbox(signed_in, online_dossier, django_capture_on_commit_callbacks):
    _page, back = pay_in_sandbox(signed_in, online_dossier, "cancel",
                                 django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    payments.deliver_sandbox_notification(SandboxTransaction.objects.get().pk, post=client_transport())
    done = signed_in.get(path_of(back["Location"]), follow=True)
    body = text(done)
    assert "Giao dịch thanh toán đã bị hủy" in body and "Thanh toán 200.000 đồng" in body
    assert reload(online_dossier).fee_paid_at is None


def test_forged_notification_over_http_changes_nothing(client, signed_in, online_dossier,
                                                        django_capture_on_commit_callbacks):
    pay_in_sandbox(signed_in, online_dossier, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    params = payments.sandbox_result_params(SandboxTransaction.objects.get())
    params["signature"] = params["signature"][::-1]
    response = client.post(reverse("portal:payment_callback", args=["sandbox"]), params)
    assert response.status_code == 200 and response.json()["RspCode"] == "97"
    duplicated = client.post(reverse("portal:payment_callback", args=["sandbox"]),
                             {**params, "amount": ["200000", "2000"]})
    assert duplicated.json()["RspCode"] == "97"
    assert client.get(reverse("portal:payment_callback", args=["sandbox"])).status_code == 405
    assert not PaymentReceipt.objects.exists() and reload(online_dossier).fee_paid_at is None
    assert PaymentEvent.objects.filter(kind=PaymentEvent.Kind.NOTIFY_REJECTED).count() == 2


def test_forged_return_shows_an_error_and_changes_nothing(signed_in, online_dossier,
                                                          django_capture_on_commit_callbacks):
    _page, back = pay_in_sandbox(signed_in, online_dossier,
                                 django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    forged = path_of(back["Location"]).replace("result=00", "result=00&x=1")
    response = signed_in.get(forged)
    assert response.status_code == 400 and "không hợp lệ; giao dịch không được ghi nhận" in text(response)
    assert not PaymentReceipt.objects.exists()


def test_sandbox_page_refuses_a_tampered_request(client, signed_in, online_dossier):
    location = signed_in.post(reverse("portal:pay", args=[online_dossier.pk]))["Location"]
    tampered = location.replace("amount=200000", "amount=2000")
    response = client.get(tampered)
    assert response.status_code == 400 and "sai chữ ký" in text(response)
    assert not SandboxTransaction.objects.exists()


def test_receipt_is_for_the_applicant_and_the_agencies_only(client, signed_in, online_dossier, other_citizen, users,
                                                            django_capture_on_commit_callbacks):
    pay_in_sandbox(signed_in, online_dossier, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    payments.deliver_sandbox_notification(SandboxTransaction.objects.get().pk, post=client_transport())
    url = reverse("portal:payment_receipt_pdf", args=[online_dossier.pk])
    signed_in.logout()
    client.login(username=other_citizen.username, password=PASSWORD)
    assert client.get(url).status_code == 404
    client.force_login(users["tiepnhan.tinh"])
    assert client.get(url).status_code == 200
    desk = text(client.get(reverse("dossiers:detail", args=[online_dossier.pk])))
    receipt = PaymentReceipt.objects.get()
    assert "Đã thanh toán trực tuyến" in desk and receipt.full_number in desk
    assert "In biên lai điện tử" in desk and "Nhận phí, lệ phí qua thanh toán trực tuyến" in desk
    client.force_login(users["thuly.xaydung"])  # another agency
    assert client.get(url).status_code == 404


def test_desk_shows_unpaid_online_dossier(client, users, online_dossier):
    client.force_login(users["tiepnhan.tinh"])
    assert "Chưa thanh toán" in text(client.get(reverse("dossiers:detail", args=[online_dossier.pk])))


# ---------------------------------------------------------------- postal choices of the citizen


def test_citizen_chooses_the_postal_service(signed_in, online_dossier):
    url = reverse("portal:postal", args=[online_dossier.pk])
    page = signed_in.get(url)
    assert page.status_code == 200 and "22.000 đồng" in text(page) and "35.000 đồng" in text(page)
    form = {"row_version": online_dossier.row_version, "send_documents": "on", "return_by_post": "on",
            "postal_address": "", "postal_zone": "other_province"}
    refused = signed_in.post(url, form)
    assert refused.status_code == 400 and "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính." in text(refused)
    assert reload(online_dossier).return_method == ReturnMethod.ONLINE
    address = "Số 12 ngõ 34 phố Huế, phường Hai Bà Trưng, thành phố Hà Nội"
    saved = signed_in.post(url, {**form, "postal_address": address}, follow=True)
    assert "Đã lưu lựa chọn dịch vụ bưu chính công ích" in text(saved)
    dossier = reload(online_dossier)
    assert dossier.documents_by_post and dossier.return_method == ReturnMethod.POST
    assert dossier.postal_address == address and dossier.postal_fee == 70000
    assert "70.000 đồng" in text(saved)
    assert DossierEvent.objects.get(action="postal_options").data["postal_fee"] == 70000
    stale = signed_in.post(url, {**form, "postal_address": address, "return_by_post": ""})
    assert stale.status_code == 400 and "vừa được người khác cập nhật" in text(stale)


def test_postal_choice_is_closed_once_the_dossier_is_received(signed_in, full_online, agencies, citizen):
    dossier = make_online_dossier(full_online, agencies, citizen, status=Status.RECEIVED)
    page = signed_in.get(reverse("portal:postal", args=[dossier.pk]))
    assert "Hồ sơ đã được tiếp nhận" in text(page)
    response = signed_in.post(reverse("portal:postal", args=[dossier.pk]),
                              {"row_version": dossier.row_version, "return_by_post": "on",
                               "postal_address": "Số 1 Lê Lợi", "postal_zone": "in_province"})
    assert response.status_code == 400 and "trước khi hồ sơ được tiếp nhận" in text(response)
    assert reload(dossier).return_method == ReturnMethod.ONLINE


def test_my_dossier_page_offers_payment_and_then_shows_the_receipt(signed_in, online_dossier,
                                                                   django_capture_on_commit_callbacks):
    url = reverse("portal:my_dossier", args=[online_dossier.pk])
    body = text(signed_in.get(url))
    assert "Phí, lệ phí của hồ sơ: 200.000 đồng, thanh toán trực tuyến." in body
    assert reverse("portal:pay", args=[online_dossier.pk]) in signed_in.get(url).content.decode()
    pay_in_sandbox(signed_in, online_dossier, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    payments.deliver_sandbox_notification(SandboxTransaction.objects.get().pk, post=client_transport())
    body = text(signed_in.get(url))
    assert "thanh toán trực tuyến." not in body and "Đã thanh toán" in body
    assert PaymentReceipt.objects.get().full_number in body
    assert "Đã thanh toán phí, lệ phí trực tuyến" in body  # the timeline
