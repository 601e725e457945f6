from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from motcua.catalog import services
from motcua.catalog.models import ProcedureVersion, ProcessStep
from tests.catalog.factories import (
    AgencyFactory, DecisionFactory, VersionFactory, commune_committee, published,
)

pytestmark = pytest.mark.django_db
Status = ProcedureVersion.Status


# --- validate_process ---

def test_valid_process_has_no_errors():
    assert services.validate_process(VersionFactory(time_value=Decimal("15"))) == []


def test_budget_sum_must_equal_statutory_time():
    version = VersionFactory(time_value=Decimal("15"), steps=[("Tiếp nhận", 1), ("Giải quyết", 11)])
    assert services.validate_process(version) == [
        "Tổng thời gian các bước (12 ngày làm việc) không bằng thời hạn giải quyết (15 ngày làm việc)."]


def test_budget_message_uses_the_version_unit_and_decimal_comma():
    version = VersionFactory(time_value=Decimal("8"), time_unit="working_hours",
                             steps=[("Tiếp nhận", "0.5"), ("Giải quyết", 4)])
    assert services.validate_process(version) == [
        "Tổng thời gian các bước (4,5 giờ làm việc) không bằng thời hạn giải quyết (8 giờ làm việc)."]


def test_process_without_steps_is_refused():
    assert services.validate_process(VersionFactory(steps=[])) == ["Quy trình nội bộ chưa có bước nào."]


def test_step_orders_must_run_from_one_without_gaps():
    version = VersionFactory(time_value=Decimal("5"), steps=[("A", 2), ("B", 3)])
    version.steps.filter(order=2).update(order=4)
    assert services.validate_process(version) == [
        "Thứ tự các bước phải liên tục từ 1 đến 2 (hiện có: 1, 4)."]


def test_negative_budget_is_refused():
    version = VersionFactory(time_value=Decimal("5"), steps=[("Tiếp nhận", -1), ("Giải quyết", 6)])
    assert services.validate_process(version) == [
        "Bước 1 (Tiếp nhận): thời gian thực hiện không được âm."]


def test_designated_agency_step_must_name_the_agency():
    version = VersionFactory(time_value=Decimal("5"), steps=[("Xác minh tại Công an", 5)])
    version.steps.update(performer=ProcessStep.Performer.FIXED)
    assert services.validate_process(version) == [
        "Bước 1 (Xác minh tại Công an) do cơ quan được chỉ định thực hiện nhưng chưa chọn cơ quan."]
    version.steps.update(agency=AgencyFactory(name="Công an tỉnh Ninh Bình"))
    assert services.validate_process(version) == []


# --- publish / supersede / abolish ---

def test_publish_makes_the_version_current_and_audits_it(django_user_model):
    user = django_user_model.objects.create_user("admin1", full_name="Nguyễn Văn Quản")
    version = VersionFactory()
    decision = DecisionFactory(number="1234/QĐ-UBND")
    services.publish(version, decision, user=user)
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED
    assert version.decision == decision
    assert version.procedure.current_version == version
    entry = LogEntry.objects.get_for_object(version).filter(additional_data__event="publish").get()
    assert entry.actor == user
    assert entry.changes_dict == {"status": ["draft", "published"]}
    assert entry.additional_data["decision"] == "1234/QĐ-UBND"


def test_publish_refuses_an_invalid_process_and_changes_nothing():
    version = VersionFactory(time_value=Decimal("15"), steps=[("Tiếp nhận", 1), ("Giải quyết", 11)])
    decision = DecisionFactory.build()
    with pytest.raises(ValidationError) as exc:
        services.publish(version, decision)
    assert exc.value.messages == [
        "Tổng thời gian các bước (12 ngày làm việc) không bằng thời hạn giải quyết (15 ngày làm việc)."]
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert version.procedure.current_version is None
    assert decision.pk is None


def test_publish_refuses_a_version_without_agency():
    version = VersionFactory(agencies=[])
    with pytest.raises(ValidationError) as exc:
        services.publish(version, DecisionFactory())
    assert "Chưa chọn cơ quan thực hiện thủ tục." in exc.value.messages


def test_amendment_supersedes_and_old_version_keeps_its_content():
    first = published(name="Đăng ký khai sinh", fee_amount=0)
    draft = services.new_version_from(first)
    assert (draft.number, draft.status, draft.change) == (2, Status.DRAFT, "amended")
    assert [d.name for d in draft.documents.all()] == [d.name for d in first.documents.all()]
    assert [(s.order, s.budget) for s in draft.steps.all()] == [(s.order, s.budget) for s in first.steps.all()]
    assert list(draft.agencies.all()) == list(first.agencies.all())
    draft.fee_amount = 8000
    draft.save()
    services.publish(draft, DecisionFactory())
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert first.fee_amount == 0 and first.documents.count() == 2  # what was received under it keeps it
    assert draft.status == Status.PUBLISHED
    assert draft.procedure.current_version == draft
    assert list(services.search("khai sinh")) == [draft]
    assert LogEntry.objects.get_for_object(first).filter(additional_data__event="supersede").exists()


