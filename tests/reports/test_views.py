"""The report pages as leaders, inspectors, other officials and the public use them."""
import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.reports import services
from motcua.reports.models import Indicator, Target
from tests.reports.conftest import JUSTICE, NOW, travel

pytestmark = pytest.mark.django_db
NOVEMBER = {"ky": "2026-11"}


@pytest.fixture
def as_user(client, users):
    def login(username):
        client.force_login(users[username])
        return client
    return login


def get(client, name, params=None):
    with travel(NOW):
        return client.get(reverse(name), params or {})


def text(response):
    return response.content.decode()


def test_inspector_dashboard_shows_indicators_against_targets(november, targets, as_user):
    response = get(as_user("thanhtra"), "reports:dashboard", NOVEMBER)
    assert response.status_code == 200
    body = text(response)
    assert "Tỉ lệ hồ sơ giải quyết đúng hạn" in body and "Chỉ tiêu ≥ 95,0 %" in body
    assert "Chưa đạt" in body and "lĩnh vực Đất đai" in body          # the land target (85 %) shown apart
    report = response.context["report"]
    rate = report.total.on_time_rate
    assert f"{rate}".replace(".", ",") + " %" in body
    assert response.context["charts"]["trend"]["labels"][0] == "01/11"   # daily buckets for a month
    # The numbers link to the dossier lists behind them.
    assert reverse("reports:dossiers") + "?ky=2026-11" in body and "chi-so=overdue" in body


def test_leader_sees_only_own_agency_and_is_refused_others(november, as_user, agencies):
    client = as_user("lanhdao.tuphap")
    response = get(client, "reports:dashboard", NOVEMBER)
    assert response.status_code == 200
    assert response.context["selection"].agency.code == JUSTICE
    response = get(client, "reports:table", {"ky": "2026-11", "co-quan": "000.00.12.H42"})
    assert response.status_code == 403
    assert "Bạn không có quyền xem báo cáo của Sở Xây dựng" in text(response)


@pytest.mark.parametrize("username", ["thuly.tuphap", "tiepnhan.tinh"])
def test_officials_without_a_leading_role_cannot_read_reports(november, as_user, username):
    response = get(as_user(username), "reports:dashboard", NOVEMBER)
    assert response.status_code == 403
    assert "Chỉ lãnh đạo, quản trị cơ quan và thanh tra được xem báo cáo" in text(response)


def test_anonymous_visitor_is_sent_to_login(client, november):
    response = get(client, "reports:dashboard")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("params, status, message", [
    ({"ky": "2026-13"}, 400, "Kỳ báo cáo “2026-13” không hợp lệ"),
    ({"tu": "30/11/2026", "den": "01/11/2026"}, 400, "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc"),
    ({"tu": "31/02/2026", "den": "01/03/2026"}, 400, "Ngày bắt đầu “31/02/2026” không hợp lệ"),
    ({"tu": "01/11/2026"}, 400, "Vui lòng ghi cả ngày bắt đầu và ngày kết thúc"),
    ({"ky": "2027"}, 400, "Kỳ báo cáo bắt đầu sau ngày hôm nay (26/11/2026)"),
    ({"ky": "2026", "co-quan": "000.99.99.H42"}, 404, "Không có cơ quan mã “000.99.99.H42”"),
    ({"ky": "2026", "nhom": "tinh"}, 400, "Cách nhóm “tinh” không hợp lệ"),
    ({"ky": "2026", "dinh-dang": "docx"}, 400, "Định dạng “docx” không được hỗ trợ"),
])
def test_bad_input_gets_a_clear_vietnamese_message(november, as_user, params, status, message):
    response = get(as_user("thanhtra"), "reports:table", params)
    assert response.status_code == status
    assert message in text(response)


