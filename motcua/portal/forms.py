"""Search form of the public catalogue (GET, works without JavaScript)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, OnlineLevel
from motcua.orgs.models import AdminUnit, Agency


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa (tên hoặc mã thủ tục)"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ: đăng ký khai sinh"),
                                                      "autocomplete": "off"}))
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), required=False)
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)
    online_level = forms.ChoiceField(label=_("Mức độ dịch vụ công trực tuyến"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        self.fields["field"].choices = everything + list(Field.objects.values_list("code", "name"))
        self.fields["level"].choices = everything + [
            (v, l) for v, l in AdminUnit.Level.choices if v != AdminUnit.Level.DISTRICT]
        # Agencies that perform at least one procedure; service centres only receive.
        agencies = (Agency.objects.filter(is_active=True, procedure_versions__status="published")
                    .exclude(kind=Agency.Kind.SERVICE_CENTRE).distinct().order_by("code"))
        self.fields["agency"].choices = everything + [(a.code, a.name) for a in agencies]
        levels, seen = [], set()
        for level in OnlineLevel.objects.order_by("scheme", "order"):
            if level.code not in seen:
                seen.add(level.code)
                levels.append((level.code, level.name))
        self.fields["online_level"].choices = everything + levels
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css

    def filters(self):
        """Raw values for ``services.search``; unknown values are left for the service to refuse."""
        return {name: (self.data.get(name) or "").strip() for name in ("q", "field", "level", "agency",
                                                                       "online_level")}
