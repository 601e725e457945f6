"""Admin: indicator targets are data, edited per year and per agency (the rollup is not edited by hand)."""
from django.contrib import admin

from motcua.reports.models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "agency", "field", "value", "basis"]
    list_editable = ["value"]
    list_filter = ["year", "indicator"]
    search_fields = ["agency__name", "agency__code", "field__name", "basis"]
    autocomplete_fields = ["agency", "field"]
    ordering = ["-year", "indicator"]