def test_a_published_version_cannot_be_published_again():
    version = published()
    with pytest.raises(ValidationError) as exc:
        services.publish(version, DecisionFactory())
    assert "Chỉ công bố được phiên bản dự thảo" in exc.value.messages[0]


def test_abolish_removes_the_procedure_from_public_search_but_keeps_it():
    version = published(name="Cấp bản sao trích lục hộ tịch")
    abolition = services.abolish(version.procedure, DecisionFactory(number="99/QĐ-UBND"))
    version.refresh_from_db()
    assert abolition.status == Status.ABOLISHED
    assert abolition.procedure.current_version == abolition
    assert version.status == Status.SUPERSEDED
    assert list(services.search("trich luc")) == []
    assert list(services.search("trich luc", include_abolished=True)) == [abolition]
    assert LogEntry.objects.get_for_object(abolition).filter(additional_data__event="abolish").exists()


def test_cannot_abolish_twice_or_before_publication():
    version = published()
    services.abolish(version.procedure, DecisionFactory())
    with pytest.raises(ValidationError):
        services.abolish(version.procedure, DecisionFactory())
    draft = VersionFactory()
    with pytest.raises(ValidationError):
        services.abolish(draft.procedure, DecisionFactory())


def test_republishing_after_abolition_brings_the_procedure_back():
    version = published(name="Đăng ký kết hôn")
    abolition = services.abolish(version.procedure, DecisionFactory())
    revived = services.new_version_from(abolition, change="new")
    services.publish(revived, DecisionFactory())
    abolition.refresh_from_db()
    assert abolition.status == Status.SUPERSEDED
    assert list(services.search("ket hon")) == [revived]


# --- search ---

def test_search_ignores_diacritics_case_and_word_order():
    birth = published(name="Đăng ký khai sinh")
    published(name="Đăng ký kết hôn")
    published(name="Cấp giấy phép xây dựng", field__code="XAYDUNG", field__name="Hoạt động xây dựng")
    assert list(services.search("dang ky khai sinh")) == [birth]
    assert list(services.search("ĐĂNG KÝ KHAI SINH")) == [birth]
    assert list(services.search("khai sinh DANG")) == [birth]
    assert {v.name for v in services.search("DANG KY")} == {"Đăng ký khai sinh", "Đăng ký kết hôn"}
    assert {v.name for v in services.search("đăng")} == {"Đăng ký khai sinh", "Đăng ký kết hôn"}
    assert list(services.search("khai tu")) == []


def test_search_by_code_prefix():
    version = published(procedure__code="1.001193.000.00.00.H42", name="Đăng ký khai tử")
    published(procedure__code="2.000528", name="Đăng ký khai sinh")
    assert list(services.search("1.001193")) == [version]
    assert list(services.search("1.001193.000.00.00.h42")) == [version]


def test_search_lists_only_current_published_versions():
    published(name="Đăng ký khai sinh")
    VersionFactory(name="Đăng ký khai sinh có yếu tố nước ngoài")  # draft: not public
    assert [v.name for v in services.search("khai sinh")] == ["Đăng ký khai sinh"]


def test_search_filters():
    commune = commune_committee()
    birth = published(name="Đăng ký khai sinh", levels=["commune"], agencies=[commune])
    permit = published(name="Cấp giấy phép xây dựng", field__code="XAYDUNG", field__name="Hoạt động xây dựng",
                       levels=["province"], online_level__code="mot_phan",
                       online_level__name="Một phần")
    assert list(services.search(field="XAYDUNG")) == [permit]
    assert list(services.search(level="commune")) == [birth]
    assert list(services.search(level="province")) == [permit]
    assert list(services.search(agency=commune.code)) == [birth]
    assert list(services.search(online_level="mot_phan")) == [permit]
    assert list(services.search("khai sinh", level="province")) == []


@pytest.mark.parametrize("kwargs, param", [
    ({"field": "KHONGCO"}, "field"), ({"agency": "000.99.99.H42"}, "agency"),
    ({"level": "bo"}, "level"), ({"online_level": "9"}, "online_level"),
])
def test_unknown_filter_values_are_refused_in_vietnamese(kwargs, param):
    with pytest.raises(services.InvalidFilter) as exc:
        services.search(**kwargs)
    assert exc.value.param == param
    assert exc.value.messages[0].startswith(("Không có", "Cấp thực hiện"))
