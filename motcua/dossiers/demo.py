"""Demo dossiers: a few weeks of a provincial centre and a ward centre, in every state.

Each dossier walks the real service layer with the clock moved to the moment each
action happened (time-machine), so codes, deadlines, timelines and on-time results are
exactly what the system would have produced.
"""
import random
from datetime import timedelta
from decimal import Decimal

import time_machine
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers import postal, services
from motcua.dossiers.models import Dossier, ReturnMethod, Status
from motcua.orgs.models import Agency, Role, StaffRole
from motcua.workcal import arithmetic as wc
from motcua.workcal import services as workcal

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh", "Mai"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh", "Hữu", "Phương"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Huyền", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến"]
STREETS = ["Trần Hưng Đạo", "Lê Hồng Phong", "Đinh Tiên Hoàng", "Lương Văn Tụy", "Nguyễn Huệ", "Xuân Thành",
           "Hải Thượng Lãn Ông", "Trương Hán Siêu"]
CENTRE = "000.00.01.H42"
WARD_CENTRE = "000.01.31.H42"
WARD_COMMITTEE = "000.01.30.H42"


def _person(rng):
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return services.Applicant(
        name=name, id_number=f"0{rng.randint(30, 38)}{rng.randint(10**8, 10**9 - 1)}",
        phone=f"09{rng.randint(10**7, 10**8 - 1)}",
        email=f"congdan{rng.randint(100, 999)}@example.vn",
        address=f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}, phường Hoa Lư, tỉnh Ninh Bình")


def _actor(agency, role):
    row = StaffRole.objects.filter(agency=agency, role=role).select_related("user").order_by("id").first()
    if row is None and agency.parent_id:
        row = StaffRole.objects.filter(agency_id=agency.parent_id, role=role).select_related("user").first()
    return row.user if row else None


def _plans():
    """(procedure version, competent agency, receiving agency) combinations that have staff to act."""
    plans = []
    centre = Agency.objects.filter(code=CENTRE).first()
    ward_centre = Agency.objects.filter(code=WARD_CENTRE).first()
    for procedure in Procedure.objects.filter(current_version__status="published").select_related("current_version"):
        version = procedure.current_version
        if version.on_the_spot or not version.steps.exists():
            continue
        for agency in version.agencies.all():
            if _actor(agency, Role.HANDLER) is None:
                continue
            receiving = ward_centre if agency.code == WARD_COMMITTEE else centre
            if receiving is not None:
                plans.append((version, agency, receiving))
    return plans


def _walk(dossier, until, rng, pace, *, keep_result=False):
    """Act on each step in turn at a pace (share of its budget) until ``until``.

    With ``keep_result`` the result stays at the one-stop unit (a bundle's parts go back together).
    """
    cal = workcal.get_calendar(dossier.competent_agency)
    moment = dossier.received_at + timedelta(minutes=rng.randint(20, 90))
    while True:
        dossier = Dossier.objects.get(pk=dossier.pk)
        step = services.active_steps(dossier).first()
        if step is None or moment > until:
            return dossier
        user = _actor(step.agency, step.role)
        if user is None:
            return dossier
        with time_machine.travel(moment, tick=False):
            if dossier.status == Status.RECEIVED:
                dossier = services.hand_over(user, dossier.pk, dossier.row_version)
            elif step.role == Role.APPROVER:
                dossier = services.approve(user, dossier.pk, dossier.row_version, "Đồng ý")
            elif step.role == Role.CLERK or dossier.status == Status.APPROVED:
                number = f"{rng.randint(100, 4999)}/{dossier.procedure_version.result_type_code or 'KQ'}"
                dossier = services.issue_result(user, dossier.pk, dossier.row_version, number=number,
                                                signed_on=timezone.localdate(), signer=user.full_name)
            elif dossier.status in (Status.RESULT_READY, Status.REFUSED):
                if keep_result:
                    return dossier
                if dossier.return_method == ReturnMethod.POST:  # handed to the post office, with its waybill
                    dossier = services.return_result(user, dossier.pk, dossier.row_version, method=ReturnMethod.POST,
                                                     tracking=postal.make_s10("EE", 52000000 + dossier.pk))
                else:
                    dossier = services.return_result(user, dossier.pk, dossier.row_version)
                return dossier
            else:
                dossier = services.forward(user, dossier.pk, dossier.row_version, "Hồ sơ đủ điều kiện")
        budget = services.budget_in_days(step, cal)
        moment = wc.add_working_days(cal, moment, max(Decimal("0.1"), budget * Decimal(str(pace))))


