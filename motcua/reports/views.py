"""Report pages: thin — parse, call services, render. Rules and figures live in services.py."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.reports import exports, services

EXPORTS = {
    "xlsx": (exports.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (exports.csv_bytes, "text/csv; charset=utf-8"),
    "pdf": (exports.pdf, "application/pdf"),
}


def _error(request, exc, template="reports/error.html"):
    return render(request, template, {"message": exc.message}, status=exc.status)


def _period_choices(selection):
    return services.period_choices(timezone.localdate(), selection.period if selection else None)


@login_required
def dashboard(request):
    """``reports:dashboard``: indicators against targets, trends, breakdowns, drill-down."""
    try:
        selection = services.parse_selection(request.user, request.GET)
        context = services.dashboard(selection)
    except services.ReportError as exc:
        return _error(request, exc)
    context["periods"] = _period_choices(selection)
    return render(request, "reports/dashboard.html", context)


@login_required
def table(request):
    """``reports:table``: the periodic report (web table, or ``dinh-dang`` xlsx / csv / pdf)."""
    fmt = (request.GET.get("dinh-dang") or "").strip().lower()
    try:
        if fmt and fmt not in EXPORTS:
            raise services.ReportError(services.bad_format_message(fmt))
        selection = services.parse_selection(request.user, request.GET, default_group="agency")
        report = services.build_report(selection)
    except services.ReportError as exc:
        return _error(request, exc)
    exports.sign_as(report, request.user)
    if fmt:
        render_file, content_type = EXPORTS[fmt]
        response = HttpResponse(render_file(report), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, fmt)}"'
        return response
    return render(request, "reports/table.html", {
        "report": report, "selection": selection, "columns": exports.COLUMNS, "groups": exports.header_groups(),
        "table_rows": exports.web_rows(report), "web_rows": exports.WEB_ROWS,
        "periods": _period_choices(selection), "group_choices": services.group_choices(selection)})


@login_required
def dossiers(request):
    """``reports:dossiers``: the dossiers behind one figure, each linking to the desk's dossier page."""
    try:
        selection = services.parse_selection(request.user, request.GET)
        measure = (request.GET.get("chi-so") or "").strip()
        page = services.page_number(request.GET.get("trang"))
        rows, has_next = services.dossier_page(measure, selection, page=page)
    except services.ReportError as exc:
        return _error(request, exc)
    return render(request, "reports/dossiers.html", {
        "selection": selection, "measure": measure, "measure_label": services.LIST_MEASURES[measure],
        "rows": rows, "page": page, "has_next": has_next, "as_of": services.as_of(selection)})


def board(request):
    """``reports:board``: public transparency board — on-time and satisfaction rates per agency."""
    try:
        report, rows = services.public_board(request.GET)
    except services.ReportError as exc:
        return _error(request, exc, "reports/board_error.html")
    return render(request, "reports/board.html", {
        "report": report, "rows": rows, "selection": report.selection,
        "periods": _period_choices(report.selection)})
