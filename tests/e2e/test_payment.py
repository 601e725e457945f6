"""Issue 4 in a real browser at phone size: pay a fee in the sandbox gateway, and a forged payment
notification that changes nothing; the receiver sees the payment at the desk; the postal choice.

The sandbox's server-to-server notification really goes over HTTP to the live server: huey runs
the delivery job immediately (in the thread that handled the approval), as the worker would.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, assert_no_horizontal_overflow, login, screenshot, text_of

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 800}
PROCEDURE = "2.000505"  # Cấp Phiếu lý lịch tư pháp: toàn trình, 200.000 đồng
PASSWORD = "MotCua@2025"


@pytest.fixture
def huey_immediate():
    from huey.contrib.djhuey import HUEY
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def online_dossier(username="levanthanh", name="Lê Văn Thành"):
    from motcua.catalog import services as catalog
    from motcua.orgs.models import Agency, User
    from tests.portal.payment_fixtures import make_online_dossier

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password=PASSWORD, full_name=name, email=f"{username}@example.vn")
    agencies = {a.code: a for a in Agency.objects.all()}
    return make_online_dossier(catalog.current_version(PROCEDURE), agencies, user)


def test_citizen_pays_in_the_sandbox_and_the_receiver_sees_it(live_server, demo_data, new_page, huey_immediate):
    from motcua.dossiers.models import Dossier
    from motcua.portal.models import PaymentEvent, PaymentReceipt, SandboxTransaction

    dossier = online_dossier()
    page = new_page(PHONE)
    login(page, live_server.url, "levanthanh")
    page.goto(f"{live_server.url}/ho-so-cua-toi/{dossier.pk}/")  # "my dossiers": the fee is due
    expect(page.get_by_text("Phí, lệ phí của hồ sơ: 200.000 đồng, thanh toán trực tuyến.")).to_be_visible()
    page.get_by_role("link", name="Thanh toán phí, lệ phí").click()
    expect(page.get_by_role("heading", name="Thanh toán phí, lệ phí trực tuyến")).to_be_visible()
    assert "Cấp Phiếu lý lịch tư pháp" in text_of(page)
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "payment-1-pay-page-360")

    page.get_by_role("button", name="Thanh toán 200.000 đồng").click()
    page.wait_for_url(re.compile(r"/sandbox-thanh-toan/\?"))
    expect(page.get_by_text("MÔI TRƯỜNG THỬ NGHIỆM — không có tiền thật được chuyển")).to_be_visible()
    expect(page.get_by_text("200.000 VND")).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "payment-2-sandbox-360")

    page.get_by_role("button", name="Xác nhận thanh toán").click()
    page.wait_for_url(re.compile(rf"/thanh-toan/ho-so/{dossier.pk}/$"))
    expect(page.get_by_text("Thanh toán thành công 200.000 đồng")).to_be_visible()
    expect(page.get_by_role("heading", name="Đã thanh toán")).to_be_visible()
    expect(page.get_by_role("button", name="Thanh toán 200.000 đồng")).to_have_count(0)
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "payment-3-paid-360")

    # The payment came through the gateway's signed notification over HTTP, not the browser's return.
    receipt = PaymentReceipt.objects.get()
    paid = PaymentEvent.objects.get(kind=PaymentEvent.Kind.NOTIFY_PAID)
    assert not paid.source.startswith("query") and SandboxTransaction.objects.get().notified_at is not None
    assert Dossier.objects.get(pk=dossier.pk).fee_receipt_number == receipt.full_number

    page.get_by_role("link", name="Xem biên lai").first.click()
    expect(page.get_by_role("heading", name="BIÊN LAI THU PHÍ, LỆ PHÍ")).to_be_visible()
    body = text_of(page)
    assert receipt.number in body and "Hai trăm nghìn đồng" in body and "Lê Văn Thành" in body
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "payment-4-receipt-360")
    pdf = page.request.get(f"{live_server.url}/thanh-toan/ho-so/{dossier.pk}/bien-lai.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    # Replaying the same (genuine) notification changes nothing.
    from motcua.portal import payments
    replay = page.request.post(f"{live_server.url}/thanh-toan/thong-bao/sandbox/",
                               form=payments.sandbox_result_params(SandboxTransaction.objects.get()))
    assert replay.json()["RspCode"] == "02"
    assert PaymentReceipt.objects.count() == 1

    desk = new_page(DESKTOP)
    login(desk, live_server.url, "tiepnhan.tinh")
    desk.goto(f"{live_server.url}/desk/ho-so/{dossier.pk}/")
    expect(desk.get_by_text("Đã thanh toán trực tuyến")).to_be_visible()
    assert receipt.full_number in text_of(desk)
    expect(desk.get_by_role("link", name="In biên lai điện tử (phí, lệ phí)")).to_be_visible()
    screenshot(desk, "payment-5-desk")


def test_forged_payment_notification_changes_nothing(live_server, demo_data, new_page, huey_immediate):
    from motcua.dossiers.models import Dossier
    from motcua.portal import payments
    from motcua.portal.models import PaymentEvent, PaymentOrder, PaymentReceipt

    dossier = online_dossier()
    page = new_page(PHONE)
    login(page, live_server.url, "levanthanh")
    page.goto(f"{live_server.url}/thanh-toan/ho-so/{dossier.pk}/")
    page.get_by_role("button", name="Thanh toán 200.000 đồng").click()
    page.wait_for_url(re.compile(r"/sandbox-thanh-toan/\?"))
    order = PaymentOrder.objects.get()

    # Someone who knows the order code forges "paid" without the gateway's key.
    forged = {"merchant": "MOTCUA-NB", "order": order.code, "amount": "200000", "transaction": "SBXFORGED01",
              "result": "00", "paid_at": "20261123090000"}
    forged["signature"] = payments.sign(forged, "a-guessed-secret")
    answer = page.request.post(f"{live_server.url}/thanh-toan/thong-bao/sandbox/", form=forged)
    assert answer.status == 200 and answer.json()["RspCode"] == "97"
    # … and a browser return with the forged fields.
    page.goto(f"{live_server.url}/thanh-toan/tra-ve/sandbox/?" +
              "&".join(f"{k}={v}" for k, v in forged.items()))
    expect(page.get_by_text("giao dịch không được ghi nhận")).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "payment-6-forged-return-360")

    page.goto(f"{live_server.url}/thanh-toan/ho-so/{dossier.pk}/")
    expect(page.get_by_role("button", name="Thanh toán 200.000 đồng")).to_be_visible()
    expect(page.get_by_text("đang chờ cổng thanh toán xác nhận")).to_be_visible()
    expect(page.get_by_role("heading", name="Đã thanh toán")).to_have_count(0)
    screenshot(page, "payment-7-unchanged-360")
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.fee_paid_at is None and fresh.fee_amount == 0 and not PaymentReceipt.objects.exists()
    assert PaymentOrder.objects.get().status == PaymentOrder.Status.PENDING
    rejected = PaymentEvent.objects.filter(kind__in=[PaymentEvent.Kind.NOTIFY_REJECTED,
                                                     PaymentEvent.Kind.RETURN_REJECTED])
    assert rejected.count() == 2
    assert all("không hợp lệ" in event.reason for event in rejected)


def test_citizen_chooses_to_receive_the_result_by_post(live_server, demo_data, new_page):
    from motcua.dossiers.models import Dossier

    dossier = online_dossier()
    page = new_page(PHONE)
    login(page, live_server.url, "levanthanh")
    page.goto(f"{live_server.url}/buu-chinh/ho-so/{dossier.pk}/")
    page.get_by_label("Tôi muốn nhận kết quả qua bưu chính công ích").check()
    page.get_by_label("Địa chỉ nhận kết quả (số nhà, đường, phường/xã, tỉnh)").fill("")
    page.get_by_role("button", name="Lưu lựa chọn").click()
    expect(page.get_by_text("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính.").first).to_be_visible()
    assert Dossier.objects.get(pk=dossier.pk).return_method != "post"
    page.get_by_label("Địa chỉ nhận kết quả (số nhà, đường, phường/xã, tỉnh)").fill(
        "Số 8 đường Trần Hưng Đạo, phường Hoa Lư, tỉnh Ninh Bình")
    page.get_by_label("Trong tỉnh").check()
    page.get_by_role("button", name="Lưu lựa chọn").click()
    expect(page.get_by_text("Đã lưu lựa chọn dịch vụ bưu chính công ích")).to_be_visible()
    assert "22.000 đồng" in text_of(page)
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "postal-1-choice-360")
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.return_method == "post" and fresh.postal_fee == 22000
