"""Journey 2 and 3 (issue #8): the one-stop desk in a real browser.

A receiver at the commune centre of Phường Hoa Lư receives a provincial procedure (Cấp Phiếu lý lịch
tư pháp, competent agency Sở Tư pháp, with a verification step at Công an tỉnh) — reception
regardless of administrative boundary — and the dossier walks through two agencies.

The live server runs on real time, so the parts that need time to have passed use dossiers built
*in the past* through the service layer under time_machine before the browser looks at them:

* dossier A: received in the browser now (code, appointment, receipt PDF, hand-over, handler's queue);
* dossier B: received two working days ago; supplement requested and recorded in the browser, so the
  legal clock visibly restarts (a new due date on the page), then forwarded to Công an tỉnh;
* dossier C: received and supplemented a fortnight ago, stuck at Công an tỉnh past its step deadline;
  the apology job drafts the letter, then everything else happens in the browser: the leader
  approves the apology, the receiver sets the new appointment (a stale second tab is refused),
  both agencies finish, the leader approves, the clerk issues, the receiver returns the result.
"""
import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, login, screenshot, text_of

pytestmark = pytest.mark.e2e

PROCEDURE_CODE = "2.000505"  # Cấp Phiếu lý lịch tư pháp (demo catalogue), 10 working days
CENTRE_HOALU = "000.01.31.H42"  # Trung tâm phục vụ hành chính công phường Hoa Lư (commune level)
JUSTICE = "000.00.14.H42"  # Sở Tư pháp (province level): competent agency, its code starts the dossier code
POLICE = "000.00.21.H42"  # Công an tỉnh: the verification step
STALE = "vừa được người khác cập nhật"


# ---------------------------------------------------------------- helpers


def users():
    from motcua.orgs.models import User
    return {u.username: u for u in User.objects.all()}


def version():
    from motcua.catalog import services as catalog
    return catalog.current_version(PROCEDURE_CODE)


def working_morning(days_back):
    """09:00 (Vietnam time) on the ``days_back``-th working day before today."""
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


def receive_in_the_past(moment, name, id_number):
    """Receive a complete dossier at the Hoa Lư centre at ``moment`` and hand it over an hour later."""
    from motcua.dossiers import services
    from motcua.orgs.models import Agency

    v = version()
    docs = [services.ReceivedDocument(name=d.name, required_id=d.id, originals=d.originals, copies=d.copies)
            for d in v.documents.filter(mandatory=True)]
    reception = services.Reception(
        procedure_version=v, receiving_agency=Agency.objects.get(code=CENTRE_HOALU),
        competent_agency=Agency.objects.get(code=JUSTICE),
        applicant=services.Applicant(name=name, id_number=id_number, phone="0912345678",
                                     address="Số 12 đường Trần Hưng Đạo, phường Hoa Lư, tỉnh Ninh Bình"),
        documents=docs, fee_amount=v.fee_amount)
    receiver = users()["tiepnhan.hoalu"]
    with time_machine.travel(moment, tick=False):
        dossier = services.receive(receiver, reception)
    with time_machine.travel(moment + datetime.timedelta(hours=1), tick=False):
        dossier = services.hand_over(receiver, dossier.pk, dossier.row_version)
    return dossier


def detail_url(base, dossier):
    return f"{base}/desk/ho-so/{dossier.pk}/"


def panel(page, action):
    return page.locator(f"#action-{action}")


def act(page, action, button, **fields):
    """Fill the action panel's fields (by label) and press its button; wait for the page to reload."""
    box = panel(page, action)
    for label, value in fields.items():
        box.get_by_label(label).fill(value)
    with page.expect_navigation():
        box.get_by_role("button", name=button).click()


def dd(page, term):
    """The value shown next to a <dt> term on the dossier page."""
    return page.locator("dt", has_text=term).first.locator("xpath=following-sibling::dd[1]")


def expect_status(page, label):
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)


def expect_success(page, text):
    expect(page.get_by_role("alert").filter(has_text=text).first).to_be_visible()


# ---------------------------------------------------------------- the journey


