"""Online submission in the dossier service: submit, return and resubmit, accept (= counter reception),
reject, and the applicant answering the supplement request online."""
import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import OnlineLevel
from motcua.dossiers import online, services
from motcua.dossiers.models import Dossier, DossierEvent, Notification, Status
from motcua.orgs.models import User
from tests.dossiers.conftest import MONDAY_9AM, at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def online_procedure(procedure):
    level, _ = OnlineLevel.objects.get_or_create(
        scheme="qd_2025", code="toan_trinh",
        defaults={"name": "Toàn trình", "submit_online": True, "pay_online": True, "result_online": True,
                  "is_full_online": True})
    procedure.online_level = level
    procedure.save()
    return procedure


@pytest.fixture
def citizen(db):
    return User.objects.create_user("an.nguyen@example.vn", email="an.nguyen@example.vn", full_name="Nguyễn Văn An",
                                    phone="0912345678", password="x")


def submission(version, agencies, **overrides):
    documents = [online.electronic_document(d, pdf(f"{d.pk}.pdf")) for d in version.documents.filter(mandatory=True)]
    values = dict(
        procedure_version=version, receiving_agency=agencies["000.00.01.H42"],
        competent_agency=agencies["000.00.14.H42"],
        applicant=services.Applicant(name="Nguyễn Văn An", id_number="037090001234", phone="0912345678",
                                     email="an.nguyen@example.vn", address="Số 5 phố Lê Lợi, phường Hoa Lư"),
        documents=documents)
    values.update(overrides)
    return services.Reception(**values)


@pytest.fixture
def submitted(online_procedure, agencies, citizen):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return online.submit_online(citizen, submission(online_procedure, agencies))


def test_submit_online_waits_for_a_receiver_without_code_or_clock(submitted, citizen):
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.channel == "online"
    assert dossier.code is None and dossier.legal_due_at is None and dossier.received_at is None
    assert dossier.applicant_user == citizen and dossier.submitted_at == MONDAY_9AM
    assert dossier.documents.count() == 2 and all(d.file and d.content_type == "application/pdf"
                                                  for d in dossier.documents.all())
    assert not dossier.steps.exists()
    event = dossier.events.get()
    assert event.action == "submit_online" and event.actor == citizen and event.to_status == Status.SUBMITTED_ONLINE
    mail = Notification.objects.get(dossier=dossier, channel="email")
    assert f"số tham chiếu {dossier.pk}" in mail.body and "Trung tâm Phục vụ hành chính công tỉnh" in mail.body


def test_only_procedures_offered_online(procedure, agencies, citizen):
    with pytest.raises(services.DossierError, match="không nhận hồ sơ trực tuyến"):
        online.submit_online(citizen, submission(procedure, agencies))
    assert not Dossier.objects.exists()


def test_incomplete_or_bad_file_or_wrong_centre_is_refused(online_procedure, agencies, citizen):
    first = online_procedure.documents.get(order=1)
    with pytest.raises(services.DossierError, match="Còn thiếu: Bản chụp Căn cước"):
        online.submit_online(citizen, submission(online_procedure, agencies,
                                                 documents=[online.electronic_document(first, pdf())]))
    fake = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    docs = [online.electronic_document(d, fake if d.order == 1 else pdf())
            for d in online_procedure.documents.filter(mandatory=True)]
    with pytest.raises(services.DossierError, match="không phải các định dạng đó"):
        online.submit_online(citizen, submission(online_procedure, agencies, documents=docs))
    with pytest.raises(services.DossierError, match="Trung tâm phục vụ hành chính công"):
        online.submit_online(citizen, submission(online_procedure, agencies,
                                                 receiving_agency=agencies["000.00.14.H42"]))
    with pytest.raises(services.DossierError) as refused:
        online.submit_online(citizen, submission(online_procedure, agencies, applicant=services.Applicant(
            name="Nguyễn Văn An", id_number="12345")))
    assert "12 chữ số" in refused.value.field_errors["applicant_id_number"]
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_accept_online_is_a_complete_reception(submitted, users):
    receiver = users["tiepnhan.tinh"]
    moment = at(2026, 11, 24, 10, 0)
    with time_machine.travel(moment, tick=False):
        dossier = online.accept_online(receiver, submitted.pk, submitted.row_version, "Hồ sơ đầy đủ")
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.RECEIVED and dossier.received_by == receiver
    assert dossier.code == "000.00.14.H42-261124-0001"
    assert dossier.received_at == moment
    assert dossier.legal_due_at and dossier.appointment_at == dossier.legal_due_at
    assert dossier.handover_due_at is None  # electronic: nothing on paper to carry
    assert [s.status for s in dossier.steps.order_by("order")][:2] == ["active", "pending"]
    assert list(dossier.events.values_list("action", flat=True)) == ["submit_online", "accept_online"]
    assert Notification.objects.filter(dossier=dossier, subject__contains="đã được tiếp nhận").count() == 2
    # A counter reception the same day: next number of the same daily sequence, the same clock.
    from tests.dossiers.conftest import reception_for
    with time_machine.travel(moment + datetime.timedelta(minutes=5), tick=False):
        counter = services.receive(receiver, reception_for(dossier.procedure_version, {
            a.code: a for a in (dossier.receiving_agency, dossier.competent_agency)}))
    assert counter.code == "000.00.14.H42-261124-0002"
    assert (counter.clock_started_at, counter.legal_due_at) == (dossier.clock_started_at, dossier.legal_due_at)
    assert [(s.order, s.due_at) for s in counter.steps.order_by("order")] == [
        (s.order, s.due_at) for s in dossier.steps.order_by("order")]


