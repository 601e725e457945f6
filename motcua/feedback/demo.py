"""Demo feedback: a few weeks of phản ánh, kiến nghị in every state, through the real services.

Each item is sent, verified (with the SMS code that was sent), triaged and answered with the
clock moved to the moment it happened (time-machine), so codes, deadlines, reminders and the
on-time results are what the system would have produced. A demo Open311 API key is created
with the raw key ``DEMO_API_KEY`` (README).
"""
import datetime
import re
from decimal import Decimal

import time_machine
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.feedback import services
from motcua.feedback.defaults import ensure_categories
from motcua.feedback.models import ApiKey, Category, Feedback, Notification, Status
from motcua.orgs.models import Agency, User
from motcua.workcal import arithmetic as wc
from motcua.workcal import services as workcal

DEMO_API_KEY = "demo-open311-ninhbinh-2025"
CENTRE = "000.00.01.H42"


def _working(days_back: int, hour: int, minute: int = 0) -> datetime.datetime:
    """``hour``:``minute`` on the ``days_back``-th working day before today (Vietnam time)."""
    cal = workcal.get_calendar()
    day = timezone.localdate()
    while days_back:
        day -= datetime.timedelta(days=1)
        if wc.is_working_day(cal, day):
            days_back -= 1
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _user(name):
    return User.objects.get(username=name)


def _agency(code):
    return Agency.objects.get(code=code)


def _fresh(feedback):
    return Feedback.objects.get(pk=feedback.pk)


def _send(moment, verify=True, **fields):
    with time_machine.travel(moment, tick=False):
        feedback = services.submit(services.Submission(**fields))
        if verify and feedback.status == Status.UNVERIFIED:
            row = Notification.objects.filter(feedback=feedback, kind="verification").latest("id")
            if row.channel == "sms":
                services.verify_code(feedback.code, re.search(r": (\d{6}) ", row.body).group(1))
            else:
                services.verify_link(feedback.code, row.body.split("?t=")[1].split()[0])
    return _fresh(feedback)


def _route(moment, feedback, agency_code, receiver="tiepnhan.tinh", **kwargs):
    with time_machine.travel(moment, tick=False):
        return services.route(_user(receiver), feedback.pk, _fresh(feedback).row_version, _agency(agency_code),
                              **kwargs)


def _answer(moment, feedback, who, text, publish=True):
    with time_machine.travel(moment, tick=False):
        return services.answer(_user(who), feedback.pk, _fresh(feedback).row_version, text, publish=publish)


