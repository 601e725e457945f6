"""The rules of Decree 118/2025 as the service layer enforces them."""
import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.models import ApologyLetter, Dossier, DossierEvent, Notification, StaffAlert, Status, \
    StepStatus, Timeliness
from motcua.dossiers.services import DossierError, NotAllowed, StaleDossier
from tests.dossiers.conftest import MONDAY_9AM, at, reception_for


def travel(moment):
    return time_machine.travel(moment, tick=False)


def snapshot(dossier):
    dossier = Dossier.objects.get(pk=dossier.pk)
    return (dossier.status, dossier.row_version, dossier.legal_due_at, dossier.appointment_at,
            dossier.events.count(), list(dossier.steps.values_list("status", flat=True)))


def advance_to_handler(dossier, users, when=at(2026, 11, 23, 10, 0)):
    with travel(when):
        return services.hand_over(users["tiepnhan.tinh"], dossier.pk, dossier.row_version)


# ---------------------------------------------------------------- reception


def test_reception_starts_clock_records_both_agencies_and_notifies(received_dossier, agencies):
    d = received_dossier
    assert d.status == Status.RECEIVED
    assert d.receiving_agency == agencies["000.00.01.H42"]
    assert d.competent_agency == agencies["000.00.14.H42"]
    assert d.clock_started_at == MONDAY_9AM
    assert d.appointment_at == d.legal_due_at
    # Paper received before 15:00 must reach the competent agency by the end of the same day (Đ18.2).
    assert d.handover_due_at == at(2026, 11, 23, 17, 0)
    steps = list(d.steps.order_by("order"))
    assert [s.status for s in steps] == ["active", "pending", "pending", "pending", "pending"]
    # Half a working day (3 h 45 min) from 09:00, across the lunch break.
    assert steps[0].due_at == at(2026, 11, 23, 14, 45)
    assert steps[-1].due_at == d.legal_due_at
    event = d.events.get()
    assert (event.action, event.to_status, event.actor.username) == ("receive", "received", "tiepnhan.tinh")
    assert set(Notification.objects.filter(dossier=d).values_list("channel", flat=True)) == {"email", "sms"}


def test_due_explanation_names_the_holiday_that_moved_it(received_dossier):
    lines = services.explain_due(received_dossier)
    assert any("24/11/2026" in line and "Ngày Văn hóa Việt Nam" in line for line in lines)
    assert lines[-1].endswith("09:00 08/12/2026.")


def test_reception_after_cutoff_counts_from_next_working_day(procedure, agencies, users):
    with travel(at(2026, 11, 25, 16, 30)):
        d = services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies))
    assert d.clock_started_at == at(2026, 11, 26, 7, 30)
    # After 15:00 the paper goes over by the end of the next working day's morning.
    assert d.handover_due_at == at(2026, 11, 26, 11, 30)


def test_codes_follow_competent_agency_date_and_daily_sequence(procedure, agencies, users):
    with travel(MONDAY_9AM):
        codes = [services.receive(users[u], reception_for(procedure, agencies)).code
                 for u in ["tiepnhan.tinh", "tiepnhan.tinh2", "tiepnhan.tinh"]]
    with travel(at(2026, 11, 25, 9, 0)):
        codes.append(services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies)).code)
    assert codes == ["000.00.14.H42-261123-0001", "000.00.14.H42-261123-0002", "000.00.14.H42-261123-0003",
                     "000.00.14.H42-261125-0001"]


def test_commune_centre_receives_provincial_procedure_regardless_of_boundary(procedure, agencies, users):
    with travel(MONDAY_9AM):
        d = services.receive(users["tiepnhan.hoalu"],
                             reception_for(procedure, agencies, receiving_agency=agencies["000.01.31.H42"]))
    assert d.code.startswith("000.00.14.H42-")
    assert d.receiving_agency.code == "000.01.31.H42"


@pytest.mark.parametrize("change, field", [
    ({"id_number": "03709000123"}, "applicant_id_number"),
    ({"id_number": "03709000123a"}, "applicant_id_number"),
    ({"name": "  "}, "applicant_name"),
    ({"phone": "12345"}, "applicant_phone"),
])
def test_bad_applicant_details_are_refused_and_nothing_is_written(procedure, agencies, users, change, field):
    reception = reception_for(procedure, agencies)
    for key, value in change.items():
        setattr(reception.applicant, key, value)
    with travel(MONDAY_9AM), pytest.raises(DossierError) as refused:
        services.receive(users["tiepnhan.tinh"], reception)
    assert field in refused.value.field_errors
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_incomplete_dossier_is_not_received(procedure, agencies, users):
    reception = reception_for(procedure, agencies)
    reception.documents = reception.documents[:1]
    with travel(MONDAY_9AM), pytest.raises(DossierError) as refused:
        services.receive(users["tiepnhan.tinh"], reception)
    assert "Bản chụp Căn cước" in refused.value.message
    assert not Dossier.objects.exists()
    with travel(MONDAY_9AM):
        record = services.refuse_at_reception(users["tiepnhan.tinh"], reception, "Thiếu bản chụp căn cước",
                                              incomplete=True)
    assert record.status == Status.REJECTED_AT_RECEPTION and record.code is None
    assert "Bản chụp Căn cước" in record.supplement_items


