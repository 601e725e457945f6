"""The desk's side of online submission: the queue of submissions waiting at the receiver's centres,
and the review page where a receiver checks the files and accepts, returns or refuses.

Thin views over ``dossiers.online``; a stale action (someone else acted first) shows the service's
message and changes nothing.
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.dossiers import online, services
from motcua.dossiers.models import Status
from motcua.dossiers.views import (
    EVENT_LABELS, _load_dossier, _success_with_link, forbidden, optional_url, staff_required,
)
from motcua.orgs import services as orgs
from motcua.orgs.models import Role


def _is_receiver_here(user, dossier):
    return orgs.can_act(user, dossier.receiving_agency, Role.RECEIVER)


@staff_required
def online_queue(request):
    if not orgs.agency_ids_for(request.user, roles=[Role.RECEIVER]):
        return forbidden(request, _("Chỉ công chức tiếp nhận của bộ phận một cửa mới xem hồ sơ trực tuyến chờ "
                                    "tiếp nhận."))
    page = Paginator(online.online_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "dossiers/online_queue.html", {"page": page, "now": timezone.now()})


def _render_review(request, dossier, status=200, values=None):
    events = [{"event": e, "label": EVENT_LABELS.get(e.action, e.action)}
              for e in dossier.events.select_related("actor")]
    return render(request, "dossiers/online_review.html", {
        "dossier": dossier, "documents": list(dossier.documents.select_related("required")),
        "required": list(dossier.procedure_version.documents.all()), "events": events,
        "can_act": dossier.status == Status.SUBMITTED_ONLINE and _is_receiver_here(request.user, dossier),
        "values": values or {},
    }, status=status)


@staff_required
def online_review(request, pk):
    dossier = _load_dossier(pk)
    if dossier.channel != "online" or dossier.submitted_at is None:
        raise Http404
    if not services.can_read_dossier(request.user, dossier):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ này."))
    return _render_review(request, dossier)


@staff_required
@require_POST
def online_action(request, pk, action):
    if action not in ("accept", "return", "reject"):
        raise Http404
    dossier = _load_dossier(pk)
    if not services.can_read_dossier(request.user, dossier):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ này."))
    try:
        version = int(request.POST.get("row_version", ""))
    except ValueError:
        version = -1  # a form without its version is treated as stale: reload and look again
    text = request.POST.get("text", "")
    try:
        if action == "accept":
            dossier = online.accept_online(request.user, dossier.pk, version, text)
        elif action == "return":
            online.return_online(request.user, dossier.pk, version, text)
        else:
            online.reject_online(request.user, dossier.pk, version, text)
    except services.StaleDossier as error:
        messages.error(request, error.message)
        return redirect("dossiers:online_review", pk=dossier.pk)
    except services.DossierError as error:
        messages.error(request, error.message)
        status = 403 if isinstance(error, services.NotAllowed) else 400
        return _render_review(request, _load_dossier(pk), status=status, values={action: text})
    if action == "accept":
        text = _("Đã tiếp nhận hồ sơ trực tuyến %(code)s. Hẹn trả kết quả: %(due)s.") % {
            "code": dossier.code, "due": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y")}
        _success_with_link(request, text, optional_url("forms_print:receipt", dossier.pk),
                           _("In giấy tiếp nhận và hẹn trả kết quả"))
        return redirect("dossiers:detail", pk=dossier.pk)
    messages.success(request, _("Đã trả lại hồ sơ số %(ref)s để công dân hoàn thiện.") % {"ref": dossier.pk}
                     if action == "return" else _("Đã từ chối tiếp nhận hồ sơ số %(ref)s.") % {"ref": dossier.pk})
    return redirect("dossiers:online_queue")
