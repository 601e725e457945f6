"""Journey 1 (issue #2): a citizen finds a procedure in the public catalogue and reads what to do."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, screenshot

pytestmark = pytest.mark.e2e


def results(page):
    return page.locator("#results")


def test_citizen_finds_birth_registration_and_reads_how_to_submit(live_server, demo_data, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Cổng dịch vụ công")).to_be_visible()
    screenshot(page, "01-home-desktop")

    # Search without diacritics from the home page.
    page.get_by_label(re.compile("Tìm thủ tục hành chính")).fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"/thu-tuc/\?"))
    expect(results(page).get_by_role("link", name="Đăng ký khai sinh", exact=True)).to_be_visible()
    expect(results(page)).not_to_contain_text("Đăng ký kết hôn")
    screenshot(page, "02-catalogue-search-desktop")

    # Filters: a province-level field has no birth registration; the commune level and "Hộ tịch" do.
    page.get_by_label("Lĩnh vực").select_option(label="Lý lịch tư pháp")
    expect(results(page)).to_contain_text("Không tìm thấy thủ tục nào phù hợp")
    page.get_by_label("Lĩnh vực").select_option(label="Hộ tịch")
    page.get_by_label("Cấp thực hiện").select_option(label="Xã/Phường/Đặc khu")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(results(page).get_by_role("link", name="Đăng ký khai sinh", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"field=HOTICH"))
    expect(page).to_have_url(re.compile(r"level=commune"))
    page.get_by_label("Cấp thực hiện").select_option(label="Tỉnh/Thành phố")
    expect(results(page)).to_contain_text("Không tìm thấy thủ tục nào phù hợp")
    page.get_by_label("Cấp thực hiện").select_option(label="Xã/Phường/Đặc khu")
    expect(results(page).get_by_role("link", name="Đăng ký khai sinh", exact=True)).to_be_visible()
    screenshot(page, "03-catalogue-filtered-desktop")

    # The procedure page: time, fee, documents and how to submit.
    results(page).get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    body = page.locator("main")
    expect(body).to_contain_text("Thời hạn giải quyết")
    expect(body).to_contain_text("Phí, lệ phí")
    expect(body).to_contain_text(re.compile(r"1 ngày làm việc"))
    expect(page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    expect(body.get_by_role("cell", name=re.compile("Tờ khai đăng ký khai sinh theo mẫu"))).to_be_visible()
    expect(body.get_by_role("cell", name=re.compile("Giấy chứng sinh"))).to_be_visible()
    expect(page.get_by_role("heading", name="Nơi nộp hồ sơ và cách thức thực hiện")).to_be_visible()
    expect(body).to_contain_text("Trung tâm Phục vụ hành chính công tỉnh Ninh Bình")
    submit = page.get_by_role("link", name="Nộp hồ sơ trực tuyến", exact=True)
    expect(submit).to_be_visible()
    screenshot(page, "04-procedure-desktop")
    submit.click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/nop-truc-tuyen/$"))
    expect(page.locator("main")).to_contain_text("Đăng ký khai sinh")
    screenshot(page, "05-submit-online-desktop")


def test_catalogue_search_on_a_phone(live_server, demo_data, new_page):
    page = new_page(viewport=PHONE)
    page.goto(live_server.url + "/")
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "11-home-phone")

    page.get_by_label(re.compile("Tìm thủ tục hành chính")).fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    link = results(page).get_by_role("link", name="Đăng ký khai sinh", exact=True)
    expect(link).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "12-catalogue-phone")

    # Typing in the catalogue's own box refreshes the results in place (HTMX), still without diacritics.
    box = page.get_by_label("Từ khóa (tên hoặc mã thủ tục)")
    box.fill("ly lich tu phap")
    expect(results(page).get_by_role("link", name=re.compile("^Cấp Phiếu lý lịch tư pháp"))).to_be_visible()
    expect(results(page)).not_to_contain_text("Đăng ký khai sinh")
    assert_no_horizontal_overflow(page, PHONE["width"])

    box.fill("dang ky khai sinh")
    link = results(page).get_by_role("link", name="Đăng ký khai sinh", exact=True)
    link.click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))
    expect(page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    expect(page.get_by_role("link", name="Nộp hồ sơ trực tuyến", exact=True)).to_be_visible()
    assert_no_horizontal_overflow(page, PHONE["width"])
    screenshot(page, "13-procedure-phone")
