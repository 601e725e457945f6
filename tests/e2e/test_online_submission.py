"""Issue #4, at phone size (360×800): register → verify by SMS code → submit online with uploads (a
renamed program is refused first) → the receiver accepts at the desk → the result is issued → the
citizen sees it and downloads the electronic result. A second journey: the receiver returns the
submission with reasons, the citizen fixes it and resubmits."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_no_horizontal_overflow, login, screenshot, text_of

pytestmark = pytest.mark.e2e

PHONE_TALL = {"width": 360, "height": 800}
PROCEDURE = "2.000505"  # Cấp Phiếu lý lịch tư pháp: toàn trình, Sở Tư pháp, provincial centre
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
PASSWORD = "HoaLu@2026!"


def sms_code(settings, phone):
    lines = [line for line in settings.SMS_OUTBOX.read_text(encoding="utf-8").splitlines() if f"\t{phone}\t" in line]
    return re.search(r"Cổng dịch vụ công: (\d{6})", lines[-1]).group(1)


def register(page, base, *, name, id_number, phone, email, settings):
    page.goto(f"{base}/")
    page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("link", name="Đăng ký", exact=True).click()
    page.wait_for_url(re.compile("/tai-khoan/dang-ky/"))
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Số định danh cá nhân (12 số)").fill(id_number)
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Số điện thoại di động").fill(phone)
    page.get_by_label("Địa chỉ liên hệ").fill("Số 12 đường Trần Hưng Đạo, phường Hoa Lư, tỉnh Ninh Bình")
    page.get_by_label("Mật khẩu (ít nhất 8 ký tự").fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    assert_no_horizontal_overflow(page, PHONE_TALL["width"])
    screenshot(page, "portal-01-register-phone")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    page.wait_for_url(re.compile("/tai-khoan/xac-minh/$"))
    expect(page.locator("main")).to_contain_text("chưa được xác minh")
    page.get_by_label("Mã xác minh gồm 6 chữ số").fill(sms_code(settings, phone))
    screenshot(page, "portal-02-verify-phone")
    page.get_by_role("button", name="Xác minh số điện thoại").click()
    page.wait_for_url(re.compile("/ho-so-cua-toi/$"))
    expect(page.locator("main")).to_contain_text("Đã xác minh số điện thoại")


def start_submission(page, base):
    page.goto(f"{base}/thu-tuc/{PROCEDURE}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến", exact=True).first.click()
    page.wait_for_url(re.compile(r"/nop-truc-tuyen/$"))
    page.get_by_role("button", name="Bắt đầu nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/nop-truc-tuyen/\d+/$"))


def file(name, data, mime):
    return {"name": name, "mimeType": mime, "buffer": data}


@pytest.fixture
def huey_immediate():
    """The sandbox's signed notification is delivered by a job: run it at once, as the worker would."""
    from huey.contrib.djhuey import HUEY
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def test_register_submit_accept_result_download(live_server, demo_data, new_page, settings, huey_immediate):
    base = live_server.url
    page = new_page(viewport=PHONE_TALL)
    register(page, base, name="Phạm Thị Hồng Nhung", id_number="037190012345", phone="0915678901",
             email="nhung.pham@example.vn", settings=settings)

    start_submission(page, base)
    main = page.locator("main")
    # Prefilled from the account.
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Phạm Thị Hồng Nhung")
    expect(page.get_by_label("Số định danh cá nhân (12 số) / mã số thuế")).to_have_value("037190012345")
    expect(page.get_by_label("Nơi tiếp nhận hồ sơ và trả kết quả")).to_have_value(re.compile(r"\d+"))
    assert_no_horizontal_overflow(page, PHONE_TALL["width"])
    screenshot(page, "portal-03-draft-phone")

    # A program renamed .pdf is refused with a message naming the file; nothing is saved.
    page.get_by_label("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp").set_input_files(
        file("to-khai.pdf", EXE, "application/pdf"))
    page.get_by_label("Bản chụp Thẻ căn cước").set_input_files(file("can-cuoc.png", PNG, "image/png"))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(main).to_contain_text("“to-khai.pdf”: Chỉ chấp nhận tệp PDF, JPEG hoặc PNG")
    expect(main).to_contain_text("chưa lưu thay đổi nào")
    expect(main).not_to_contain_text("Đã tải lên")
    assert_no_horizontal_overflow(page, PHONE_TALL["width"])
    screenshot(page, "portal-04-bad-file-phone")
    from motcua.portal.models import DraftFile
    assert not DraftFile.objects.exists()

    # Save a draft with one file, come back, add the other and submit.
    page.get_by_label("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp").set_input_files(
        file("to-khai.pdf", PDF, "application/pdf"))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(main).to_contain_text("Đã lưu hồ sơ nháp")
    expect(main).to_contain_text("Đã tải lên: to-khai.pdf")
    page.goto(f"{base}/ho-so-cua-toi/")
    page.get_by_role("link", name=re.compile("Cấp Phiếu lý lịch tư pháp")).click()
    page.get_by_label("Bản chụp Thẻ căn cước").set_input_files(file("can-cuoc.png", PNG, "image/png"))
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/\d+/bien-nhan/$"))
    expect(main).to_contain_text("Biên nhận nộp hồ sơ trực tuyến")
    expect(main).to_contain_text("Trung tâm Phục vụ hành chính công tỉnh Ninh Bình")
    dossier_id = int(re.search(r"/ho-so-cua-toi/(\d+)/", page.url).group(1))
    assert_no_horizontal_overflow(page, PHONE_TALL["width"])
    screenshot(page, "portal-05-receipt-phone")
    from motcua.dossiers.models import Dossier, Notification
    assert Notification.objects.filter(dossier_id=dossier_id, channel="email",
                                       recipient="nhung.pham@example.vn").exists()

    # The fee (200.000 đồng, toàn trình) is paid in the sandbox gateway from the dossier page.
    page.goto(f"{base}/ho-so-cua-toi/{dossier_id}/")
    page.get_by_role("link", name="Thanh toán phí, lệ phí").click()
    page.get_by_role("button", name="Thanh toán 200.000 đồng").click()
    page.wait_for_url(re.compile(r"/sandbox-thanh-toan/\?"))
    screenshot(page, "portal-05b-sandbox-phone")
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    page.wait_for_url(re.compile(rf"/thanh-toan/ho-so/{dossier_id}/$"))
    expect(page.get_by_text("Thanh toán thành công 200.000 đồng")).to_be_visible()
    assert Dossier.objects.get(pk=dossier_id).fee_paid_at is not None

    # The receiver of the provincial centre accepts it at the desk (on a phone too).
    desk = new_page(viewport=PHONE_TALL)
    login(desk, base, "tiepnhan.tinh")
    desk.goto(f"{base}/desk/")
    desk.get_by_role("link", name="Hồ sơ trực tuyến chờ tiếp nhận").click()
    desk.get_by_role("link", name=str(dossier_id), exact=True).click()
    expect(desk.locator("main")).to_contain_text("Phạm Thị Hồng Nhung")
    expect(desk.get_by_role("link", name="Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp")).to_be_visible()
    screenshot(desk, "portal-06-desk-review-phone")
    desk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    desk.wait_for_url(re.compile(rf"/desk/ho-so/{dossier_id}/$"))
    expect(desk.locator("main")).to_contain_text("Đã tiếp nhận hồ sơ trực tuyến 000.00.14.H42-")
    screenshot(desk, "portal-07-desk-accepted-phone")
    dossier = Dossier.objects.get(pk=dossier_id)
    assert dossier.status == "received" and dossier.code and dossier.legal_due_at

    # The departments process it and the clerk issues the result with its electronic copy.
    from motcua.portal.submission_demo import advance
    advance(dossier, None, "result_ready", "PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1")

    page.goto(f"{base}/ho-so-cua-toi/")
    expect(main).to_contain_text(dossier.code)
    expect(main).to_contain_text("Có kết quả, chờ trả")
    page.get_by_role("link", name=dossier.code).click()
    expect(main).to_contain_text("Hồ sơ đã được tiếp nhận")
    expect(main).to_contain_text("Đã có kết quả giải quyết")
    assert_no_horizontal_overflow(page, PHONE_TALL["width"])
    screenshot(page, "portal-08-result-phone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản điện tử của kết quả").click()
    path = download.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"
    # Nobody else can fetch it.
    stranger = new_page(viewport=PHONE)
    stranger.goto(f"{base}/ho-so-cua-toi/{dossier_id}/ket-qua/")
    assert "/dang-nhap/" in stranger.url

    # The receiver hands the result back; the applicant rates the service once, from her dossier.
    advance(Dossier.objects.get(pk=dossier_id), None, "returned")
    page.goto(f"{base}/ho-so-cua-toi/{dossier_id}/")
    expect(main).to_contain_text("Đã trả kết quả")
    page.get_by_role("link", name="Đánh giá", exact=True).click()
    page.wait_for_url(re.compile(r"/danh-gia/"))
    for fieldset in page.locator("form.mc-rating fieldset").all():
        fieldset.locator("label", has_text="Rất hài lòng").click()
    assert_no_horizontal_overflow(page, PHONE_TALL["width"])
    screenshot(page, "portal-09-rate-phone")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn ông/bà đã đánh giá.")).to_be_visible()
    page.goto(f"{base}/ho-so-cua-toi/{dossier_id}/")
    expect(main).to_contain_text("Bạn đã đánh giá hồ sơ này")
    from motcua.portal.models import SatisfactionRating
    assert SatisfactionRating.objects.get(dossier_id=dossier_id).overall == 3


