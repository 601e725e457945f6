"""The staff desk: work queue, counter reception and the dossier page.

Views are thin: they parse a form, call one function of ``services`` and show its
Vietnamese message when it refuses (a refused action changes nothing). Every page is for
officials only; everybody else gets a Vietnamese 403 page.
"""
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import forms as desk_forms
from motcua.dossiers import services
from motcua.dossiers.models import (
    OPEN_STATUSES, STOPPABLE_STATUSES, ApologyLetter, Channel, Consultation, Dossier, DossierDocument, StaffAlert,
    Status, StepStatus,
)
from motcua.orgs import services as orgs
from motcua.orgs.models import Agency, Role, StaffRole
from motcua.text import fold
from motcua.workcal import arithmetic as wc
from motcua.workcal import services as calendar

PAGE_SIZE = 50
DUE_SOON = timedelta(days=2)  # same window as services.queue_for(scope="due_soon")

SCOPES = [
    ("mine", gettext_lazy("Của tôi")),
    ("unit", gettext_lazy("Của đơn vị")),
    ("due_soon", gettext_lazy("Sắp đến hạn")),
    ("overdue", gettext_lazy("Quá hạn")),
]

EVENT_LABELS = {
    "receive": gettext_lazy("Tiếp nhận hồ sơ"),
    "bundle_transfer": gettext_lazy("Cơ quan trước chuyển hồ sơ giấy liên thông đến"),
    "accept_online": gettext_lazy("Tiếp nhận hồ sơ trực tuyến"),
    "submit_online": gettext_lazy("Công dân nộp hồ sơ trực tuyến"),
    "return_online": gettext_lazy("Trả lại để công dân hoàn thiện hồ sơ trực tuyến"),
    "resubmit_online": gettext_lazy("Công dân nộp lại hồ sơ đã hoàn thiện"),
    "reject_online": gettext_lazy("Từ chối tiếp nhận hồ sơ trực tuyến"),
    "reception_incomplete": gettext_lazy("Hồ sơ chưa đầy đủ — hướng dẫn bổ sung, không tiếp nhận"),
    "reception_refused": gettext_lazy("Từ chối tiếp nhận"),
    "hand_over": gettext_lazy("Chuyển hồ sơ đến cơ quan giải quyết"),
    "forward": gettext_lazy("Hoàn thành bước, chuyển bước tiếp theo"),
    "send_back": gettext_lazy("Trả lại để xử lý lại"),
    "approve": gettext_lazy("Phê duyệt"),
    "refuse": gettext_lazy("Từ chối giải quyết"),
    "issue_result": gettext_lazy("Phát hành kết quả"),
    "return": gettext_lazy("Trả kết quả"),
    "consult": gettext_lazy("Xin ý kiến cơ quan khác"),
    "consult_reply": gettext_lazy("Trả lời xin ý kiến"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "receive_supplement": gettext_lazy("Nhận hồ sơ bổ sung — tính lại thời hạn"),
    "close_unsupplemented": gettext_lazy("Kết thúc do không bổ sung"),
    "stop": gettext_lazy("Dừng giải quyết theo đề nghị của người nộp"),
    "apology_drafted": gettext_lazy("Lập dự thảo văn bản xin lỗi, đề nghị gia hạn"),
    "apology_approved": gettext_lazy("Lãnh đạo duyệt văn bản xin lỗi"),
    "extend": gettext_lazy("Hẹn lại ngày trả kết quả"),
    "satisfaction_rated": gettext_lazy("Người nộp đánh giá mức độ hài lòng"),
    "payment_received": gettext_lazy("Nhận phí, lệ phí qua thanh toán trực tuyến"),
    "postal_options": gettext_lazy("Người nộp chọn dịch vụ bưu chính công ích"),
    "postal_documents_arrived": gettext_lazy("Nhận bưu gửi hồ sơ giấy"),
}

ACTION_TITLES = {
    "hand_over": gettext_lazy("Chuyển hồ sơ đến cơ quan giải quyết"),
    "forward": gettext_lazy("Hoàn thành bước, chuyển bước tiếp theo"),
    "send_back": gettext_lazy("Trả lại bước trước để xử lý lại"),
    "approve": gettext_lazy("Phê duyệt"),
    "refuse": gettext_lazy("Từ chối giải quyết"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "receive_supplement": gettext_lazy("Nhận hồ sơ bổ sung"),
    "consult": gettext_lazy("Xin ý kiến cơ quan khác"),
    "reply_consultation": gettext_lazy("Trả lời xin ý kiến"),
    "issue_result": gettext_lazy("Phát hành kết quả"),
    "return_result": gettext_lazy("Trả kết quả cho người nộp"),
    "stop": gettext_lazy("Dừng giải quyết (theo đề nghị của người nộp)"),
    "draft_apology": gettext_lazy("Lập văn bản xin lỗi, đề nghị gia hạn"),
    "approve_apology": gettext_lazy("Duyệt văn bản xin lỗi"),
    "apply_extension": gettext_lazy("Hẹn lại ngày trả kết quả với người nộp"),
    "record_incoming_post": gettext_lazy("Ghi nhận bưu gửi hồ sơ giấy"),
}

ACTION_DONE = {
    "hand_over": gettext_lazy("Đã chuyển hồ sơ %(code)s đến cơ quan giải quyết."),
    "forward": gettext_lazy("Đã hoàn thành bước và chuyển hồ sơ %(code)s sang bước tiếp theo."),
    "send_back": gettext_lazy("Đã trả lại hồ sơ %(code)s để xử lý lại."),
    "approve": gettext_lazy("Đã phê duyệt hồ sơ %(code)s."),
    "refuse": gettext_lazy("Đã từ chối giải quyết hồ sơ %(code)s."),
    "request_supplement": gettext_lazy("Đã yêu cầu bổ sung hồ sơ %(code)s; người nộp được thông báo."),
    "receive_supplement": gettext_lazy("Đã nhận hồ sơ bổ sung %(code)s; thời hạn giải quyết được tính lại từ đầu."),
    "consult": gettext_lazy("Đã gửi xin ý kiến về hồ sơ %(code)s."),
    "reply_consultation": gettext_lazy("Đã gửi ý kiến trả lời về hồ sơ %(code)s."),
    "issue_result": gettext_lazy("Đã phát hành kết quả hồ sơ %(code)s."),
    "return_result": gettext_lazy("Đã trả kết quả hồ sơ %(code)s."),
    "stop": gettext_lazy("Đã dừng giải quyết hồ sơ %(code)s."),
    "draft_apology": gettext_lazy("Đã lập dự thảo văn bản xin lỗi cho hồ sơ %(code)s."),
    "approve_apology": gettext_lazy("Đã duyệt văn bản xin lỗi cho hồ sơ %(code)s."),
    "apply_extension": gettext_lazy("Đã hẹn lại ngày trả kết quả hồ sơ %(code)s."),
    "record_incoming_post": gettext_lazy("Đã ghi nhận bưu gửi hồ sơ giấy của hồ sơ %(code)s."),
}


# ---------------------------------------------------------------- helpers


def forbidden(request, message=None):
    return render(request, "dossiers/403.html", {
        "message": message or _("Trang này chỉ dành cho cán bộ, công chức có vai trò trong hệ thống một cửa."),
    }, status=403)


def staff_required(view):
    """Signed-in officials only; a Vietnamese 403 page for everybody else."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not orgs.is_staff_member(request.user):
            return forbidden(request)
        return view(request, *args, **kwargs)
    return wrapper


def optional_url(name, *args):
    """``reverse(name, args)`` or "" while the app that owns ``name`` is not installed yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _can_read(user, dossier) -> bool:
    return services.can_read_dossier(user, dossier)


def _due_class(due_at, now):
    if due_at is None:
        return "mc-due-ok"
    if due_at < now:
        return "mc-due-overdue"
    if due_at < now + DUE_SOON:
        return "mc-due-soon"
    return "mc-due-ok"


def _remaining_label(cal, due_at, now):
    """"còn 2,5 ngày làm việc" / "quá hạn 1 ngày làm việc", in working time."""
    if due_at is None:
        return ""
    days = wc.working_days_between(cal, now, due_at)
    if days >= 0:
        if days < 1:
            hours = round(float(days) * 8, 1)
            return _("còn %(hours)s giờ làm việc") % {"hours": f"{hours:g}".replace(".", ",")}
        return _("còn %(days)s ngày làm việc") % {"days": f"{round(float(days), 1):g}".replace(".", ",")}
    late = -days
    if late < 1:
        hours = round(float(late) * 8, 1)
        return _("quá hạn %(hours)s giờ làm việc") % {"hours": f"{hours:g}".replace(".", ",")}
    return _("quá hạn %(days)s ngày làm việc") % {"days": f"{round(float(late), 1):g}".replace(".", ",")}


def _readable_dossiers(user):
    if orgs.is_inspector(user):
        return Dossier.objects.all()
    ids = list(orgs.agency_ids_for(user))
    return Dossier.objects.filter(Q(competent_agency_id__in=ids) | Q(receiving_agency_id__in=ids))


def _search_dossiers(user, q):
    folded = fold(q)[:100]
    if not folded:
        return []
    condition = Q()
    for word in folded.split(" "):
        condition &= Q(search_text__contains=word)
    return list(_readable_dossiers(user).filter(condition)
                .select_related("procedure_version", "competent_agency", "receiving_agency")
                .order_by("-received_at", "-id")[:PAGE_SIZE])


# ---------------------------------------------------------------- 1. work queue


@staff_required
def queue(request):
    scope = request.GET.get("scope", "mine")
    if scope not in dict(SCOPES):
        scope = "mine"
    now = timezone.now()
    steps = services.queue_for(request.user, scope=scope, now=now).select_related(
        "dossier__competent_agency", "dossier__receiving_agency")
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    cal = calendar.get_calendar()
    rows = [{"step": step, "dossier": step.dossier, "due_class": _due_class(step.due_at, now),
             "remaining": _remaining_label(cal, step.due_at, now)} for step in page.object_list]

    pairs = list(StaffRole.objects.filter(user=request.user).values_list("agency_id", "role"))
    alerts = []
    if pairs:
        condition = Q()
        for agency_id, role in pairs:
            condition |= Q(agency_id=agency_id, role=role)
        found = (StaffAlert.objects.filter(condition, resolved_at__isnull=True)
                 .select_related("dossier", "agency").order_by("-created_at")[:40])
        # An official holding two roles would otherwise see the same warning once per role.
        alerts = list({(alert.dossier_id, alert.message): alert for alert in found}.values())[:20]

    q = request.GET.get("q", "").strip()
    results = _search_dossiers(request.user, q) if q else None
    return render(request, "dossiers/queue.html", {
        "scope": scope, "scopes": SCOPES, "page": page, "rows": rows, "alerts": alerts, "q": q,
        "results": results, "now": now,
        "is_receiver": any(role == Role.RECEIVER for _agency, role in pairs),
    })


# ---------------------------------------------------------------- 2. counter reception


def _procedure_results(q):
    if not q.strip():
        return []
    try:
        from motcua.catalog import services as catalog
        return list(catalog.search(q=q)[:20])
    except (ImportError, AttributeError):  # catalogue search not available: fold by hand
        qs = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED,
                                             procedure__current_version=F("id"))
        for word in fold(q).split(" "):
            qs = qs.filter(search_text__contains=word)
        return list(qs.select_related("procedure").order_by("name")[:20])


def _bundle_results(q):
    """Active procedure bundles whose name has every word of ``q`` (diacritics ignored); all when empty."""
    from motcua.catalog.models import ProcedureBundle
    words = fold(q).split()
    return [b for b in ProcedureBundle.objects.filter(is_active=True).order_by("name")
            if all(word in fold(f"{b.code} {b.name}") for word in words)]


@staff_required
def receive(request):
    receiving = list(Agency.objects.filter(
        staff_roles__user=request.user, staff_roles__role=Role.RECEIVER).distinct().order_by("name"))
    if not receiving:
        return forbidden(request, _("Chỉ công chức tiếp nhận của bộ phận một cửa mới được tiếp nhận hồ sơ."))
    q = request.GET.get("q", "")
    version_id = request.GET.get("procedure", "")
    if not version_id.isdigit():
        results = _procedure_results(q)
        template = "dossiers/_procedure_results.html" if request.htmx else "dossiers/receive_pick.html"
        return render(request, template, {"q": q, "results": results, "searched": bool(q.strip()),
                                          "bundles": _bundle_results(q)})

    version = get_object_or_404(
        ProcedureVersion.objects.select_related("procedure", "field"),
        pk=int(version_id), status=ProcedureVersion.Status.PUBLISHED, procedure__current_version=F("id"))
    competent = list(version.agencies.order_by("name"))
    if not competent:
        competent = list(Agency.objects.exclude(kind=Agency.Kind.INTERNAL_UNIT).order_by("name"))
    receiving_qs = Agency.objects.filter(pk__in=[a.pk for a in receiving]).order_by("name")
    competent_qs = Agency.objects.filter(pk__in=[a.pk for a in competent]).order_by("name")
    form_kwargs = {"version": version, "receiving_agencies": receiving_qs, "competent_agencies": competent_qs}
    documents_error = ""
    if request.method == "POST":
        form = desk_forms.ReceptionForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                return _do_reception(request, form)
            except services.DossierError as error:
                messages.error(request, error.message)
                for name, problem in error.field_errors.items():
                    if name in form.fields:
                        form.add_error(name, problem)
                    elif name == "documents":
                        documents_error = problem
        else:
            messages.error(request, _("Thông tin tiếp nhận chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."))
    else:
        form = desk_forms.ReceptionForm(**form_kwargs)
    return render(request, "dossiers/receive_form.html", {
        "form": form, "version": version, "documents_error": documents_error, "q": q,
    }, status=400 if request.method == "POST" else 200)


def _do_reception(request, form):
    data = form.cleaned_data
    reception = services.Reception(
        procedure_version=form.version, receiving_agency=data["receiving_agency"],
        competent_agency=data["competent_agency"],
        applicant=services.Applicant(
            name=data["applicant_name"], id_number=data["applicant_id_number"], kind=data["applicant_kind"],
            organisation_name=data["organisation_name"], phone=data["applicant_phone"],
            email=data["applicant_email"], address=data["applicant_address"]),
        documents=form.received_documents(services.ReceivedDocument),
        channel=data["channel"], fee_amount=data["fee_amount"], return_method=data["return_method"],
        postal_address=data["postal_address"], note=data["note"], incoming_tracking=data["incoming_tracking"],
        postal_zone=data["postal_zone"])
    action = request.POST.get("action", "receive")
    if action == "incomplete":
        reason = data["reason"].strip() or _("Hồ sơ chưa đầy đủ thành phần theo quy định.")
        record = services.refuse_at_reception(request.user, reception, reason, incomplete=True)
        link = optional_url("forms_print:reception_refusal", record.pk)
        text = _("Hồ sơ chưa đầy đủ nên chưa tiếp nhận; đã lưu phiếu hướng dẫn bổ sung.")
        _success_with_link(request, text, link, _("In phiếu hướng dẫn"))
        return redirect("dossiers:detail", pk=record.pk)
    if action == "refuse":
        record = services.refuse_at_reception(request.user, reception, data["reason"])
        link = optional_url("forms_print:reception_refusal", record.pk)
        _success_with_link(request, _("Đã ghi nhận từ chối tiếp nhận hồ sơ."), link, _("In phiếu từ chối"))
        return redirect("dossiers:detail", pk=record.pk)
    dossier = services.receive(request.user, reception)
    text = _("Đã tiếp nhận hồ sơ %(code)s. Hẹn trả kết quả: %(due)s.") % {
        "code": dossier.code, "due": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y")}
    _success_with_link(request, text, optional_url("forms_print:receipt", dossier.pk),
                       _("In giấy tiếp nhận và hẹn trả kết quả"))
    return redirect("dossiers:detail", pk=dossier.pk)


def _success_with_link(request, text, link, label):
    if link:
        messages.success(request, format_html('{} <a href="{}" class="alert-link">{}</a>', text, link, label))
    else:
        messages.success(request, text)


# ---------------------------------------------------------------- 3. dossier page


class _Roles:
    """``roles_of`` per agency, asked once per agency per request."""

    def __init__(self, user):
        self.user, self._cache = user, {}

    def __call__(self, agency):
        if agency.pk not in self._cache:
            self._cache[agency.pk] = orgs.roles_of(self.user, agency)
        return self._cache[agency.pk]

    def can(self, agency, roles):
        return bool(self(agency) & set(roles))


def _apology(dossier):
    try:
        return dossier.apology
    except ApologyLetter.DoesNotExist:
        return None


def available_actions(user, dossier, steps, consultations, apology) -> dict:
    """Actions this user may attempt now (mirrors the services' checks; the services still decide)."""
    roles = _Roles(user)
    status = dossier.status
    active = [s for s in steps if s.status == StepStatus.ACTIVE]
    receiver = roles.can(dossier.receiving_agency, [Role.RECEIVER])

    def acting(step_roles):
        return [s for s in active if s.role in step_roles and roles.can(s.agency, [s.role])]

    actions = {}
    if status == Status.RECEIVED and receiver:
        actions["hand_over"] = {}
    if status == Status.IN_PROGRESS:
        if acting([Role.HANDLER, Role.RECEIVER]):
            actions["forward"] = {}
        back = acting([Role.HANDLER, Role.APPROVER, Role.CLERK])
        if back:
            current = back[0]
            earlier = [(s.order, f"{s.order}. {s.name}") for s in steps
                       if s.order < current.order and s.role != Role.RECEIVER]
            if earlier:
                actions["send_back"] = {"step_choices": earlier}
        if acting([Role.APPROVER]):
            actions["approve"] = {}
        if acting([Role.HANDLER, Role.APPROVER]):
            actions["consult"] = {}
    if status in (Status.IN_PROGRESS, Status.APPROVED) and acting([Role.HANDLER, Role.APPROVER]):
        actions["refuse"] = {}
    if (status in (Status.RECEIVED, Status.IN_PROGRESS) and dossier.supplement_requested_at is None
            and acting([Role.HANDLER, Role.APPROVER, Role.RECEIVER])):
        actions["request_supplement"] = {}
    if status == Status.AWAITING_SUPPLEMENT and receiver:
        actions["receive_supplement"] = {}
    if status == Status.APPROVED:
        if any(s.role == Role.CLERK for s in active):
            if acting([Role.CLERK]):
                actions["issue_result"] = {}
        elif roles.can(dossier.competent_agency, [Role.CLERK, Role.APPROVER]):
            actions["issue_result"] = {}
    if status in (Status.RESULT_READY, Status.REFUSED) and receiver:
        actions["return_result"] = {}
    if ((dossier.documents_by_post or dossier.channel == Channel.POST) and not dossier.incoming_tracking and receiver
            and status in (Status.SUBMITTED_ONLINE, *OPEN_STATUSES, Status.RESULT_READY, Status.REFUSED)):
        actions["record_incoming_post"] = {}
    if status in STOPPABLE_STATUSES and receiver:
        actions["stop"] = {}
    if (status in (Status.RECEIVED, Status.IN_PROGRESS, Status.APPROVED) and not dossier.extension_count
            and apology is None and acting([Role.HANDLER, Role.APPROVER])):
        actions["draft_apology"] = {}
    if apology is not None and apology.state == ApologyLetter.State.DRAFT and roles.can(apology.agency,
                                                                                       [Role.APPROVER]):
        actions["approve_apology"] = {}
    if (apology is not None and apology.state == ApologyLetter.State.APPROVED and not dossier.extension_count
            and receiver):
        actions["apply_extension"] = {}
    open_questions = [c for c in consultations if c.replied_at is None
                      and roles.can(c.to_agency, [Role.HANDLER, Role.APPROVER])]
    if open_questions:
        actions["reply_consultation"] = {"consultations": open_questions}
    return actions


def _action_form(action, dossier, options, data=None, files=None):
    initial = {"row_version": dossier.row_version}
    kwargs = {"initial": initial}
    if data is not None:
        kwargs.update(data=data, files=files)
    if action in ("hand_over", "forward", "approve"):
        return desk_forms.NoteForm(**kwargs)
    if action in ("refuse", "stop"):
        return desk_forms.ReasonForm(**kwargs)
    if action == "send_back":
        return desk_forms.SendBackForm(step_choices=options.get("step_choices", ()), **kwargs)
    if action == "request_supplement":
        return desk_forms.SupplementRequestForm(**kwargs)
    if action == "receive_supplement":
        return desk_forms.ReceiveSupplementForm(**kwargs)
    if action == "consult":
        agencies = Agency.objects.exclude(pk=dossier.competent_agency_id).exclude(
            kind=Agency.Kind.SERVICE_CENTRE).order_by("name")
        return desk_forms.ConsultForm(agencies=agencies, **kwargs)
    if action == "reply_consultation":
        return desk_forms.ReplyConsultationForm(**kwargs)
    if action == "issue_result":
        kwargs["initial"]["signed_on"] = timezone.localdate()
        return desk_forms.IssueResultForm(**kwargs)
    if action == "return_result":
        kwargs["initial"].update(method=dossier.return_method, postal_address=dossier.postal_address)
        return desk_forms.ReturnResultForm(**kwargs)
    if action == "record_incoming_post":
        return desk_forms.IncomingPostForm(**kwargs)
    if action == "draft_apology":
        return desk_forms.ApologyForm(**kwargs)
    return desk_forms.ActionForm(**kwargs)  # approve_apology, apply_extension


def _print_links(dossier, apology):
    wanted = []
    if dossier.status == Status.REJECTED_AT_RECEPTION:
        wanted.append(("forms_print:reception_refusal", _("In phiếu từ chối / hướng dẫn bổ sung")))
    else:
        if dossier.code:
            wanted.append(("forms_print:receipt", _("In giấy tiếp nhận và hẹn trả kết quả")))
        if dossier.supplement_requested_at:
            wanted.append(("forms_print:supplement", _("In phiếu yêu cầu bổ sung")))
        if dossier.status == Status.REFUSED or (dossier.status == Status.RETURNED and not dossier.result_number
                                                and dossier.outcome_reason):
            wanted.append(("forms_print:refusal", _("In phiếu từ chối giải quyết")))
        if apology is not None:
            wanted.append(("forms_print:apology", _("In văn bản xin lỗi, đề nghị gia hạn")))
        if dossier.status == Status.STOPPED:
            wanted.append(("forms_print:stop", _("In thông báo dừng giải quyết")))
        if dossier.code:
            wanted.append(("forms_print:control_sheet", _("In phiếu kiểm soát quá trình giải quyết")))
        if dossier.fee_receipt_number:
            wanted.append(("portal:payment_receipt_pdf", _("In biên lai điện tử (phí, lệ phí)")))
    links = []
    for name, label in wanted:
        url = optional_url(name, dossier.pk)
        if url:
            links.append({"url": url, "label": label})
    if dossier.status == Status.RETURNED and dossier.code:
        # The portal's counter tablet page (Đ33 rating at the desk); the portal refuses a second rating.
        url = optional_url("portal:rate_counter", dossier.code)
        if url:
            links.append({"url": url, "label": _("Mời đánh giá hài lòng tại quầy (máy tính bảng)")})
    return links


def _load_dossier(pk):
    return get_object_or_404(
        Dossier.objects.select_related("procedure_version__procedure", "competent_agency", "receiving_agency",
                                       "received_by", "late_cause_agency", "application__lead_agency",
                                       "waiting_for__competent_agency"), pk=pk)


def _render_detail(request, dossier, *, bound=None, status=200):
    steps = list(dossier.steps.select_related("agency", "assignee", "completed_by").order_by("order"))
    consultations = list(dossier.consultations.select_related("from_agency", "to_agency", "asked_by",
                                                              "replied_by"))
    apology = _apology(dossier)
    actions = available_actions(request.user, dossier, steps, consultations, apology)
    panels = []
    for action, options in actions.items():
        form = (bound or {}).get(action) or _action_form(action, dossier, options)
        panels.append({"action": action, "title": ACTION_TITLES[action], "form": form, "options": options,
                       "url": reverse("dossiers:action", args=[dossier.pk, action])})
    status_labels = dict(Status.choices)
    events = []
    for event in dossier.events.select_related("actor", "step", "agency"):
        events.append({"event": event, "label": EVENT_LABELS.get(event.action, event.action),
                       "from_label": status_labels.get(event.from_status, ""),
                       "to_label": status_labels.get(event.to_status, "")})
    now = timezone.now()
    return render(request, "dossiers/detail.html", {
        "dossier": dossier, "steps": steps, "consultations": consultations, "apology": apology,
        "documents": list(dossier.documents.all()), "events": events, "panels": panels,
        "explanation": services.explain_due(dossier) if dossier.legal_due_at else [],
        "print_links": _print_links(dossier, apology), "now": now,
        "due_class": _due_class(dossier.appointment_at, now) if dossier.is_open else "",
    }, status=status)


@staff_required
def detail(request, pk):
    dossier = _load_dossier(pk)
    if not _can_read(request.user, dossier):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ này."))
    return _render_detail(request, dossier)


def _call_service(action, request, dossier, form):
    """Run ``action`` through the service layer with the cleaned form; returns nothing."""
    user, data = request.user, form.cleaned_data
    version = data["row_version"]
    if action == "hand_over":
        services.hand_over(user, dossier.pk, version, data["note"])
    elif action == "forward":
        services.forward(user, dossier.pk, version, data["note"])
    elif action == "send_back":
        services.send_back(user, dossier.pk, version, data["to_order"], data["reason"])
    elif action == "approve":
        services.approve(user, dossier.pk, version, data["note"])
    elif action == "refuse":
        services.refuse(user, dossier.pk, version, data["reason"])
    elif action == "request_supplement":
        services.request_supplement(user, dossier.pk, version, data["items"])
    elif action == "receive_supplement":
        services.receive_supplement(user, dossier.pk, version, form.documents(services.ReceivedDocument),
                                    data["note"])
    elif action == "consult":
        services.consult(user, dossier.pk, version, to_agency=data["to_agency"], question=data["question"],
                         reply_days=data["reply_days"])
    elif action == "reply_consultation":
        consultation = Consultation.objects.filter(pk=data["consultation"], dossier=dossier).first()
        if consultation is None:
            raise services.DossierError(_("Không tìm thấy yêu cầu xin ý kiến này."))
        services.reply_consultation(user, consultation.pk, data["reply"])
    elif action == "issue_result":
        services.issue_result(user, dossier.pk, version, number=data["number"], signed_on=data["signed_on"],
                              signer=data["signer"], upload=data["upload"] or None)
    elif action == "return_result":
        services.return_result(user, dossier.pk, version, method=data["method"], tracking=data["tracking"],
                               note=data["note"], dispatched_on=data["dispatched_on"],
                               postal_address=data["postal_address"])
    elif action == "record_incoming_post":
        from motcua.dossiers import postal
        postal.record_incoming_documents(user, dossier.pk, version, data["tracking"], data["note"])
    elif action == "stop":
        services.stop(user, dossier.pk, version, data["reason"])
    elif action == "draft_apology":
        services.draft_apology(user, dossier.pk, version, reason=data["reason"],
                               proposed_due_at=data["proposed_due_at"])
    elif action == "approve_apology":
        services.approve_apology(user, dossier.pk, version)
    elif action == "apply_extension":
        services.apply_extension(user, dossier.pk, version)
    else:  # pragma: no cover - the URL only lets known actions through
        raise Http404


@staff_required
@require_POST
def action(request, pk, action):
    if action not in ACTION_TITLES:
        raise Http404
    dossier = _load_dossier(pk)
    if not _can_read(request.user, dossier):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ này."))
    options = {}
    if action == "send_back":
        options["step_choices"] = [(s.order, s.name) for s in dossier.steps.order_by("order")]
    form = _action_form(action, dossier, options, data=request.POST, files=request.FILES)
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Thông tin chưa hợp lệ: %(problems)s") % {"problems": problems})
        return _render_detail(request, dossier, bound={action: form}, status=400)
    try:
        _call_service(action, request, dossier, form)
    except services.StaleDossier as error:
        messages.error(request, error.message)
        return redirect("dossiers:detail", pk=dossier.pk)
    except services.DossierError as error:
        messages.error(request, error.message)
        for name, problem in error.field_errors.items():
            if name in form.fields:
                form.add_error(name, problem)
            else:
                messages.error(request, problem)
        dossier = _load_dossier(pk)
        status = 403 if isinstance(error, services.NotAllowed) else 400
        return _render_detail(request, dossier, bound={action: form}, status=status)
    messages.success(request, ACTION_DONE[action] % {"code": dossier.code or f"#{dossier.pk}"})
    return redirect("dossiers:detail", pk=dossier.pk)


# ---------------------------------------------------------------- scans and result files


def _file_response(stored, content_type):
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404
    name = stored.name.rsplit("/", 1)[-1]
    return FileResponse(handle, filename=name, content_type=content_type or "application/octet-stream")


@staff_required
def document(request, pk, document_id):
    dossier = _load_dossier(pk)
    if not _can_read(request.user, dossier):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ này."))
    doc = get_object_or_404(DossierDocument, pk=document_id, dossier=dossier)
    return _file_response(doc.file, doc.content_type)


@staff_required
def result_file(request, pk):
    dossier = _load_dossier(pk)
    if not _can_read(request.user, dossier):
        return forbidden(request, _("Bạn không có quyền xem hồ sơ này."))
    from motcua.dossiers.uploads import sniff
    content_type = ""
    if dossier.result_file:
        with dossier.result_file.open("rb") as handle:
            content_type = sniff(handle.read(16)) or ""
    return _file_response(dossier.result_file, content_type)