def load(stdout=None, count=48, seed=2025):
    if Dossier.objects.exists():
        return
    plans = _plans()
    if not plans:
        if stdout:
            stdout.write("Chưa có thủ tục mẫu, bỏ qua hồ sơ mẫu.")
        return
    rng = random.Random(seed)
    now = timezone.now()
    cal = workcal.get_calendar()
    day = wc.next_working_day(cal, timezone.localdate(now) - timedelta(days=42))
    made = 0
    while made < count:
        version, competent, receiving = plans[made % len(plans)]
        receiver = _actor(receiving, Role.RECEIVER)
        moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) \
            .replace(hour=rng.choice([7, 8, 9, 10, 14, 15]), minute=rng.choice([5, 20, 35, 50]))
        if moment >= now:
            break
        documents = [services.ReceivedDocument(name=d.name, required_id=d.id, originals=d.originals,
                                               copies=d.copies) for d in version.documents.all()]
        channel = rng.choice(["counter", "counter", "counter", "post" if version.postal_reception else "counter"])
        applicant = _person(rng)
        # Dossiers sent by post mostly want the result back by post too.
        by_post = channel == "post" and version.postal_return
        reception = services.Reception(
            procedure_version=version, receiving_agency=receiving, competent_agency=competent,
            applicant=applicant, documents=documents, fee_amount=version.fee_amount, channel=channel,
            incoming_tracking=postal.make_s10("RR", rng.randint(10**7, 10**8 - 1)) if channel == "post" else "",
            return_method=ReturnMethod.POST if by_post else ReturnMethod.COUNTER,
            postal_address=applicant.address if by_post else "")
        with time_machine.travel(moment, tick=False):
            dossier = services.receive(receiver, reception)
        fate = made % 8
        if fate == 3:  # a supplement request, answered two days later
            dossier = _supplement(dossier, rng, answered=made % 16 != 3)
        elif fate == 5:  # stopped at the applicant's request
            with time_machine.travel(moment + timedelta(hours=2), tick=False):
                dossier = services.stop(receiver, dossier.pk, dossier.row_version,
                                        "Công dân đề nghị dừng giải quyết để bổ sung thông tin khác")
        if dossier.status not in (Status.STOPPED, Status.AWAITING_SUPPLEMENT):
            pace = 1.6 if fate == 6 else rng.choice([0.4, 0.6, 0.8, 0.9])
            _walk(dossier, now, rng, pace)
        made += 1
        if made % 2 == 0:
            day = wc.next_working_day(cal, day)
    applications = _bundle_applications(rng, now)
    services.scan_for_delays(now)
    if stdout:
        stdout.write(f"Hồ sơ mẫu: {Dossier.objects.count()} hồ sơ, trong đó {applications} hồ sơ liên thông.")


# A one-page PDF, enough for a scan that passes the upload check (content, not name, decides).
DEMO_SCAN = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
             b"endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n"
             b"%%EOF\n")


