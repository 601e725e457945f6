"""Online submission over HTTP: drafts and uploads, submit, the receiver's queue, return and resubmit,
supplement online, result download — and every refusal shows its message and changes nothing."""
import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile

from motcua.dossiers import online, services
from motcua.dossiers.models import Dossier, DossierEvent, Notification, Status
from motcua.portal.models import DraftFile, OnlineDraft
from tests.portal.submission_fixtures import (  # noqa: F401
    PDF, JPEG, citizen, fake_pdf, make_citizen, online_version, other_citizen, pdf, province, staff,
)

CODE = "2.001417"


def start(client):
    response = client.post(f"/thu-tuc/{CODE}/nop-truc-tuyen/")
    assert response.status_code == 302, response.content.decode()[:500]
    return OnlineDraft.objects.latest("id")


def form_data(draft, **changes):
    data = {"row_version": draft.row_version, "applicant_kind": draft.applicant_kind,
            "applicant_name": draft.applicant_name, "applicant_id_number": draft.applicant_id_number,
            "organisation_name": "", "applicant_phone": draft.applicant_phone, "applicant_email": draft.applicant_email,
            "applicant_address": draft.applicant_address, "competent_agency": draft.competent_agency_id or "",
            "receiving_agency": draft.receiving_agency_id or "", "return_method": "counter", "postal_address": "",
            "note": "", "action": "save"}
    data.update(changes)
    return data


def docs(version):
    return {d.order: d for d in version.documents.all()}


def complete_files(version):
    d = docs(version)
    return {f"doc_{d[1].pk}": pdf("to-khai.pdf"), f"doc_{d[2].pk}": pdf("can-cuoc.pdf")}


