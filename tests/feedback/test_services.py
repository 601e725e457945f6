"""Business rules of feedback: sending, verification, triage, answer, forward, deadlines, audit."""
import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackEvent, Notification, Status, Timeliness, Verification
from tests.feedback.conftest import (
    CENTRE, JUSTICE, MONDAY_9AM, PROVINCE_COMMITTEE, at, category, sms_code, submission, verified,
)

pytestmark = pytest.mark.django_db


def reload(feedback):
    return Feedback.objects.get(pk=feedback.pk)


# ---------------------------------------------------------------- sending


def test_submit_gives_tracking_code_and_waits_for_verification(province):
    with time_machine.travel(MONDAY_9AM, tick=False):
        feedback = services.submit(submission())
    assert feedback.code == "PAKN-261123-0001"
    assert feedback.status == Status.UNVERIFIED
    assert feedback.receiving_agency.code == CENTRE
    sms = Notification.objects.get(feedback=feedback, kind="verification")
    assert sms.channel == "sms" and sms.recipient == "0912345678"
    assert [e.action for e in feedback.events.all()] == ["submit"]
    with time_machine.travel(MONDAY_9AM, tick=False):
        assert services.submit(submission()).code == "PAKN-261123-0002"


def test_bad_submission_stores_nothing_and_says_why(province):
    bad = submission(description="ngắn", sender_name=" ", sender_phone="12345", sender_email="khong-hop-le")
    with pytest.raises(services.FeedbackError) as caught:
        services.submit(bad)
    errors = caught.value.field_errors
    assert "ít nhất 20 ký tự" in errors["description"]
    assert errors["sender_name"] == "Vui lòng nhập họ tên người gửi."
    assert "10 chữ số" in errors["sender_phone"]
    assert errors["sender_email"] == "Địa chỉ thư điện tử không hợp lệ."
    assert not Feedback.objects.exists() and not FeedbackEvent.objects.exists()


def test_a_contact_is_required(province):
    with pytest.raises(services.FeedbackError) as caught:
        services.submit(submission(sender_phone="", sender_email=""))
    assert "số điện thoại hoặc thư điện tử" in caught.value.field_errors["sender_phone"]


def test_dossier_feedback_links_the_dossier_and_goes_to_its_reception_centre(received_dossier):
    sub = submission(category=category("HSTH"), dossier_code=received_dossier.code,
                     description="Hồ sơ của tôi đã quá hẹn trả kết quả ba ngày nhưng chưa nhận được thông báo.")
    feedback = services.submit(sub)
    assert feedback.dossier == received_dossier
    assert feedback.receiving_agency == received_dossier.receiving_agency
    assert services.suggested_agency(feedback) == received_dossier.competent_agency


def test_unknown_dossier_code_is_refused(province):
    with pytest.raises(services.FeedbackError) as caught:
        services.submit(submission(category=category("HSTH"), dossier_code="000.00.14.H42-261123-9999"))
    assert "Không có hồ sơ mã" in caught.value.field_errors["dossier_code"]


def test_procedure_found_by_code_or_by_unaccented_name(procedure):
    by_code = services.submit(submission(procedure="2.001417"))
    assert by_code.procedure == procedure.procedure
    by_name = services.submit(submission(procedure="phieu ly lich tu phap"))
    assert by_name.procedure == procedure.procedure
    with pytest.raises(services.FeedbackError) as caught:
        services.submit(submission(procedure="thủ tục không tồn tại"))
    assert "Không tìm thấy thủ tục" in caught.value.message or "procedure" in caught.value.field_errors


def test_conduct_feedback_needs_the_agency(province, agencies):
    with pytest.raises(services.FeedbackError) as caught:
        services.submit(submission(category=category("CBCC")))
    assert "concerned_agency" in caught.value.field_errors
    feedback = services.submit(submission(category=category("CBCC"), concerned_agency=agencies[JUSTICE],
                                          official_name="Công chức quầy số 3"))
    assert services.suggested_agency(feedback) == agencies[JUSTICE]


def test_attachments_are_checked_by_content(province):
    fake = SimpleUploadedFile("anh.jpg", b"MZ not really a picture", content_type="image/jpeg")
    with pytest.raises(services.FeedbackError) as caught:
        services.submit(submission(attachments=[fake]))
    assert "PDF, JPEG hoặc PNG" in caught.value.field_errors["attachments"]
    assert not Feedback.objects.exists()
    pdf = SimpleUploadedFile("giay-hen.pdf", b"%PDF-1.4 hello", content_type="application/pdf")
    feedback = services.submit(submission(attachments=[pdf]))
    assert feedback.attachments.get().content_type == "application/pdf"


