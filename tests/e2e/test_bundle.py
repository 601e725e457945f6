"""A paper bundle application (nhóm thủ tục liên thông, Đ20) in a real browser.

The receiver of the Phường Hoa Lư centre receives the death bundle for two procedures — the death
registration at the ward and the removal of permanent residence at Công an tỉnh — as one paper
application: one code, one appointment, the receipt and the transfer slip print. The ward registers
the death in the browser; the paper then passes to the police, whose queue shows the second part
with its own processing time, and the citizen's public lookup shows both procedures.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, login, screenshot, text_of
from tests.e2e.test_dossier_lifecycle import act, expect_success

pytestmark = pytest.mark.e2e

WARD_COMMITTEE = "Ủy ban nhân dân phường Hoa Lư"
DEATH = "Đăng ký khai tử"
RESIDENCE = "Xóa đăng ký thường trú"


def _pdf(page, base, link_name):
    link = page.get_by_role("link", name=link_name).first
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200 and response.body()[:5] == b"%PDF-"


def test_paper_bundle_passes_from_the_ward_to_the_police(live_server, demo_data, new_page):
    from motcua.catalog.models import ProcedureBundle
    from motcua.dossiers.models import BundleApplication

    base = live_server.url
    bundle = ProcedureBundle.objects.get(code="LT-KT-XTT-TT")
    receiver = login(new_page(), base, "tiepnhan.hoalu")

    # Reception: the bundle is found without diacritics on the ordinary reception page.
    receiver.goto(f"{base}/desk/tiep-nhan/")
    receiver.get_by_label(re.compile("Tên hoặc mã thủ tục")).fill("lien thong khai tu")
    with receiver.expect_navigation():
        receiver.get_by_role("button", name="Tìm", exact=True).click()
    with receiver.expect_navigation():
        receiver.get_by_role("link", name=bundle.name).click()
    expect(receiver.get_by_role("heading", name="Tiếp nhận hồ sơ liên thông")).to_be_visible()
    receiver.get_by_label("Họ tên người nộp").fill("Lê Văn Thành")
    receiver.get_by_label(re.compile("Số định danh cá nhân")).fill("037085001122")
    receiver.get_by_label("Số điện thoại").fill("0912003344")
    receiver.get_by_label("Địa chỉ", exact=True).fill("Số 12 đường Trần Hưng Đạo, phường Hoa Lư")
    # Only the death registration and the residence removal are asked for this time.
    for block in receiver.locator("fieldset[id^=part_]").all():
        title = block.locator("legend").inner_text()
        include = block.get_by_label("Tiếp nhận thủ tục này")
        if DEATH in title:
            # The ward's own committee is proposed for a commune procedure received at the ward centre.
            expect(block.get_by_label("Cơ quan giải quyết").locator("option:checked")).to_have_text(WARD_COMMITTEE)
        elif RESIDENCE not in title:
            include.uncheck()
    screenshot(receiver, "40-bundle-reception")
    with receiver.expect_navigation():
        receiver.get_by_role("button", name="Tiếp nhận hồ sơ liên thông").click()
    expect_success(receiver, "Đã tiếp nhận hồ sơ liên thông")
    application = BundleApplication.objects.get()
    expect(receiver.get_by_role("heading", level=1)).to_contain_text(application.code)
    assert application.code.startswith("000.01.31.H42-")  # the receiving centre's identifier (Đ28)
    expect(receiver.locator("#application-parts")).to_contain_text("Chờ cơ quan trước chuyển hồ sơ")
    _pdf(receiver, base, "In giấy tiếp nhận và hẹn trả kết quả")
    _pdf(receiver, base, "In phiếu chuyển hồ sơ liên thông")
    with receiver.expect_navigation():
        receiver.get_by_role("button", name="Chuyển hồ sơ đến cơ quan giải quyết").click()
    expect_success(receiver, "Đã chuyển các hồ sơ thành phần")
    screenshot(receiver, "41-bundle-application")

    # The ward registers the death: handler, then the leader approves and issues.
    death_part, residence_part = application.parts.order_by("part_order")
    ward = login(new_page(), base, "thuly.hoalu")
    ward.goto(f"{base}/desk/ho-so/{death_part.pk}/")
    expect(ward.locator("#bundle-banner")).to_contain_text(application.code)
    act(ward, "forward", "Hoàn thành bước, chuyển bước tiếp theo")
    leader = login(new_page(), base, "lanhdao.hoalu")
    leader.goto(f"{base}/desk/ho-so/{death_part.pk}/")
    act(leader, "approve", "Phê duyệt")
    act(leader, "issue_result", "Phát hành kết quả", **{"Số văn bản kết quả": "15/TLKT", "Người ký": "Trịnh Xuân Trường"})
    expect_success(leader, "Đã phát hành kết quả")

    # The paper reached the police: the second part is in its queue with its own deadline.
    police = login(new_page(), base, "thuly.congan")
    police.goto(f"{base}/desk/?scope=unit")
    row = police.get_by_role("row").filter(has_text=residence_part.code)
    expect(row).to_be_visible()
    row.get_by_role("link", name=residence_part.code).click()
    expect(police.locator("#bundle-banner")).to_contain_text("Hồ sơ thành phần 2/2")
    expect(police.locator("main")).to_contain_text("Cơ quan trước chuyển hồ sơ giấy liên thông đến")

    # The citizen looks the application up from a phone with the one code.
    phone = new_page(viewport=PHONE)
    phone.goto(f"{base}/tra-cuu/?ma={application.code}")
    phone.get_by_label("4 số cuối điện thoại người nộp").fill("3344")
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.locator("#application-parts")).to_contain_text(DEATH)
    expect(phone.locator("#application-parts")).to_contain_text(RESIDENCE)
    assert "Lê Văn Thành" not in text_of(phone)
    screenshot(phone, "42-bundle-lookup-phone")
    assert_no_horizontal_overflow(phone, PHONE["width"])
