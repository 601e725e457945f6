"""Issue #4, citizen side: public lookup from a printed receipt's QR code, and satisfaction rating.

At phone size (360×800): the QR code printed on the receipt is decoded from the rendered form (zxing)
and opened; the code is prefilled and the cursor waits in the 4-digit field; a wrong pair gets the
one generic message; the right pair shows status and due date with no personal data. A returned
dossier is rated online from the lookup, a second rating is refused and nothing changes; at the
desk a receiver opens the counter tablet from the dossier's QR and the citizen rates with the
keyboard only. Every public page passes an axe-core audit (WCAG 2.1 A/AA rules) at 360 px.
"""
import datetime
import io
import random
import re

import pytest
import time_machine
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, login, screenshot, text_of

pytestmark = pytest.mark.e2e

PHONE_SIZE = {"width": PHONE["width"], "height": 800}
TABLET = {"width": 800, "height": 1280}
PROCEDURE_CODE = "2.000505"  # Cấp Phiếu lý lịch tư pháp (demo catalogue)
CENTRE = "000.00.01.H42"     # Trung tâm Phục vụ hành chính công tỉnh
JUSTICE = "000.00.14.H42"    # Sở Tư pháp
APPLICANT = {"name": "Hoàng Thị Thanh Hương", "id_number": "037190004321", "phone": "0983 217 468",
             "email": "huong.hoang@example.vn", "address": "Số 18 đường Lương Văn Tụy, phường Hoa Lư"}
DIGITS = "7468"
PRIVATE = ["Hoàng Thị Thanh Hương", "037190004321", "0983", "217 468", "huong.hoang", "Lương Văn Tụy"]
GENERIC = "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối điện thoại đã nhập"


def _working_morning(days_back):
    from motcua.orgs.models import Agency
    from motcua.workcal import arithmetic as wc
    from motcua.workcal import services as workcal
    workcal.clear_cache()
    cal = workcal.get_calendar(Agency.objects.get(code=JUSTICE))
    day = timezone.localdate()
    while days_back:
        day -= datetime.timedelta(days=1)
        if wc.is_working_day(cal, day):
            days_back -= 1
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def _receive(moment):
    from motcua.catalog import services as catalog
    from motcua.dossiers import services
    from motcua.orgs.models import Agency, User
    version = catalog.current_version(PROCEDURE_CODE)
    docs = [services.ReceivedDocument(name=d.name, required_id=d.id, originals=d.originals, copies=d.copies)
            for d in version.documents.filter(mandatory=True)]
    reception = services.Reception(
        procedure_version=version, receiving_agency=Agency.objects.get(code=CENTRE),
        competent_agency=Agency.objects.get(code=JUSTICE), applicant=services.Applicant(**APPLICANT),
        documents=docs, fee_amount=version.fee_amount)
    with time_machine.travel(moment, tick=False):
        return services.receive(User.objects.get(username="tiepnhan.tinh"), reception)


def returned_dossier():
    """Received nine working days ago and walked through every step to 'returned' by the officials."""
    from motcua.dossiers.demo import _walk
    from motcua.dossiers.models import Dossier, Status
    dossier = _receive(_working_morning(9))
    dossier = _walk(dossier, timezone.now(), random.Random(4), 0.4)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == Status.RETURNED, dossier.status
    return dossier


def decode_receipt_qr(page, dossier):
    """Render the printed receipt as the browser draws it and read its QR code like a phone would."""
    from motcua.forms_print.render import render_html
    from motcua.forms_print.services import receipt_context
    page.set_content(render_html("forms_print/receipt.html", receipt_context(dossier)))
    png = page.locator(".qr img").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert len(found) == 1, "no QR code read on the receipt"
    return found[0].text