def test_dossier_through_two_agencies_with_supplement_apology_and_extension(live_server, demo_data, new_page):
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier, Status

    base = live_server.url
    receiver = login(new_page(), base, "tiepnhan.hoalu")
    handler = login(new_page(), base, "thuly.tuphap")

    # ---- A. Counter reception at a commune centre of a provincial procedure (phi địa giới).
    receiver.goto(f"{base}/desk/")
    receiver.get_by_role("link", name="Tiếp nhận hồ sơ mới").click()
    receiver.get_by_label(re.compile("Tên hoặc mã thủ tục")).fill("ly lich tu phap")
    # Wait for each page: the live search (HTMX) may still swap the results while the form submits.
    with receiver.expect_navigation():
        receiver.get_by_role("button", name="Tìm", exact=True).click()
    result = receiver.get_by_role("link", name=re.compile("^Cấp Phiếu lý lịch tư pháp"))
    with receiver.expect_navigation():
        result.click()
    expect(receiver.get_by_role("heading", name="Tiếp nhận hồ sơ")).to_be_visible()
    expect(receiver.get_by_label("Nơi tiếp nhận")).to_have_value(
        str(_agency_pk(CENTRE_HOALU)))
    expect(receiver.get_by_label("Cơ quan giải quyết")).to_have_value(str(_agency_pk(JUSTICE)))
    receiver.get_by_label("Họ tên người nộp").fill("Phạm Thị Hương")
    receiver.get_by_label(re.compile("Số định danh cá nhân")).fill("037190004567")
    receiver.get_by_label("Số điện thoại").fill("0987654321")
    receiver.get_by_label("Địa chỉ", exact=True).fill("Thôn Yên Trạch, xã Gia Viễn, tỉnh Ninh Bình")
    screenshot(receiver, "21-desk-reception-form")
    with receiver.expect_navigation():
        receiver.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()

    today = timezone.localdate()
    code_pattern = rf"{re.escape(JUSTICE)}-{today:%y%m%d}-\d{{4}}"
    message = receiver.get_by_role("alert").filter(has_text="Đã tiếp nhận hồ sơ")
    expect(message).to_contain_text(re.compile(code_pattern))
    expect(message).to_contain_text(re.compile(r"Hẹn trả kết quả: \d\d:\d\d \d\d/\d\d/\d{4}"))
    code_a = re.search(code_pattern, message.inner_text()).group(0)
    dossier_a = Dossier.objects.get(code=code_a)
    expect(receiver.get_by_role("heading", level=1)).to_contain_text(code_a)
    expect_status(receiver, "Đã tiếp nhận")
    expect(dd(receiver, "Nơi tiếp nhận")).to_contain_text("phường Hoa Lư")
    expect(dd(receiver, "Cơ quan giải quyết")).to_have_text("Sở Tư pháp")
    appointment = timezone.localtime(dossier_a.appointment_at).strftime("%H:%M %d/%m/%Y")
    expect(dd(receiver, "Hẹn trả kết quả")).to_have_text(appointment)
    screenshot(receiver, "22-desk-dossier-received")

    # Journey 3: the receipt and appointment slip prints as a PDF.
    receipt = receiver.get_by_role("link", name="In giấy tiếp nhận và hẹn trả kết quả").first
    response = receiver.request.get(base + receipt.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body()[:5] == b"%PDF-"

    act(receiver, "hand_over", "Chuyển hồ sơ đến cơ quan giải quyết")
    expect_success(receiver, f"Đã chuyển hồ sơ {code_a} đến cơ quan giải quyết.")
    expect_status(receiver, "Đang giải quyết")

    # The Sở Tư pháp handler finds it in the work queue.
    handler.goto(f"{base}/desk/")
    row = handler.get_by_role("row").filter(has_text=code_a)
    expect(row).to_contain_text("Phạm Thị Hương")
    expect(row).to_contain_text("Sở Tư pháp")
    screenshot(handler, "23-desk-queue-handler")
    row.get_by_role("link", name=code_a).click()
    expect(handler.get_by_role("heading", level=1)).to_contain_text(code_a)
    expect(panel(handler, "forward")).to_be_visible()

    # ---- B. Received two working days ago: supplement once, the clock restarts from zero.
    dossier_b = receive_in_the_past(working_morning(2), "Lê Văn Bình", "037085002345")
    old_due = timezone.localtime(dossier_b.legal_due_at).strftime("%H:%M %d/%m/%Y")
    handler.goto(detail_url(base, dossier_b))
    expect(dd(handler, "Hạn giải quyết theo quy định")).to_have_text(old_due)
    act(handler, "request_supplement", "Yêu cầu bổ sung, hoàn thiện hồ sơ",
        **{"Giấy tờ, nội dung cần bổ sung (mỗi dòng một mục)":
           "Bản chụp Căn cước công dân còn hiệu lực (bản đã nộp bị mờ, không đọc được số định danh)"})
    expect_success(handler, "Đã yêu cầu bổ sung hồ sơ")
    expect_status(handler, "Chờ bổ sung hồ sơ")
    expect(handler.get_by_role("link", name="In phiếu yêu cầu bổ sung")).to_be_visible()
    expect(panel(handler, "request_supplement")).to_have_count(0)  # only once

    receiver.goto(detail_url(base, dossier_b))
    expect_status(receiver, "Chờ bổ sung hồ sơ")
    expect(dd(receiver, "Nội dung cần bổ sung")).to_contain_text("Bản chụp Căn cước công dân")
    act(receiver, "receive_supplement", "Nhận hồ sơ bổ sung",
        **{"Giấy tờ bổ sung đã nhận (mỗi dòng một giấy tờ)": "Bản chụp Căn cước công dân (bản rõ nét)"})
    expect_success(receiver, "thời hạn giải quyết được tính lại từ đầu")
    expect_status(receiver, "Đang giải quyết")
    dossier_b = Dossier.objects.get(pk=dossier_b.pk)  # FSM status: no refresh_from_db
    new_due = timezone.localtime(dossier_b.legal_due_at).strftime("%H:%M %d/%m/%Y")
    assert dossier_b.legal_due_at > timezone.now() and new_due != old_due
    expect(dd(receiver, "Hạn giải quyết theo quy định")).to_have_text(new_due)
    expect(receiver.locator("main")).to_contain_text("thời hạn giải quyết được tính lại từ đầu")
    expect(receiver.locator("main")).to_contain_text("bổ sung")
    screenshot(receiver, "24-desk-supplement-restart")

    handler.goto(detail_url(base, dossier_b))
    act(handler, "forward", "Hoàn thành bước, chuyển bước tiếp theo",
        **{"Ý kiến xử lý": "Đã tra cứu cơ sở dữ liệu; đề nghị Công an tỉnh xác minh án tích."})
    expect_success(handler, "chuyển hồ sơ")
    police_row = handler.get_by_role("row").filter(has_text="Tra cứu, xác minh thông tin về án tích")
    expect(police_row).to_contain_text("Công an tỉnh Ninh Bình")
    expect(police_row).to_contain_text("Đang xử lý")

    # ---- C. Built in the past: received, supplement requested and received, forwarded to Công an
    # tỉnh, whose 5-day verification step is now overdue. The apology job drafts the letter.
    start = working_morning(12)
    dossier_c = receive_in_the_past(start, "Trần Quốc Toản", "037080003456")
    u = users()
    with time_machine.travel(working_morning(11), tick=False):
        dossier_c = services.request_supplement(u["thuly.tuphap"], dossier_c.pk, dossier_c.row_version,
                                                "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp có chữ ký của người yêu cầu")
    with time_machine.travel(working_morning(8), tick=False):
        dossier_c = services.receive_supplement(
            u["tiepnhan.hoalu"], dossier_c.pk, dossier_c.row_version,
            [services.ReceivedDocument(name="Tờ khai có chữ ký", originals=1)])
    with time_machine.travel(working_morning(8) + datetime.timedelta(hours=2), tick=False):
        dossier_c = services.forward(u["thuly.tuphap"], dossier_c.pk, dossier_c.row_version,
                                     "Đề nghị Công an tỉnh xác minh.")
    drafted = services.scan_for_delays()
    assert dossier_c.code in drafted
    assert services.scan_for_delays() == []  # idempotent
    dossier_c = Dossier.objects.get(pk=dossier_c.pk)  # FSM status: no refresh_from_db
    first_appointment = dossier_c.appointment_at
    proposed = timezone.localtime(dossier_c.apology.proposed_due_at).strftime("%H:%M %d/%m/%Y")

    police = login(new_page(), base, "thuly.congan")
    police.goto(f"{base}/desk/")
    alert = police.get_by_role("link", name=re.compile(rf"Hồ sơ {re.escape(dossier_c.code)} có nguy cơ trễ hạn")).first
    expect(alert).to_be_visible()
    overdue_row = police.get_by_role("row").filter(has_text=dossier_c.code)
    expect(overdue_row).to_contain_text("quá hạn")
    screenshot(police, "25-desk-queue-police-alert")
    alert.click()
    expect(police.get_by_role("heading", name="Văn bản xin lỗi và đề nghị gia hạn")).to_be_visible()
    expect(dd(police, "Tình trạng")).to_contain_text(re.compile("dự thảo", re.I))
    expect(dd(police, "Đề nghị hẹn lại")).to_have_text(proposed)
    act(police, "approve_apology", "Duyệt văn bản xin lỗi")
    expect_success(police, "Đã duyệt văn bản xin lỗi")

    # The receiver sets the new appointment; a second tab with the old form is refused (stale).
    receiver.goto(detail_url(base, dossier_c))
    second_tab = receiver.context.new_page()
    second_tab.goto(detail_url(base, dossier_c))
    expect(panel(second_tab, "apply_extension")).to_be_visible()
    act(receiver, "apply_extension", "Hẹn lại ngày trả kết quả với người nộp")
    expect_success(receiver, "Đã hẹn lại ngày trả kết quả")
    expect(dd(receiver, "Hẹn trả kết quả")).to_have_text(proposed)
    expect(dd(receiver, "Số lần gia hạn")).to_have_text("1")
    apology_pdf = receiver.get_by_role("link", name="In văn bản xin lỗi, đề nghị gia hạn")
    response = receiver.request.get(base + apology_pdf.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"].startswith("application/pdf")
    act(second_tab, "apply_extension", "Hẹn lại ngày trả kết quả với người nộp")
    expect(second_tab.get_by_role("alert").filter(has_text=STALE)).to_be_visible()
    expect(dd(second_tab, "Số lần gia hạn")).to_have_text("1")
    expect(panel(second_tab, "apply_extension")).to_have_count(0)
    screenshot(second_tab, "26-desk-stale-refused")
    second_tab.close()
    dossier_c = Dossier.objects.get(pk=dossier_c.pk)  # FSM status: no refresh_from_db
    assert dossier_c.extension_count == 1 and dossier_c.appointment_at > first_appointment

    # Công an tỉnh finishes its (late) step, Sở Tư pháp completes, approves, issues.
    police.goto(detail_url(base, dossier_c))
    act(police, "forward", "Hoàn thành bước, chuyển bước tiếp theo",
        **{"Ý kiến xử lý": "Không có án tích."})
    late_row = police.get_by_role("row").filter(has_text="Tra cứu, xác minh thông tin về án tích")
    expect(late_row).to_contain_text("Trễ hạn")

    handler.goto(f"{base}/desk/")
    handler.get_by_role("row").filter(has_text=dossier_c.code).get_by_role("link", name=dossier_c.code).click()
    act(handler, "forward", "Hoàn thành bước, chuyển bước tiếp theo",
        **{"Ý kiến xử lý": "Đã lập Phiếu lý lịch tư pháp số 1, trình lãnh đạo ký."})

    leader = login(new_page(), base, "lanhdao.tuphap")
    leader.goto(detail_url(base, dossier_c))
    act(leader, "approve", "Phê duyệt", **{"Ý kiến xử lý": "Đồng ý."})
    expect_success(leader, f"Đã phê duyệt hồ sơ {dossier_c.code}.")
    expect_status(leader, "Đã phê duyệt")

    clerk = login(new_page(), base, "vanthu.tuphap")
    clerk.goto(detail_url(base, dossier_c))
    act(clerk, "issue_result", "Phát hành kết quả",
        **{"Số văn bản kết quả": "1234/LLTP-STP", "Người ký": "Đỗ Quang Vinh"})
    expect_success(clerk, f"Đã phát hành kết quả hồ sơ {dossier_c.code}.")
    expect_status(clerk, "Có kết quả, chờ trả")
    expect(clerk.locator("main")).to_contain_text("Văn bản số 1234/LLTP-STP")

    receiver.goto(detail_url(base, dossier_c))
    act(receiver, "return_result", "Trả kết quả cho người nộp")
    expect_success(receiver, f"Đã trả kết quả hồ sơ {dossier_c.code}.")
    expect_status(receiver, "Đã trả kết quả")

    timeline = receiver.locator("section", has=receiver.get_by_role("heading", name="Nhật ký xử lý"))
    for label in ["Tiếp nhận hồ sơ", "Chuyển hồ sơ đến cơ quan giải quyết", "Yêu cầu bổ sung, hoàn thiện hồ sơ",
                  "Nhận hồ sơ bổ sung — tính lại thời hạn", "Hoàn thành bước, chuyển bước tiếp theo",
                  "Lập dự thảo văn bản xin lỗi, đề nghị gia hạn", "Lãnh đạo duyệt văn bản xin lỗi",
                  "Hẹn lại ngày trả kết quả", "Phê duyệt", "Phát hành kết quả", "Trả kết quả"]:
        expect(timeline.get_by_text(label, exact=True).first).to_be_visible()
    page_text = text_of(receiver)
    for name in ["Trần Minh Khoa", "Lê Thị Hồng Nhung", "Đặng Văn Hùng", "Đỗ Quang Vinh", "Hoàng Thị Lan"]:
        assert name in page_text, f"{name} missing from the timeline"
    dossier_c = Dossier.objects.get(pk=dossier_c.pk)  # FSM status: no refresh_from_db
    assert dossier_c.status == Status.RETURNED
    screenshot(receiver, "27-desk-dossier-returned")

    control = receiver.get_by_role("link", name="In phiếu kiểm soát quá trình giải quyết")
    response = receiver.request.get(base + control.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"].startswith("application/pdf")

    # The desk on a phone (360 px): the same dossier page, nothing wider than the screen.
    phone = login(new_page(viewport=PHONE), base, "tiepnhan.hoalu")
    phone.goto(detail_url(base, dossier_c))
    expect(phone.get_by_role("heading", level=1)).to_contain_text(dossier_c.code)
    screenshot(phone, "28-desk-dossier-phone")
    assert_no_horizontal_overflow(phone, PHONE["width"])


def _agency_pk(code):
    from motcua.orgs.models import Agency
    return Agency.objects.get(code=code).pk