# ---------------------------------------------------------------- verification


def test_sms_code_receives_the_feedback(province):
    feedback = services.submit(submission())
    with pytest.raises(services.FeedbackError) as caught:
        services.verify_code(feedback.code, "000000" if sms_code(feedback.code) != "000000" else "111111")
    assert "Còn 4 lần thử" in caught.value.message
    assert Verification.objects.get(feedback=feedback).attempts == 1  # the wrong try is kept
    done = services.verify_code(feedback.code, sms_code(feedback.code))
    assert done.status == Status.RECEIVED and done.contact_verified_at
    assert Notification.objects.filter(feedback=feedback, kind="received").exists()


def test_code_spent_after_five_wrong_tries_and_expires(province):
    with time_machine.travel(MONDAY_9AM, tick=False):
        feedback = services.submit(submission())
        right = sms_code(feedback.code)
        wrong = "123456" if right != "123456" else "654321"
        for _ in range(5):
            with pytest.raises(services.FeedbackError):
                services.verify_code(feedback.code, wrong)
        with pytest.raises(services.FeedbackError, match="hết hiệu lực"):
            services.verify_code(feedback.code, right)
        services.resend_verification(feedback.code)
        fresh = sms_code(feedback.code)
    with time_machine.travel(MONDAY_9AM + datetime.timedelta(minutes=16), tick=False):
        with pytest.raises(services.FeedbackError, match="hết hiệu lực"):
            services.verify_code(feedback.code, fresh)
    assert reload(feedback).status == Status.UNVERIFIED


def test_email_link_verifies(province):
    from django.core import signing
    feedback = services.submit(submission(sender_phone="", sender_email="ngoc.tran@example.vn"))
    row = Verification.objects.get(feedback=feedback)
    assert row.channel == "email"
    body = Notification.objects.get(feedback=feedback, kind="verification").body
    token = body.split("?t=")[1].split()[0]
    with pytest.raises(services.FeedbackError, match="không hợp lệ"):
        services.verify_link(feedback.code, token[:-2] + "xx")
    assert services.verify_link(feedback.code, token).status == Status.RECEIVED
    assert signing.loads(token, salt=services._SIGNING_SALT)["v"] == row.pk


def test_trusted_api_client_skips_verification(province):
    key, _raw = services.issue_api_key("Ứng dụng Ninh Bình số", trusted_contacts=True)
    feedback = services.submit(submission(api_key=key, channel="api"))
    assert feedback.status == Status.RECEIVED
    assert not Verification.objects.filter(feedback=feedback).exists()


# ---------------------------------------------------------------- triage


def test_route_starts_the_deadline_in_working_days(received, users, agencies):
    # Monday 23/11/2026 10:00 + 10 working days, Tuesday 24/11 (Ngày Văn hóa Việt Nam) not worked.
    with time_machine.travel(at(2026, 11, 23, 10, 0), tick=False):
        feedback = services.route(users["tiepnhan.tinh"], received.pk, received.row_version, agencies[JUSTICE])
    assert feedback.status == Status.ASSIGNED
    assert feedback.due_at == at(2026, 12, 8, 10, 0)
    assert any("24/11/2026" in line for line in services.explain_due(feedback))
    event = feedback.events.get(action="route")
    assert event.actor == users["tiepnhan.tinh"] and event.from_status == "received" and event.to_status == "assigned"
    staff_mail = Notification.objects.filter(feedback=feedback, kind="assigned").values_list("recipient", flat=True)
    assert set(staff_mail) == {"thuly.tuphap@ninhbinh.gov.vn", "lanhdao.tuphap@ninhbinh.gov.vn"}
    assert Notification.objects.filter(feedback=feedback, kind="routed", channel="sms").exists()


def test_route_after_cutoff_starts_next_working_day_and_category_sets_the_period(received, users, agencies):
    # Friday 27/11/2026 16:30 (after the 16:00 cut-off): clock from Monday 30/11 07:30; 7 working days end
    # with Tuesday 08/12, written as the next opening, Wednesday 09/12 07:30.
    with time_machine.travel(at(2026, 11, 27, 16, 30), tick=False):
        feedback = services.route(users["tiepnhan.tinh"], received.pk, received.row_version, agencies[JUSTICE],
                                  category=category("CKTT"))
    assert feedback.category.code == "CKTT"
    assert feedback.due_at == at(2026, 12, 9, 7, 30)
    assert [e.action for e in feedback.events.all()][-2:] == ["classify", "route"]
    assert services.explain_due(feedback)[-1] == "Hạn trả lời: 07:30 09/12/2026."


