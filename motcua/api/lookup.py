"""Public dossier lookup API: ``POST /api/v1/dossiers/lookup`` (code + last 4 digits of the phone).

The same service as the portal page ``/tra-cuu/`` (``motcua.portal.lookup``): the same answer for
every wrong pair, no personal data, and the same per-client allowance of wrong pairs — a client
cannot double it by switching between the page and the API. DRF throttling applies on top: the
``lookup`` throttle refuses a client whose allowance is used up before any query, and the
``public`` scope caps request floods. The digits travel in the body, never in the address.
"""
import math

from django.urls import path
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from motcua.portal import lookup


class LookupThrottled(Throttled):
    """429 with the portal's Vietnamese message and a Retry-After header."""

    def __init__(self, wait, message):
        super().__init__(detail=message)
        self.wait = math.ceil(wait)


class WrongPairThrottle(BaseThrottle):
    """Refuses a client that has used up its wrong (code, digits) pairs in the current window."""

    def allow_request(self, request, view):
        self._wait = lookup.blocked_for(lookup.client_ident(request))
        return self._wait is None

    def wait(self):
        return self._wait


class LookupRequest(serializers.Serializer):
    code = serializers.CharField(help_text="Mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
                                 max_length=200)
    phone_last4 = serializers.CharField(help_text="4 chữ số cuối của số điện thoại người nộp đã khai.",
                                        max_length=20)


class MilestoneSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField(help_text="Mốc xử lý công khai (không có tên người, lý do).")
    agency = serializers.CharField(help_text="Cơ quan thực hiện (có thể rỗng).")

LookupResponse = inline_serializer("DossierLookup", {
    "code": serializers.CharField(),
    "status": serializers.CharField(help_text="Mã trạng thái, ví dụ in_progress, returned."),
    "status_label": serializers.CharField(),
    "status_hint": serializers.CharField(),
    "procedure": serializers.CharField(),
    "competent_agency": serializers.CharField(),
    "receiving_agency": serializers.CharField(),
    "received_at": serializers.DateTimeField(allow_null=True),
    "appointment_at": serializers.DateTimeField(allow_null=True, help_text="Hẹn trả kết quả."),
    "returned_at": serializers.DateTimeField(allow_null=True),
    "supplement_deadline_at": serializers.DateTimeField(allow_null=True),
    "rated": serializers.BooleanField(help_text="Đã đánh giá mức độ hài lòng."),
    "can_rate": serializers.BooleanField(),
    "milestones": MilestoneSerializer(many=True),
    "parts": inline_serializer("DossierLookupPart", {
        "code": serializers.CharField(), "status": serializers.CharField(), "status_label": serializers.CharField(),
        "procedure": serializers.CharField(), "competent_agency": serializers.CharField(),
    }, many=True, help_text="Hồ sơ liên thông (nhóm thủ tục): các thủ tục thành phần; rỗng với hồ sơ thường."),
})
LookupErrorResponse = inline_serializer("DossierLookupError", {
    "error": serializers.CharField(),
    "fields": serializers.DictField(child=serializers.CharField(), required=False),
})


def _iso(moment):
    return moment.isoformat() if moment else None


class DossierLookupView(APIView):
    """Tra cứu hồ sơ bằng mã hồ sơ và 4 số cuối điện thoại."""

    authentication_classes = []  # public: no session, so no CSRF and no personal context
    throttle_classes = [WrongPairThrottle, ScopedRateThrottle]
    throttle_scope = "public"

    def throttled(self, request, wait):
        raise LookupThrottled(wait or 60, lookup.Throttled(int(wait or 60)).message)

    @extend_schema(
        operation_id="dossier_lookup",
        summary="Tra cứu tình trạng hồ sơ (công khai)",
        description=(
            "Trả về trạng thái, hẹn trả kết quả và các mốc xử lý công khai của một hồ sơ khi mã hồ sơ và 4 chữ "
            "số cuối điện thoại người nộp khớp nhau. Không trả về thông tin cá nhân (họ tên, số định danh, địa "
            "chỉ, điện thoại, thư điện tử) hay tên cán bộ.\n\n"
            "Mã không tồn tại, số điện thoại sai hoặc hồ sơ không có số điện thoại đều nhận **cùng một** câu "
            "trả lời 404. Mỗi máy khách (địa chỉ IP) chỉ được nhập sai một số lần trong mỗi khoảng thời gian "
            "(`PUBLIC_LOOKUP_THROTTLE`, mặc định 10 lần/15 phút, dùng chung với trang /tra-cuu/); quá số lần "
            "đó nhận 429 kèm `Retry-After`. Tra cứu đúng không bị tính."
        ),
        request=LookupRequest,
        responses={200: LookupResponse,
                   400: OpenApiResponse(LookupErrorResponse, description="Thiếu mã hồ sơ hoặc không đủ 4 chữ số."),
                   404: OpenApiResponse(LookupErrorResponse, description="Không có hồ sơ khớp (một câu trả lời chung)."),
                   429: OpenApiResponse(description="Nhập sai quá nhiều lần; thử lại sau `Retry-After` giây.")},
        examples=[OpenApiExample("Tra cứu", value={"code": "000.00.14.H42-261123-0001", "phone_last4": "5678"},
                                 request_only=True)],
        tags=["dossiers"],
    )
    def post(self, request):
        data = request.data if hasattr(request.data, "get") else {}
        try:
            found = lookup.lookup(str(data.get("code", "")), str(data.get("phone_last4", "")),
                                  client=lookup.client_ident(request))
        except lookup.InvalidInput as exc:
            fields = {"code" if k == "ma" else "phone_last4": v for k, v in exc.field_errors.items()}
            return Response({"error": exc.message, "fields": fields}, status=400)
        except lookup.Throttled as exc:
            raise LookupThrottled(exc.retry_after, exc.message) from None
        except lookup.LookupFailed as exc:
            return Response({"error": exc.message}, status=404)
        return Response({
            "code": found.code, "status": found.status, "status_label": found.status_label,
            "status_hint": found.status_hint, "procedure": found.procedure,
            "competent_agency": found.competent_agency, "receiving_agency": found.receiving_agency,
            "received_at": _iso(found.received_at), "appointment_at": _iso(found.appointment_at),
            "returned_at": _iso(found.returned_at), "supplement_deadline_at": _iso(found.supplement_deadline_at),
            "rated": found.rated, "can_rate": found.can_rate,
            "milestones": [{"at": _iso(m.at), "label": m.label, "agency": m.agency} for m in found.milestones],
            "parts": [{"code": p.code, "status": p.status, "status_label": p.status_label, "procedure": p.procedure,
                       "competent_agency": p.competent_agency} for p in found.parts],
        })


urlpatterns = [
    path("dossiers/lookup", DossierLookupView.as_view(), name="dossier-lookup"),
]
