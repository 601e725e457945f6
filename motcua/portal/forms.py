"""Search form of the public catalogue (GET, works without JavaScript)."""
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, OnlineLevel, ProcedureVersion
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
        performs = ProcedureVersion.agencies.through.objects.filter(
            agency_id=OuterRef("pk"), procedureversion__status=ProcedureVersion.Status.PUBLISHED)
        agencies = (Agency.objects.filter(Exists(performs), is_active=True)
                    .exclude(kind=Agency.Kind.SERVICE_CENTRE).order_by("code").only("code", "name"))
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

    def selects(self):
        """The filter drop-downs as plain data, rendered without Django's per-option widget templates."""
        current = self.filters()
        for name in ("field", "level", "agency", "online_level"):
            bound = self[name]
            yield {"name": name, "id": bound.id_for_label, "label": bound.label,
                   "options": [(value, label, str(value) == current[name])
                               for value, label in self.fields[name].choices]}

    def filters(self):
        """Raw values for ``services.search``; unknown values are left for the service to refuse."""
        return {name: (self.data.get(name) or "").strip() for name in ("q", "field", "level", "agency",
                                                                       "online_level")}