def test_upload_with_a_pdf_name_but_other_content_is_refused(procedure, agencies, users):
    reception = reception_for(procedure, agencies)
    reception.documents[0].upload = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with travel(MONDAY_9AM), pytest.raises(DossierError) as refused:
        services.receive(users["tiepnhan.tinh"], reception)
    assert "PDF, JPEG hoặc PNG" in refused.value.message
    assert not Dossier.objects.exists()


def test_real_pdf_scan_is_stored(procedure, agencies, users):
    reception = reception_for(procedure, agencies)
    reception.documents[0].upload = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n", "x/y")
    with travel(MONDAY_9AM):
        d = services.receive(users["tiepnhan.tinh"], reception)
    scan = d.documents.exclude(file="").get()
    assert scan.content_type == "application/pdf"


def test_only_receivers_of_the_centre_may_receive(procedure, agencies, users):
    with travel(MONDAY_9AM), pytest.raises(NotAllowed):
        services.receive(users["thuly.tuphap"], reception_for(procedure, agencies))
    assert not Dossier.objects.exists()


def test_agency_without_competence_is_refused(procedure, agencies, users):
    with travel(MONDAY_9AM), pytest.raises(DossierError) as refused:
        services.receive(users["tiepnhan.tinh"],
                         reception_for(procedure, agencies, competent_agency=agencies["000.00.12.H42"]))
    assert "không có thẩm quyền" in refused.value.message


# ---------------------------------------------------------------- processing


