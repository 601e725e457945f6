"""Public read-only API of the procedure catalogue (``/api/v1/procedures``).

Uses the same ``catalog.services.search`` as the portal, so both answer identically;
unknown filter values are a 400 with a Vietnamese message.
"""
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.throttling import ScopedRateThrottle

from motcua.catalog import services
from motcua.catalog.models import (
    Field, OnlineLevel, ProcedureVersion, ProcessStep, PublicationDecision, RequiredDocument,
)
from motcua.orgs.models import Agency


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name"]


class OnlineLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = OnlineLevel
        fields = ["scheme", "code", "name", "submit_online", "pay_online", "result_online", "is_full_online"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicationDecision
        fields = ["number", "signed_on", "effective_on", "issuing_body"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["order", "name", "originals", "copies", "mandatory", "form_name"]


class StepSerializer(serializers.ModelSerializer):
    agency = AgencySerializer(allow_null=True)
    performer_display = serializers.CharField(source="get_performer_display")
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = ProcessStep
        fields = ["order", "name", "performer", "performer_display", "agency", "unit_name", "role",
                  "role_display", "budget", "is_inter_agency"]


class ProcedureListSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    version = serializers.IntegerField(source="number")
    field = FieldSerializer()
    agencies = AgencySerializer(many=True)
    online_level = OnlineLevelSerializer(allow_null=True)
    time_unit_display = serializers.CharField(source="get_time_unit_display")
    url = serializers.SerializerMethodField(help_text="Trang công khai của thủ tục trên cổng dịch vụ công.")

    class Meta:
        model = ProcedureVersion
        fields = ["code", "name", "version", "status", "field", "levels", "agencies", "time_value", "time_unit",
                  "time_unit_display", "on_the_spot", "fee_amount", "online_level", "postal_reception",
                  "postal_return", "inter_agency", "url"]

    def get_url(self, obj) -> str:
        url = reverse("portal:procedure", args=[obj.procedure.code])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ProcedureDetailSerializer(ProcedureListSerializer):
    decision = DecisionSerializer(allow_null=True)
    documents = DocumentSerializer(many=True)
    steps = StepSerializer(many=True)

    class Meta(ProcedureListSerializer.Meta):
        fields = ProcedureListSerializer.Meta.fields + [
            "change", "decision", "competent_authority", "applicant_types", "fee_description", "result_name",
            "legal_basis", "requirements", "steps_description", "supplement_request_limit_days",
            "supplement_wait_days", "documents", "steps"]


FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Từ khóa (tên hoặc mã thủ tục), không phân biệt dấu."),
    OpenApiParameter("field", OpenApiTypes.STR, description="Mã lĩnh vực."),
    OpenApiParameter("level", OpenApiTypes.STR, enum=["province", "district", "commune"],
                     description="Cấp thực hiện."),
    OpenApiParameter("agency", OpenApiTypes.STR, description="Mã định danh của cơ quan thực hiện."),
    OpenApiParameter("online_level", OpenApiTypes.STR, description="Mã mức độ dịch vụ công trực tuyến."),
]


class _Public:
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"
    authentication_classes = []


@extend_schema(parameters=FILTERS, summary="Tìm thủ tục hành chính đang áp dụng",
               responses={200: ProcedureListSerializer(many=True)})
class ProcedureList(_Public, ListAPIView):
    serializer_class = ProcedureListSerializer

    def get_queryset(self):
        params = {name: self.request.query_params.get(name, "") for name in ("q", "field", "level", "agency",
                                                                               "online_level")}
        try:
            return services.with_agencies(services.search(**params))
        except services.InvalidFilter as exc:
            raise ValidationError({exc.param: exc.messages}) from exc


@extend_schema(summary="Chi tiết một thủ tục hành chính (thành phần hồ sơ, quy trình)")
class ProcedureDetail(_Public, RetrieveAPIView):
    serializer_class = ProcedureDetailSerializer
    queryset = ProcedureVersion.objects.none()  # for the schema; get_object reads through the service
    lookup_field = "code"

    def get_object(self):
        version = services.current_version(self.kwargs["code"])
        if version is None:
            raise NotFound(_("Không tìm thấy thủ tục hành chính có mã “%(code)s”.") % {"code": self.kwargs["code"]})
        return version


urlpatterns = [
    path("procedures", ProcedureList.as_view(), name="api-procedures"),
    path("procedures/<str:code>", ProcedureDetail.as_view(), name="api-procedure"),
]
