"""Public calendar API: ``GET /api/v1/calendar/due-date``.

Computes when a period that starts at a given moment ends, with the same calendar (holidays,
nghỉ bù, làm bù, the agency's counter sessions) that the one-stop desk uses for dossiers.
"""
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from motcua.orgs.models import Agency
from motcua.workcal import arithmetic, services

UNITS = ("working_days", "working_hours", "calendar_days")
_SPACE_FOR_PLUS = re.compile(r" (\d{2}:?\d{2})$")  # "+07:00" arrives as " 07:00" when not URL-encoded


class BadRequest(Exception):
    pass


def _parse_moment(raw, calendar):
    if not raw:
        raise BadRequest(_("Thiếu tham số “from”: thời điểm bắt đầu tính (ISO 8601, ví dụ 2025-04-28T09:00:00+07:00)."))
    text = _SPACE_FOR_PLUS.sub(r"+\1", raw.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(_("Thời điểm “%(value)s” không đúng định dạng ISO 8601 (ví dụ 2025-04-28T09:00:00+07:00).")
                         % {"value": raw}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=calendar.tz)  # naive input is local time (Asia/Ho_Chi_Minh)
    return moment


def _parse_amount(params):
    given = [unit for unit in UNITS if params.get(unit) not in (None, "")]
    if not given:
        raise BadRequest(_("Cần đúng một trong các tham số working_days, working_hours, calendar_days."))
    if len(given) > 1:
        raise BadRequest(_("Chỉ được dùng một đơn vị thời hạn mỗi lần, nhưng đã nhận: %(units)s.")
                         % {"units": ", ".join(given)})
    unit = given[0]
    raw = params[unit].strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise BadRequest(_("Thời hạn “%(value)s” không phải là một số.") % {"value": raw})
    if amount < 0:
        raise BadRequest(_("Thời hạn không được là số âm."))
    if unit == "calendar_days" and amount != amount.to_integral_value():
        raise BadRequest(_("Thời hạn tính theo ngày phải là số nguyên ngày."))
    if amount > 10000:
        raise BadRequest(_("Thời hạn quá lớn."))
    return unit, amount


def _parse_bool(raw, default=True):
    if raw in (None, ""):
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "co", "có"):
        return True
    if value in ("0", "false", "no", "khong", "không"):
        return False
    raise BadRequest(_("Tham số “reception” chỉ nhận true hoặc false."))


def _number(amount: Decimal):
    return int(amount) if amount == amount.to_integral_value() else float(amount)


DueDateResponse = inline_serializer("DueDate", {
    "from": serializers.DateTimeField(help_text="Thời điểm đã nhận (theo múi giờ của lịch)."),
    "start": serializers.DateTimeField(help_text="Thời điểm bắt đầu tính thời hạn sau khi chuẩn hóa."),
    "due": serializers.DateTimeField(help_text="Thời điểm hết hạn."),
    "unit": serializers.ChoiceField(choices=UNITS),
    "amount": serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False),
    "explanation": serializers.ListField(child=serializers.CharField(),
                                         help_text="Các ngày lễ, nghỉ bù, làm bù đã làm dịch chuyển thời hạn."),
})
ErrorResponse = inline_serializer("CalendarError", {"error": serializers.CharField()})


class DueDateView(APIView):
    """Tính thời hạn theo lịch làm việc."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        operation_id="calendar_due_date",
        summary="Tính thời hạn giải quyết theo lịch làm việc",
        description=(
            "Tính thời điểm hết hạn của một khoảng thời gian bắt đầu từ `from`, theo lịch làm việc của "
            "tỉnh: không tính thứ Bảy, Chủ nhật, ngày lễ, Tết, ngày nghỉ bù; có tính ngày làm bù.\n\n"
            "Truyền đúng một trong `working_days` (ngày làm việc, được phép lẻ như 0.5), `working_hours` "
            "(giờ làm việc) hoặc `calendar_days` (ngày theo lịch; nếu ngày cuối là ngày nghỉ thì hết hạn "
            "vào cuối ngày làm việc tiếp theo — Điều 148 Bộ luật Dân sự).\n\n"
            "Mặc định (`reception=true`) thời điểm bắt đầu tính theo quy tắc tiếp nhận: hồ sơ nhận ngoài "
            "giờ làm việc được tính từ giờ làm việc kế tiếp, nhận sau giờ chốt (16:00) được tính từ đầu "
            "ngày làm việc tiếp theo. Buổi tiếp nhận bổ sung của cơ quan (ví dụ sáng thứ Bảy) không được "
            "tính vào thời hạn. Thời điểm không có múi giờ được hiểu là giờ Việt Nam (UTC+7)."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATETIME, required=True,
                             description="Thời điểm tiếp nhận / bắt đầu, ISO 8601, ví dụ 2025-04-28T09:00:00+07:00."),
            OpenApiParameter("working_days", OpenApiTypes.NUMBER, description="Số ngày làm việc (≥ 0)."),
            OpenApiParameter("working_hours", OpenApiTypes.NUMBER, description="Số giờ làm việc (≥ 0)."),
            OpenApiParameter("calendar_days", OpenApiTypes.INT, description="Số ngày theo lịch (số nguyên ≥ 0)."),
            OpenApiParameter("agency", OpenApiTypes.STR,
                             description="Mã định danh điện tử của cơ quan tiếp nhận (tùy chọn)."),
            OpenApiParameter("reception", OpenApiTypes.BOOL,
                             description="Áp dụng quy tắc giờ chốt tiếp nhận (mặc định true)."),
        ],
        responses={200: DueDateResponse, 400: ErrorResponse},
        examples=[OpenApiExample(
            "Dịp 30/4 – 1/5 năm 2025",
            value={"from": "2025-04-28T09:00:00+07:00", "start": "2025-04-28T09:00:00+07:00",
                   "due": "2025-05-06T09:00:00+07:00", "unit": "working_days", "amount": 3,
                   "explanation": ["Thứ Tư 30/04/2025: nghỉ, không tính vào thời hạn — Ngày Chiến thắng"]},
            response_only=True,
        )],
        tags=["calendar"],
    )
    def get(self, request):
        params = request.query_params
        try:
            agency = None
            code = (params.get("agency") or "").strip()
            if code:
                agency = Agency.objects.filter(code=code).first()
                if agency is None:
                    raise BadRequest(_("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": code})
            calendar = services.get_calendar(agency)
            received = _parse_moment(params.get("from"), calendar)
            unit, amount = _parse_amount(params)
            use_reception_rule = _parse_bool(params.get("reception"))
            if use_reception_rule:
                start = services.reception_start(received, agency)
            else:
                start = arithmetic.next_opening(calendar, received)
            due = services.due_moment(start, amount, unit, agency)
            explanation = services.explain_due(start, due, agency, received_at=received, unit=unit, amount=amount)
        except BadRequest as exc:
            return Response({"error": str(exc)}, status=400)
        except arithmetic.CalendarError as exc:
            return Response({"error": services.translate_error(exc)}, status=400)
        return Response({
            "from": received.astimezone(calendar.tz).isoformat(),
            "start": start.isoformat(),
            "due": due.isoformat(),
            "unit": unit,
            "amount": _number(amount),
            "explanation": explanation,
        })


urlpatterns = [
    path("due-date", DueDateView.as_view(), name="calendar-due-date"),
]