def test_full_path_on_time(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    assert d.status == Status.IN_PROGRESS
    with travel(at(2026, 11, 27, 10, 0)):
        d = services.forward(users["thuly.tuphap"], d.pk, d.row_version, "Đủ điều kiện cấp phiếu")
        d = services.approve(users["lanhdao.tuphap"], d.pk, d.row_version)
        assert d.status == Status.APPROVED
        d = services.issue_result(users["vanthu.tuphap"], d.pk, d.row_version, number="1234/STP-LLTP",
                                  signed_on=datetime.date(2026, 11, 27), signer="Đỗ Quang Vinh")
    assert d.status == Status.RESULT_READY and d.timeliness == Timeliness.EARLY
    assert d.result_document_code == "037090001234.LLTP.2611230001"
    with travel(at(2026, 11, 30, 8, 0)):
        d = services.return_result(users["tiepnhan.tinh"], d.pk, d.row_version)
    assert d.status == Status.RETURNED
    actions = list(d.events.values_list("action", flat=True))
    assert actions == ["receive", "hand_over", "forward", "approve", "issue_result", "return"]
    assert not d.steps.exclude(status=StepStatus.DONE).exists()


def test_late_step_makes_dossier_late_and_names_the_agency(received_dossier, users, agencies):
    d = advance_to_handler(received_dossier, users)
    with travel(at(2026, 12, 10, 9, 0)):
        d = services.forward(users["thuly.tuphap"], d.pk, d.row_version)
        d = services.approve(users["lanhdao.tuphap"], d.pk, d.row_version)
        d = services.issue_result(users["vanthu.tuphap"], d.pk, d.row_version, number="1/ST",
                                  signed_on=datetime.date(2026, 12, 10), signer="Đỗ Quang Vinh")
    assert d.timeliness == Timeliness.LATE
    assert d.late_cause_agency == agencies["000.00.14.H42"]


def test_send_back_reactivates_earlier_step(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    with travel(at(2026, 11, 25, 9, 0)):
        d = services.forward(users["thuly.tuphap"], d.pk, d.row_version)
        d = services.send_back(users["lanhdao.tuphap"], d.pk, d.row_version, 2, "Cần tra cứu thêm")
    active = services.active_steps(d).get()
    assert active.order == 2 and active.role == "handler"
    assert d.events.last().action == "send_back"


def test_wrong_official_cannot_act_and_nothing_changes(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    before = snapshot(d)
    with travel(at(2026, 11, 24, 9, 0)), pytest.raises(NotAllowed) as refused:
        services.forward(users["thuly.xaydung"], d.pk, d.row_version)
    assert "không có quyền" in refused.value.message
    assert snapshot(d) == before


def test_stale_concurrent_action_is_refused(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    seen = d.row_version
    with travel(at(2026, 11, 25, 9, 0)):
        services.forward(users["thuly.tuphap"], d.pk, seen)
        after_first = snapshot(d)
        with pytest.raises(StaleDossier) as refused:
            services.request_supplement(users["thuly.tuphap"], d.pk, seen, "Thiếu giấy ủy quyền")
    assert "vừa được người khác cập nhật" in refused.value.message
    assert snapshot(d) == after_first


def test_refusal_after_review_prints_reason_and_goes_back_to_counter(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    with travel(at(2026, 11, 25, 9, 0)):
        with pytest.raises(DossierError):
            services.refuse(users["thuly.tuphap"], d.pk, d.row_version, "   ")
        d = services.refuse(users["thuly.tuphap"], d.pk, d.row_version, "Người yêu cầu không thuộc đối tượng")
    assert d.status == Status.REFUSED
    assert services.active_steps(d).get().role == "receiver"
    with travel(at(2026, 11, 26, 9, 0)):
        d = services.return_result(users["tiepnhan.tinh"], d.pk, d.row_version)
    assert d.status == Status.RETURNED


def test_consultation_late_reply_is_flagged_to_one_stop_unit(received_dossier, users, agencies):
    d = advance_to_handler(received_dossier, users)
    with travel(at(2026, 11, 25, 9, 0)):
        consultation = services.consult(users["thuly.tuphap"], d.pk, d.row_version,
                                        to_agency=agencies["000.00.21.H42"], question="Xác minh nhân thân",
                                        reply_days=2)
    assert consultation.reply_due_at == at(2026, 11, 27, 9, 0)
    with travel(at(2026, 11, 30, 9, 0)):
        assert services.flag_late_consultations() == 1
        assert services.flag_late_consultations() == 0
    assert StaffAlert.objects.get(dossier=d).agency == agencies["000.00.01.H42"]
    with travel(at(2026, 11, 30, 10, 0)):
        services.reply_consultation(users["thuly.congan"], consultation.pk, "Không có tiền án")
    assert d.events.last().data["late"] is True


# ---------------------------------------------------------------- supplement once (Đ17.1c, Đ19.5)


def test_supplement_once_and_clock_restarts_from_zero(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    with travel(at(2026, 11, 26, 9, 0)):
        d = services.request_supplement(users["thuly.tuphap"], d.pk, d.row_version, "Bản sao giấy khai sinh")
    assert d.status == Status.AWAITING_SUPPLEMENT
    assert d.supplement_deadline_at == at(2026, 12, 11, 9, 0)
    old_due = d.legal_due_at
    with travel(at(2026, 12, 1, 14, 0)):
        d = services.receive_supplement(users["tiepnhan.tinh"], d.pk, d.row_version,
                                        [services.ReceivedDocument(name="Bản sao giấy khai sinh", copies=1)])
    assert d.status == Status.IN_PROGRESS
    assert d.clock_started_at == at(2026, 12, 1, 14, 0)
    assert d.legal_due_at == at(2026, 12, 15, 14, 0) != old_due
    assert d.appointment_at == d.legal_due_at
    event = d.events.get(action="receive_supplement")
    assert event.data["previous_legal_due_at"].startswith("2026-12-08")
    assert services.active_steps(d).get().due_at > old_due
    before = snapshot(d)
    with travel(at(2026, 12, 2, 9, 0)), pytest.raises(DossierError) as refused:
        services.request_supplement(users["thuly.tuphap"], d.pk, d.row_version, "Thêm giấy tờ")
    assert "một lần" in refused.value.message
    assert snapshot(d) == before


def test_supplement_after_three_working_days_is_refused(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    before = snapshot(d)
    # Received Mon 23/11 09:00; 24/11 is a day off; 3 working days end Fri 27/11 09:00.
    with travel(at(2026, 11, 27, 10, 0)), pytest.raises(DossierError) as refused:
        services.request_supplement(users["thuly.tuphap"], d.pk, d.row_version, "Bản sao giấy khai sinh")
    assert "quá 3 ngày làm việc" in refused.value.message
    assert snapshot(d) == before
    with travel(at(2026, 11, 27, 8, 59)):
        services.request_supplement(users["thuly.tuphap"], d.pk, d.row_version, "Bản sao giấy khai sinh")


def test_supplement_never_received_closes_after_15_days(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    with travel(at(2026, 11, 25, 9, 0)):
        d = services.request_supplement(users["thuly.tuphap"], d.pk, d.row_version, "Giấy ủy quyền")
    with travel(at(2026, 12, 10, 8, 0)):
        assert services.close_unsupplemented() == []
    with travel(at(2026, 12, 10, 9, 1)):
        assert services.close_unsupplemented() == [d.code]
        assert services.close_unsupplemented() == []
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.CLOSED
    assert d.events.filter(action="close_unsupplemented", actor__isnull=True).count() == 1


# ---------------------------------------------------------------- stop (Đ21)


def test_stop_at_applicants_request_refunds_fee_and_keeps_history(received_dossier, users):
    d = advance_to_handler(received_dossier, users)
    with travel(at(2026, 11, 25, 9, 0)):
        d = services.stop(users["tiepnhan.tinh"], d.pk, d.row_version, "Công dân xin rút hồ sơ")
    assert d.status == Status.STOPPED and d.fee_refunded
    assert not services.active_steps(d).exists()
    with travel(at(2026, 11, 25, 10, 0)), pytest.raises(DossierError):
        services.stop(users["tiepnhan.tinh"], d.pk, d.row_version, "lần nữa")
    assert list(d.events.values_list("to_status", flat=True)) == ["received", "in_progress", "stopped"]


# ---------------------------------------------------------------- apology and extension (Đ19.6)


def test_apology_job_drafts_one_letter_a_working_day_before_due(received_dossier, users, agencies):
    d = advance_to_handler(received_dossier, users)
    # Due Tue 08/12 09:00; the handling step (7.5 days) overran by Fri 04/12.
    with travel(at(2026, 12, 3, 9, 0)):
        assert services.scan_for_delays() == []
    with travel(at(2026, 12, 4, 9, 15)):
        assert services.scan_for_delays() == [d.code]
        assert services.scan_for_delays() == []
    letter = ApologyLetter.objects.get(dossier=d)
    assert letter.agency == agencies["000.00.14.H42"] and letter.state == "draft"
    assert letter.proposed_due_at > d.appointment_at
    # Drafted on Fri 04/12, more than 1 working day before the due moment Tue 08/12 09:00.
    assert letter.drafted_at == at(2026, 12, 4, 9, 15)
    assert StaffAlert.objects.filter(dossier=d, role="approver", resolved_at__isnull=True).exists()
    d = Dossier.objects.get(pk=d.pk)
    with travel(at(2026, 12, 7, 9, 0)):
        with pytest.raises(NotAllowed):
            services.approve_apology(users["lanhdao.xaydung"], d.pk, d.row_version)
        with pytest.raises(DossierError):
            services.apply_extension(users["tiepnhan.tinh"], d.pk, d.row_version)
        services.approve_apology(users["lanhdao.tuphap"], d.pk, d.row_version)
        d = Dossier.objects.get(pk=d.pk)
        d = services.apply_extension(users["tiepnhan.tinh"], d.pk, d.row_version)
    assert d.appointment_at == letter.proposed_due_at and d.extension_count == 1
    assert d.legal_due_at == at(2026, 12, 8, 9, 0), "the legal due moment stays for on-time statistics"
    before = snapshot(d)
    with travel(at(2026, 12, 7, 10, 0)), pytest.raises(DossierError) as refused:
        services.apply_extension(users["tiepnhan.tinh"], d.pk, d.row_version)
    assert "một lần" in refused.value.message
    with travel(at(2026, 12, 7, 10, 0)), pytest.raises(DossierError):
        services.draft_apology(users["thuly.tuphap"], d.pk, d.row_version, reason="Lần hai",
                               proposed_due_at=at(2026, 12, 30, 9, 0))
    assert snapshot(d) == before


# ---------------------------------------------------------------- audit and notifications


def test_events_cannot_be_edited_or_deleted(received_dossier):
    event = received_dossier.events.get()
    event.reason = "sửa"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        DossierEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionDenied):
        DossierEvent.objects.all().delete()


def test_notifications_are_sent_once(received_dossier, settings, tmp_path):
    from motcua.dossiers import notify
    for notification in Notification.objects.filter(dossier=received_dossier):
        assert notify.deliver(notification.pk) is True
        assert notify.deliver(notification.pk) is False
    assert len(mail.outbox) == 1 and received_dossier.code in mail.outbox[0].subject
    assert received_dossier.code in settings.SMS_OUTBOX.read_text(encoding="utf-8")
