"""Each printed form of Thông tư 03/2025, generated for a dossier in the right state and read back."""
import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, StepStatus, Timeliness
from motcua.forms_print import services as forms
from motcua.forms_print.render import qr_data_uri, render_html
from tests.forms_print.conftest import at, pdf_pages, pdf_text, reception_for

HEADER = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
APPOINTMENT = "Hẹn trả kết quả: vào hồi 09 giờ 00 phút, ngày 08 tháng 12 năm 2026"


def act(moment, fn, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return fn(*args, **kwargs)


def get_pdf(client, name, pk):
    response = client.get(reverse(f"forms_print:{name}", args=[pk]))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response, pdf_text(response.content)


def assert_common(text, dossier, number, title):
    for part in HEADER + [number, title, dossier.applicant_name]:
        assert part in text, part
    if dossier.code:
        assert dossier.code in text
        assert "Quét mã QR để tra cứu tình trạng hồ sơ" in text


@pytest.fixture
def handed_over(received_dossier, users):
    return act(at(2026, 11, 23, 10, 0), services.hand_over, users["tiepnhan.tinh"], received_dossier.pk, None)


# ---------------------------------------------------------------- Mẫu số 01


def test_receipt_shows_applicant_documents_fee_and_appointment(client_for, users, received_dossier):
    response, text = get_pdf(client_for(users["tiepnhan.tinh"]), "receipt", received_dossier.pk)
    assert response["Content-Disposition"] == \
        f'inline; filename="giay-tiep-nhan-{received_dossier.code}.pdf"'
    assert_common(text, received_dossier, "Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ")
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH NINH BÌNH" in text
    assert "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH" in text
    assert "Ninh Bình, ngày 23 tháng 11 năm 2026" in text
    assert APPOINTMENT in text and "buổi sáng" in text
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in text and "Bản chụp Căn cước" in text
    assert "200.000 đồng" in text
    assert "037090001234" in text and "0912345678" in text and "Số 5 phố Lê Lợi, phường Hoa Lư" in text
    assert "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in text and "Sở Tư pháp" in text
    assert "Trực tiếp" in text and "Tại bộ phận một cửa" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Nguyễn Thị Thu Hà" in text  # the receiving official
    assert pdf_pages(response.content) == 1


def test_receipt_qr_points_to_public_lookup(received_dossier):
    context = forms.receipt_context(forms.load_dossier(received_dossier.pk))
    assert context["qr_url"] == f"{settings.PUBLIC_BASE_URL}/tra-cuu/?ma={received_dossier.code}"
    assert context["qr"] == qr_data_uri(context["qr_url"])
    assert context["qr"].startswith("data:image/svg+xml")
    assert context["qr"] in render_html("forms_print/receipt.html", context)


def test_competent_agency_staff_and_inspector_may_print(client, users, received_dossier):
    for username in ("thuly.tuphap", "thanhtra"):
        client.force_login(users[username])
        get_pdf(client, "receipt", received_dossier.pk)


FORM_NAMES = ["receipt", "supplement", "refusal", "reception_refusal", "apology", "stop", "control_sheet"]


@pytest.mark.parametrize("name", FORM_NAMES)
def test_official_of_another_agency_gets_403(client_for, users, received_dossier, name):
    response = client_for(users["thuly.xaydung"]).get(reverse(f"forms_print:{name}", args=[received_dossier.pk]))
    assert response.status_code == 403
    assert "Bạn không có quyền xem hồ sơ" in response.content.decode()


def test_anonymous_is_sent_to_login(client, received_dossier):
    response = client.get(reverse("forms_print:receipt", args=[received_dossier.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_unknown_dossier_is_404(client_for, users, province):
    response = client_for(users["tiepnhan.tinh"]).get(reverse("forms_print:receipt", args=[999999]))
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in response.content.decode()


# ---------------------------------------------------------------- Mẫu số 02


def test_supplement_request_during_processing(client_for, users, handed_over):
    act(at(2026, 11, 25, 10, 0), services.request_supplement, users["thuly.tuphap"], handed_over.pk, None,
        "Bản sao Giấy khai sinh\nGiấy xác nhận thông tin về cư trú")
    _, text = get_pdf(client_for(users["tiepnhan.tinh"]), "supplement", handed_over.pk)
    assert_common(text, handed_over, "Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    assert "Ninh Bình, ngày 25 tháng 11 năm 2026" in text
    assert "Bản sao Giấy khai sinh" in text and "Giấy xác nhận thông tin về cư trú" in text
    # 15 days after the notice (procedure default).
    assert "Thời hạn bổ sung: trước 10 giờ 00 phút, ngày 10 tháng 12 năm 2026" in text
    assert "theo đề nghị của Sở Tư pháp" in text
    assert "Lê Thị Hồng Nhung" in text  # the official who asked
    assert "0229 3871 010" in text  # the one-stop unit to contact


def test_supplement_slip_for_incomplete_dossier_at_the_counter(client_for, users, procedure, agencies):
    record = act(at(2026, 11, 23, 8, 30), services.refuse_at_reception, users["tiepnhan.tinh"],
                 reception_for(procedure, agencies, documents=[]), "Chưa có tờ khai và bản chụp Căn cước",
                 incomplete=True)
    response, text = get_pdf(client_for(users["tiepnhan.tinh"]), "supplement", record.pk)
    assert_common(text, record, "Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ")
    assert "Phiếu hướng dẫn hoàn thiện hồ sơ" in text and "chưa được tiếp nhận" in text
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in text and "Bản chụp Căn cước" in text
    assert "Chưa có tờ khai và bản chụp Căn cước" in text
    assert "Ninh Bình, ngày 23 tháng 11 năm 2026" in text
    assert response["Content-Disposition"] == f'inline; filename="phieu-yeu-cau-bo-sung-{record.pk}.pdf"'
    # Never received: no receipt, and no code to look up.
    response = client_for(users["tiepnhan.tinh"]).get(reverse("forms_print:receipt", args=[record.pk]))
    assert response.status_code == 404
    assert "chưa được tiếp nhận" in response.content.decode()


def test_no_supplement_slip_before_any_request(client_for, users, received_dossier):
    response = client_for(users["tiepnhan.tinh"]).get(reverse("forms_print:supplement", args=[received_dossier.pk]))
    assert response.status_code == 404
    assert "chưa có yêu cầu bổ sung" in response.content.decode()


# ---------------------------------------------------------------- Mẫu số 03


def test_refusal_after_review(client_for, users, handed_over):
    act(at(2026, 11, 26, 15, 0), services.refuse, users["thuly.tuphap"], handed_over.pk, None,
        "Người yêu cầu không thuộc đối tượng được cấp Phiếu lý lịch tư pháp số 2")
    response, text = get_pdf(client_for(users["tiepnhan.tinh"]), "refusal", handed_over.pk)
    assert_common(text, handed_over, "Mẫu số 03", "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ")
    assert "SỞ TƯ PHÁP" in text
    assert "Ninh Bình, ngày 26 tháng 11 năm 2026" in text
    assert "không thuộc đối tượng được cấp Phiếu lý lịch tư pháp số 2" in text
    assert "tiếp nhận ngày 23/11/2026" in text
    assert response["Content-Disposition"] == f'inline; filename="phieu-tu-choi-{handed_over.code}.pdf"'


def test_refusal_form_needs_a_refused_dossier(client_for, users, received_dossier):
    response = client_for(users["tiepnhan.tinh"]).get(reverse("forms_print:refusal", args=[received_dossier.pk]))
    assert response.status_code == 404
    assert "không bị từ chối giải quyết" in response.content.decode()


def test_refusal_at_reception(client_for, users, procedure, agencies):
    record = act(at(2026, 11, 23, 14, 0), services.refuse_at_reception, users["tiepnhan.tinh"],
                 reception_for(procedure, agencies), "Thủ tục không thuộc thẩm quyền giải quyết của tỉnh")
    _, text = get_pdf(client_for(users["tiepnhan.tinh"]), "reception_refusal", record.pk)
    assert_common(text, record, "Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
    assert "Thủ tục không thuộc thẩm quyền giải quyết của tỉnh" in text
    assert "Ninh Bình, ngày 23 tháng 11 năm 2026" in text
    assert "Nguyễn Thị Thu Hà" in text


def test_reception_refusal_needs_a_rejected_record(client_for, users, received_dossier):
    response = client_for(users["tiepnhan.tinh"]).get(
        reverse("forms_print:reception_refusal", args=[received_dossier.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- Mẫu số 04


def test_apology_letter_draft_then_approved(client_for, users, handed_over):
    act(at(2026, 12, 4, 10, 0), services.draft_apology, users["thuly.tuphap"], handed_over.pk, None,
        reason="Cần xác minh thêm thông tin lý lịch tại Công an tỉnh", proposed_due_at=at(2026, 12, 11, 14, 0))
    client = client_for(users["tiepnhan.tinh"])
    _, text = get_pdf(client, "apology", handed_over.pk)
    assert_common(text, handed_over, "Mẫu số 04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
    assert "DỰ THẢO" in text
    assert "SỞ TƯ PHÁP" in text
    assert "Cần xác minh thêm thông tin lý lịch tại Công an tỉnh" in text
    assert "vào hồi 09 giờ 00 phút, ngày 08 tháng 12 năm 2026" in text  # previous appointment
    assert "vào hồi 14 giờ 00 phút, ngày 11 tháng 12 năm 2026 (buổi chiều)" in text  # proposed
    act(at(2026, 12, 4, 15, 0), services.approve_apology, users["lanhdao.tuphap"], handed_over.pk, None)
    _, text = get_pdf(client, "apology", handed_over.pk)
    assert "DỰ THẢO" not in text
    assert "Đỗ Quang Vinh" in text
    assert "Ninh Bình, ngày 04 tháng 12 năm 2026" in text


def test_apology_without_letter_is_404_in_vietnamese(client_for, users, received_dossier):
    response = client_for(users["tiepnhan.tinh"]).get(reverse("forms_print:apology", args=[received_dossier.pk]))
    assert response.status_code == 404
    assert f"Hồ sơ {received_dossier.code} không có văn bản xin lỗi" in response.content.decode()


# ---------------------------------------------------------------- Mẫu số 05


def test_stop_notice_with_fee_refund(client_for, users, handed_over):
    act(at(2026, 11, 27, 16, 30), services.stop, users["tiepnhan.tinh"], handed_over.pk, None,
        "Người nộp đã được cấp Phiếu lý lịch tư pháp ở nơi khác")
    response, text = get_pdf(client_for(users["thuly.tuphap"]), "stop", handed_over.pk)
    assert_common(text, handed_over, "Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
    assert "Người nộp đã được cấp Phiếu lý lịch tư pháp ở nơi khác" in text
    assert "16 giờ 30 phút, ngày 27 tháng 11 năm 2026" in text
    assert "Phí, lệ phí đã nộp (200.000 đồng) được hoàn trả" in text
    assert response["Content-Disposition"] == f'inline; filename="thong-bao-dung-{handed_over.code}.pdf"'


def test_stop_notice_without_refund(users, handed_over):
    Dossier.objects.filter(pk=handed_over.pk).update(fee_amount=0)
    act(at(2026, 11, 27, 9, 0), services.stop, users["tiepnhan.tinh"], handed_over.pk, None, "Không có nhu cầu nữa")
    context = forms.stop_context(forms.load_dossier(handed_over.pk))
    assert "hoàn trả" not in render_html("forms_print/stop.html", context)


# ---------------------------------------------------------------- Mẫu số 06


def test_control_sheet_lists_every_hand_over_and_its_timeliness(client_for, users, handed_over):
    pk = handed_over.pk
    act(at(2026, 12, 7, 10, 0), services.forward, users["thuly.tuphap"], pk, None, "Đủ điều kiện cấp")  # late
    act(at(2026, 12, 7, 11, 0), services.approve, users["lanhdao.tuphap"], pk, None)
    act(at(2026, 12, 7, 14, 0), services.issue_result, users["vanthu.tuphap"], pk, None, number="1234/LLTP",
        signed_on=datetime.date(2026, 12, 7), signer="Đỗ Quang Vinh")
    act(at(2026, 12, 8, 8, 0), services.return_result, users["tiepnhan.tinh"], pk, None)
    steps = {s.order: s for s in handed_over.steps.all()}
    assert steps[2].timeliness == Timeliness.LATE and steps[1].status == StepStatus.DONE

    _, text = get_pdf(client_for(users["thuly.tuphap"]), "control_sheet", pk)
    assert_common(text, handed_over, "Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ")
    assert "Giao: Người nộp hồ sơ (Nguyễn Văn An)" in text
    assert "Nhận: Trung tâm Phục vụ hành chính công tỉnh Ninh Bình (Nguyễn Thị Thu Hà)" in text
    assert "Giao: Trung tâm Phục vụ hành chính công tỉnh Ninh Bình (Nguyễn Thị Thu Hà) Nhận: Sở Tư pháp" in text
    for moment in ("09 giờ 00 phút, ngày 23/11/2026", "10 giờ 00 phút, ngày 23/11/2026",
                   "10 giờ 00 phút, ngày 07/12/2026", "14 giờ 00 phút, ngày 07/12/2026"):
        assert moment in text
    assert "Giao: Sở Tư pháp (Lê Thị Hồng Nhung)" in text
    assert "Trễ hạn" in text and "Trước hạn" in text
    assert "Phát hành kết quả số 1234/" in text  # (the cell may wrap after the slash)
    assert "Đủ điều kiện cấp. Hạn bước: 09:00 04/12/2026." in text
    assert "Trả kết quả cho người nộp hồ sơ" in text
    assert "Lãnh đạo Sở phê duyệt, ký" in text  # the steps table


def test_control_sheet_notes_supplement_and_restart(users, handed_over):
    act(at(2026, 11, 25, 10, 0), services.request_supplement, users["thuly.tuphap"], handed_over.pk, None,
        "Bản sao Giấy khai sinh")
    act(at(2026, 11, 30, 9, 0), services.receive_supplement, users["tiepnhan.tinh"], handed_over.pk, None,
        [services.ReceivedDocument(name="Bản sao Giấy khai sinh", copies=1)])
    context = forms.control_sheet_context(forms.load_dossier(handed_over.pk))
    notes = " ".join(row["note"] for row in context["rows"])
    assert "Yêu cầu bổ sung: Bản sao Giấy khai sinh" in notes
    assert "thời hạn giải quyết tính lại từ đầu" in notes
