"""Issue #6 in a real browser: a leader's dashboard, drill-down to a dossier, the Excel report.

The demo dossiers (six weeks of a provincial centre and a ward, built through the services with the
clock moved) and the demo targets are loaded; the inspector opens the dashboard, sees the indicators
against their targets, drills from the province to an agency, from a figure to the dossiers behind
it and to one dossier's desk page, then downloads the periodic report as Excel — whose total row
equals the figures on screen. The same dashboard is checked on a 360 px phone.
"""
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, login, screenshot, text_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_reports(demo_data):
    from motcua.dossiers import demo as dossiers_demo
    from motcua.reports import demo as reports_demo
    dossiers_demo.load(count=30)
    reports_demo.load()


def _number(text):
    return int(re.sub(r"\D", "", text))


def test_dashboard_drill_down_to_a_dossier_and_excel_download(demo_reports, live_server, new_page):
    from motcua.reports import services
    page = new_page()
    login(page, live_server.url, "thanhtra")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    expect(page.get_by_role("heading", name="Bảng điều hành — kết quả giải quyết thủ tục hành chính")).to_be_visible()
    body = text_of(page)
    assert "Tỉ lệ hồ sơ giải quyết đúng hạn" in body and "Chỉ tiêu ≥ 95,0 %" in body
    assert re.search(r"\b(Đạt|Chưa đạt)\b", body)
    page.wait_for_function("() => document.querySelector('#chart-trend') && "
                           "window.Chart && Chart.getChart(document.querySelector('#chart-trend'))")
    screenshot(page, "reports_dashboard_desktop")

    # Province → agency: the first agency row of the table, then its dashboard by procedure.
    rows = page.locator("section[aria-labelledby='rows-title'] tbody tr")
    agency_link = rows.first.locator("td").first.get_by_role("link")
    agency_name = agency_link.inner_text()
    agency_link.click()
    expect(page.get_by_role("navigation", name="Vị trí")).to_contain_text(agency_name)
    expect(page.locator("#rows-title")).to_contain_text("Thủ tục")
    received_link = page.locator(".mc-summary a", has_text="Mới tiếp nhận")
    shown = _number(received_link.locator("strong").inner_text())
    assert shown > 0
    received_link.click()

    # Figure → the dossiers behind it → one dossier's page on the desk.
    expect(page.get_by_role("heading", name="Hồ sơ tiếp nhận mới trong kỳ")).to_be_visible()
    codes = page.locator("table tbody tr td:first-child a")
    assert codes.count() == min(shown, 50)
    code = codes.first.inner_text()
    codes.first.click()
    page.wait_for_url(re.compile(r"/desk/ho-so/\d+/$"))
    expect(page.locator("body")).to_contain_text(code)

    # The periodic report, downloaded as Excel: its total row is the report on screen.
    page.goto(f"{live_server.url}/bao-cao/tong-hop/?ky={services.timezone.localdate().year}&nhom=co-quan")
    total_cells = page.locator("table.mc-report tbody tr.fw-bold td")
    on_screen_total = _number(total_cells.nth(2).inner_text())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx") and "bao-cao-tthc" in download.suggested_filename
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(open(download.path(), "rb").read())).active
    total_row = next(row for row in ws.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    assert total_row[2] == on_screen_total
    screenshot(page, "reports_table_desktop")


def test_dashboard_and_board_fit_a_phone(demo_reports, live_server, new_page):
    page = new_page(viewport=PHONE)
    login(page, live_server.url, "thanhtra")
    page.goto(f"{live_server.url}/bao-cao/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('#chart-channels'))")
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "reports_dashboard_phone")
    page.goto(f"{live_server.url}/bao-cao/tong-hop/")
    assert_no_horizontal_overflow(page, PHONE["width"])
    public = new_page(viewport=PHONE)
    public.goto(f"{live_server.url}/bao-cao/cong-khai/")
    expect(public.get_by_role("heading", name="Công khai kết quả giải quyết thủ tục hành chính")).to_be_visible()
    assert_no_horizontal_overflow(public, PHONE["width"])
    screenshot(public, "reports_board_phone")