def test_only_the_receiving_office_triages(received, users, agencies):
    with pytest.raises(services.NotAllowed):
        services.route(users["thuly.tuphap"], received.pk, received.row_version, agencies[JUSTICE])
    with pytest.raises(services.NotAllowed):
        services.reject(users["tiepnhan.hoalu"], received.pk, received.row_version, "Không thuộc phạm vi xử lý.")
    assert reload(received).status == Status.RECEIVED


def test_stale_edit_is_refused(received, users, agencies):
    services.route(users["tiepnhan.tinh"], received.pk, received.row_version, agencies[JUSTICE])
    with pytest.raises(services.StaleFeedback, match="vừa được người khác cập nhật"):
        services.reject(users["tiepnhan.tinh2"], received.pk, received.row_version, "Nội dung không thuộc phạm vi.")
    assert reload(received).status == Status.ASSIGNED
    assert not FeedbackEvent.objects.filter(feedback=received, action="reject").exists()


def test_reject_needs_a_reason_and_tells_the_sender(received, users):
    with pytest.raises(services.FeedbackError, match="lý do"):
        services.reject(users["tiepnhan.tinh"], received.pk, received.row_version, "  ")
    feedback = services.reject(users["tiepnhan.tinh"], received.pk, received.row_version,
                               "Nội dung là tranh chấp dân sự, không phải phản ánh về quy định hành chính.")
    assert feedback.status == Status.REJECTED and feedback.closed_at
    assert Notification.objects.filter(feedback=feedback, kind="rejected").exists()
    with pytest.raises(services.FeedbackError, match="Không thể"):
        services.route(users["tiepnhan.tinh"], feedback.pk, feedback.row_version, feedback.receiving_agency)


def test_merge_duplicates_and_answer_reaches_every_sender(assigned, users, agencies):
    duplicate = verified(submission(sender_name="Lê Văn Hòa", sender_phone="0987654321",
                                    sender_email="hoa.le@example.vn"))
    third = verified(submission(sender_name="Phạm Thu", sender_phone="0977000111"))
    services.merge(users["tiepnhan.tinh"], third.pk, third.row_version, duplicate.code)
    merged = services.merge(users["tiepnhan.tinh"], duplicate.pk, duplicate.row_version, assigned.code.lower())
    assert merged.status == Status.MERGED and merged.merged_into == assigned
    assert reload(third).merged_into_id == assigned.pk  # its own duplicate moved along
    assert assigned.events.filter(action="duplicate_merged").count() == 1
    with pytest.raises(services.FeedbackError, match="trạng thái"):
        services.merge(users["tiepnhan.tinh"], verified().pk, None, merged.code)
    services.answer(users["thuly.tuphap"], assigned.pk, assigned.row_version,
                    "Sở Tư pháp đã đề nghị bỏ yêu cầu sổ hộ khẩu; từ 01/12/2026 không yêu cầu giấy tờ này.")
    recipients = set(Notification.objects.filter(kind="answered").values_list("recipient", flat=True))
    assert {"0912345678", "0987654321", "hoa.le@example.vn", "0977000111"} <= recipients


def test_answer_on_time_or_late(assigned, users):
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False):
        done = services.answer(users["lanhdao.tuphap"], assigned.pk, assigned.row_version,
                               "Kiến nghị được tiếp thu; Sở Tư pháp đã hướng dẫn các bộ phận một cửa.")
    assert done.timeliness == Timeliness.ON_TIME and done.is_published
    assert done.events.get(action="answer").data["timeliness"] == "on_time"


def test_late_answer_is_counted_late(assigned, users):
    with time_machine.travel(at(2026, 12, 8, 10, 30), tick=False):
        done = services.answer(users["thuly.tuphap"], assigned.pk, assigned.row_version,
                               "Kiến nghị được tiếp thu; Sở Tư pháp đã hướng dẫn các bộ phận một cửa.", publish=False)
    assert done.timeliness == Timeliness.LATE and not done.is_published


