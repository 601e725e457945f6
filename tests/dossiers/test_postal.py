"""Postal channel (dịch vụ bưu chính công ích): dossiers received by post, postage, result dispatched by post."""
import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from motcua.dossiers import postal, services
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Notification, ReturnMethod, Status
from tests.dossiers.conftest import MONDAY_9AM, at, reception_for

GOOD = "EE123456785VN"  # S10 with the right check digit


def reload(dossier):
    return Dossier.objects.get(pk=dossier.pk)


@pytest.mark.parametrize("typed, stored", [
    ("EE123456785VN", "EE123456785VN"), ("ee 123 456 785 vn", "EE123456785VN"), ("RR000000005VN", "RR000000005VN"),
    ("1234567890", "1234567890"), ("NB2026112300123", "NB2026112300123"),
])
def test_waybill_numbers_accepted(typed, stored):
    assert postal.normalise_tracking(typed) == stored


@pytest.mark.parametrize("typed, message", [
    ("", "Vui lòng nhập mã vận đơn bưu chính."),
    ("EE123456786VN", "sai chữ số kiểm tra"),
    ("ABCDEFGH", "không hợp lệ"),
    ("12-3", "không hợp lệ"),
    ("EE12345678<script>", "không hợp lệ"),
])
def test_waybill_numbers_refused(typed, message):
    with pytest.raises(services.DossierError, match=message):
        postal.normalise_tracking(typed)


def test_s10_check_digits():
    assert postal.make_s10("EE", 12345678) == GOOD
    # The two special cases of the S10 algorithm: remainder 1 → 0, remainder 0 → 5.
    assert all(postal.normalise_tracking(postal.make_s10("RR", n)) for n in range(10_000_000, 10_000_040))


@override_settings(POSTAL_FEES={"in_province": 22000, "other_province": 35000})
def test_postage_from_the_fee_table():
    assert postal.postage(send_documents=False, return_by_post=False, zone="") == 0
    assert postal.postage(send_documents=True, return_by_post=False, zone="in_province") == 22000
    assert postal.postage(send_documents=True, return_by_post=True, zone="other_province") == 70000
    with pytest.raises(services.DossierError, match="trong tỉnh hoặc ngoài tỉnh"):
        postal.postage(send_documents=True, return_by_post=False, zone="moon")


def test_dossier_received_by_post_needs_its_waybill(procedure, agencies, users):
    with time_machine.travel(MONDAY_9AM, tick=False):
        with pytest.raises(services.DossierError) as refused:
            services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies, channel=Channel.POST))
        assert "Hồ sơ nhận qua bưu chính: Vui lòng nhập mã vận đơn bưu chính." == refused.value.message
        assert "incoming_tracking" in refused.value.field_errors
        assert not Dossier.objects.exists()
        dossier = services.receive(users["tiepnhan.tinh"], reception_for(
            procedure, agencies, channel=Channel.POST, incoming_tracking="ee123456785vn",
            return_method=ReturnMethod.POST, postal_address="Số 5 phố Lê Lợi, phường Hoa Lư",
            postal_zone="other_province"))
    assert dossier.incoming_tracking == GOOD and dossier.documents_by_post
    assert dossier.postal_fee == 2 * 35000 and dossier.postal_zone == "other_province"
    assert DossierEvent.objects.get(dossier=dossier, action="receive").data["tracking"] == GOOD


def test_procedure_without_postal_service_refuses_it(procedure, agencies, users):
    procedure.postal_reception = procedure.postal_return = False
    procedure.save()
    with time_machine.travel(MONDAY_9AM, tick=False):
        with pytest.raises(services.DossierError, match="không tiếp nhận hồ sơ qua bưu chính"):
            services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies, channel=Channel.POST,
                                                                   incoming_tracking=GOOD))
        with pytest.raises(services.DossierError, match="không trả kết quả qua bưu chính"):
            services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies, return_method="post",
                                                                   postal_address="Số 1 Lê Lợi"))
    assert not Dossier.objects.exists()


def _ready(dossier, users):
    """Walk the received dossier to "result ready" through the services (Sở Tư pháp staff)."""
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        dossier = services.hand_over(users["tiepnhan.tinh"], dossier.pk, dossier.row_version)
        dossier = services.forward(users["thuly.tuphap"], dossier.pk, dossier.row_version)
        dossier = services.approve(users["lanhdao.tuphap"], dossier.pk, dossier.row_version)
        dossier = services.issue_result(users["vanthu.tuphap"], dossier.pk, dossier.row_version, number="12/LLTP",
                                        signed_on=datetime.date(2026, 11, 23), signer="Đỗ Quang Vinh")
    return dossier


