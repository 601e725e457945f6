"""Bundle applications through HTTP: reception screen, the application page, its actions and its printed forms."""
import time_machine
from django.urls import reverse

from motcua.dossiers import bundles
from motcua.dossiers.models import BundleApplication, Dossier, DossierEvent, Status
from tests.dossiers.conftest import MONDAY_9AM, at
from tests.dossiers.test_bundles import CONSTRUCTION, JUSTICE, bundle, reception  # noqa: F401  (fixture)
from tests.forms_print.conftest import pdf_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post_data(bundle, agencies, *, mode="sequential"):
    data = {"receiving_agency": agencies["000.00.01.H42"].pk, "mode": mode, "applicant_kind": "individual",
            "applicant_name": "Phạm Thị Hằng", "applicant_id_number": "037190004321",
            "applicant_phone": "0987654321", "applicant_address": "Phường Hoa Lư", "channel": "counter",
            "return_method": "counter", "postal_zone": "in_province"}
    competent = {"2.001417": agencies[JUSTICE], "1.009994": agencies[CONSTRUCTION]}
    for version in bundles.bundle_versions(bundle):
        prefix = f"p{version.pk}_"
        data.update({f"{prefix}include": "on", f"{prefix}competent": competent[version.procedure.code].pk,
                     f"{prefix}fee": version.fee_amount})
        for doc in version.documents.filter(mandatory=True):
            data.update({f"{prefix}doc_{doc.pk}_received": "on", f"{prefix}doc_{doc.pk}_originals": doc.originals,
                         f"{prefix}doc_{doc.pk}_copies": doc.copies})
    return data


def test_reception_page_offers_the_bundle_without_diacritics(client, users, bundle):
    client.force_login(users["tiepnhan.tinh"])
    page = client.get(reverse("dossiers:receive"), {"q": "lien thong ly lich"}).content.decode()
    assert "Liên thông lý lịch tư pháp và giấy phép xây dựng" in page
    assert reverse("dossiers:receive_bundle", args=[bundle.pk]) in page


def test_paper_bundle_received_at_the_counter(client, users, agencies, bundle):
    client.force_login(users["tiepnhan.tinh"])
    url = reverse("dossiers:receive_bundle", args=[bundle.pk])
    form = client.get(url).content.decode()
    assert "1. Cấp Phiếu lý lịch tư pháp" in form and "2. Cấp giấy phép xây dựng nhà ở riêng lẻ" in form
    with time_machine.travel(MONDAY_9AM, tick=False):
        response = client.post(url, post_data(bundle, agencies), follow=True)
    application = BundleApplication.objects.get()
    assert response.redirect_chain[-1][0] == reverse("dossiers:application", args=[application.pk])
    page = response.content.decode()
    assert f"Đã tiếp nhận hồ sơ liên thông {application.code} (2 thủ tục)" in page
    assert "Chờ cơ quan trước chuyển hồ sơ" in page
    assert application.mode == "sequential" and application.parts.count() == 2


def test_paper_bundle_cannot_be_sent_in_parallel(client, users, agencies, bundle):
    client.force_login(users["tiepnhan.tinh"])
    response = client.post(reverse("dossiers:receive_bundle", args=[bundle.pk]),
                           post_data(bundle, agencies, mode="parallel"))
    assert response.status_code == 400
    assert "phải được chuyển tuần tự" in response.content.decode()
    assert not BundleApplication.objects.exists() and not Dossier.objects.exists()


def test_hand_over_from_the_application_page_and_stale_page_refused(client, users, agencies, bundle):
    with time_machine.travel(MONDAY_9AM, tick=False):
        application = bundles.receive_bundle(users["tiepnhan.tinh"], reception(bundle, agencies, mode="sequential",
                                                                               scans=False))
    client.force_login(users["tiepnhan.tinh"])
    seen = application.row_version
    url = reverse("dossiers:application_action", args=[application.pk, "chuyen"])
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        response = client.post(url, {"expected_version": seen, "note": "Chuyển Sở Tư pháp"}, follow=True)
    assert "Đã chuyển các hồ sơ thành phần" in response.content.decode()
    first, second = application.parts.order_by("part_order")
    assert (first.status, second.status) == (Status.IN_PROGRESS, Status.RECEIVED)
    events = DossierEvent.objects.count()
    # The same (now stale) page submitted again: refused, nothing changes.
    response = client.post(reverse("dossiers:application_action", args=[application.pk, "dung"]),
                           {"expected_version": seen, "note": "Rút hồ sơ"})
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert DossierEvent.objects.count() == events
    assert not application.parts.filter(status=Status.STOPPED).exists()


def test_application_page_is_for_its_agencies_only(client, users, agencies, bundle):
    with time_machine.travel(MONDAY_9AM, tick=False):
        application = bundles.receive_bundle(users["tiepnhan.tinh"], reception(bundle, agencies))
    client.force_login(users["thuly.dat"])
    assert client.get(reverse("dossiers:application", args=[application.pk])).status_code == 403
    assert client.get(reverse("forms_print:bundle_receipt", args=[application.pk])).status_code == 403
    client.force_login(users["thuly.xaydung"])
    assert client.get(reverse("dossiers:application", args=[application.pk])).status_code == 200


def test_bundle_receipt_and_transfer_slip_print(client, users, agencies, bundle):
    with time_machine.travel(MONDAY_9AM, tick=False):
        application = bundles.receive_bundle(users["tiepnhan.tinh"], reception(bundle, agencies, mode="sequential",
                                                                               scans=False))
    client.force_login(users["tiepnhan.tinh"])
    receipt = client.get(reverse("forms_print:bundle_receipt", args=[application.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert application.code in text
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in text and "Cấp giấy phép xây dựng" in text
    assert "Hẹn trả kết quả (tất cả các thủ tục)" in text
    transfer = pdf_text(client.get(reverse("forms_print:bundle_transfer", args=[application.pk])).content)
    assert "PHIẾU CHUYỂN HỒ SƠ GIẢI QUYẾT LIÊN THÔNG" in transfer
    assert "Sở Tư pháp" in transfer and "Sở Xây dựng" in transfer and "(dự kiến)" in transfer


def test_public_lookup_by_the_application_code(client, users, agencies, bundle):
    with time_machine.travel(MONDAY_9AM, tick=False):
        application = bundles.receive_bundle(users["tiepnhan.tinh"], reception(bundle, agencies))
    first, second = application.parts.order_by("part_order")
    response = client.post(reverse("portal:lookup"), {"ma": application.code, "so": "4321"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đang giải quyết (0/2 thủ tục đã có kết quả)" in page
    assert first.code in page and second.code in page and "Cơ quan chủ trì" in page
    # No personal data, and the wrong digits get the same generic answer as an unknown code.
    assert "Phạm Thị Hằng" not in page and "037190004321" not in page
    wrong = client.post(reverse("portal:lookup"), {"ma": application.code, "so": "0000"})
    unknown = client.post(reverse("portal:lookup"), {"ma": "000.00.01.H42-261123-9999", "so": "4321"})
    assert wrong.status_code == unknown.status_code == 404
    api = client.post("/api/v1/dossiers/lookup", {"code": application.code, "phone_last4": "4321"},
                      content_type="application/json").json()
    assert [p["code"] for p in api["parts"]] == [first.code, second.code]
    assert api["appointment_at"] and not api["can_rate"]
