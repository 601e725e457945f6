"""Display helpers for the public catalogue (formatting only, no business rules)."""
from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from motcua.catalog.services import duration_label
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
    return _("%(amount)s đồng") % {"amount": intcomma(version.fee_amount)}


@register.filter
def level_names(levels):
    names = dict(AdminUnit.Level.choices)
    return ", ".join(str(names.get(level, level)) for level in levels or [])
