"""Demo calendar: holidays and swaps 2020–2035, plus Saturday-morning reception at the provincial centre."""
from datetime import time

from motcua.orgs.models import Agency

from . import services
from .models import AgencyExtraSession

PROVINCIAL_CENTRE_CODE = "000.00.01.H42"


def load(stdout=None):
    counts = services.seed_calendar(2020, 2035)
    if stdout is not None:
        stdout.write(f"Lịch làm việc 2020–2035: thêm {counts['created']} ngày nghỉ lễ, nghỉ bù, làm bù.")
    centre = Agency.objects.filter(code=PROVINCIAL_CENTRE_CODE).first()
    if centre is None:
        if stdout is not None:
            stdout.write("Chưa có Trung tâm phục vụ hành chính công tỉnh: bỏ qua buổi tiếp nhận sáng thứ Bảy.")
        return
    AgencyExtraSession.objects.get_or_create(
        agency=centre, weekday=AgencyExtraSession.Weekday.SATURDAY, date=None,
        defaults={"start": time(7, 30), "end": time(11, 30),
                  "note": "Tiếp nhận và trả kết quả sáng thứ Bảy (không tính vào thời hạn giải quyết)"},
    )
    if stdout is not None:
        stdout.write("Đã thêm buổi tiếp nhận sáng thứ Bảy tại Trung tâm phục vụ hành chính công tỉnh.")