def submit_complete(client, version):
    draft = start(client)
    response = client.post(f"/nop-truc-tuyen/{draft.pk}/", {**form_data(draft, action="submit"),
                                                            **complete_files(version)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Dossier.objects.get(pk=OnlineDraft.objects.get(pk=draft.pk).dossier_id)


def test_start_page_asks_to_sign_in_then_prefills_a_draft_from_the_account(client, online_version, citizen):
    page = client.get(f"/thu-tuc/{CODE}/nop-truc-tuyen/").content.decode()
    assert "Đăng nhập để nộp hồ sơ" in page and "Đăng ký tài khoản" in page
    assert "đang được hoàn thiện" not in page
    client.force_login(citizen)
    draft = start(client)
    assert (draft.applicant_name, draft.applicant_id_number, draft.applicant_phone) == (
        "Nguyễn Văn An", "037090001234", "0912345678")
    assert draft.competent_agency.code == "000.00.14.H42" and draft.receiving_agency.code == "000.00.01.H42"
    page = client.get(f"/nop-truc-tuyen/{draft.pk}/").content.decode()
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in page and "Bản chụp Căn cước" in page
    assert 'value="Nguyễn Văn An"' in page
    assert start(client).pk == draft.pk  # resumed, not duplicated


def test_draft_saves_and_resumes_uploads(client, online_version, citizen):
    client.force_login(citizen)
    draft = start(client)
    first = docs(online_version)[1]
    response = client.post(f"/nop-truc-tuyen/{draft.pk}/", {
        **form_data(draft, applicant_address="Số 7 đường Trần Hưng Đạo"), f"doc_{first.pk}": pdf("to-khai.pdf")})
    assert response.status_code == 302
    stored = DraftFile.objects.get(draft=draft)
    assert stored.content_type == "application/pdf" and stored.original_name == "to-khai.pdf"
    page = client.get(f"/nop-truc-tuyen/{draft.pk}/").content.decode()
    assert "Đã tải lên" in page and "to-khai.pdf" in page and "Số 7 đường Trần Hưng Đạo" in page
    assert client.get(f"/nop-truc-tuyen/{draft.pk}/tep/{stored.pk}/").getvalue() == PDF


def test_bad_file_is_refused_with_a_message_and_nothing_changes(client, online_version, citizen):
    client.force_login(citizen)
    draft = start(client)
    d = docs(online_version)
    response = client.post(f"/nop-truc-tuyen/{draft.pk}/", {
        **form_data(draft, applicant_address="Không được lưu"), f"doc_{d[1].pk}": fake_pdf("to-khai.pdf"),
        f"doc_{d[2].pk}": pdf("can-cuoc.pdf")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“to-khai.pdf”: Chỉ chấp nhận tệp PDF, JPEG hoặc PNG" in page
    assert "chưa lưu thay đổi nào" in page
    fresh = OnlineDraft.objects.get(pk=draft.pk)
    assert fresh.applicant_address != "Không được lưu" and fresh.row_version == draft.row_version
    assert not DraftFile.objects.exists()
    empty = client.post(f"/nop-truc-tuyen/{draft.pk}/", {
        **form_data(draft), f"doc_{d[1].pk}": pdf("rong.pdf").__class__("rong.pdf", b"", "application/pdf")})
    assert empty.status_code == 400 and not DraftFile.objects.exists()


def test_unverified_account_cannot_submit(client, online_version, province):
    user = make_citizen(email="chua.xacminh@example.vn", phone="0977111222", verified=False)
    client.force_login(user)
    draft = start(client)
    response = client.post(f"/nop-truc-tuyen/{draft.pk}/", {**form_data(draft, action="submit"),
                                                            **complete_files(online_version)})
    assert response.status_code == 400
    assert "Tài khoản chưa được xác minh" in response.content.decode()
    assert not Dossier.objects.exists() and OnlineDraft.objects.get(pk=draft.pk).dossier_id is None


def test_missing_document_keeps_the_draft_and_says_what_is_missing(client, online_version, citizen):
    client.force_login(citizen)
    draft = start(client)
    first = docs(online_version)[1]
    response = client.post(f"/nop-truc-tuyen/{draft.pk}/", {**form_data(draft, action="submit"),
                                                            f"doc_{first.pk}": pdf()})
    assert response.status_code == 400
    page = response.content.decode()
    assert "chưa nộp được" in page and "Chưa đính kèm đủ giấy tờ bắt buộc: Bản chụp Căn cước" in page
    assert not Dossier.objects.exists() and DraftFile.objects.filter(draft=draft).count() == 1


def test_submit_gives_a_receipt_on_screen_and_by_email(client, online_version, citizen):
    client.force_login(citizen)
    dossier = submit_complete(client, online_version)
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.applicant_user == citizen
    receipt = client.get(f"/ho-so-cua-toi/{dossier.pk}/bien-nhan/").content.decode()
    assert "Biên nhận nộp hồ sơ trực tuyến" in receipt and f">{dossier.pk}<" in receipt
    assert "Trung tâm Phục vụ hành chính công tỉnh Ninh Bình" in receipt
    # The receipt by email (and SMS) is queued for the notification job, like every notice to the applicant.
    email = Notification.objects.get(dossier=dossier, channel="email")
    assert email.recipient == "an.nguyen@example.vn" and f"số tham chiếu {dossier.pk}" in email.body
    from motcua.dossiers import notify
    assert notify.deliver(email.pk)
    assert mail.outbox[-1].to == ["an.nguyen@example.vn"] and "Đã gửi hồ sơ trực tuyến" in mail.outbox[-1].subject
    assert Notification.objects.filter(dossier=dossier, channel="sms").exists()
    mine = client.get("/ho-so-cua-toi/").content.decode()
    assert f"Số tham chiếu {dossier.pk}" in mine and "Chờ tiếp nhận" in mine
    # Submitted: the draft form is closed.
    draft = OnlineDraft.objects.get(dossier=dossier)
    again = client.post(f"/nop-truc-tuyen/{draft.pk}/", {**form_data(draft, action="submit")})
    assert again.status_code == 400 and "không sửa được" in again.content.decode()


def test_other_peoples_drafts_and_dossiers_are_closed(client, online_version, citizen, other_citizen):
    client.force_login(citizen)
    dossier = submit_complete(client, online_version)
    draft = OnlineDraft.objects.get(dossier=dossier)
    document = dossier.documents.first()
    client.force_login(other_citizen)
    for url in (f"/ho-so-cua-toi/{dossier.pk}/", f"/ho-so-cua-toi/{dossier.pk}/bien-nhan/",
                f"/ho-so-cua-toi/{dossier.pk}/giay-to/{document.pk}/", f"/ho-so-cua-toi/{dossier.pk}/ket-qua/",
                f"/nop-truc-tuyen/{draft.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "không thuộc tài khoản của bạn" in response.content.decode()
    assert client.post(f"/nop-truc-tuyen/{draft.pk}/", form_data(draft, applicant_name="Kẻ gian")).status_code == 403
    assert OnlineDraft.objects.get(pk=draft.pk).applicant_name == "Nguyễn Văn An"
    assert f"Số tham chiếu {dossier.pk}" not in client.get("/ho-so-cua-toi/").content.decode()


def test_stale_draft_save_is_refused(client, online_version, citizen):
    client.force_login(citizen)
    draft = start(client)
    assert client.post(f"/nop-truc-tuyen/{draft.pk}/", form_data(draft, note="Tab 1")).status_code == 302
    stale = client.post(f"/nop-truc-tuyen/{draft.pk}/", form_data(draft, note="Tab 2"), follow=True)
    assert "vừa được lưu ở một cửa sổ khác" in stale.content.decode()
    assert OnlineDraft.objects.get(pk=draft.pk).note == "Tab 1"


def test_receiver_queue_accept_and_stale_second_click(client, online_version, citizen, staff):
    client.force_login(citizen)
    dossier = submit_complete(client, online_version)
    # A citizen cannot reach the desk.
    assert client.get("/desk/truc-tuyen/").status_code == 403
    client.force_login(staff["tiepnhan.hoalu"])  # another centre's receiver: not in the queue, cannot accept
    assert f"/desk/truc-tuyen/{dossier.pk}/" not in client.get("/desk/truc-tuyen/").content.decode()
    client.force_login(staff["tiepnhan.tinh"])
    queue = client.get("/desk/truc-tuyen/").content.decode()
    assert f"/desk/truc-tuyen/{dossier.pk}/" in queue and "Nguyễn Văn An" in queue
    review = client.get(f"/desk/truc-tuyen/{dossier.pk}/").content.decode()
    assert "Tiếp nhận hồ sơ" in review and "Trả lại để hoàn thiện" in review
    document = dossier.documents.first()
    assert client.get(f"/desk/ho-so/{dossier.pk}/giay-to/{document.pk}/").getvalue() == PDF
    accepted = client.post(f"/desk/truc-tuyen/{dossier.pk}/accept/", {"row_version": dossier.row_version,
                                                                      "text": ""})
    assert accepted.status_code == 302 and accepted["Location"] == f"/desk/ho-so/{dossier.pk}/"
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.RECEIVED and fresh.code.startswith("000.00.14.H42-")
    events = DossierEvent.objects.filter(dossier=fresh).count()
    client.force_login(staff["tiepnhan.tinh2"])  # a colleague's tab still showed the old version
    stale = client.post(f"/desk/truc-tuyen/{dossier.pk}/return/", {"row_version": dossier.row_version,
                                                                   "text": "Thiếu chữ ký"}, follow=True)
    assert "vừa được người khác cập nhật" in stale.content.decode()
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.status == Status.RECEIVED and DossierEvent.objects.filter(dossier=after).count() == events
    # The citizen now sees the code and the appointment.
    client.force_login(citizen)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert fresh.code in page and "Hồ sơ đã được tiếp nhận" in page and "Hẹn trả kết quả" in page


def test_return_needs_reasons_then_citizen_fixes_and_resubmits(client, online_version, citizen, staff):
    client.force_login(citizen)
    dossier = submit_complete(client, online_version)
    client.force_login(staff["tiepnhan.tinh"])
    empty = client.post(f"/desk/truc-tuyen/{dossier.pk}/return/", {"row_version": dossier.row_version, "text": ""})
    assert empty.status_code == 400 and "ghi rõ nội dung" in empty.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED_ONLINE
    client.post(f"/desk/truc-tuyen/{dossier.pk}/return/", {"row_version": dossier.row_version,
                                                           "text": "Ảnh căn cước bị mờ, vui lòng chụp lại"})
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED_ONLINE
    client.force_login(citizen)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Trả lại để hoàn thiện" in page and "Ảnh căn cước bị mờ" in page and "Sửa và nộp lại" in page
    draft = OnlineDraft.objects.get(dossier=dossier)
    second = docs(online_version)[2]
    edit = client.get(f"/nop-truc-tuyen/{draft.pk}/").content.decode()
    assert "Nộp lại hồ sơ" in edit and "Ảnh căn cước bị mờ" in edit
    response = client.post(f"/nop-truc-tuyen/{draft.pk}/", {
        **form_data(draft, action="submit"),
        f"doc_{second.pk}": __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
            "can-cuoc-ro.jpg", JPEG, "image/jpeg")})
    assert response.status_code == 302
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.SUBMITTED_ONLINE
    assert fresh.documents.get(required=second).content_type == "image/jpeg"
    assert [e.action for e in fresh.events.all()] == ["submit_online", "return_online", "resubmit_online"]


def _received_and_awaiting_supplement(client, version, citizen, staff):
    client.force_login(citizen)
    dossier = submit_complete(client, version)
    receiver, handler = staff["tiepnhan.tinh"], staff["thuly.tuphap"]
    dossier = online.accept_online(receiver, dossier.pk, dossier.row_version)
    dossier = services.hand_over(receiver, dossier.pk, dossier.row_version)
    return services.request_supplement(handler, dossier.pk, dossier.row_version,
                                       "Giấy ủy quyền có chứng thực chữ ký")


def test_supplement_online_bad_file_then_good_file(client, online_version, citizen, other_citizen, staff):
    dossier = _received_and_awaiting_supplement(client, online_version, citizen, staff)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Bổ sung hồ sơ" in page and "Giấy ủy quyền có chứng thực chữ ký" in page
    url = f"/ho-so-cua-toi/{dossier.pk}/bo-sung/"
    bad = client.post(url, {"row_version": dossier.row_version, "files": [fake_pdf("uy-quyen.pdf")]})
    assert bad.status_code == 400 and "“uy-quyen.pdf”: Chỉ chấp nhận tệp PDF, JPEG hoặc PNG" in bad.content.decode()
    none = client.post(url, {"row_version": dossier.row_version})
    assert none.status_code == 400 and "ít nhất một tệp" in none.content.decode()
    client.force_login(other_citizen)
    assert client.post(url, {"row_version": dossier.row_version, "files": [pdf()]}).status_code == 403
    assert Dossier.objects.get(pk=dossier.pk).status == Status.AWAITING_SUPPLEMENT
    client.force_login(citizen)
    done = client.post(url, {"row_version": dossier.row_version, "files": [pdf("uy-quyen.pdf")], "note": "Đã bổ sung"})
    assert done.status_code == 302
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == Status.IN_PROGRESS and fresh.supplement_received_at is not None
    event = fresh.events.get(action="receive_supplement")
    assert event.actor == citizen and event.data["channel"] == "online" and "legal_due_at" in event.data
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "thời hạn giải quyết được tính lại" in page
    stale = client.post(url, {"row_version": dossier.row_version, "files": [pdf()]}, follow=True)
    assert "vừa được người khác cập nhật" in stale.content.decode()


def _walk_to_result(dossier, staff, with_file=True):
    """Hand-over to issue, through the services, as the staff of Sở Tư pháp would."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.status == Status.RECEIVED:
        dossier = services.hand_over(staff["tiepnhan.tinh"], dossier.pk, dossier.row_version)
    dossier = services.forward(staff["thuly.tuphap"], dossier.pk, dossier.row_version)
    dossier = services.approve(staff["lanhdao.tuphap"], dossier.pk, dossier.row_version)
    upload = ContentFile(PDF, name="phieu-lltp.pdf") if with_file else None
    if upload is not None:
        upload.size = len(PDF)
    return services.issue_result(staff["vanthu.tuphap"], dossier.pk, dossier.row_version, number="125/LLTP",
                                 signed_on=dossier.received_at.date(), signer="Đỗ Quang Vinh", upload=upload)


def test_result_download_only_for_the_owner_once_issued(client, online_version, citizen, other_citizen, staff):
    client.force_login(citizen)
    dossier = submit_complete(client, online_version)
    dossier = online.accept_online(staff["tiepnhan.tinh"], dossier.pk, dossier.row_version)
    assert client.get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua/").status_code == 404
    _walk_to_result(dossier, staff)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Tải bản điện tử của kết quả" in page and "125/LLTP" in page and "Đã có kết quả giải quyết" in page
    result = client.get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua/")
    assert result.status_code == 200 and result["Content-Type"] == "application/pdf"
    assert result.getvalue() == PDF
    client.force_login(other_citizen)
    assert client.get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua/").status_code == 403
    client.logout()
    assert client.get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua/").status_code == 302  # to the sign-in page


def test_timeline_uses_applicant_wording_without_internal_notes(client, online_version, citizen, staff):
    client.force_login(citizen)
    dossier = submit_complete(client, online_version)
    dossier = online.accept_online(staff["tiepnhan.tinh"], dossier.pk, dossier.row_version, "Ghi chú nội bộ XYZ")
    dossier = services.hand_over(staff["tiepnhan.tinh"], dossier.pk, dossier.row_version)
    services.forward(staff["thuly.tuphap"], dossier.pk, dossier.row_version, "Nhận xét nội bộ của chuyên viên")
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Hồ sơ được chuyển đến cơ quan giải quyết" in page and "Hoàn thành một bước xử lý" in page
    assert "Nhận xét nội bộ" not in page and "Ghi chú nội bộ XYZ" not in page
    assert "Lê Thị Hồng Nhung" not in page  # the handler's name stays at the desk


def test_returned_dossier_invites_a_rating_once(client, online_version, citizen, staff):
    client.force_login(citizen)
    dossier = submit_complete(client, online_version)
    dossier = online.accept_online(staff["tiepnhan.tinh"], dossier.pk, dossier.row_version)
    dossier = _walk_to_result(dossier, staff)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Đánh giá mức độ hài lòng" not in page  # not returned yet
    services.return_result(staff["tiepnhan.tinh"], dossier.pk, dossier.row_version)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert f'href="/danh-gia/{dossier.code}/"' in page
    # Signed in as the applicant, the rating page opens without the lookup pair.
    rating_page = client.get(f"/danh-gia/{dossier.code}/").content.decode()
    assert "Đánh giá chung về việc giải quyết hồ sơ" in rating_page
    from motcua.portal import satisfaction
    satisfaction.rate(dossier.pk, overall=3, scores={q.criterion: 3 for q in satisfaction.questions_for(dossier)
                                                     if q.required})
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Bạn đã đánh giá hồ sơ này" in page and f'href="/danh-gia/{dossier.code}/"' not in page
