"""Citizen-facing pages: portal home, procedure catalogue, procedure detail.

Views are thin: searching and reading the catalogue is ``motcua.catalog.services``.
"""
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.catalog import services
from motcua.catalog.models import Field, ProcedureVersion
from motcua.orgs.models import AdminUnit, Agency
from motcua.portal.forms import CatalogueSearchForm

PAGE_SIZE = 20


def home(request):
    published = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED)
    fields = (Field.objects.annotate(n=Count("versions", filter=Q(versions__status=ProcedureVersion.Status.PUBLISHED)))
              .filter(n__gt=0).order_by("-n", "name")[:12])
    context = {
        "form": CatalogueSearchForm(),
        "total": published.count(),
        "online": published.filter(online_level__submit_online=True).count(),
        "fields": fields,
    }
    return render(request, "portal/home.html", context)


def catalogue(request):
    form = CatalogueSearchForm(request.GET or None)
    filters = form.filters()
    error, status = None, 200
    try:
        results = services.search(**filters)
    except services.InvalidFilter as exc:
        error, status, results = exc.messages[0], 400, ProcedureVersion.objects.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "error": error, "filtered": any(filters.values()),
               "query": query.urlencode(), "level_names": dict(AdminUnit.Level.choices)}
    template = "portal/_results.html" if getattr(request, "htmx", False) else "portal/catalogue.html"
    return render(request, template, context, status=status)


def _version_or_404(code):
    version = services.current_version(code)
    if version is None:
        raise Http404(_("Không tìm thấy thủ tục hành chính có mã “%(code)s”.") % {"code": code})
    return version


def procedure(request, code):
    version = _version_or_404(code)
    level_names = dict(AdminUnit.Level.choices)
    # Đ20 (phi địa giới): every service centre of the province receives every procedure.
    centres = Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, is_active=True).select_related("unit")
    context = {
        "version": version,
        "abolished": version.status == ProcedureVersion.Status.ABOLISHED,
        "duration": services.duration_label(version.time_value, version.time_unit),
        "levels": [level_names.get(level, level) for level in version.levels],
        "province_centres": [c for c in centres if c.unit.level == AdminUnit.Level.PROVINCE],
        "local_centres": [c for c in centres if c.unit.level != AdminUnit.Level.PROVINCE],
        "can_submit_online": bool(version.online_level and version.online_level.submit_online
                                  and version.status == ProcedureVersion.Status.PUBLISHED),
    }
    return render(request, "portal/procedure.html", context)