def load(stdout=None):
    ensure_categories(Category)
    if Feedback.objects.exists():
        return
    category = {c.code: c for c in Category.objects.all()}
    Category.objects.filter(code="DVCT").update(default_agency=_agency(CENTRE))
    key, _raw = services.issue_api_key("Ứng dụng Ninh Bình Smart (thử nghiệm)", contact="Sở Khoa học và Công nghệ",
                                       trusted_contacts=True, raw=DEMO_API_KEY)
    lltp = Procedure.objects.filter(code="2.000505").first()

    # 1. Answered on time and published, the sender agreed to publish the name; a duplicate merged into it.
    first = _send(_working(24, 8, 40), category=category["QDHC"], procedure=lltp.code if lltp else "",
                  title="Đề nghị bỏ yêu cầu nộp bản sao sổ hộ khẩu khi xin Phiếu lý lịch tư pháp",
                  description="Khi nộp hồ sơ cấp Phiếu lý lịch tư pháp số 1, tôi được hướng dẫn phải nộp bản sao sổ "
                              "hộ khẩu. Sổ hộ khẩu đã hết giá trị sử dụng từ 01/01/2023; đề nghị Sở Tư pháp bỏ yêu "
                              "cầu này và khai thác thông tin cư trú từ Cơ sở dữ liệu quốc gia về dân cư.",
                  sender_name="Nguyễn Văn Hùng", sender_phone="0912468135", address="Phường Hoa Lư, tỉnh Ninh Bình",
                  publish_identity=True)
    duplicate = _send(_working(23, 15, 10), category=category["QDHC"],
                      description="Bộ phận một cửa vẫn đòi bản sao sổ hộ khẩu khi làm lý lịch tư pháp, trong khi sổ "
                                  "hộ khẩu không còn dùng nữa. Đề nghị xem xét.",
                      sender_name="Phạm Thị Hồng", sender_phone="0983217654")
    first = _route(_working(23, 9, 30), first, "000.00.14.H42")
    with time_machine.travel(_working(22, 8, 15), tick=False):
        services.merge(_user("tiepnhan.tinh"), duplicate.pk, _fresh(duplicate).row_version, first.code,
                       note="Cùng nội dung yêu cầu sổ hộ khẩu.")
    _answer(_working(18, 10, 0), first, "thuly.tuphap",
            "Sở Tư pháp tiếp thu kiến nghị của ông. Theo Luật Cư trú 2020, sổ hộ khẩu không còn giá trị sử dụng từ "
            "01/01/2023; thông tin cư trú được khai thác từ Cơ sở dữ liệu quốc gia về dân cư. Sở đã có văn bản chấn "
            "chỉnh, yêu cầu bộ phận một cửa không yêu cầu người dân nộp bản sao sổ hộ khẩu khi cấp Phiếu lý lịch "
            "tư pháp. Xin cảm ơn ông đã phản ánh.")

    # 2. Answered and published, identity not published (the phone in the text is hidden on the portal).
    notice = _send(_working(20, 14, 5), category=category["CKTT"],
                   title="Bảng niêm yết thủ tục đăng ký khai sinh tại phường đã cũ",
                   description="Bảng niêm yết thủ tục đăng ký khai sinh tại bộ phận một cửa phường Hoa Lư vẫn ghi lệ "
                               "phí và thành phần hồ sơ theo quy định cũ. Tôi ở số 0915 246 810, mong được liên hệ "
                               "khi đã cập nhật.",
                   sender_name="Lê Thị Thu Trang", sender_phone="0915246810")
    notice = _route(_working(19, 8, 45), notice, "000.01.30.H42")
    _answer(_working(16, 16, 20), notice, "thuly.hoalu",
            "UBND phường Hoa Lư đã thay bảng niêm yết thủ tục đăng ký khai sinh theo Quyết định công bố mới nhất của "
            "Chủ tịch UBND tỉnh và bổ sung mã QR dẫn tới trang thủ tục trên Cổng dịch vụ công. Cảm ơn bà đã phản ánh.")

    # 3. About a dossier, answered late (published).
    dossier = (Dossier.objects.filter(code__isnull=False, competent_agency__code="000.00.12.H42")
               .order_by("received_at").first())
    if dossier is not None:
        late = _send(_working(15, 9, 20), category=category["HSTH"], dossier_code=dossier.code,
                     title="Hồ sơ quá hẹn nhưng không được thông báo",
                     description=f"Hồ sơ {dossier.code} của tôi đã quá ngày hẹn trả kết quả nhưng tôi không nhận được "
                                 "văn bản xin lỗi, hẹn lại. Đề nghị cơ quan giải quyết cho biết lý do và thời gian "
                                 "trả kết quả.",
                     sender_name="Đỗ Minh Tuấn", sender_phone="0936112233")
        receiver = "tiepnhan.hoalu" if late.receiving_agency.code == "000.01.31.H42" else "tiepnhan.tinh"
        late = _route(_working(14, 10, 0), late, "000.00.12.H42", receiver=receiver)
        _answer(_working(6, 15, 0), late, "thuly.xaydung",
                "Sở Xây dựng xin lỗi ông vì chậm trả lời. Hồ sơ phải xin ý kiến thẩm định của cơ quan chuyên môn nên "
                "kéo dài; Sở đã nhắc nhở chuyên viên thụ lý về việc phải lập văn bản xin lỗi và hẹn lại theo Điều 19 "
                "Nghị định 118/2025/NĐ-CP.")

    # 4. About an official's conduct, routed and now overdue (flagged by the deadline watch).
    overdue = _send(_working(17, 10, 30), category=category["CBCC"], concerned_agency=_agency("000.00.12.H42"),
                    official_name="Cán bộ quầy số 5",
                    title="Cán bộ quầy số 5 hướng dẫn không đầy đủ, thiếu niềm nở",
                    description="Ngày nộp hồ sơ cấp giấy phép xây dựng, cán bộ quầy số 5 trả lời cộc lốc, không hướng "
                                "dẫn các giấy tờ còn thiếu nên tôi phải đi lại ba lần.",
                    sender_name="Vũ Thị Lan Anh", sender_email="lananh.vu@example.vn", sender_phone="")
    _route(_working(16, 9, 0), overdue, "000.00.12.H42")

    # 5. Rejected as out of scope.
    outside = _send(_working(12, 11, 0), category=category["KHAC"], title="Tranh chấp lối đi chung với hàng xóm",
                    description="Nhà bên cạnh xây tường lấn sang lối đi chung của hai gia đình ở xóm 3. Đề nghị "
                                "chính quyền giải quyết.",
                    sender_name="Bùi Văn Long", sender_phone="0967554433")
    with time_machine.travel(_working(11, 9, 0), tick=False):
        services.reject(_user("tiepnhan.tinh"), outside.pk, _fresh(outside).row_version,
                        "Nội dung là tranh chấp đất đai giữa các hộ gia đình, không phải phản ánh về quy định hành "
                        "chính hay việc giải quyết thủ tục hành chính. Đề nghị ông gửi đơn đến UBND xã, phường nơi có "
                        "đất để được hòa giải theo Luật Đất đai 2024.")

    # 6. Forwarded by the land registration office up to its department.
    land = _send(_working(9, 14, 0), category=category["QDHC"], title="Thời gian đăng ký biến động đất đai quá dài",
                 description="Thủ tục đăng ký biến động khi chuyển nhượng quyền sử dụng đất phải chờ lâu vì phải xin "
                             "ý kiến nhiều nơi; đề nghị rút ngắn thời gian và cho phép nộp trực tuyến toàn trình.",
                 sender_name="Hoàng Quốc Bảo", sender_phone="0904778899")
    land = _route(_working(8, 9, 0), land, "000.01.10.H42")
    with time_machine.travel(_working(5, 10, 0), tick=False):
        services.forward(_user("thuly.dat"), land.pk, _fresh(land).row_version, _agency("000.00.10.H42"),
                         "Kiến nghị sửa quy trình liên thông thuộc thẩm quyền Sở Nông nghiệp và Môi trường.")

    # 7. Routed, close to its deadline (a reminder is sent), sent through the Open311 API.
    ward_dossier = (Dossier.objects.filter(code__isnull=False, competent_agency__code="000.01.30.H42")
                    .order_by("-received_at").first())
    extra = _send(_working(4, 8, 10), category=category["HSYC" if ward_dossier else "QDHC"], api_key=key,
                  channel="api", dossier_code=ward_dossier.code if ward_dossier else "",
                  title="Bị yêu cầu thêm giấy xác nhận tình trạng hôn nhân",
                  description="Khi đăng ký thường trú tại phường Hoa Lư, tôi bị yêu cầu nộp thêm giấy xác nhận tình "
                              "trạng hôn nhân dù thủ tục không quy định giấy tờ này.",
                  sender_name="Trịnh Thị Mai", sender_phone="0978665544", address="Phường Hoa Lư, tỉnh Ninh Bình",
                  lat=Decimal("20.253611"), long=Decimal("105.974722"))
    _route(_working(4, 9, 0), extra, "000.01.30.H42",
           receiver="tiepnhan.hoalu" if extra.receiving_agency.code == "000.01.31.H42" else "tiepnhan.tinh")

    # 8. Waiting for triage, and 9. waiting for the sender to confirm the e-mail address.
    _send(_working(1, 16, 40), category=category["DVCT"], title="Không thanh toán được lệ phí trực tuyến",
          description="Khi thanh toán lệ phí cấp Phiếu lý lịch tư pháp trên Cổng dịch vụ công, hệ thống báo lỗi sau "
                      "khi trừ tiền tài khoản; hồ sơ vẫn ở trạng thái chưa thanh toán.",
          sender_name="Ngô Thanh Hải", sender_email="thanhhai.ngo@example.vn", sender_phone="0945123987",
          verify_by="email")
    _send(timezone.now() - datetime.timedelta(hours=2), verify=False, category=category["KHAC"],
          description="Đề nghị bố trí thêm ghế chờ và nước uống tại Trung tâm Phục vụ hành chính công tỉnh.",
          sender_name="Mai Văn Phúc", sender_email="phuc.mai@example.vn")

    services.send_reminders()
    services.flag_overdue()
    if stdout is not None:
        stdout.write(f"Phản ánh, kiến nghị: {Feedback.objects.count()} phản ánh, {ApiKey.objects.count()} khóa API.")