def audit(page, name):
    """axe-core on the current page: no violation of the WCAG 2.0/2.1 A and AA rules."""
    results = Axe().run(page, options={"runOnly": {"type": "tag",
                                                   "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def focus_is_visible(page):
    """The focused element (or the label styled for a hidden radio) draws an outline."""
    return page.evaluate("""() => {
        let el = document.activeElement;
        if (el.classList.contains('btn-check')) el = document.querySelector(`label[for="${el.id}"]`);
        const style = getComputedStyle(el);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    }""")


def test_lookup_from_the_receipt_qr_at_phone_size(live_server, demo_data, new_page, settings):
    from motcua.portal.lookup import PUBLIC_EVENTS  # noqa: F401  (the page labels come from there)
    settings.PUBLIC_BASE_URL = live_server.url
    dossier = _receive(_working_morning(1))
    page = new_page(viewport=PHONE_SIZE)

    url = decode_receipt_qr(page, dossier)
    assert url == f"{live_server.url}/tra-cuu/?ma={dossier.code}"
    page.goto(url)
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(dossier.code)
    expect(page.get_by_label("4 số cuối điện thoại người nộp")).to_be_focused()
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert_no_horizontal_overflow(page, PHONE_SIZE["width"])
    audit(page, "lookup form")
    screenshot(page, "lookup-01-qr-prefilled-360")

    # A wrong pair: the one generic message, nothing about the dossier.
    page.get_by_label("4 số cuối điện thoại người nộp").fill("1234")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_contain_text(GENERIC)
    expect(page.get_by_text("Đã tiếp nhận")).to_have_count(0)
    expect(page.get_by_label("Mã hồ sơ")).to_have_value(dossier.code)
    audit(page, "lookup refused")
    screenshot(page, "lookup-02-wrong-pair-360")

    # The right pair, typed with the keyboard only.
    page.get_by_label("4 số cuối điện thoại người nộp").fill("")
    page.get_by_label("4 số cuối điện thoại người nộp").focus()
    page.keyboard.type(DIGITS)
    page.keyboard.press("Enter")
    expect(page.locator("#dossier-status")).to_have_text("Đã tiếp nhận")
    expect(page.locator("#dossier-due")).to_have_text(
        timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y"))
    expect(page.get_by_role("heading", name="Quá trình giải quyết")).to_be_visible()
    body = text_of(page)
    assert "Tiếp nhận hồ sơ" in body and "Sở Tư pháp" in body
    for private in PRIVATE:
        assert private not in body
    assert_no_horizontal_overflow(page, PHONE_SIZE["width"])
    audit(page, "lookup result")
    screenshot(page, "lookup-03-status-360")


def test_citizen_rates_a_returned_dossier_once_at_phone_size(live_server, demo_data, new_page):
    from motcua.portal.models import SatisfactionRating
    dossier = returned_dossier()
    page = new_page(viewport=PHONE_SIZE)
    page.goto(f"{live_server.url}/tra-cuu/?ma={dossier.code}")
    page.get_by_label("4 số cuối điện thoại người nộp").fill(DIGITS)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#dossier-status")).to_have_text("Đã trả kết quả")
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    expect(page.get_by_role("heading", name="Đánh giá mức độ hài lòng")).to_be_visible()
    rating_url = page.url
    audit(page, "rating form")
    assert_no_horizontal_overflow(page, PHONE_SIZE["width"])

    groups = page.get_by_role("group")
    expect(groups).to_have_count(9)  # 7 criteria + feedback (optional) + overall
    for i in range(groups.count()):
        legend = groups.nth(i).locator("legend").inner_text()
        if "phản ánh" in legend:
            continue
        choice = "Không hài lòng" if "Thời gian" in legend else "Rất hài lòng"
        if "Thái độ" in legend:
            continue  # left out on purpose: the form must say so and keep the other answers
        groups.nth(i).get_by_text(choice, exact=True).click()
    page.get_by_label("Ý kiến khác (không bắt buộc)").fill("Trả kết quả chậm hơn hẹn một ngày.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#rating-error")).to_contain_text("Phiếu đánh giá chưa đầy đủ")
    expect(page.locator("#err-conduct")).to_have_text("Vui lòng chọn một mức đánh giá.")
    expect(page.locator("#time-1")).to_be_checked()
    assert not SatisfactionRating.objects.exists()
    screenshot(page, "rating-01-missing-answer-360")

    page.get_by_role("group", name=re.compile("Thái độ")).get_by_text("Hài lòng", exact=True).click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("#rating-done")).to_contain_text("Cảm ơn ông/bà đã đánh giá")
    screenshot(page, "rating-02-thanks-360")
    rating = SatisfactionRating.objects.get()
    assert rating.overall == 3 and rating.scores["time"] == 1 and rating.scores["conduct"] == 2
    assert rating.comment == "Trả kết quả chậm hơn hẹn một ngày." and rating.channel == "online"

    # A second rating (the same link again): refused with a message, nothing changes.
    page.goto(rating_url)
    expect(page.locator("#rating-refusal")).to_contain_text("chỉ được đánh giá một lần")
    expect(page.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)
    screenshot(page, "rating-03-second-refused-360")
    assert SatisfactionRating.objects.count() == 1
    assert SatisfactionRating.objects.get().overall == 3

    # The agency's figures are published without personal data.
    page.goto(f"{live_server.url}/muc-do-hai-long/")
    expect(page.locator("#agency-table")).to_contain_text("Sở Tư pháp")
    expect(page.locator("#agency-table")).to_contain_text("100,0%")
    assert "chậm hơn hẹn" not in text_of(page) and "Hoàng Thị Thanh Hương" not in text_of(page)
    assert_no_horizontal_overflow(page, PHONE_SIZE["width"])
    audit(page, "published satisfaction")
    screenshot(page, "rating-04-published-360")


def test_counter_tablet_opened_from_the_qr_keyboard_only(live_server, demo_data, new_page):
    from motcua.portal.models import SatisfactionRating
    dossier = returned_dossier()
    page = new_page(viewport=TABLET)
    login(page, live_server.url, "tiepnhan.tinh")
    page.goto(f"{live_server.url}/tra-cuu/?ma={dossier.code}")  # the QR, scanned with the tablet
    page.get_by_role("link", name="Mở trang đánh giá tại quầy").click()
    expect(page.get_by_role("heading", name="Mời ông/bà đánh giá mức độ hài lòng")).to_be_visible()
    audit(page, "counter tablet")

    # Keyboard only: Tab into each group, Space picks the first level (Rất hài lòng).
    page.locator("#time-3").focus()
    page.keyboard.press("Space")
    assert focus_is_visible(page)
    for _ in range(8):
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the comment
    page.keyboard.type("Cán bộ hướng dẫn tận tình.")
    page.keyboard.press("Tab")
    assert focus_is_visible(page)
    screenshot(page, "rating-05-counter-tablet")
    page.keyboard.press("Enter")
    expect(page.locator("#rating-done")).to_be_visible()
    rating = SatisfactionRating.objects.get()
    assert rating.channel == "counter" and rating.overall == 3 and set(rating.scores.values()) == {3}
    assert rating.comment == "Cán bộ hướng dẫn tận tình."


@pytest.mark.parametrize("path", ["/", "/thu-tuc/", f"/thu-tuc/{PROCEDURE_CODE}/", "/tra-cuu/", "/muc-do-hai-long/"])
def test_public_pages_pass_the_accessibility_audit_at_360(live_server, demo_data, new_page, path):
    page = new_page(viewport=PHONE_SIZE)
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert_no_horizontal_overflow(page, PHONE_SIZE["width"])
    audit(page, path)
    page.keyboard.press("Tab")
    if path == "/tra-cuu/":  # the code field has the focus on arrival; Tab goes on to the digits
        expect(page.get_by_label("4 số cuối điện thoại người nộp")).to_be_focused()
    else:  # the skip link comes first
        expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_focused()
    assert focus_is_visible(page)
