import pytest
from auditlog.models import LogEntry

from motcua.orgs import demo, services
from motcua.orgs.models import AdminUnit, Agency, Role, StaffRole, User


@pytest.fixture
def province(db):
    demo.load()


def test_demo_province_has_departments_communes_centre_and_every_role(province):
    assert Agency.objects.filter(kind=Agency.Kind.DEPARTMENT).count() >= 8
    assert AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).count() >= 12
    assert Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, unit__level="province").exists()
    assert set(StaffRole.objects.values_list("role", flat=True)) == set(Role.values)


def test_demo_load_is_idempotent(province):
    counts = (Agency.objects.count(), User.objects.count(), StaffRole.objects.count())
    demo.load()
    assert (Agency.objects.count(), User.objects.count(), StaffRole.objects.count()) == counts


def test_unit_tree_has_any_depth_and_keeps_abolished_districts(province):
    district = AdminUnit.objects.get(level=AdminUnit.Level.DISTRICT)
    assert not district.is_active and district.abolished_on.year == 2025
    ward = AdminUnit.objects.get(name="Phường Hoa Lư")
    assert [u.name for u in ward.ancestors()] == ["Tỉnh Ninh Bình"]


def test_official_acts_only_within_own_agencies(province):
    handler = User.objects.get(username="thuly.tuphap")
    justice = Agency.objects.get(code="000.00.14.H42")
    construction = Agency.objects.get(code="000.00.12.H42")
    assert services.can_act(handler, justice, Role.HANDLER)
    assert not services.can_act(handler, justice, Role.APPROVER)
    assert not services.can_act(handler, construction, Role.HANDLER)
    assert not services.can_read(handler, construction)


def test_role_in_parent_agency_covers_its_internal_units(province):
    land_office = Agency.objects.get(code="000.01.10.H42")
    department = Agency.objects.get(code="000.00.10.H42")
    official = User.objects.create(username="gd.nnmt")
    StaffRole.objects.create(user=official, agency=department, role=Role.APPROVER)
    assert services.can_act(official, land_office, Role.APPROVER)
    assert land_office.id in services.agency_ids_for(official)


def test_inspector_reads_everywhere_but_acts_nowhere(province):
    inspector = User.objects.get(username="thanhtra")
    construction = Agency.objects.get(code="000.00.12.H42")
    assert services.can_read(inspector, construction)
    assert not services.can_act(inspector, construction, Role.HANDLER)
    assert services.readable_agencies(inspector).count() == Agency.objects.count()


def test_role_changes_are_audited(province):
    user = User.objects.get(username="thuly.xaydung")
    role = StaffRole.objects.create(user=user, agency=Agency.objects.get(code="000.00.14.H42"), role=Role.HANDLER)
    assert LogEntry.objects.get_for_object(role).filter(action=LogEntry.Action.CREATE).exists()


def test_admin_pages_are_vietnamese(province, client):
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/admin/orgs/agency/").content.decode()
    assert "Sở Tư pháp" in page and "cơ quan" in page.lower()
