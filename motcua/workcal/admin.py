from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AgencyExtraSession, CalendarDay


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "source"]
    list_filter = [YearFilter, "kind", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["source", "updated_at"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return AgencyExtraSession.Weekday(obj.date.weekday()).label

    def save_model(self, request, obj, form, change):
        # A day edited by hand is never overwritten by seed_calendar.
        obj.source = CalendarDay.Source.MANUAL
        super().save_model(request, obj, form, change)


class SessionYearFilter(YearFilter):
    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).filter(date__isnull=False).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]


@admin.register(AgencyExtraSession)
class AgencyExtraSessionAdmin(admin.ModelAdmin):
    list_display = ["agency", "weekday", "date", "start", "end", "note"]
    list_filter = ["weekday", SessionYearFilter, "agency"]
    search_fields = ["agency__name", "agency__code", "note"]
    autocomplete_fields = ["agency"]
