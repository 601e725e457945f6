"""Bundle applications (nhóm thủ tục liên thông, Đ20): one code and appointment, parts in parallel or in sequence."""
import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Field, Procedure, ProcedureBundle, ProcedureVersion, ProcessStep, RequiredDocument
from motcua.dossiers import bundles, services
from motcua.dossiers.models import (
    BundleApplication, BundleMode, Dossier, DossierEvent, Notification, Status, StepStatus,
)
from motcua.dossiers.services import DossierError, StaleDossier
from tests.dossiers.conftest import MONDAY_9AM, at, make_procedure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CENTRE, JUSTICE, CONSTRUCTION = "000.00.01.H42", "000.00.14.H42", "000.00.12.H42"


def travel(moment):
    return time_machine.travel(moment, tick=False)


def construction_procedure(agencies):
    field, _ = Field.objects.get_or_create(code="XD", defaults={"name": "Hoạt động xây dựng"})
    procedure = Procedure.objects.create(code="1.009994")
    version = ProcedureVersion.objects.create(
        procedure=procedure, name="Cấp giấy phép xây dựng nhà ở riêng lẻ", field=field, levels=["province"],
        time_value=Decimal(5), fee_amount=75000, result_name="Giấy phép xây dựng", result_type_code="GPXD",
        status=ProcedureVersion.Status.PUBLISHED)
    version.agencies.add(agencies[CONSTRUCTION])
    procedure.current_version = version
    procedure.save()
    RequiredDocument.objects.create(version=version, order=1, name="Đơn đề nghị cấp giấy phép xây dựng",
                                    originals=1, copies=0)
    for order, (name, performer, role, budget) in enumerate([
            ("Tiếp nhận, chuyển hồ sơ", "receiving", "receiver", "0.5"),
            ("Thẩm định hồ sơ", "competent", "handler", "3"),
            ("Lãnh đạo Sở phê duyệt", "competent", "approver", "1"),
            ("Trả kết quả", "receiving", "receiver", "0.5")], start=1):
        ProcessStep.objects.create(version=version, order=order, name=name, performer=performer, role=role,
                                   budget=Decimal(budget))
    return version


@pytest.fixture
def bundle(agencies):
    justice = make_procedure(agencies)
    construction = construction_procedure(agencies)
    bundle = ProcedureBundle.objects.create(code="LT-TEST", name="Liên thông lý lịch tư pháp và giấy phép xây dựng")
    bundle.procedures.add(justice.procedure)
    bundle.procedures.add(construction.procedure)
    return bundle


def part(version, agency, *, scans=False, skip_mandatory=False):
    documents = []
    for doc in version.documents.filter(mandatory=True):
        if skip_mandatory:
            continue
        upload = SimpleUploadedFile(f"{doc.pk}.pdf", PDF, content_type="application/pdf") if scans else None
        documents.append(services.ReceivedDocument(name=doc.name, required_id=doc.pk, originals=doc.originals,
                                                   copies=doc.copies, upload=upload))
    return bundles.BundlePart(procedure_version=version, competent_agency=agency, documents=documents,
                              fee_amount=version.fee_amount)


def reception(bundle, agencies, *, mode=BundleMode.PARALLEL, scans=True, **overrides):
    justice_v, construction_v = bundles.bundle_versions(bundle)
    values = dict(
        bundle=bundle, receiving_agency=agencies[CENTRE], mode=mode,
        applicant=services.Applicant(name="Phạm Thị Hằng", id_number="037190004321", phone="0987654321",
                                     email="hang.pham@example.vn", address="Phường Hoa Lư, tỉnh Ninh Bình"),
        parts=[part(justice_v, agencies[JUSTICE], scans=scans),
               part(construction_v, agencies[CONSTRUCTION], scans=scans)])
    values.update(overrides)
    return bundles.BundleReception(**values)


def receive(users, bundle_reception, when=MONDAY_9AM):
    with travel(when):
        return bundles.receive_bundle(users["tiepnhan.tinh"], bundle_reception)


