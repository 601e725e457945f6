"""A small province with one procedure whose process spans the one-stop unit and Sở Tư pháp.

``received_dossier`` is received at 09:00 on Monday 23/11/2026 at the provincial service
centre, so every deadline in these tests is a known date.
"""
import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.catalog.models import Field, ProcedureVersion, Procedure, ProcessStep, RequiredDocument
from motcua.dossiers import services
from motcua.orgs import demo as orgs_demo
from motcua.orgs.models import Agency, User
from motcua.workcal import services as workcal

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def at(*args):
    """An aware moment in Vietnam time: at(2026, 11, 23, 9, 0)."""
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def province(db):
    orgs_demo.load()
    workcal.seed_calendar(2025, 2027)
    workcal.clear_cache()


@pytest.fixture
def users(province):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def agencies(province):
    return {a.code: a for a in Agency.objects.all()}


def make_procedure(agencies, code="2.001417", days=10, name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"):
    field, _ = Field.objects.get_or_create(code="LLTP", defaults={"name": "Lý lịch tư pháp"})
    procedure = Procedure.objects.create(code=code)
    version = ProcedureVersion.objects.create(
        procedure=procedure, name=name, field=field, levels=["province"], time_value=Decimal(days),
        fee_amount=200000, result_name="Phiếu lý lịch tư pháp", result_type_code="LLTP",
        status=ProcedureVersion.Status.PUBLISHED, fee_refundable_on_stop=True)
    justice = agencies["000.00.14.H42"]
    version.agencies.add(justice)
    procedure.current_version = version
    procedure.save()
    RequiredDocument.objects.create(version=version, order=1, name="Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                                    originals=1, copies=0)
    RequiredDocument.objects.create(version=version, order=2, name="Bản chụp Căn cước", originals=0, copies=1)
    RequiredDocument.objects.create(version=version, order=3, name="Giấy ủy quyền", originals=1, mandatory=False)
    budgets = [("Tiếp nhận, chuyển hồ sơ", "receiving", "receiver", "0.5"),
               ("Thẩm định, tra cứu thông tin lý lịch", "competent", "handler", str(days - 2.5)),
               ("Lãnh đạo Sở phê duyệt, ký", "competent", "approver", "1"),
               ("Vào sổ, đóng dấu, phát hành", "competent", "clerk", "0.5"),
               ("Trả kết quả", "receiving", "receiver", "0.5")]
    for order, (step_name, performer, role, budget) in enumerate(budgets, start=1):
        ProcessStep.objects.create(version=version, order=order, name=step_name, performer=performer, role=role,
                                   budget=Decimal(budget))
    return version


@pytest.fixture
def procedure(agencies):
    return make_procedure(agencies)


def reception_for(version, agencies, **overrides):
    docs = [services.ReceivedDocument(name=d.name, required_id=d.id, originals=d.originals, copies=d.copies)
            for d in version.documents.filter(mandatory=True)]
    values = dict(
        procedure_version=version, receiving_agency=agencies["000.00.01.H42"],
        competent_agency=agencies["000.00.14.H42"],
        applicant=services.Applicant(name="Nguyễn Văn An", id_number="037090001234", phone="0912345678",
                                     email="an.nguyen@example.vn", address="Số 5 phố Lê Lợi, phường Hoa Lư"),
        documents=docs, fee_amount=200000)
    values.update(overrides)
    return services.Reception(**values)


@pytest.fixture
def received_dossier(procedure, agencies, users):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies))