def test_accept_needs_the_receiving_centre_and_a_fresh_version(submitted, users):
    with pytest.raises(services.NotAllowed):
        online.accept_online(users["tiepnhan.hoalu"], submitted.pk, submitted.row_version)
    online.accept_online(users["tiepnhan.tinh"], submitted.pk, submitted.row_version)
    with pytest.raises(services.StaleDossier, match="vừa được người khác cập nhật"):
        online.return_online(users["tiepnhan.tinh2"], submitted.pk, submitted.row_version, "Thiếu tờ khai")
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.status == Status.RECEIVED and dossier.events.count() == 2


def test_return_then_resubmit_then_accept(submitted, users, citizen, online_procedure, agencies):
    receiver = users["tiepnhan.tinh"]
    with pytest.raises(services.DossierError, match="ghi rõ nội dung"):
        online.return_online(receiver, submitted.pk, submitted.row_version, "  ")
    returned = online.return_online(receiver, submitted.pk, submitted.row_version,
                                    "Ảnh căn cước bị mờ, vui lòng chụp lại rõ nét")
    assert Dossier.objects.get(pk=submitted.pk).status == Status.RETURNED_ONLINE
    assert "chụp lại rõ nét" in Notification.objects.filter(subject__contains="cần hoàn thiện").first().body
    with pytest.raises(services.DossierError):  # nothing to accept while it is with the citizen
        online.accept_online(receiver, submitted.pk, returned.row_version)
    stranger = User.objects.create_user("other@example.vn", password="x")
    with pytest.raises(services.NotAllowed, match="không thuộc tài khoản"):
        online.resubmit_online(stranger, submitted.pk, returned.row_version, submission(online_procedure, agencies))
    old_files = set(Dossier.objects.get(pk=submitted.pk).documents.values_list("file", flat=True))
    again = online.resubmit_online(citizen, submitted.pk, returned.row_version,
                                   submission(online_procedure, agencies))
    dossier = Dossier.objects.get(pk=again.pk)
    assert dossier.status == Status.SUBMITTED_ONLINE and dossier.documents.count() == 2
    assert not old_files & set(dossier.documents.values_list("file", flat=True))
    event = dossier.events.get(action="resubmit_online")
    assert sorted(event.data["replaced_files"]) == sorted(old_files)
    accepted = online.accept_online(receiver, dossier.pk, dossier.row_version)
    assert accepted.code and [e.action for e in Dossier.objects.get(pk=dossier.pk).events.all()] == [
        "submit_online", "return_online", "resubmit_online", "accept_online"]


def test_reject_online_is_final(submitted, users):
    with pytest.raises(services.DossierError, match="lý do"):
        online.reject_online(users["tiepnhan.tinh"], submitted.pk, submitted.row_version, "")
    online.reject_online(users["tiepnhan.tinh"], submitted.pk, submitted.row_version,
                         "Yêu cầu thuộc thẩm quyền của tỉnh khác")
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.status == Status.REJECTED_AT_RECEPTION and dossier.code is None
    assert dossier.events.last().action == "reject_online"


def test_supplement_online_restarts_the_clock(submitted, users, citizen):
    receiver, handler = users["tiepnhan.tinh"], users["thuly.tuphap"]
    with time_machine.travel(MONDAY_9AM, tick=False):
        dossier = online.accept_online(receiver, submitted.pk, submitted.row_version)
        dossier = services.hand_over(receiver, dossier.pk, dossier.row_version)
    with time_machine.travel(at(2026, 11, 24, 9, 0), tick=False):
        dossier = services.request_supplement(handler, dossier.pk, dossier.row_version, "Giấy ủy quyền có chứng thực")
    stranger = User.objects.create_user("other@example.vn", password="x")
    doc = services.ReceivedDocument(name="Giấy ủy quyền", copies=1, upload=pdf("uy-quyen.pdf"))
    with pytest.raises(services.NotAllowed):
        online.supplement_online(stranger, dossier.pk, dossier.row_version, [doc])
    with pytest.raises(services.DossierError, match="đính kèm tệp"):
        online.supplement_online(citizen, dossier.pk, dossier.row_version,
                                 [services.ReceivedDocument(name="Giấy ủy quyền", copies=1)])
    assert Dossier.objects.get(pk=dossier.pk).status == Status.AWAITING_SUPPLEMENT
    with time_machine.travel(at(2026, 11, 26, 14, 0), tick=False):
        done = online.supplement_online(citizen, dossier.pk, dossier.row_version, [doc])
    done = Dossier.objects.get(pk=done.pk)
    assert done.status == Status.IN_PROGRESS and done.supplement_received_at == at(2026, 11, 26, 14, 0)
    assert done.legal_due_at > dossier.legal_due_at  # 10 working days again from the supplement
    assert done.clock_started_at >= at(2026, 11, 26, 14, 0)
    event = done.events.last()
    assert event.action == "receive_supplement" and event.actor == citizen and event.data["channel"] == "online"
    assert done.documents.filter(is_supplement=True).count() == 1