def fresh(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def finish_part(dossier, users, handler, approver, clerk=None, when=at(2026, 11, 24, 10, 0)):
    """Walk one part from its hand-over to its result."""
    with travel(when):
        d = fresh(dossier)
        if d.status == Status.RECEIVED:
            d = services.hand_over(users["tiepnhan.tinh"], d.pk, d.row_version)
        d = services.forward(users[handler], d.pk, d.row_version, "Hồ sơ đủ điều kiện")
        d = services.approve(users[approver], d.pk, d.row_version)
        return services.issue_result(users[clerk or approver], d.pk, d.row_version, number="12/GP",
                                     signed_on=datetime.date(2026, 11, 24), signer="Nguyễn Văn Bình")


def test_bundle_versions_follow_the_bundle_order(bundle):
    assert [v.procedure.code for v in bundles.bundle_versions(bundle)] == ["2.001417", "1.009994"]


def test_electronic_application_runs_parts_in_parallel_under_one_code(bundle, agencies, users):
    application = receive(users, reception(bundle, agencies))
    parts = list(application.parts.order_by("part_order"))
    # Đ28: the bundle's code uses the receiving one-stop unit's identifier; each part its agency's.
    assert application.code == f"{CENTRE}-261123-0001"
    assert [p.code for p in parts] == [f"{JUSTICE}-261123-0001", f"{CONSTRUCTION}-261123-0001"]
    assert application.lead_agency == agencies[JUSTICE]
    assert all(p.status == Status.RECEIVED and p.clock_started_at == MONDAY_9AM for p in parts)
    assert all(p.steps.filter(status=StepStatus.ACTIVE).count() == 1 for p in parts)
    # One appointment for the citizen: the latest part's (10 working days for the justice part).
    assert application.appointment_at == max(p.appointment_at for p in parts) == parts[0].appointment_at
    # Each part's audit trail starts with its reception, naming the bundle.
    for order, p in enumerate(parts, start=1):
        event = p.events.get()
        assert (event.action, event.data["bundle"], event.data["part"], event.data["mode"]) == \
            ("receive", "LT-TEST", order, "parallel")
    # The applicant is told the application's code once, not one message per part.
    sms = Notification.objects.filter(channel="sms")
    assert sms.count() == 1 and application.code in sms.get().body
    # The postage of the one consignment (none here) and the fees stay per part.
    assert [p.fee_amount for p in parts] == [200000, 75000]


def test_paper_application_cannot_run_in_parallel(bundle, agencies, users):
    with pytest.raises(DossierError) as refused:
        receive(users, reception(bundle, agencies, scans=False))
    assert "tuần tự" in refused.value.message
    assert not BundleApplication.objects.exists() and not Dossier.objects.exists()


@pytest.mark.parametrize("change, message", [
    ("one_part", "ít nhất hai thủ tục"),
    ("incomplete", "Thủ tục “Cấp giấy phép xây dựng nhà ở riêng lẻ”: Hồ sơ chưa đầy đủ"),
    ("foreign_procedure", "không thuộc nhóm"),
    ("bad_lead", "Cơ quan chủ trì"),
])
def test_bad_bundle_reception_changes_nothing(bundle, agencies, users, change, message):
    bundle_reception = reception(bundle, agencies)
    if change == "one_part":
        bundle_reception.parts = bundle_reception.parts[:1]
    elif change == "incomplete":
        bundle_reception.parts[1] = part(bundle_reception.parts[1].procedure_version, agencies[CONSTRUCTION],
                                         scans=True, skip_mandatory=True)
    elif change == "foreign_procedure":
        other = make_procedure(agencies, code="2.000001", name="Chứng thực bản sao từ bản chính")
        bundle_reception.parts[1] = part(other, agencies[JUSTICE], scans=True)
    else:
        bundle_reception.lead_agency = agencies["000.00.15.H42"]
    with pytest.raises(DossierError) as refused:
        receive(users, bundle_reception)
    assert message in refused.value.message
    assert not BundleApplication.objects.exists() and not Dossier.objects.exists()
    assert not DossierEvent.objects.exists() and not Notification.objects.exists()


def test_paper_application_passes_from_agency_to_agency(bundle, agencies, users):
    application = receive(users, reception(bundle, agencies, mode=BundleMode.SEQUENTIAL, scans=False))
    first, second = application.parts.order_by("part_order")
    assert second.is_waiting_for_previous_part and second.waiting_for == first
    assert not second.steps.filter(status=StepStatus.ACTIVE).exists()
    # Provisional plan: the second agency gets the paper when the first part is legally due.
    assert second.clock_started_at >= first.legal_due_at
    assert application.appointment_at == second.appointment_at
    promised = application.appointment_at

    with travel(at(2026, 11, 23, 10, 0)), pytest.raises(DossierError) as refused:
        services.hand_over(users["tiepnhan.tinh"], second.pk, second.row_version)
    assert "Sở Tư pháp sẽ chuyển hồ sơ" in refused.value.message
    assert fresh(second).row_version == second.row_version

    finished_at = at(2026, 11, 25, 10, 0)
    finish_part(first, users, "thuly.tuphap", "lanhdao.tuphap", "vanthu.tuphap", when=finished_at)
    second = fresh(second)
    # The paper reached Sở Xây dựng: its own processing time (5 working days) starts now.
    assert second.status == Status.IN_PROGRESS
    assert second.clock_started_at == finished_at and second.handed_over_at == finished_at
    active = second.steps.get(status=StepStatus.ACTIVE)
    assert active.name == "Thẩm định hồ sơ"
    assert second.steps.get(order=1).status == StepStatus.DONE
    transfer = second.events.get(action="bundle_transfer")
    assert transfer.agency == agencies[JUSTICE] and transfer.data["previous_part"] == first.code
    # Finishing early never moves the citizen's appointment earlier.
    application.refresh_from_db()
    assert application.appointment_at == promised

    finish_part(second, users, "thuly.xaydung", "lanhdao.xaydung", when=at(2026, 11, 27, 10, 0))
    assert bundles.summary(list(bundles.parts_of(application))).label == "Có kết quả, chờ trả"


def test_result_returned_together_only_when_every_part_is_done(bundle, agencies, users):
    application = receive(users, reception(bundle, agencies))
    first, second = application.parts.order_by("part_order")
    finish_part(first, users, "thuly.tuphap", "lanhdao.tuphap", "vanthu.tuphap")
    application.refresh_from_db()
    with travel(at(2026, 11, 24, 15, 0)), pytest.raises(DossierError) as refused:
        bundles.return_application(users["tiepnhan.tinh"], application.pk, application.row_version)
    assert "còn 1 thủ tục đang giải quyết (Cấp giấy phép xây dựng nhà ở riêng lẻ)" in refused.value.message
    assert fresh(first).status == Status.RESULT_READY

    finish_part(second, users, "thuly.xaydung", "lanhdao.xaydung", when=at(2026, 11, 25, 10, 0))
    application.refresh_from_db()
    with travel(at(2026, 11, 25, 15, 0)):
        bundles.return_application(users["tiepnhan.tinh"], application.pk, application.row_version)
    application.refresh_from_db()
    assert application.returned_at == at(2026, 11, 25, 15, 0)
    assert {p.status for p in application.parts.all()} == {Status.RETURNED}


def test_stale_application_page_is_refused(bundle, agencies, users):
    application = receive(users, reception(bundle, agencies))
    seen = application.row_version
    first = application.parts.get(part_order=1)
    with travel(at(2026, 11, 23, 10, 0)):
        services.hand_over(users["tiepnhan.tinh"], first.pk, first.row_version)
        with pytest.raises(StaleDossier):
            bundles.stop_application(users["tiepnhan.tinh"], application.pk, seen, "Người nộp rút hồ sơ")
    assert application.parts.filter(status=Status.STOPPED).count() == 0


def test_applicant_withdraws_the_whole_application(bundle, agencies, users):
    application = receive(users, reception(bundle, agencies, mode=BundleMode.SEQUENTIAL, scans=False))
    with travel(at(2026, 11, 23, 10, 0)):
        bundles.stop_application(users["tiepnhan.tinh"], application.pk, application.row_version,
                                 "Người nộp đề nghị dừng")
    first, second = application.parts.order_by("part_order")
    assert (first.status, second.status) == (Status.STOPPED, Status.STOPPED)
    # The waiting part was stopped before the first, so the paper was never passed on.
    assert not DossierEvent.objects.filter(action="bundle_transfer").exists()


def test_agencies_of_one_application_read_each_others_parts(bundle, agencies, users):
    application = receive(users, reception(bundle, agencies))
    justice_part = application.parts.get(part_order=1)
    assert services.can_read_dossier(users["thuly.xaydung"], justice_part)
    assert bundles.can_read_application(users["thuly.xaydung"], application)
    assert not bundles.can_read_application(users["thuly.dat"], application)


def test_a_parts_messages_name_the_application(bundle, agencies, users):
    application = receive(users, reception(bundle, agencies))
    first = application.parts.get(part_order=1)
    with travel(at(2026, 11, 23, 10, 0)):
        first = services.hand_over(users["tiepnhan.tinh"], first.pk, first.row_version)
        services.request_supplement(users["thuly.tuphap"], first.pk, first.row_version, "Bản sao Căn cước rõ nét")
    sms = Notification.objects.filter(channel="sms", dossier=first).order_by("id").last()
    assert f"{first.code} (thuộc hồ sơ liên thông {application.code})" in sms.body