def test_only_the_responsible_agency_answers(assigned, users):
    for name in ("tiepnhan.tinh", "thuly.xaydung", "thanhtra"):
        with pytest.raises(services.NotAllowed):
            services.answer(users[name], assigned.pk, assigned.row_version, "Nội dung trả lời đủ dài để hợp lệ.")
    assert reload(assigned).status == Status.ASSIGNED


def test_forward_to_a_higher_agency_gives_a_new_period(assigned, users, agencies):
    assert [a.code for a in services.higher_agencies(agencies[JUSTICE])] == [PROVINCE_COMMITTEE]
    with pytest.raises(services.FeedbackError, match="cấp trên"):
        services.forward(users["lanhdao.tuphap"], assigned.pk, assigned.row_version, agencies["000.00.12.H42"],
                         "Vượt thẩm quyền của Sở Tư pháp.")
    with time_machine.travel(at(2026, 11, 25, 14, 0), tick=False):
        moved = services.forward(users["lanhdao.tuphap"], assigned.pk, assigned.row_version,
                                 agencies[PROVINCE_COMMITTEE], "Kiến nghị sửa quy định thuộc thẩm quyền UBND tỉnh.")
    assert moved.responsible_agency.code == PROVINCE_COMMITTEE
    assert moved.due_at == at(2026, 12, 9, 14, 0)
    event = moved.events.get(action="forward")
    assert event.data["previous_due_at"].startswith("2026-12-08")
    # Sở Tư pháp can no longer answer; it still reads the feedback it handled.
    with pytest.raises(services.NotAllowed):
        services.answer(users["thuly.tuphap"], moved.pk, moved.row_version, "Nội dung trả lời đủ dài để hợp lệ.")
    assert services.can_read(users["thuly.tuphap"], moved)


def test_commune_agency_forwards_to_its_committee_and_the_province():
    from motcua.orgs.models import Agency
    from motcua.orgs import demo
    demo.load()
    centre = Agency.objects.get(code="000.01.31.H42")
    assert [a.code for a in services.higher_agencies(centre)] == ["000.01.30.H42", PROVINCE_COMMITTEE]


def test_events_are_append_only(received):
    event = received.events.first()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        received.events.all().delete()
    with pytest.raises(PermissionDenied):
        FeedbackEvent.objects.filter(pk=event.pk).update(reason="sửa")


def test_publication_can_be_withdrawn(assigned, users):
    done = services.answer(users["thuly.tuphap"], assigned.pk, assigned.row_version,
                           "Kiến nghị được tiếp thu; Sở Tư pháp đã hướng dẫn các bộ phận một cửa.")
    assert services.published().filter(pk=done.pk).exists()
    hidden = services.set_published(users["tiepnhan.tinh"], done.pk, done.row_version, False)
    assert not services.published().filter(pk=done.pk).exists()
    assert hidden.events.filter(action="unpublish").exists()


# ---------------------------------------------------------------- reading


def test_public_search_ignores_accents(assigned, users):
    services.answer(users["thuly.tuphap"], assigned.pk, assigned.row_version,
                    "Sở Tư pháp đã bãi bỏ yêu cầu nộp sổ hộ khẩu khi cấp Phiếu lý lịch tư pháp.")
    assert services.published("so ho khau").count() == 1
    assert services.published("SỔ HỘ KHẨU").count() == 1
    assert services.published("dang ky ket hon").count() == 0


def test_redact_hides_contacts_in_public_text():
    text = "Gọi 0912 345 678 hoặc viết ngoc@example.vn; CCCD 037090001234; năm 2026, 15 ngày."
    assert services.redact(text) == "Gọi [đã ẩn] hoặc viết [đã ẩn]; CCCD [đã ẩn]; năm 2026, 15 ngày."


def test_sender_finds_own_feedback_with_a_second_factor(received):
    assert services.find_for_sender(received.code.lower(), "5678") == received
    with pytest.raises(services.FeedbackError):
        services.find_for_sender(received.code, "1111")
    with pytest.raises(services.FeedbackError):
        services.find_for_sender(received.code, "")


def test_one_phone_gets_at_most_three_codes_an_hour(province):
    with time_machine.travel(MONDAY_9AM, tick=False):
        for _ in range(3):
            services.submit(submission())
        with pytest.raises(services.FeedbackError) as caught:
            services.submit(submission())
        assert "thử lại sau một giờ" in caught.value.field_errors["sender_phone"]
        assert Feedback.objects.count() == 3  # the refused one is not stored
    with time_machine.travel(MONDAY_9AM + datetime.timedelta(minutes=61), tick=False):
        services.submit(submission())