def test_periodic_report_table_and_its_exports_agree(november, targets, as_user):
    client = as_user("thanhtra")
    response = get(client, "reports:table", {"ky": "2026-11", "nhom": "linh-vuc"})
    assert response.status_code == 200
    report = response.context["report"]
    body = text(response)
    assert "Lý lịch tư pháp" in body and "Đất đai" in body and "Kỳ trước chuyển sang" in body

    from openpyxl import load_workbook
    response = get(client, "reports:table", {"ky": "2026-11", "nhom": "linh-vuc", "dinh-dang": "xlsx"})
    assert response.status_code == 200 and "bao-cao-tthc-toan-tinh-20261101-20261130.xlsx" in \
        response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[3][0] == "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    total_row = next(r for r in values if r[1] == "Tổng cộng")
    assert total_row[2:2 + 4] == [report.total.total, report.total.carried, report.total.received,
                                  report.total.rc_counter]
    assert any(r[1] and str(r[1]).startswith("Tỉ lệ hồ sơ giải quyết đúng hạn") for r in values)

    response = get(client, "reports:table", {"ky": "2026-11", "nhom": "linh-vuc", "dinh-dang": "csv"})
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))
    total = next(r for r in rows if len(r) > 1 and r[1] == "Tổng cộng")
    assert int(total[3]) == report.total.total
    rate_index = 3 + [c.key for c in __import__("motcua.reports.exports", fromlist=["x"]).COLUMNS].index(
        "on_time_rate")
    assert total[rate_index] == f"{report.total.on_time_rate}".replace(".", ",")

    from pypdf import PdfReader
    response = get(client, "reports:table", {"ky": "2026-11", "nhom": "linh-vuc", "dinh-dang": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in pdf_text
    assert "Độc lập - Tự do - Hạnh phúc" in pdf_text and "THỦ TRƯỞNG ĐƠN VỊ" in pdf_text


def test_dossier_list_behind_a_figure_links_to_the_desk_page(november, as_user):
    client = as_user("thanhtra")
    for measure in ("overdue", "f_late", "carried", "stopped"):
        response = get(client, "reports:dossiers", {"ky": "2026-11", "chi-so": measure})
        assert response.status_code == 200
        selection = services.parse_selection(response.wsgi_request.user, NOVEMBER, today=NOW.date())
        expected = list(services.dossiers_for(measure, selection, now=NOW))
        assert expected
        for dossier in expected:
            assert reverse("dossiers:detail", args=[dossier.pk]) in text(response)
    response = get(client, "reports:dossiers", {"ky": "2026-11", "chi-so": "khong-co"})
    assert response.status_code == 400 and "Chỉ số “khong-co” không có trong báo cáo" in text(response)


def test_public_board_shows_rates_without_personal_data(client, november, targets):
    response = get(client, "reports:board", NOVEMBER)
    assert response.status_code == 200
    body = text(response)
    assert "Sở Tư pháp" in body and "Công khai kết quả giải quyết thủ tục hành chính" in body
    assert reverse("portal:satisfaction") in body
    for dossier in Dossier.objects.all():
        assert dossier.applicant_name not in body and (dossier.code or "##") not in body
    row = response.context["rows"][0]
    assert row.on_time_rate is not None and row.on_time_target == Decimal("95.0")


def test_targets_are_data_most_specific_and_latest_year_wins(november, agencies, as_user):
    justice = agencies[JUSTICE]
    Target.objects.create(indicator=Indicator.ON_TIME, year=2025, value=Decimal("90"))
    book = services.TargetBook(2026)
    assert book.get(Indicator.ON_TIME) == Decimal("90")            # no 2026 row: the 2025 one
    Target.objects.create(indicator=Indicator.ON_TIME, year=2026, value=Decimal("95"))
    Target.objects.create(indicator=Indicator.ON_TIME, year=2026, agency=justice, value=Decimal("10"))
    book = services.TargetBook(2026)
    assert book.get(Indicator.ON_TIME) == Decimal("95")
    assert book.get(Indicator.ON_TIME, justice.pk) == Decimal("10")
    response = get(as_user("lanhdao.tuphap"), "reports:dashboard", NOVEMBER)
    on_time = next(a for a in response.context["indicators"] if a.indicator == Indicator.ON_TIME)
    assert on_time.target == Decimal("10") and on_time.met is True


def test_admin_edits_targets(admin_client, agencies):
    response = admin_client.post(reverse("admin:reports_target_add"), {
        "indicator": "online", "year": "2026", "value": "20", "basis": "Kế hoạch 2026"})
    assert response.status_code == 302
    duplicate = admin_client.post(reverse("admin:reports_target_add"), {
        "indicator": "online", "year": "2026", "value": "25"})
    assert "Đã có chỉ tiêu này cho cùng năm, cơ quan và lĩnh vực." in duplicate.content.decode()
    assert admin_client.get(reverse("admin:reports_target_changelist")).status_code == 200


@pytest.mark.parametrize("key, start, end, label", [
    ("2026", "2026-01-01", "2026-12-31", "Năm 2026"),
    ("2026-Q4", "2026-10-01", "2026-12-31", "Quý IV/2026"),
    ("2026-q1", "2026-01-01", "2026-03-31", "Quý I/2026"),
    ("2026-2", "2026-02-01", "2026-02-28", "Tháng 02/2026"),
])
def test_period_keys(key, start, end, label):
    period = services.period_of(key)
    assert (str(period.start), str(period.end), period.label) == (start, end, label)
