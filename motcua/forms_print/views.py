"""Thin views: permission, then services.*_context, then render_pdf."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import BundleApplication, Dossier
from motcua.forms_print import services
from motcua.forms_print.render import render_pdf
from motcua.orgs.services import can_read


def _error(request, status: int, message: str):
    headings = {400: _("Yêu cầu không hợp lệ"), 403: _("Không có quyền truy cập"), 404: _("Không tìm thấy")}
    return render(request, "forms_print/error.html", {"heading": headings[status], "message": message},
                  status=status)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def may_read_dossier(user, dossier: Dossier) -> bool:
    return dossier_services.can_read_dossier(user, dossier)


def _dossier_form(request, pk: int, form_key: str):
    try:
        dossier = services.load_dossier(pk)
    except Dossier.DoesNotExist:
        return _error(request, 404, _("Không tìm thấy hồ sơ."))
    if not may_read_dossier(request.user, dossier):
        return _error(request, 403, _("Bạn không có quyền xem hồ sơ %(code)s.") % {"code": dossier.code or pk})
    try:
        context = services.render_form_context(form_key, dossier)
    except services.FormNotAvailable as exc:
        return _error(request, 404, exc.message)
    pdf = render_pdf(services.FORMS[form_key].template, context)
    return _pdf_response(pdf, services.filename(form_key, dossier))


def _form_view(form_key):
    @login_required
    def view(request, pk):
        return _dossier_form(request, pk, form_key)
    view.__name__ = f"{form_key}_pdf"
    view.__doc__ = f"PDF of {services.FORMS[form_key].number}: {services.FORMS[form_key].title}"
    return view


receipt = _form_view("receipt")
supplement = _form_view("supplement")
refusal = _form_view("refusal")
reception_refusal = _form_view("reception_refusal")
apology = _form_view("apology")
stop = _form_view("stop")
control_sheet = _form_view("control_sheet")


def _application_form(form_key):
    @login_required
    def view(request, pk):
        from motcua.dossiers import bundles
        try:
            application = services.load_application(pk)
        except BundleApplication.DoesNotExist:
            return _error(request, 404, _("Không tìm thấy hồ sơ liên thông."))
        if not bundles.can_read_application(request.user, application):
            return _error(request, 403, _("Bạn không có quyền xem hồ sơ %(code)s.") % {"code": application.code or pk})
        try:
            context = services.APPLICATION_CONTEXTS[form_key](application)
        except services.FormNotAvailable as exc:
            return _error(request, 404, exc.message)
        pdf = render_pdf(services.FORMS[form_key].template, context)
        return _pdf_response(pdf, services.application_filename(form_key, application))
    view.__name__ = f"{form_key}_pdf"
    view.__doc__ = f"PDF of {services.FORMS[form_key].title} for a bundle application"
    return view


bundle_receipt = _application_form("bundle_receipt")
bundle_transfer = _application_form("bundle_transfer")


@login_required
def tracking_book(request):
    try:
        query = services.parse_tracking_book_params(request.GET)
    except services.BadParameters as exc:
        return _error(request, 400, exc.message)
    if not can_read(request.user, query.agency):
        return _error(request, 403, _("Bạn không có quyền xem sổ theo dõi hồ sơ của %(agency)s.")
                      % {"agency": query.agency.name})
    try:
        context = services.tracking_book_context(query)
    except services.BadParameters as exc:
        return _error(request, 400, exc.message)
    filename = services.tracking_book_filename(query)
    if query.fmt == "xlsx":
        response = HttpResponse(
            services.tracking_book_xlsx(context),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return _pdf_response(render_pdf(services.FORMS["tracking_book"].template, context), filename)
