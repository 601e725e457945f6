"""The demo catalogue of Tỉnh Ninh Bình: complete, consistent, and safe to load twice."""
import io
import re
from decimal import Decimal

import pytest
from django.db.models import Count, F

from motcua.catalog import demo
from motcua.catalog.models import (
    Field, OnlineLevel, Procedure, ProcedureBundle, ProcedureVersion, ProcessStep, PublicationDecision,
    RequiredDocument,
)
from motcua.catalog.services import search, validate_process
from motcua.orgs import demo as orgs_demo
from motcua.orgs.models import Agency

Status = ProcedureVersion.Status


def _snapshot():
    """Every row the demo writes, with the columns a user would see change."""
    return {
        "fields": sorted(Field.objects.values_list("code", "name", "is_land_or_housing")),
        "levels": sorted(OnlineLevel.objects.values_list("scheme", "code", "name")),
        "decisions": sorted(PublicationDecision.objects.values_list("id", "number")),
        "procedures": sorted(Procedure.objects.values_list("id", "code", "current_version_id")),
        "versions": sorted(ProcedureVersion.objects.values_list("id", "number", "status", "name",
                                                                "search_text", "time_value")),
        "documents": sorted(RequiredDocument.objects.values_list("id", "version_id", "order", "name")),
        "steps": sorted(ProcessStep.objects.values_list("id", "version_id", "order", "budget", "agency_id")),
        "agencies": sorted(ProcedureVersion.agencies.through.objects.values_list("procedureversion_id",
                                                                                  "agency_id")),
        "bundles": sorted(ProcedureBundle.procedures.through.objects.values_list("procedurebundle_id",
                                                                                  "procedure_id")),
    }


@pytest.fixture
def catalogue(db):
    orgs_demo.load()
    demo.load()
    return _snapshot()


def _current():
    return (ProcedureVersion.objects.filter(status=Status.PUBLISHED, procedure__current_version=F("id"))
            .select_related("procedure", "field", "online_level"))


def test_loading_twice_changes_nothing(catalogue):
    out = io.StringIO()
    summary = demo.load(stdout=out)
    assert _snapshot() == catalogue
    assert summary["missing_agencies"] == []
    assert "thủ tục" in out.getvalue()


def test_catalogue_is_large_and_spans_fields_and_levels(catalogue):
    current = list(_current())
    assert len(current) >= 30
    assert Procedure.objects.filter(current_version__isnull=True).count() == 0
    assert len({v.field_id for v in current}) >= 10
    levels = {level for v in current for level in v.levels}
    assert {"province", "commune"} <= levels
    land_fields = Field.objects.filter(is_land_or_housing=True, versions__status=Status.PUBLISHED).distinct()
    assert land_fields.count() == 2


