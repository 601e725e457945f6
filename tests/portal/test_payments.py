"""Online payment services: signing, the sandbox gateway, and the notification handler's refusals."""
import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from motcua.dossiers.models import Channel, DossierEvent, Notification, Status
from motcua.portal import payments
from motcua.portal.models import PaymentEvent, PaymentOrder, PaymentReceipt, SandboxTransaction
from tests.portal.payment_fixtures import *  # noqa: F403 — fixtures
from tests.portal.payment_fixtures import (
    client_transport, gateway_params, make_online_dossier, partly_online_level, reload,
)

Kind = PaymentEvent.Kind


def start(dossier, user):
    return payments.start_payment(dossier, user, base_url="http://testserver/")


def approve_in_sandbox(started, django_capture_on_commit_callbacks, approve=True):
    """What the citizen does on the sandbox page: open it from the redirect, then approve or cancel."""
    txn = payments.sandbox_open(gateway_params(started.redirect_url))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        txn = payments.sandbox_decide(txn.reference, approve)
    assert len(callbacks) == 1  # the notification is scheduled after commit
    return txn


def notification(txn):
    return payments.sandbox_result_params(txn)


def nothing_paid(dossier):
    fresh = reload(dossier)
    return (fresh.fee_paid_at is None and fresh.fee_amount == 0 and not fresh.fee_receipt_number
            and not PaymentReceipt.objects.exists()
            and not PaymentOrder.objects.filter(status=PaymentOrder.Status.PAID).exists()
            and not DossierEvent.objects.filter(action="payment_received").exists())


# ---------------------------------------------------------------- signing


def test_canonical_string_is_sorted_encoded_and_leaves_the_signature_out():
    params = {"b": "2", "a": "x y&z", "signature": "abc"}
    assert payments.canonical(params) == "a=x%20y%26z&b=2"
    signed = {**params, "signature": payments.sign(params, "k")}
    assert payments.signature_valid(signed, "k")
    assert not payments.signature_valid({**signed, "b": "3"}, "k")
    assert not payments.signature_valid(signed, "other key")
    assert not payments.signature_valid({**signed, "signature": "đ" * 64}, "k")  # non-ASCII: refused, no crash


@pytest.mark.parametrize("amount, words", [
    (200000, "Hai trăm nghìn đồng"), (15000, "Mười lăm nghìn đồng"), (8000, "Tám nghìn đồng"),
    (1005000, "Một triệu không trăm linh năm nghìn đồng"), (2200000, "Hai triệu hai trăm nghìn đồng"),
    (21000, "Hai mươi mốt nghìn đồng"), (105, "Một trăm linh năm đồng"), (0, "Không đồng"),
    (4000000, "Bốn triệu đồng"), (1000000000, "Một tỷ đồng"),
])
def test_amount_in_words(amount, words):
    assert payments.amount_in_words(amount) == words


# ---------------------------------------------------------------- starting a payment


def test_start_payment_creates_an_order_for_the_fee_and_a_signed_gateway_url(online_dossier, citizen):
    started = start(online_dossier, citizen)
    order = started.order
    assert order.amount == 200000 and order.status == PaymentOrder.Status.PENDING and order.payer == citizen
    assert started.redirect_url.startswith("/sandbox-thanh-toan/?")
    params = gateway_params(started.redirect_url)
    assert params["order"] == order.code and params["amount"] == "200000"
    assert params["notify_url"] == "http://testserver/thanh-toan/thong-bao/sandbox/"
    assert params["return_url"] == "http://testserver/thanh-toan/tra-ve/sandbox/"
    assert payments.signature_valid(params, payments.SandboxGateway().secret)
    assert PaymentEvent.objects.get().kind == Kind.ORDER_CREATED


@override_settings(PAYMENT_CALLBACK_BASE_URL="https://motcua.ninhbinh.gov.vn")
def test_notify_url_can_be_set_apart_from_the_browser_host(online_dossier, citizen):
    params = gateway_params(start(online_dossier, citizen).redirect_url)
    assert params["notify_url"] == "https://motcua.ninhbinh.gov.vn/thanh-toan/thong-bao/sandbox/"
    assert params["return_url"].startswith("http://testserver/")


