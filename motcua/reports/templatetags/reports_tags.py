"""Display helpers for the reports (formatting and links only; the figures come from services)."""
from django import template
from django.urls import reverse
from django.utils.http import urlencode

from motcua.reports import exports

register = template.Library()


@register.filter
def vn(value, kind="int"):
    """12345 → "12.345"; 97.5 → "97,5" (kind "pct" or "days"); None → "—"."""
    return exports.vn_number(value, kind)


@register.filter
def attr(row, name):
    return getattr(row, name)


def _row_filters(selection, row):
    from motcua.reports.services import row_filters
    return row_filters(selection, row)


@register.simple_tag
def list_url(selection, measure, row=None):
    """The dossier list behind one figure (``row`` None: the whole selection)."""
    query = selection.query(nhom=None, **_row_filters(selection, row))
    query["chi-so"] = measure
    return f"{reverse('reports:dossiers')}?{urlencode(query)}"


@register.simple_tag
def drill_url(selection, row):
    """One level down: province → agency (by procedure); agency → procedure; else the same filter."""
    query = selection.query(**_row_filters(selection, row))
    if selection.group == "agency":
        query["nhom"] = "thu-tuc"
    elif selection.group in ("level", "field"):
        query["nhom"] = "co-quan"
    return f"{reverse('reports:dashboard')}?{urlencode(query)}"


@register.simple_tag
def page_url(name, selection, **extra):
    query = selection.query()
    query.update({k.replace("_", "-"): v for k, v in extra.items() if v is not None})
    return f"{reverse(name)}?{urlencode(query)}"


@register.simple_tag
def agency_url(selection, row):
    """The dashboard of the agency in ``row`` (an agency row), by procedure."""
    query = selection.query(**{"co-quan": row.code, "nhom": "thu-tuc", "cap": None})
    return f"{reverse('reports:dashboard')}?{urlencode(query)}"


@register.simple_tag
def province_url(selection):
    query = selection.query(**{"co-quan": None, "thu-tuc": None, "linh-vuc": None, "cap": None, "nhom": None})
    return f"{reverse('reports:dashboard')}?{urlencode(query)}"
