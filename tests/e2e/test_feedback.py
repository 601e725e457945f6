"""Feedback (phản ánh, kiến nghị) in a real browser, issue #5.

A citizen on a 360 px phone sends a feedback about a procedure, confirms the phone number with the
SMS code (delivered by the huey job to the SMS outbox), and gets a tracking code; the receiver of the
provincial centre routes it to Sở Tư pháp; the handler answers; the answer appears on the public page,
found without diacritics, without the sender's name.
"""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, login, screenshot, text_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def immediate_jobs(settings):
    """Run huey jobs at once (as the worker would), so the SMS really reaches the outbox."""
    from huey.contrib.djhuey import HUEY
    before = HUEY.immediate
    HUEY.immediate = True
    yield settings.SMS_OUTBOX
    HUEY.immediate = before


@pytest.fixture
def categories(demo_data):
    from motcua.feedback.defaults import ensure_categories
    from motcua.feedback.models import Category
    ensure_categories(Category)


def sms_code(outbox, code):
    lines = [line for line in outbox.read_text(encoding="utf-8").splitlines() if code in line]
    return re.search(r": (\d{6}) ", lines[-1]).group(1)


def test_citizen_sends_official_answers_public_sees(live_server, categories, immediate_jobs, new_page):
    base = live_server.url

    # ---- 1. The citizen, on a phone.
    citizen = new_page(viewport={"width": 360, "height": 800})
    citizen.goto(f"{base}/")
    citizen.get_by_role("button", name="Mở menu").click()
    citizen.get_by_role("link", name="Phản ánh, kiến nghị").click()
    citizen.get_by_role("link", name="Gửi phản ánh, kiến nghị").click()
    expect(citizen.get_by_role("heading", name="Gửi phản ánh, kiến nghị")).to_be_visible()
    expect(citizen.get_by_label("Mã hồ sơ")).to_be_hidden()  # shown only for feedback about a dossier
    citizen.get_by_label("Loại phản ánh, kiến nghị").select_option(label="Quy định, thủ tục hành chính không phù hợp")
    citizen.get_by_label(re.compile("^Thủ tục hành chính liên quan")).fill("ly lich tu phap")
    citizen.get_by_label("Tiêu đề").fill("Đề nghị bỏ yêu cầu bản sao sổ hộ khẩu")
    citizen.get_by_label(re.compile("^Nội dung phản ánh")).fill(
        "Khi xin Phiếu lý lịch tư pháp tôi vẫn bị yêu cầu nộp bản sao sổ hộ khẩu, dù sổ hộ khẩu đã hết giá trị "
        "từ năm 2023. Đề nghị bỏ yêu cầu này.")
    citizen.get_by_label(re.compile("^Họ và tên")).fill("Trần Thị Bích Ngọc")
    citizen.get_by_label("Số điện thoại").fill("0912 345 678")
    assert_no_horizontal_overflow(citizen, 360)
    screenshot(citizen, "feedback-1-send-360")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi phản ánh").click()

    expect(citizen.get_by_role("heading", name="Xác thực thông tin liên hệ")).to_be_visible()
    code = re.search(r"PAKN-\d{6}-\d{4}", text_of(citizen)).group(0)
    expect(citizen.get_by_text("091****678")).to_be_visible()
    citizen.get_by_label("Mã xác thực (6 chữ số)").fill(sms_code(immediate_jobs, code))
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Xác thực", exact=True).click()
    expect(citizen.get_by_role("heading", name="Phản ánh, kiến nghị đã được tiếp nhận")).to_be_visible()
    expect(citizen.get_by_test_id("tracking-code")).to_have_text(code)
    assert_no_horizontal_overflow(citizen, 360)
    screenshot(citizen, "feedback-2-received-360")

    # ---- 2. The receiver of the provincial centre routes it (desktop).
    receiver = login(new_page(), base, "tiepnhan.tinh")
    receiver.goto(f"{base}/phan-anh/quan-ly/")
    receiver.get_by_role("link", name=code).click()
    expect(receiver.get_by_role("heading", level=1)).to_contain_text("Đã tiếp nhận, chờ phân loại")
    expect(receiver.get_by_text("Đề xuất: Sở Tư pháp")).to_be_visible()  # the procedure's agency
    receiver.get_by_label("Cơ quan xử lý, trả lời").select_option(label="Sở Tư pháp")
    with receiver.expect_navigation():
        receiver.get_by_role("button", name="Chuyển xử lý").click()
    expect(receiver.get_by_role("alert").filter(has_text="Đã chuyển phản ánh")).to_be_visible()
    expect(receiver.get_by_role("heading", level=1)).to_contain_text("Đang xử lý")
    expect(receiver.get_by_test_id("due-at")).to_have_text(re.compile(r"\d\d:\d\d \d\d/\d\d/\d{4}"))
    screenshot(receiver, "feedback-3-routed-desk")

    # ---- 3. The handler of Sở Tư pháp answers.
    handler = login(new_page(), base, "thuly.tuphap")
    handler.goto(f"{base}/phan-anh/quan-ly/")
    handler.get_by_role("link", name=code).click()
    handler.get_by_label("Nội dung trả lời").fill(
        "Sở Tư pháp tiếp thu kiến nghị. Từ nay bộ phận một cửa không yêu cầu bản sao sổ hộ khẩu khi cấp Phiếu "
        "lý lịch tư pháp; thông tin cư trú được khai thác từ Cơ sở dữ liệu quốc gia về dân cư.")
    expect(handler.get_by_label(re.compile("^Công khai câu trả lời"))).to_be_checked()
    with handler.expect_navigation():
        handler.get_by_role("button", name="Gửi câu trả lời").click()
    expect(handler.get_by_role("alert").filter(has_text="Đã trả lời phản ánh")).to_be_visible()
    expect(handler.get_by_role("heading", level=1)).to_contain_text("Đã trả lời")
    screenshot(handler, "feedback-4-answered-desk")

    # ---- 4. Anyone finds the answer on the public page, typing without diacritics.
    public = new_page(viewport={"width": 360, "height": 800})
    public.goto(f"{base}/phan-anh/")
    public.get_by_label("Từ khóa").fill("so ho khau")
    with public.expect_navigation():
        public.get_by_role("button", name="Tìm", exact=True).click()
    public.get_by_role("link", name="Đề nghị bỏ yêu cầu bản sao sổ hộ khẩu").click()
    expect(public.get_by_role("heading", name=re.compile("^Trả lời của Sở Tư pháp"))).to_be_visible()
    body = text_of(public)
    assert "Cơ sở dữ liệu quốc gia về dân cư" in body
    assert "Người gửi đề nghị không công khai danh tính" in body and "Trần Thị Bích Ngọc" not in body
    assert_no_horizontal_overflow(public, 360)
    screenshot(public, "feedback-5-public-answer-360")

    # ---- 5. The citizen follows it with the code and the last digits of the phone.
    citizen.goto(f"{base}/phan-anh/tra-cuu/")
    citizen.get_by_label("Mã phản ánh").fill(code)
    citizen.get_by_label(re.compile("^4 số cuối")).fill("5678")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.get_by_text("Đã trả lời", exact=True)).to_be_visible()
    expect(citizen.get_by_role("heading", name="Trả lời", exact=True)).to_be_visible()
    screenshot(citizen, "feedback-6-track-360")
