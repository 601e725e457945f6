"""Vietnamese admin for the catalogue.

State changes (publish, amend, abolish) go through ``services`` from admin actions with an
intermediate page asking for the publication decision; published versions are read-only.
Agency administrators and superusers also import/export the catalogue as Excel here.
"""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _, gettext_lazy

from motcua.catalog import excel, services
from motcua.catalog.models import (
    Field, OnlineLevel, Procedure, ProcedureBundle, ProcedureVersion, ProcessStep, PublicationDecision,
    RequiredDocument,
)
from motcua.orgs.models import Role

Status = ProcedureVersion.Status


def can_manage_catalogue(user):
    """Superusers and agency administrators may publish and import the catalogue."""
    return user.is_active and (user.is_superuser or user.staff_roles.filter(role=Role.AGENCY_ADMIN).exists())


class DecisionForm(forms.Form):
    """Pick an existing publication decision or describe a new one."""

    existing = forms.ModelChoiceField(
        label=gettext_lazy("Quyết định đã có"), queryset=PublicationDecision.objects.all(), required=False,
        empty_label=gettext_lazy("— Nhập quyết định mới bên dưới —"))
    number = forms.CharField(label=gettext_lazy("Số quyết định"), max_length=60, required=False)
    signed_on = forms.DateField(label=gettext_lazy("Ngày ký (dd/mm/yyyy)"), required=False)
    effective_on = forms.DateField(label=gettext_lazy("Ngày có hiệu lực (dd/mm/yyyy)"), required=False)
    issuing_body = forms.CharField(label=gettext_lazy("Cơ quan ban hành"), max_length=200, required=False)
    summary = forms.CharField(label=gettext_lazy("Trích yếu"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("existing"):
            data["decision"] = data["existing"]
            return data
        missing = [self.fields[name].label for name in ("number", "signed_on", "issuing_body") if not data.get(name)]
        if missing:
            raise ValidationError(_("Chọn một quyết định đã có hoặc nhập đủ: %(fields)s.") % {
                "fields": ", ".join(str(m) for m in missing)})
        data["decision"] = PublicationDecision(
            number=data["number"], signed_on=data["signed_on"],
            effective_on=data.get("effective_on") or data["signed_on"], issuing_body=data["issuing_body"],
            summary=data.get("summary") or "")
        return data


class ExcelImportForm(DecisionForm):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx)"))
    publish = forms.BooleanField(label=gettext_lazy("Công bố ngay (bỏ chọn để chỉ tạo dự thảo)"), required=False,
                                 initial=True)

    field_order = ["file", "publish", "existing", "number", "signed_on", "effective_on", "issuing_body", "summary"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > 20 * 1024 * 1024:
            raise ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        return file


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_land_or_housing"]
    search_fields = ["code", "name"]
    list_filter = ["is_land_or_housing"]


@admin.register(OnlineLevel)
class OnlineLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "code", "submit_online", "pay_online", "result_online", "is_full_online"]
    list_filter = ["scheme"]


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "signed_on", "effective_on", "issuing_body", "summary"]
    search_fields = ["number", "summary", "issuing_body"]
    date_hierarchy = "effective_on"


class _VersionChildInline(admin.TabularInline):
    extra = 0

    def _editable(self, obj):
        return obj is None or obj.status == Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class RequiredDocumentInline(_VersionChildInline):
    model = RequiredDocument
    fields = ["order", "name", "originals", "copies", "mandatory", "form_name"]


class ProcessStepInline(_VersionChildInline):
    model = ProcessStep
    fields = ["order", "name", "performer", "agency", "unit_name", "role", "budget", "is_inter_agency"]