def _bundle_parts(bundle_code, competent_codes, *, scans):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from motcua.catalog.models import ProcedureBundle
    from motcua.dossiers import bundles
    bundle = ProcedureBundle.objects.filter(code=bundle_code).first()
    if bundle is None:
        return None, []
    parts = []
    for version in bundles.bundle_versions(bundle):
        agency = version.agencies.filter(code__in=competent_codes).first()
        if agency is None or _actor(agency, Role.HANDLER) is None:
            continue
        documents = [services.ReceivedDocument(
            name=d.name, required_id=d.id, originals=d.originals, copies=d.copies,
            upload=SimpleUploadedFile(f"scan-{d.id}.pdf", DEMO_SCAN, "application/pdf") if scans else None)
            for d in version.documents.filter(mandatory=True)]
        parts.append(bundles.BundlePart(procedure_version=version, competent_agency=agency, documents=documents,
                                        fee_amount=version.fee_amount))
    return bundle, parts


def _bundle_applications(rng, now) -> int:
    """A birth bundle received electronically and returned; a death bundle on paper, half-way."""
    from motcua.dossiers import bundles
    from motcua.dossiers.models import BundleMode
    ward_centre = Agency.objects.filter(code=WARD_CENTRE).first()
    if ward_centre is None:
        return 0
    cal = workcal.get_calendar()
    receiver = _actor(ward_centre, Role.RECEIVER)
    made = 0
    for bundle_code, mode, days_ago, finish in (("LT-KS-TT-BHYT", BundleMode.PARALLEL, 12, True),
                                                ("LT-KT-XTT-TT", BundleMode.SEQUENTIAL, 3, False)):
        bundle, parts = _bundle_parts(bundle_code, [WARD_COMMITTEE, "000.00.21.H42"],
                                      scans=mode == BundleMode.PARALLEL)
        parts = parts[:2]  # the registration at the ward and the residence record at the police
        if bundle is None or len(parts) < 2:
            continue
        day = wc.next_working_day(cal, timezone.localdate(now) - timedelta(days=days_ago))
        moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())).replace(hour=8,
                                                                                                          minute=40)
        reception = bundles.BundleReception(bundle=bundle, receiving_agency=ward_centre, applicant=_person(rng),
                                            parts=parts, mode=mode)
        with time_machine.travel(moment, tick=False):
            application = bundles.receive_bundle(receiver, reception)
        # Unfinished: the ward has registered the death and passed the paper on; the police has it now.
        for part in list(bundles.parts_of(application))[:None if finish else 1]:
            _walk(part, now, rng, 0.5, keep_result=True)
        parts = list(bundles.parts_of(application))
        if finish and all(p.finished_at for p in parts):
            application.refresh_from_db()
            returned_at = max(p.finished_at for p in parts) + timedelta(hours=2)
            if returned_at < now:
                with time_machine.travel(returned_at, tick=False):
                    bundles.return_application(receiver, application.pk, application.row_version)
        made += 1
    return made


def _supplement(dossier, rng, answered):
    cal = workcal.get_calendar(dossier.competent_agency)
    moment = wc.add_working_days(cal, dossier.received_at, Decimal("0.2"))
    receiver = _actor(dossier.receiving_agency, Role.RECEIVER)
    with time_machine.travel(moment, tick=False):
        dossier = services.hand_over(receiver, dossier.pk, dossier.row_version)
    step = services.active_steps(dossier).first()
    handler = _actor(step.agency, step.role)
    moment = wc.add_working_days(cal, moment, 1)
    if handler is None or moment > timezone.now():
        return dossier
    with time_machine.travel(moment, tick=False):
        dossier = services.request_supplement(handler, dossier.pk, dossier.row_version,
                                              "Bản sao có chứng thực giấy tờ chứng minh nơi cư trú")
    moment = wc.add_working_days(cal, moment, 2)
    if answered and moment < timezone.now():
        with time_machine.travel(moment, tick=False):
            dossier = services.receive_supplement(
                receiver, dossier.pk, dossier.row_version,
                [services.ReceivedDocument(name="Bản sao có chứng thực giấy tờ chứng minh nơi cư trú", copies=1)])
    return dossier
