"""Admin: categories (response deadlines) and Open311 API keys are edited here; feedback is read-only.

Feedback changes only through ``services`` (the desk pages and the API), so the admin shows it
without add, change or delete; its event log is append-only.
"""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from motcua.feedback import services
from motcua.feedback.models import ApiKey, Category, Feedback, FeedbackEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "subject", "response_days", "reminder_days", "default_agency", "is_active",
                    "order"]
    list_editable = ["response_days", "reminder_days", "is_active", "order"]
    list_filter = ["subject", "is_active"]
    search_fields = ["code", "name", "keywords"]
    autocomplete_fields = ["default_agency"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "is_active", "trusted_contacts", "created_at", "last_used_at"]
    list_filter = ["is_active", "trusted_contacts"]
    search_fields = ["name", "contact", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["name", "contact", "is_active", "trusted_contacts", "prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = services.issue_api_key(obj.name, obj.contact, obj.trusted_contacts)
        key.is_active = obj.is_active
        key.save(update_fields=["is_active"])
        obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
        obj._state.adding = False
        messages.warning(request, _("Khóa API của “%(name)s”: %(key)s — hãy sao chép ngay, khóa chỉ hiển thị một "
                                    "lần.") % {"name": key.name, "key": raw})


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "title", "category", "status", "responsible_agency", "submitted_at", "due_at",
                    "timeliness", "is_published"]
    list_filter = ["status", "category", "timeliness", "is_published", "channel"]
    search_fields = ["code", "title", "sender_name"]
    list_select_related = ["category", "responsible_agency"]
    date_hierarchy = "submitted_at"
    show_full_result_count = False


@admin.register(FeedbackEvent)
class FeedbackEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "feedback", "action", "from_status", "to_status", "actor", "agency"]
    list_filter = ["action"]
    search_fields = ["feedback__code", "reason"]
    list_select_related = ["feedback", "actor", "agency"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_actions(self, request):
        return {}  # no bulk delete: the trail is append-only