def test_codes_are_unique_national_codes(catalogue):
    codes = list(Procedure.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[12]\.\d{6}", code) for code in codes), codes


def test_every_process_adds_up_to_the_statutory_time(catalogue):
    for version in ProcedureVersion.objects.prefetch_related("steps"):
        total = sum((s.budget for s in version.steps.all()), Decimal(0))
        assert total == version.time_value, (version.procedure.code, total, version.time_value)
        assert validate_process(version) == [], version.procedure.code
        roles = [s.role for s in version.steps.order_by("order")]
        assert roles[0] == "receiver" and roles[-1] == "receiver"
        assert "approver" in roles


def test_every_version_lists_documents_and_passes_model_validation(catalogue):
    for version in ProcedureVersion.objects.annotate(n=Count("documents")):
        assert 2 <= version.n <= 6, (version.procedure.code, version.n)
        version.clean_fields()
    for row in list(RequiredDocument.objects.all()) + list(ProcessStep.objects.all()):
        row.clean_fields()


def test_both_online_schemes_used_and_about_forty_percent_full_online(catalogue):
    current = list(_current())
    assert {v.online_level.scheme for v in current} == {"muc_do", "qd_2025"}
    assert {v.online_level.code for v in current} == {"2", "3", "4", "toan_trinh", "mot_phan"}
    share = sum(v.online_level.is_full_online for v in current) / len(current)
    assert 0.3 <= share <= 0.5


def test_ensure_online_levels_alone_is_idempotent(db):
    first = demo.ensure_online_levels()
    second = demo.ensure_online_levels()
    assert OnlineLevel.objects.count() == 5
    assert {k: v.pk for k, v in first.items()} == {k: v.pk for k, v in second.items()}
    assert first[("muc_do", "4")].is_full_online and first[("qd_2025", "toan_trinh")].is_full_online
    assert not first[("qd_2025", "mot_phan")].is_full_online and first[("qd_2025", "mot_phan")].submit_online


def test_commune_procedures_are_done_by_every_commune_and_province_ones_by_a_department(catalogue):
    committees = set(Agency.objects.filter(code__regex=r"^000\.\d\d\.30\.H42$")
                     .values_list("code", flat=True))
    assert len(committees) == 12
    kb = _current().get(procedure__code="1.001193")
    assert set(kb.agencies.values_list("code", flat=True)) == committees
    for version in _current():
        assert version.agencies.exists(), version.procedure.code
    lltp = _current().get(procedure__code="2.000505")
    assert list(lltp.agencies.values_list("code", flat=True)) == ["000.00.14.H42"]
    assert lltp.levels == ["province"]


def test_inter_agency_procedures_hand_the_dossier_to_another_agency(catalogue):
    inter = list(_current().filter(inter_agency=True))
    assert len(inter) >= 4
    for version in inter:
        outside = version.steps.filter(performer=ProcessStep.Performer.FIXED, is_inter_agency=True)
        assert outside.exists() and all(s.agency_id for s in outside), version.procedure.code
    land = _current().get(procedure__code="1.012766")
    assert land.field.is_land_or_housing
    assert land.steps.filter(is_inter_agency=True, agency__code="000.00.03.H42").exists()


def test_times_fees_and_supplement_limits_look_real(catalogue):
    by_code = {v.procedure.code: v for v in _current()}
    assert (by_code["2.000505"].time_value, by_code["2.000505"].time_unit) == (10, "working_days")
    assert (by_code["1.009994"].time_value, by_code["1.009994"].time_unit) == (15, "working_days")
    assert by_code["2.000815"].time_unit == "working_hours" and by_code["2.000815"].on_the_spot
    assert any(v.time_unit == "calendar_days" for v in by_code.values())
    assert by_code["2.000635"].fee_amount == 8000 and "8.000 đồng" in by_code["2.000635"].fee_description
    assert by_code["1.009994"].supplement_request_limit_days == 7
    assert sum(v.supplement_request_limit_days == 3 and v.supplement_wait_days == 15
               for v in by_code.values()) >= len(by_code) - 2


def test_bundles_group_birth_and_death_procedures(catalogue):
    birth = ProcedureBundle.objects.get(code="LT-KS-TT-BHYT")
    assert set(birth.procedures.values_list("code", flat=True)) == {"1.001193", "1.004194", "1.011523"}
    death = ProcedureBundle.objects.get(code="LT-KT-XTT-TT")
    assert {"1.000656", "1.004206"} <= set(death.procedures.values_list("code", flat=True))
    assert "khai tử" in death.name


def test_household_business_shows_versioning(catalogue):
    procedure = Procedure.objects.get(code="2.000720")
    v1, v2 = procedure.versions.order_by("number")
    assert (v1.status, v1.levels) == (Status.SUPERSEDED, ["district"])
    assert (v2.status, v2.levels, v2.change) == (Status.PUBLISHED, ["commune"], "amended")
    assert procedure.current_version == v2
    assert v1.decision.signed_on < v2.decision.signed_on


def test_demo_procedures_are_found_without_diacritics(catalogue):
    names = [v.name for v in search("dang ky khai sinh")]
    assert "Đăng ký khai sinh" in names
    assert search(level="commune").count() >= 15


def test_missing_agencies_are_skipped_then_attached_on_a_later_run(db):
    out = io.StringIO()
    summary = demo.load(stdout=out)
    assert "000.00.14.H42" in summary["missing_agencies"]
    assert "000.00.14.H42" in out.getvalue()
    assert not ProcedureVersion.objects.filter(agencies__isnull=False).exists()
    orgs_demo.load()
    summary = demo.load()
    assert summary["missing_agencies"] == []
    assert _current().get(procedure__code="2.000505").agencies.count() == 1
    assert ProcessStep.objects.filter(performer=ProcessStep.Performer.FIXED, agency__isnull=True).count() == 0