def _decision_action(modeladmin, request, queryset, *, title, verb, apply):
    """Intermediate page asking for the decision, then ``apply(obj, decision)`` for each object."""
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    form = DecisionForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        decision = form.cleaned_data["decision"]
        done = 0
        for obj in queryset:
            try:
                result = apply(obj, decision)
            except ValidationError as exc:
                modeladmin.message_user(
                    request, format_html("{}: {}", obj, "; ".join(exc.messages)), messages.ERROR)
                continue
            done += 1
            modeladmin.log_change(request, result, _("%(verb)s theo quyết định %(number)s.") % {
                "verb": verb, "number": decision.number})
        if done:
            modeladmin.message_user(request, _("Đã %(verb)s %(n)d thủ tục theo quyết định %(number)s.") % {
                "verb": verb.lower(), "n": done, "number": decision.number}, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request), "title": title, "form": form, "objects": queryset,
        "action": request.POST.get("action"), "opts": modeladmin.model._meta,
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
    }
    return TemplateResponse(request, "admin/catalog/decision_action.html", context)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure_code", "name", "number", "status", "change", "field", "decision"]
    list_filter = ["status", "change", "field", "online_level"]
    search_fields = ["procedure__code", "name", "search_text"]
    list_select_related = ["procedure", "field", "decision"]
    autocomplete_fields = ["procedure"]
    filter_horizontal = ["agencies"]
    inlines = [RequiredDocumentInline, ProcessStepInline]
    readonly_fields = ["status", "decision", "process_check"]
    actions = ["publish_action", "amend_action"]
    fieldsets = [
        (gettext_lazy("Công bố"), {"fields": ["procedure", "number", "change", "status", "decision",
                                                "process_check"]}),
        (gettext_lazy("Thông tin thủ tục"), {"fields": [
            "name", "field", "levels", "agencies", "competent_authority", "applicant_types", "requirements",
            "steps_description"]}),
        (gettext_lazy("Thời hạn, phí và kết quả"), {"fields": [
            "time_value", "time_unit", "on_the_spot", "fee_amount", "fee_description", "fee_refundable_on_stop",
            "result_name", "result_type_code", "legal_basis"]}),
        (gettext_lazy("Cách thức thực hiện"), {"fields": [
            "online_level", "postal_reception", "postal_return", "inter_agency", "supplement_request_limit_days",
            "supplement_wait_days"]}),
    ]

    @admin.display(description=gettext_lazy("mã thủ tục"), ordering="procedure__code")
    def procedure_code(self, obj):
        return obj.procedure.code

    @admin.display(description=gettext_lazy("kiểm tra quy trình"))
    def process_check(self, obj):
        if obj is None or obj.pk is None:
            return _("Lưu phiên bản để kiểm tra quy trình.")
        errors = services.validate_for_publication(obj)
        if not errors:
            return format_html('<span style="color:#146c43">✔ {}</span>', _("Quy trình hợp lệ, có thể công bố."))
        return format_html('<ul style="color:#b02a37;margin:0">{}</ul>',
                           format_html_join("", "<li>{}</li>", ((e,) for e in errors)))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Status.DRAFT:
            # Published, superseded and abolished versions are part of the record: read-only.
            return [f.name for f in self.model._meta.fields if f.name != "id"] + ["agencies", "process_check"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == Status.DRAFT) and super().has_delete_permission(request, obj)

    @admin.action(description=gettext_lazy("Công bố"))
    def publish_action(self, request, queryset):
        return _decision_action(self, request, queryset, title=_("Công bố phiên bản thủ tục"), verb=_("Công bố"),
                                apply=lambda version, decision: services.publish(version, decision, request.user))

    @admin.action(description=gettext_lazy("Tạo phiên bản sửa đổi (dự thảo)"))
    def amend_action(self, request, queryset):
        if not can_manage_catalogue(request.user):
            raise PermissionDenied
        for version in queryset.select_related("procedure"):
            draft = services.new_version_from(version)
            self.log_addition(request, draft, _("Tạo từ phiên bản %(n)d.") % {"n": version.number})
            self.message_user(request, format_html(
                '{} <a href="{}">{}</a>', _("Đã tạo dự thảo"),
                reverse("admin:catalog_procedureversion_change", args=[draft.pk]),
                f"{draft.procedure.code} — {_('phiên bản')} {draft.number}"), messages.SUCCESS)


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["link", "name", "status", "change", "decision"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=gettext_lazy("phiên bản"))
    def link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:catalog_procedureversion_change", args=[obj.pk]),
                           obj.number)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "current_name", "current_status"]
    search_fields = ["code", "versions__name"]
    readonly_fields = ["current_version"]
    inlines = [VersionInline]
    actions = ["abolish_action"]
    change_list_template = "admin/catalog/procedure/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("current_version")

    @admin.display(description=gettext_lazy("tên thủ tục"))
    def current_name(self, obj):
        return obj.current_version.name if obj.current_version else "—"

    @admin.display(description=gettext_lazy("trạng thái"))
    def current_status(self, obj):
        return obj.current_version.get_status_display() if obj.current_version else _("Chưa công bố")

    @admin.action(description=gettext_lazy("Bãi bỏ"))
    def abolish_action(self, request, queryset):
        return _decision_action(self, request, queryset, title=_("Bãi bỏ thủ tục"), verb=_("Bãi bỏ"),
                                apply=lambda procedure, decision: services.abolish(procedure, decision, request.user))

    def get_urls(self):
        return [
            path("nhap-excel/", self.admin_site.admin_view(self.import_view), name="catalog_procedure_import"),
            path("xuat-excel/", self.admin_site.admin_view(self.export_view), name="catalog_procedure_export"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_manage_catalogue": can_manage_catalogue(request.user)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not can_manage_catalogue(request.user):
            raise PermissionDenied
        errors, form = [], ExcelImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = excel.import_catalogue(form.cleaned_data["file"], form.cleaned_data["decision"],
                                            user=request.user, publish=form.cleaned_data["publish"])
            if result.ok:
                for version in result.versions:
                    self.log_addition(request, version, _("Nhập từ Excel theo quyết định %(number)s.") % {
                        "number": result.decision.number})
                self.message_user(request, _("Đã nhập %(n)d thủ tục theo quyết định %(number)s.") % {
                    "n": len(result.versions), "number": result.decision.number}, messages.SUCCESS)
                return redirect("admin:catalog_procedure_changelist")
            errors = result.errors
        context = {**self.admin_site.each_context(request), "title": _("Nhập danh mục thủ tục từ Excel"),
                   "form": form, "errors": errors, "opts": self.model._meta}
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)

    def export_view(self, request):
        if not can_manage_catalogue(request.user):
            raise PermissionDenied
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"danh-muc-tthc-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        excel.export_catalogue(response)
        return response


@admin.register(ProcedureBundle)
class ProcedureBundleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["procedures"]