def test_only_the_applicant_can_pay(online_dossier, other_citizen):
    with pytest.raises(payments.PaymentError) as refused:
        start(online_dossier, other_citizen)
    assert refused.value.message == "Chỉ người nộp hồ sơ mới thanh toán được phí, lệ phí của hồ sơ này."
    assert not PaymentOrder.objects.exists()


def test_no_online_payment_below_the_full_online_level(full_online, agencies, citizen):
    full_online.online_level = partly_online_level()
    full_online.save()
    dossier = make_online_dossier(full_online, agencies, citizen)
    with pytest.raises(payments.PaymentError, match="không phải dịch vụ công trực tuyến toàn trình"):
        start(dossier, citizen)
    assert not PaymentOrder.objects.exists()


def test_no_payment_for_a_procedure_without_fee_or_a_counter_dossier(full_online, agencies, citizen):
    counter = make_online_dossier(full_online, agencies, citizen, channel=Channel.COUNTER, status=Status.RECEIVED)
    with pytest.raises(payments.PaymentError, match="Chỉ hồ sơ nộp trực tuyến"):
        start(counter, citizen)
    full_online.fee_amount = 0
    full_online.save()
    free = make_online_dossier(full_online, agencies, citizen)
    with pytest.raises(payments.PaymentError, match="không thu phí, lệ phí"):
        start(free, citizen)
    assert not PaymentOrder.objects.exists()


def test_no_payment_once_the_result_was_returned(full_online, agencies, citizen):
    dossier = make_online_dossier(full_online, agencies, citizen, status=Status.RETURNED)
    with pytest.raises(payments.PaymentError, match="Đã trả kết quả"):
        start(dossier, citizen)


# ---------------------------------------------------------------- the whole sandbox round trip


def test_approved_payment_is_recorded_once_with_its_receipt(online_dossier, citizen,
                                                           django_capture_on_commit_callbacks):
    started = start(online_dossier, citizen)
    txn = approve_in_sandbox(started, django_capture_on_commit_callbacks)
    assert txn.status == SandboxTransaction.Status.APPROVED

    assert payments.deliver_sandbox_notification(txn.pk, post=client_transport()) is True

    order = PaymentOrder.objects.get()
    assert order.status == PaymentOrder.Status.PAID and order.gateway_transaction == txn.reference
    receipt = PaymentReceipt.objects.get()
    assert receipt.amount == 200000 and receipt.payer_name == "Nguyễn Văn An"
    assert receipt.number == "0000001" and receipt.series.startswith("BLNB") and receipt.series.endswith("E")
    assert receipt.collecting_agency == online_dossier.competent_agency
    assert "Cấp Phiếu lý lịch tư pháp" in receipt.description
    dossier = reload(online_dossier)
    assert dossier.fee_amount == 200000 and dossier.fee_paid_at is not None
    assert dossier.fee_receipt_number == receipt.full_number
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.row_version == online_dossier.row_version + 1
    event = DossierEvent.objects.get(action="payment_received")
    assert event.data["receipt"] == receipt.full_number and event.data["amount"] == 200000
    sent = Notification.objects.filter(dossier=dossier)
    assert {n.channel for n in sent} == {"email", "sms"}
    assert all(receipt.full_number in n.body and "200.000" in n.body for n in sent)
    assert list(PaymentEvent.objects.values_list("kind", flat=True)) == [Kind.ORDER_CREATED, Kind.NOTIFY_PAID]
    assert SandboxTransaction.objects.get().notified_at is not None

    # The sandbox does not notify twice once acknowledged.
    assert payments.deliver_sandbox_notification(txn.pk, post=client_transport()) is True
    assert SandboxTransaction.objects.get().notify_attempts == 1


def test_second_dossier_gets_the_next_receipt_number(full_online, agencies, citizen,
                                                     django_capture_on_commit_callbacks):
    numbers = []
    for _ in range(2):
        dossier = make_online_dossier(full_online, agencies, citizen)
        txn = approve_in_sandbox(start(dossier, citizen), django_capture_on_commit_callbacks)
        payments.handle_notification("sandbox", notification(txn))
        numbers.append(reload(dossier).fee_receipt_number[-7:])
    assert numbers == ["0000001", "0000002"]


