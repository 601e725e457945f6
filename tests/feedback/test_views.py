"""HTTP: the public pages (send, verify, track, published answers) and the staff desk."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackEvent, Status
from tests.feedback.conftest import JUSTICE, category, sms_code, submission, verified

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {"category": category("QDHC").pk, "title": "Đề nghị bỏ yêu cầu sổ hộ khẩu",
            "description": "Thủ tục cấp Phiếu lý lịch tư pháp vẫn yêu cầu bản sao sổ hộ khẩu đã bị bãi bỏ.",
            "sender_name": "Trần Thị Bích Ngọc", "sender_phone": "0912 345 678", "verify_by": "sms",
            "address": "Phường Hoa Lư"}
    data.update(overrides)
    return data


def test_send_verify_and_track(client, province):
    page = client.get("/phan-anh/gui/")
    assert page.status_code == 200 and "Gửi phản ánh, kiến nghị" in page.content.decode()
    pdf = SimpleUploadedFile("giay-hen.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post("/phan-anh/gui/", {**form_data(), "attachments": [pdf]})
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response.url == f"/phan-anh/xac-thuc/{feedback.code}/"
    assert feedback.attachments.count() == 1 and feedback.sender_phone == "0912345678"
    page = client.get(response.url).content.decode()
    assert "091****678" in page and "Mã xác thực" in page
    wrong = client.post(response.url, {"secret": "000000" if sms_code(feedback.code) != "000000" else "111111"})
    assert wrong.status_code == 400 and "Còn 4 lần thử" in wrong.content.decode()
    done = client.post(response.url, {"secret": sms_code(feedback.code)}, follow=True)
    assert feedback.code in done.content.decode() and "đã được tiếp nhận" in done.content.decode()
    track = client.get("/phan-anh/tra-cuu/", {"ma": feedback.code, "lh": "5678"}).content.decode()
    assert "Đã tiếp nhận, chờ phân loại" in track
    refused = client.get("/phan-anh/tra-cuu/", {"ma": feedback.code, "lh": "0000"})
    assert refused.status_code == 404 and "Không tìm thấy phản ánh" in refused.content.decode()


def test_send_with_errors_keeps_the_form(client, province):
    response = client.post("/phan-anh/gui/", form_data(description="ngắn", sender_phone="", sender_email=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "ít nhất 20 ký tự" in html and "số điện thoại hoặc thư điện tử" in html
    assert not Feedback.objects.exists()


def test_verify_page_does_not_show_the_contact_to_others(client, province):
    feedback = services.submit(submission())
    html = client.get(f"/phan-anh/xac-thuc/{feedback.code}/").content.decode()
    assert "091****678" not in html


def test_public_list_and_detail_hide_personal_data(client, assigned, users):
    services.answer(users["thuly.tuphap"], assigned.pk, assigned.row_version,
                    "Sở Tư pháp đã bãi bỏ yêu cầu sổ hộ khẩu; liên hệ 0229 3871 140 để được hỗ trợ.")
    listing = client.get("/phan-anh/", {"q": "SO HO KHAU"}).content.decode()
    assert assigned.code in listing and "Trần Thị Bích Ngọc" not in listing
    assert "[đã ẩn]" in listing
    assert "Không có câu trả lời nào phù hợp" in client.get("/phan-anh/", {"q": "xay dung nha o"}).content.decode()
    detail = client.get(f"/phan-anh/cong-khai/{assigned.code}/").content.decode()
    assert "Người gửi đề nghị không công khai danh tính" in detail and "Trần Thị Bích Ngọc" not in detail
    assert "0912345678" not in detail
    assert client.get(f"/phan-anh/cong-khai/{verified().code}/").status_code == 404


def test_desk_requires_an_official(client, received, users):
    assert client.get("/phan-anh/quan-ly/").status_code == 302
    client.force_login(users["thuly.xaydung"])
    assert client.get(f"/phan-anh/quan-ly/{received.pk}/").status_code == 404


def test_triage_and_answer_through_the_desk(client, received, users, agencies):
    client.force_login(users["tiepnhan.tinh"])
    listing = client.get("/phan-anh/quan-ly/").content.decode()
    assert received.code in listing
    page = client.get(f"/phan-anh/quan-ly/{received.pk}/").content.decode()
    assert "Phân loại và chuyển xử lý" in page and "Trần Thị Bích Ngọc" in page
    response = client.post(f"/phan-anh/quan-ly/{received.pk}/route/", {
        "row_version": received.row_version, "category": category("QDHC").pk, "agency": agencies[JUSTICE].pk})
    assert response.status_code == 302
    stale = client.post(f"/phan-anh/quan-ly/{received.pk}/reject/", {
        "row_version": received.row_version, "reason": "Không thuộc phạm vi xử lý của hệ thống."})
    assert stale.status_code == 409 and "vừa được người khác cập nhật" in stale.content.decode()
    client.force_login(users["thuly.tuphap"])
    feedback = Feedback.objects.get(pk=received.pk)
    assert feedback.code in client.get("/phan-anh/quan-ly/").content.decode()
    empty = client.post(f"/phan-anh/quan-ly/{received.pk}/answer/", {"row_version": feedback.row_version,
                                                                      "answer": ""})
    assert empty.status_code == 400 and "nội dung trả lời" in empty.content.decode()
    done = client.post(f"/phan-anh/quan-ly/{received.pk}/answer/", {
        "row_version": feedback.row_version, "publish": "on",
        "answer": "Sở Tư pháp tiếp thu kiến nghị và đã bỏ yêu cầu sổ hộ khẩu."}, follow=True)
    assert "Đã trả lời phản ánh" in done.content.decode()
    assert Feedback.objects.get(pk=received.pk).status == Status.ANSWERED
    assert list(FeedbackEvent.objects.filter(feedback=received).values_list("action", flat=True)) == [
        "submit", "verify", "route", "answer"]


def test_receiver_cannot_answer_and_handler_cannot_triage(client, received, users, agencies):
    client.force_login(users["thuly.tuphap"])
    assert client.get(f"/phan-anh/quan-ly/{received.pk}/").status_code == 404  # not routed to them yet
    client.force_login(users["tiepnhan.tinh"])
    feedback = services.route(users["tiepnhan.tinh"], received.pk, received.row_version, agencies[JUSTICE])
    response = client.post(f"/phan-anh/quan-ly/{received.pk}/answer/", {
        "row_version": feedback.row_version, "answer": "Câu trả lời của người không có thẩm quyền."})
    assert response.status_code == 403 and "Chỉ chuyên viên hoặc lãnh đạo" in response.content.decode()


def test_attachment_download_for_officials_only(client, province, users):
    pdf = SimpleUploadedFile("anh.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    feedback = verified(submission(attachments=[pdf]))
    attachment = feedback.attachments.get()
    url = f"/phan-anh/quan-ly/{feedback.pk}/tep/{attachment.pk}/"
    assert client.get(url).status_code == 302
    client.force_login(users["tiepnhan.tinh"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_tracking_wrong_pairs_are_throttled(client, received, settings):
    from django.core.cache import cache
    cache.clear()
    settings.PUBLIC_LOOKUP_THROTTLE = "3/15m"
    for digits in ("0001", "0002", "0003"):
        assert client.get("/phan-anh/tra-cuu/", {"ma": received.code, "lh": digits}).status_code == 404
    blocked = client.get("/phan-anh/tra-cuu/", {"ma": received.code, "lh": "5678"})
    assert blocked.status_code == 429 and "sai quá nhiều lần" in blocked.content.decode()
    assert "Trần Thị Bích Ngọc" not in blocked.content.decode()
    cache.clear()


def test_send_form_prefilled_from_a_procedure_or_dossier_link(client, province):
    html = client.get("/phan-anh/gui/", {"thu_tuc": "2.000505"}).content.decode()
    assert 'value="2.000505"' in html
    assert f'<option value="{category("QDHC").pk}" selected>' in html
    html = client.get("/phan-anh/gui/", {"ho_so": "000.00.14.H42-261123-0007"}).content.decode()
    assert 'value="000.00.14.H42-261123-0007"' in html
