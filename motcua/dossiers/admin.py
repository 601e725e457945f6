"""Read-only admin for dossiers and their audit trail.

Dossiers change only through ``services`` (the staff desk and the API), so the admin
shows them without any add, change or delete; events are append-only and cannot even be
opened for editing.
"""
from django.contrib import admin

from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStep


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyMixin, admin.TabularInline):
    model = DossierStep
    fields = ["order", "name", "agency", "role", "status", "due_at", "completed_at", "timeliness"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class DocumentInline(ReadOnlyMixin, admin.TabularInline):
    model = DossierDocument
    fields = ["name", "originals", "copies", "is_supplement", "added_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "applicant_name", "procedure_version", "status", "competent_agency",
                    "receiving_agency", "received_at", "appointment_at"]
    list_filter = ["status", "channel", "competent_agency", "receiving_agency"]
    search_fields = ["code", "applicant_name", "organisation_name", "applicant_id_number"]
    list_select_related = ["procedure_version", "competent_agency", "receiving_agency"]
    date_hierarchy = "received_at"
    inlines = [StepInline, DocumentInline]
    show_full_result_count = False


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "dossier", "action", "from_status", "to_status", "actor", "agency"]
    list_filter = ["action"]
    search_fields = ["dossier__code", "reason"]
    list_select_related = ["dossier", "actor", "agency"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_actions(self, request):
        return {}  # no bulk delete: the trail is append-only

