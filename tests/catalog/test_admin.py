import io
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry as AdminLogEntry
from openpyxl import load_workbook

from motcua.catalog.models import ProcedureVersion, PublicationDecision
from motcua.orgs.models import StaffRole
from tests.catalog.factories import DecisionFactory, VersionFactory, justice_department, published
from tests.catalog.test_excel import birth_row, make_workbook, permit_row, setup_orgs  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "qt@example.vn", "x")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_version_page_shows_process_errors(admin_client):
    version = VersionFactory(time_value=Decimal("15"), steps=[("Tiếp nhận", 1), ("Giải quyết", 11)])
    page = admin_client.get(f"/admin/catalog/procedureversion/{version.pk}/change/").content.decode()
    assert "Tổng thời gian các bước (12 ngày làm việc) không bằng thời hạn giải quyết (15 ngày làm việc)." in page


def test_publish_action_asks_for_the_decision_then_publishes(admin_client, superuser):
    version = VersionFactory()
    decision = DecisionFactory(number="88/QĐ-UBND")
    data = {"action": "publish_action", "_selected_action": [version.pk]}
    page = admin_client.post("/admin/catalog/procedureversion/", data)
    assert page.status_code == 200
    assert "Quyết định công bố" in page.content.decode()
    version.refresh_from_db()
    assert version.status == "draft"

    response = admin_client.post("/admin/catalog/procedureversion/", {**data, "apply": "1", "existing": decision.pk})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published" and version.decision == decision
    assert AdminLogEntry.objects.filter(object_id=str(version.pk), user=superuser).exists()


def test_publish_action_with_a_new_decision_and_a_bad_process(admin_client):
    good = VersionFactory(name="Đăng ký khai tử")
    bad = VersionFactory(name="Đăng ký kết hôn", time_value=Decimal("5"), steps=[("Tiếp nhận", 1)])
    response = admin_client.post("/admin/catalog/procedureversion/", {
        "action": "publish_action", "_selected_action": [good.pk, bad.pk], "apply": "1",
        "number": "77/QĐ-UBND", "signed_on": "01/08/2025", "issuing_body": "UBND tỉnh Ninh Bình"}, follow=True)
    page = response.content.decode()
    assert "Tổng thời gian các bước (1 ngày làm việc) không bằng thời hạn giải quyết (5 ngày làm việc)." in page
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.status, bad.status) == ("published", "draft")
    assert good.decision.number == "77/QĐ-UBND"


def test_a_published_version_is_read_only_in_the_admin(admin_client):
    version = published(name="Đăng ký khai sinh")
    page = admin_client.get(f"/admin/catalog/procedureversion/{version.pk}/change/").content.decode()
    assert 'name="name"' not in page
    response = admin_client.post(f"/admin/catalog/procedureversion/{version.pk}/change/", {"name": "Đổi tên"})
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"
    assert response.status_code in (200, 302, 403)


def test_amend_action_creates_a_draft(admin_client):
    version = published()
    admin_client.post("/admin/catalog/procedureversion/", {"action": "amend_action",
                                                           "_selected_action": [version.pk]})
    assert version.procedure.versions.filter(number=2, status="draft").exists()


def test_abolish_action(admin_client):
    version = published()
    admin_client.post("/admin/catalog/procedure/", {
        "action": "abolish_action", "_selected_action": [version.procedure.pk], "apply": "1",
        "existing": DecisionFactory().pk})
    version.procedure.refresh_from_db()
    assert version.procedure.current_version.status == "abolished"


def test_excel_import_view_shows_row_errors_and_imports_nothing(admin_client, setup_orgs):  # noqa: F811
    workbook = make_workbook([birth_row(**{"Thời hạn": "mười"}), permit_row()])
    workbook.name = "danh-muc.xlsx"
    response = admin_client.post("/admin/catalog/procedure/nhap-excel/", {
        "file": workbook, "publish": "on", "number": "1/QĐ-UBND", "signed_on": "01/08/2025",
        "issuing_body": "UBND tỉnh Ninh Bình"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dòng 4, cột Thời hạn giải quyết: &#x27;mười&#x27; không phải là số." in page
    assert ProcedureVersion.objects.count() == 0
    assert PublicationDecision.objects.count() == 0


def test_excel_import_view_imports_a_good_file_and_export_downloads_it(admin_client, setup_orgs):  # noqa: F811
    workbook = make_workbook([birth_row(), permit_row()])
    workbook.name = "danh-muc.xlsx"
    response = admin_client.post("/admin/catalog/procedure/nhap-excel/", {
        "file": workbook, "publish": "on", "number": "1/QĐ-UBND", "signed_on": "01/08/2025",
        "issuing_body": "UBND tỉnh Ninh Bình"}, follow=True)
    assert "Đã nhập 2 thủ tục theo quyết định 1/QĐ-UBND." in response.content.decode()
    assert ProcedureVersion.objects.filter(status="published").count() == 2

    response = admin_client.get("/admin/catalog/procedure/xuat-excel/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["Danh mục TTHC"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["1.001193", "1.009972"]


def test_only_agency_admins_and_superusers_may_import(client, django_user_model):
    staff = django_user_model.objects.create_user("tiepnhan", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/catalog/procedure/nhap-excel/").status_code == 403
    StaffRole.objects.create(user=staff, agency=justice_department(), role="agency_admin")
    assert client.get("/admin/catalog/procedure/nhap-excel/").status_code == 200