def test_result_dispatched_by_post_with_waybill_and_day(received_dossier, users):
    dossier = _ready(received_dossier, users)
    receiver = users["tiepnhan.tinh"]
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=False):
        for kwargs, message in [
            ({"tracking": ""}, "Vui lòng nhập mã vận đơn bưu chính."),
            ({"tracking": "EE123456786VN"}, "sai chữ số kiểm tra"),
            ({"tracking": GOOD}, "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."),
            ({"tracking": GOOD, "postal_address": "Số 5 Lê Lợi", "dispatched_on": datetime.date(2026, 11, 26)},
             "không được sau ngày hôm nay"),
            ({"tracking": GOOD, "postal_address": "Số 5 Lê Lợi", "dispatched_on": datetime.date(2026, 11, 20)},
             r"không được trước ngày có kết quả \(23/11/2026\)"),
        ]:
            with pytest.raises(services.DossierError, match=message):
                services.return_result(receiver, dossier.pk, dossier.row_version, method=ReturnMethod.POST, **kwargs)
            assert reload(dossier).status == Status.RESULT_READY
        returned = services.return_result(receiver, dossier.pk, dossier.row_version, method=ReturnMethod.POST,
                                          tracking="ee 123456785 vn", postal_address="Số 5 phố Lê Lợi, Hoa Lư",
                                          dispatched_on=datetime.date(2026, 11, 24))
    assert returned.status == Status.RETURNED and returned.postal_tracking == GOOD
    assert returned.postal_dispatched_on == datetime.date(2026, 11, 24)
    assert returned.postal_address == "Số 5 phố Lê Lợi, Hoa Lư"
    event = DossierEvent.objects.get(dossier=dossier, action="return")
    assert event.data == {"method": "post", "tracking": GOOD, "dispatched_on": "2026-11-24",
                          "address": "Số 5 phố Lê Lợi, Hoa Lư"}
    sms = Notification.objects.filter(dossier=dossier, channel="sms").order_by("-id").first()
    assert GOOD in sms.subject and GOOD in sms.body and "24/11/2026" in sms.body


def test_dispatch_day_defaults_to_today(received_dossier, users):
    dossier = _ready(received_dossier, users)
    with time_machine.travel(at(2026, 11, 24, 15, 0), tick=False):
        returned = services.return_result(users["tiepnhan.tinh"], dossier.pk, dossier.row_version, method="post",
                                          tracking=GOOD, postal_address="Số 5 Lê Lợi")
    assert returned.postal_dispatched_on == datetime.date(2026, 11, 24)


def test_incoming_post_recorded_once_by_the_receiver(procedure, agencies, users):
    with time_machine.travel(MONDAY_9AM, tick=False):
        counter = services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies))
        with pytest.raises(services.DossierError, match="không chọn gửi hồ sơ giấy qua bưu chính"):
            postal.record_incoming_documents(users["tiepnhan.tinh"], counter.pk, counter.row_version, GOOD)
        Dossier.objects.filter(pk=counter.pk).update(documents_by_post=True)
        with pytest.raises(services.NotAllowed):
            postal.record_incoming_documents(users["thuly.tuphap"], counter.pk, counter.row_version, GOOD)
        dossier = postal.record_incoming_documents(users["tiepnhan.tinh"], counter.pk, counter.row_version, GOOD,
                                                   "Bưu tá giao lúc 9 giờ")
        assert dossier.incoming_tracking == GOOD
        with pytest.raises(services.DossierError, match="Đã ghi nhận bưu gửi"):
            postal.record_incoming_documents(users["tiepnhan.tinh"], counter.pk, dossier.row_version,
                                             "RR000000005VN")
    assert DossierEvent.objects.filter(dossier=counter, action="postal_documents_arrived").count() == 1


def test_desk_reception_and_dispatch_by_post_over_http(client, procedure, agencies, users, received_dossier):
    client.force_login(users["tiepnhan.tinh"])
    dossier = _ready(received_dossier, users)
    url = reverse("dossiers:action", args=[dossier.pk, "return_result"])
    with time_machine.travel(at(2026, 11, 25, 9, 0), tick=True):
        bad = client.post(url, {"row_version": dossier.row_version, "method": "post", "tracking": "EE123456786VN",
                                "postal_address": "Số 5 Lê Lợi", "dispatched_on": ""})
        assert bad.status_code == 400 and "sai chữ số kiểm tra" in bad.content.decode()
        ok = client.post(url, {"row_version": dossier.row_version, "method": "post", "tracking": GOOD,
                               "postal_address": "Số 5 Lê Lợi", "dispatched_on": "25/11/2026"})
        assert ok.status_code == 302
        page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert GOOD in page and "25/11/2026" in page
    pdf = client.get(reverse("forms_print:receipt", args=[dossier.pk]))
    assert pdf.status_code == 200