def test_returned_submission_is_fixed_and_resubmitted(live_server, demo_data, new_page, settings):
    base = live_server.url
    page = new_page(viewport=PHONE_TALL)
    register(page, base, name="Vũ Đức Thịnh", id_number="037095054321", phone="0916111222",
             email="thinh.vu@example.vn", settings=settings)
    start_submission(page, base)
    page.get_by_label("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp").set_input_files(file("tk.pdf", PDF, "application/pdf"))
    page.get_by_label("Bản chụp Thẻ căn cước").set_input_files(file("cc.png", PNG, "image/png"))
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/bien-nhan/$"))
    dossier_id = int(re.search(r"/ho-so-cua-toi/(\d+)/", page.url).group(1))

    desk = new_page()
    login(desk, base, "tiepnhan.tinh")
    desk.goto(f"{base}/desk/truc-tuyen/{dossier_id}/")
    stale_tab = new_page()
    login(stale_tab, base, "tiepnhan.tinh2")
    stale_tab.goto(f"{base}/desk/truc-tuyen/{dossier_id}/")
    desk.get_by_label("Nội dung người nộp cần sửa, bổ sung").fill("Ảnh căn cước bị mờ, vui lòng chụp lại rõ nét.")
    desk.get_by_role("button", name="Trả lại để hoàn thiện").click()
    expect(desk.locator("main")).to_contain_text(f"Đã trả lại hồ sơ số {dossier_id}")
    # A colleague's older tab tries to accept it: refused, nothing changes.
    stale_tab.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(stale_tab.locator("main")).to_contain_text("vừa được người khác cập nhật")
    screenshot(stale_tab, "portal-10-desk-stale")
    from motcua.dossiers.models import Dossier
    assert Dossier.objects.get(pk=dossier_id).status == "returned_online"

    page.goto(f"{base}/ho-so-cua-toi/{dossier_id}/")
    main = page.locator("main")
    expect(main).to_contain_text("Ảnh căn cước bị mờ")
    screenshot(page, "portal-11-returned-phone")
    page.get_by_role("link", name="Sửa và nộp lại").click()
    page.get_by_label("Bản chụp Thẻ căn cước").set_input_files(file("cc-ro.png", PNG, "image/png"))
    page.get_by_role("button", name="Nộp lại hồ sơ").click()
    page.wait_for_url(re.compile(r"/bien-nhan/$"))
    assert Dossier.objects.get(pk=dossier_id).status == "submitted_online"
    page.goto(f"{base}/ho-so-cua-toi/{dossier_id}/")
    assert "Nộp lại hồ sơ đã hoàn thiện" in text_of(page)
