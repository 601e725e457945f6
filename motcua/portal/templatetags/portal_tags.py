"""Display helpers for the public catalogue (formatting only, no business rules)."""
from django import template
from django.utils.translation import gettext as _

from motcua.catalog.services import duration_label, format_amount
from motcua.orgs.models import AdminUnit

register = template.Library()


@register.filter
def duration(version):
    """"15 ngày làm việc" (or "Trả kết quả trong ngày")."""
    label = duration_label(version.time_value, version.time_unit)
    return _("%(duration)s (trả kết quả trong ngày)") % {"duration": label} if version.on_the_spot else label


@register.filter
def fee(version):
    if not version.fee_amount:
        return _("Không thu phí, lệ phí")
    # Vietnamese grouping whatever language the browser asked for: 150.000 đồng.
    return _("%(amount)s đồng") % {"amount": grouped(version.fee_amount)}


@register.filter
def grouped(value):
    """12345 → "12.345" (Vietnamese thousands separator)."""
    return f"{int(value):,}".replace(",", ".")


@register.filter
def amount(value):
    """0.50 → "0,5"; 19.00 → "19"."""
    return format_amount(value)


@register.filter
def level_names(levels):
    names = dict(AdminUnit.Level.choices)
    return ", ".join(str(names.get(level, level)) for level in levels or [])