def test_cancelled_payment_records_nothing_and_the_citizen_can_pay_again(online_dossier, citizen,
                                                                        django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks, approve=False)
    outcome = payments.handle_notification("sandbox", notification(txn))
    assert outcome.code == "00" and not outcome.recorded
    assert PaymentOrder.objects.get().status == PaymentOrder.Status.CANCELLED
    assert nothing_paid(online_dossier)
    assert payments.can_pay(reload(online_dossier), citizen)
    second = start(reload(online_dossier), citizen)
    assert second.order.status == PaymentOrder.Status.PENDING


# ---------------------------------------------------------------- refusals: nothing changes, all logged


def test_forged_signature_changes_nothing_and_is_logged(online_dossier, citizen, django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    forged = {**notification(txn), "signature": "0" * 64}
    outcome = payments.handle_notification("sandbox", forged, source="203.0.113.9")
    assert outcome.code == "97"
    assert nothing_paid(online_dossier)
    assert PaymentOrder.objects.get().status == PaymentOrder.Status.PENDING
    event = PaymentEvent.objects.get(kind=Kind.NOTIFY_REJECTED)
    assert "Chữ ký của cổng thanh toán không hợp lệ" in event.reason
    assert event.source == "203.0.113.9" and event.data["signature"] == "0" * 64


def test_tampered_amount_breaks_the_signature(online_dossier, citizen, django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    tampered = {**notification(txn), "amount": "2000"}
    assert payments.handle_notification("sandbox", tampered).code == "97"
    unsigned = {k: v for k, v in notification(txn).items() if k != "signature"}
    assert payments.handle_notification("sandbox", unsigned).code == "97"
    assert nothing_paid(online_dossier)
    assert PaymentEvent.objects.filter(kind=Kind.NOTIFY_REJECTED).count() == 2


def test_signed_wrong_amount_changes_nothing(online_dossier, citizen, django_capture_on_commit_callbacks):
    """Even correctly signed, an amount other than the order's is refused (gateway error or a leaked key)."""
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    params = {**notification(txn), "amount": "20000"}
    params["signature"] = payments.sign(params, payments.SandboxGateway().secret)
    outcome = payments.handle_notification("sandbox", params)
    assert outcome.code == "04"
    assert nothing_paid(online_dossier)
    assert "20.000 đồng không khớp với đơn thanh toán (200.000 đồng)" in \
        PaymentEvent.objects.get(kind=Kind.NOTIFY_REJECTED).reason


def test_order_that_no_longer_matches_the_procedure_fee_is_refused(online_dossier, citizen,
                                                                   django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    PaymentOrder.objects.update(amount=100000)  # an order tampered with in the database
    SandboxTransaction.objects.update(amount=100000)
    outcome = payments.handle_notification("sandbox", notification(SandboxTransaction.objects.get(pk=txn.pk)))
    assert outcome.code == "04"
    assert nothing_paid(online_dossier)
    assert "không khớp với phí, lệ phí của thủ tục (200.000 đồng)" in \
        PaymentEvent.objects.get(kind=Kind.NOTIFY_REJECTED).reason


def test_unknown_order_is_refused_and_logged(online_dossier, citizen, django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    params = {**notification(txn), "order": "MC000000NOTEXIST"}
    params["signature"] = payments.sign(params, payments.SandboxGateway().secret)
    assert payments.handle_notification("sandbox", params).code == "01"
    assert nothing_paid(online_dossier)
    assert "MC000000NOTEXIST" in PaymentEvent.objects.get(kind=Kind.NOTIFY_REJECTED).reason


def test_unknown_gateway_and_other_merchant_are_refused(online_dossier, citizen, django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    assert payments.handle_notification("vnpay", notification(txn)).code == "99"
    other = {**notification(txn), "merchant": "SOMEONE-ELSE"}
    other["signature"] = payments.sign(other, payments.SandboxGateway().secret)
    assert payments.handle_notification("sandbox", other).code == "97"
    assert nothing_paid(online_dossier)


def test_replayed_notification_changes_nothing(online_dossier, citizen, django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    params = notification(txn)
    first = payments.handle_notification("sandbox", params)
    paid = reload(online_dossier)
    replay = payments.handle_notification("sandbox", params)
    assert (first.code, first.recorded) == ("00", True)
    assert (replay.code, replay.recorded) == ("02", False)
    again = reload(online_dossier)
    assert (again.row_version, again.fee_paid_at, again.fee_receipt_number) == \
        (paid.row_version, paid.fee_paid_at, paid.fee_receipt_number)
    assert PaymentReceipt.objects.count() == 1
    assert DossierEvent.objects.filter(action="payment_received").count() == 1
    assert Notification.objects.count() == 2
    assert PaymentEvent.objects.filter(kind=Kind.NOTIFY_REPLAYED).count() == 1


def test_a_cancel_replayed_after_payment_changes_nothing(online_dossier, citizen, django_capture_on_commit_callbacks):
    txn = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    payments.handle_notification("sandbox", notification(txn))
    cancel = {**notification(txn), "result": "24"}
    cancel.pop("paid_at")
    cancel["signature"] = payments.sign(cancel, payments.SandboxGateway().secret)
    assert payments.handle_notification("sandbox", cancel).code == "02"
    assert PaymentOrder.objects.get().status == PaymentOrder.Status.PAID


def test_a_second_order_paid_for_the_same_dossier_is_kept_for_refund(online_dossier, citizen,
                                                                     django_capture_on_commit_callbacks):
    first = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    second = approve_in_sandbox(start(online_dossier, citizen), django_capture_on_commit_callbacks)
    assert payments.handle_notification("sandbox", notification(first)).recorded
    outcome = payments.handle_notification("sandbox", notification(second))
    assert outcome.code == "00" and not outcome.recorded
    assert PaymentOrder.objects.get(code=second.order_code).status == PaymentOrder.Status.DUPLICATE
    assert PaymentReceipt.objects.count() == 1
    assert "cần hoàn trả" in PaymentEvent.objects.get(kind=Kind.NOTIFY_DUPLICATE).reason


def test_payment_log_is_append_only(online_dossier, citizen):
    start(online_dossier, citizen)
    event = PaymentEvent.objects.get()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()


# ---------------------------------------------------------------- return and reconciliation


def test_return_is_verified_and_a_forged_one_is_logged(online_dossier, citizen, django_capture_on_commit_callbacks):
    started = start(online_dossier, citizen)
    txn = approve_in_sandbox(started, django_capture_on_commit_callbacks)
    assert payments.check_return("sandbox", notification(txn)) == started.order
    with pytest.raises(payments.PaymentError, match="không hợp lệ; giao dịch không được ghi nhận"):
        payments.check_return("sandbox", {**notification(txn), "result": "00", "amount": "1"})
    assert PaymentEvent.objects.filter(kind=Kind.RETURN_REJECTED).count() == 1
    assert nothing_paid(online_dossier)  # the return alone never pays


def test_reconcile_asks_the_gateway_when_the_notification_is_late(online_dossier, citizen,
                                                                  django_capture_on_commit_callbacks):
    started = start(online_dossier, citizen)
    assert payments.reconcile(started.order) is None  # nothing decided at the gateway yet
    approve_in_sandbox(started, django_capture_on_commit_callbacks)
    outcome = payments.reconcile(started.order, source="127.0.0.1")
    assert outcome.recorded and reload(online_dossier).fee_paid_at is not None
    assert PaymentEvent.objects.get(kind=Kind.NOTIFY_PAID).source == "127.0.0.1"


def test_sandbox_refuses_a_pay_request_with_a_changed_amount(online_dossier, citizen):
    params = gateway_params(start(online_dossier, citizen).redirect_url)
    with pytest.raises(payments.PaymentError, match="sai chữ ký"):
        payments.sandbox_open({**params, "amount": "1000"})
    assert not SandboxTransaction.objects.exists()
    txn = payments.sandbox_open(params)
    assert payments.sandbox_open(params) == txn  # reopening the page finds the same transaction


@override_settings(PAYMENT_SANDBOX_ENABLED=False)
def test_sandbox_can_be_switched_off(online_dossier, citizen):
    with pytest.raises(payments.PaymentError, match="đã bị tắt"):
        start(online_dossier, citizen)
