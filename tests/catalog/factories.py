"""factory_boy factories for the catalogue (and the few orgs objects it needs)."""
import datetime
from decimal import Decimal

import factory

from motcua.catalog import models
from motcua.orgs.models import AdminUnit, Agency, Role


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = "37"
    name = "Tỉnh Ninh Bình"
    level = AdminUnit.Level.PROVINCE


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.00.{50 + n:02d}.H42")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm số {n}")
    kind = Agency.Kind.DEPARTMENT
    unit = factory.SubFactory(AdminUnitFactory)


def justice_department():
    return AgencyFactory(code="000.00.14.H42", name="Sở Tư pháp", kind=Agency.Kind.DEPARTMENT)


def province_centre():
    return AgencyFactory(code="000.00.01.H42", name="Trung tâm Phục vụ hành chính công tỉnh Ninh Bình",
                         kind=Agency.Kind.SERVICE_CENTRE, address="Số 2 đường Lê Hồng Phong, Phường Hoa Lư")


def commune_committee(nn=1, name="Phường Hoa Lư"):
    unit = AdminUnitFactory(code=f"37{nn:03d}", name=name, level=AdminUnit.Level.COMMUNE,
                            parent=AdminUnitFactory())
    return AgencyFactory(code=f"000.{nn:02d}.30.H42", name=f"Ủy ban nhân dân {name}",
                         kind=Agency.Kind.PEOPLES_COMMITTEE, unit=unit)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Field
        django_get_or_create = ("code",)

    code = "HOTICH"
    name = "Hộ tịch"


class OnlineLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OnlineLevel
        django_get_or_create = ("scheme", "code")

    scheme = "nd42"
    code = "toan_trinh"
    name = "Dịch vụ công trực tuyến toàn trình"
    submit_online = True
    pay_online = True
    result_online = True
    is_full_online = True
    order = 2


def partly_online():
    return OnlineLevelFactory(code="mot_phan", name="Dịch vụ công trực tuyến một phần", submit_online=True,
                              pay_online=False, result_online=False, is_full_online=False, order=1)


def information_only():
    return OnlineLevelFactory(scheme="nd61", code="2", name="Mức độ 2", submit_online=False,
                              pay_online=False, result_online=False, is_full_online=False, order=2)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PublicationDecision

    number = factory.Sequence(lambda n: f"{100 + n}/QĐ-UBND")
    signed_on = datetime.date(2025, 7, 1)
    effective_on = datetime.date(2025, 7, 1)
    issuing_body = "Ủy ban nhân dân tỉnh Ninh Bình"
    summary = "Công bố danh mục thủ tục hành chính"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Procedure

    code = factory.Sequence(lambda n: f"1.{1000 + n:06d}")


class VersionFactory(factory.django.DjangoModelFactory):
    """A draft version with one agency, two documents and a valid 3-step process (unless told otherwise)."""

    class Meta:
        model = models.ProcedureVersion
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory)
    name = "Đăng ký khai sinh"
    field = factory.SubFactory(FieldFactory)
    levels = factory.LazyFunction(lambda: ["province"])
    time_value = Decimal("5")
    fee_amount = 0
    result_name = "Giấy khai sinh"
    legal_basis = "Luật Hộ tịch năm 2014; Nghị định 123/2015/NĐ-CP"
    online_level = factory.SubFactory(OnlineLevelFactory)

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if not create:
            return
        self.agencies.set(extracted if extracted is not None else [justice_department()])

    @factory.post_generation
    def documents(self, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted if extracted is not None else [
            ("Tờ khai đăng ký khai sinh", 1, 0, True),
            ("Giấy chứng sinh", 1, 0, True),
        ]
        for order, (name, originals, copies, mandatory) in enumerate(specs, start=1):
            models.RequiredDocument.objects.create(version=self, order=order, name=name, originals=originals,
                                                   copies=copies, mandatory=mandatory)

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        """``steps=[(name, budget), …]``; default splits the statutory time 1 / rest-1.5 / 0.5."""
        if not create:
            return
        total = Decimal(self.time_value)
        if extracted is None:
            if total >= 2:
                extracted = [("Tiếp nhận, kiểm tra hồ sơ", Decimal("0.5")),
                             ("Thẩm định, giải quyết", total - 1),
                             ("Ký duyệt, trả kết quả", Decimal("0.5"))]
            else:
                extracted = [("Tiếp nhận và giải quyết", total)]
        performers = [models.ProcessStep.Performer.RECEIVING, models.ProcessStep.Performer.COMPETENT,
                      models.ProcessStep.Performer.COMPETENT]
        roles = [Role.RECEIVER, Role.HANDLER, Role.APPROVER]
        for order, (name, budget) in enumerate(extracted, start=1):
            models.ProcessStep.objects.create(
                version=self, order=order, name=name, budget=Decimal(budget),
                performer=performers[min(order - 1, 2)], role=roles[min(order - 1, 2)])


def published(decision=None, **kwargs):
    """A version created with :class:`VersionFactory` and published through the service."""
    from motcua.catalog.services import publish

    version = VersionFactory(**kwargs)
    return publish(version, decision or DecisionFactory())
