"""Desk pages for bundle applications (nhóm thủ tục liên thông): reception, the application page, its actions.

Thin like ``views``: parse a form, call one function of ``bundles``, show its Vietnamese message
when it refuses (a refused action changes nothing).
"""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.catalog.models import ProcedureBundle
from motcua.dossiers import bundles, services
from motcua.dossiers import forms as desk_forms
from motcua.dossiers.models import OPEN_STATUSES, BundleApplication, BundleMode, ReturnMethod, Status
from motcua.dossiers.views import _success_with_link, forbidden, optional_url, staff_required
from motcua.orgs.models import Agency, Role

FMT = "%H:%M %d/%m/%Y"


def _receiving_agencies(user):
    return Agency.objects.filter(staff_roles__user=user, staff_roles__role=Role.RECEIVER).distinct().order_by("name")


@staff_required
def receive_bundle(request, bundle_id):
    receiving = _receiving_agencies(request.user)
    if not receiving.exists():
        return forbidden(request, _("Chỉ công chức tiếp nhận của bộ phận một cửa mới được tiếp nhận hồ sơ."))
    bundle = get_object_or_404(ProcedureBundle, pk=bundle_id, is_active=True)
    form_kwargs = {"versions": bundles.bundle_versions(bundle), "receiving_agencies": receiving}
    part_errors = {}
    if request.method == "POST":
        form = desk_forms.BundleReceptionForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                application = bundles.receive_bundle(request.user, _bundle_reception(bundle, form))
            except services.DossierError as error:
                messages.error(request, error.message)
                for name, problem in error.field_errors.items():
                    if name in form.fields:
                        form.add_error(name, problem)
                    else:
                        part_errors[name] = problem
            else:
                text = _("Đã tiếp nhận hồ sơ liên thông %(code)s (%(n)s thủ tục). Hẹn trả kết quả: %(due)s.") % {
                    "code": application.code, "n": application.parts.count(),
                    "due": timezone.localtime(application.appointment_at).strftime(FMT)}
                _success_with_link(request, text, optional_url("forms_print:bundle_receipt", application.pk),
                                   _("In giấy tiếp nhận và hẹn trả kết quả"))
                return redirect("dossiers:application", pk=application.pk)
        else:
            messages.error(request, _("Thông tin tiếp nhận chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."))
    else:
        form = desk_forms.BundleReceptionForm(**form_kwargs)
    for block in form.part_blocks:
        block["error"] = part_errors.get(block["key"], "")
    return render(request, "dossiers/receive_bundle.html", {"form": form, "bundle": bundle},
                  status=400 if request.method == "POST" else 200)


def _bundle_reception(bundle, form) -> bundles.BundleReception:
    data = form.cleaned_data
    return bundles.BundleReception(
        bundle=bundle, receiving_agency=data["receiving_agency"], applicant=form.applicant(services.Applicant),
        parts=form.bundle_parts(bundles.BundlePart, services.ReceivedDocument), mode=data["mode"],
        lead_agency=data["lead_agency"], channel=data["channel"], return_method=data["return_method"],
        postal_address=data["postal_address"], note=data["note"], incoming_tracking=data["incoming_tracking"],
        postal_zone=data["postal_zone"])


def _load(pk):
    return get_object_or_404(BundleApplication.objects.select_related("bundle", "receiving_agency", "lead_agency",
                                                                      "received_by"), pk=pk)


def _render(request, application, *, form=None, status=200):
    parts = list(bundles.parts_of(application))
    now = timezone.now()
    open_parts = [p for p in parts if p.status in OPEN_STATUSES]
    return render(request, "dossiers/application.html", {
        "can_hand_over": any(p.status == Status.RECEIVED and not p.is_waiting_for_previous_part for p in parts),
        "can_stop": bool(open_parts),
        "can_return": not open_parts and not application.returned_at
        and any(p.status in bundles.FINISHED_STATUSES for p in parts),
        "application": application, "parts": parts, "summary": bundles.summary(parts),
        "plan": bundles.transfer_plan(application, parts), "now": now,
        "form": form or desk_forms.ApplicationActionForm(initial={"expected_version": application.row_version}),
        "sequential": application.mode == BundleMode.SEQUENTIAL,
        "receipt_url": optional_url("forms_print:bundle_receipt", application.pk),
        "transfer_url": optional_url("forms_print:bundle_transfer", application.pk),
    }, status=status)


@staff_required
def application(request, pk):
    record = _load(pk)
    if not bundles.can_read_application(request.user, record):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ liên thông này."))
    return _render(request, record)


ACTIONS = {
    "chuyen": (lambda user, pk, version, data: bundles.hand_over_application(user, pk, version, data["note"]),
               _("Đã chuyển các hồ sơ thành phần đến cơ quan giải quyết.")),
    "dung": (lambda user, pk, version, data: bundles.stop_application(user, pk, version, data["note"]),
             _("Đã dừng giải quyết hồ sơ liên thông theo đề nghị của người nộp.")),
    "tra-ket-qua": (lambda user, pk, version, data: bundles.return_application(
        user, pk, version, method=data["method"] or ReturnMethod.COUNTER, tracking=data["tracking"],
        note=data["note"]), _("Đã trả kết quả hồ sơ liên thông.")),
}


@staff_required
@require_POST
def application_action(request, pk, action):
    record = _load(pk)
    if action not in ACTIONS:
        return forbidden(request, _("Thao tác không hợp lệ."))
    if not bundles.can_read_application(request.user, record):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ liên thông này."))
    form = desk_forms.ApplicationActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dữ liệu gửi lên không hợp lệ; vui lòng tải lại trang."))
        return _render(request, record, form=form, status=400)
    call, done = ACTIONS[action]
    try:
        call(request.user, record.pk, form.cleaned_data["expected_version"], form.cleaned_data)
    except services.DossierError as error:
        messages.error(request, error.message)
        status = 409 if isinstance(error, services.StaleDossier) else 403 if isinstance(
            error, services.NotAllowed) else 400
        return _render(request, _load(pk), form=form, status=status)
    messages.success(request, done)
    return redirect("dossiers:application", pk=record.pk)
