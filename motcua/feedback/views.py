"""Feedback pages: sending and following (public, phone-first), published answers, the staff desk.

Views are thin: they parse a form, call one function of ``services`` and show its Vietnamese
message when it refuses (a refused action changes nothing).
"""
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from motcua.feedback import forms as fb_forms
from motcua.feedback import services
from motcua.feedback.models import Attachment, Category, Feedback, Status, Subject
from motcua.orgs import services as orgs
from motcua.portal import lookup as portal_lookup
from motcua.text import fold

PAGE_SIZE = 20

EVENT_LABELS = {
    "submit": gettext_lazy("Gửi phản ánh, kiến nghị"),
    "verify": gettext_lazy("Xác thực thông tin liên hệ — tiếp nhận phản ánh"),
    "classify": gettext_lazy("Phân loại lại"),
    "route": gettext_lazy("Chuyển cơ quan xử lý"),
    "merge": gettext_lazy("Gộp với phản ánh trùng nội dung"),
    "duplicate_merged": gettext_lazy("Nhận phản ánh trùng nội dung"),
    "reject": gettext_lazy("Không xử lý — ngoài phạm vi"),
    "answer": gettext_lazy("Trả lời phản ánh, kiến nghị"),
    "forward": gettext_lazy("Chuyển cơ quan cấp trên"),
    "remind": gettext_lazy("Nhắc hạn trả lời"),
    "overdue": gettext_lazy("Quá hạn trả lời"),
    "publish": gettext_lazy("Công khai câu trả lời"),
    "unpublish": gettext_lazy("Thôi công khai câu trả lời"),
}

ACTION_DONE = {
    "route": gettext_lazy("Đã chuyển phản ánh %(code)s đến cơ quan xử lý."),
    "classify": gettext_lazy("Đã phân loại lại phản ánh %(code)s."),
    "merge": gettext_lazy("Đã gộp phản ánh %(code)s vào phản ánh trùng nội dung."),
    "reject": gettext_lazy("Đã ghi nhận không xử lý phản ánh %(code)s; người gửi được thông báo lý do."),
    "answer": gettext_lazy("Đã trả lời phản ánh %(code)s; người gửi được thông báo."),
    "forward": gettext_lazy("Đã chuyển phản ánh %(code)s lên cơ quan cấp trên."),
    "publish": gettext_lazy("Đã công khai câu trả lời phản ánh %(code)s."),
    "unpublish": gettext_lazy("Đã thôi công khai câu trả lời phản ánh %(code)s."),
}

SCOPES = [
    ("triage", gettext_lazy("Chờ phân loại")),
    ("open", gettext_lazy("Đang xử lý")),
    ("due_soon", gettext_lazy("Sắp đến hạn")),
    ("overdue", gettext_lazy("Quá hạn")),
    ("answered", gettext_lazy("Đã trả lời")),
    ("all", gettext_lazy("Tất cả")),
]


def _error_status(exc) -> int:
    return 409 if isinstance(exc, services.StaleFeedback) else exc.status


# ---------------------------------------------------------------- public: published answers


def public_list(request):
    form = fb_forms.PublicSearchForm(request.GET or None)
    q = (request.GET.get("q") or "").strip()
    category = Category.objects.filter(code=request.GET.get("loai") or "").first()
    results = services.published(q=q, category=category)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [{"feedback": f, "title": services.redact(f.title), "answer": services.redact(f.answer)}
            for f in page.object_list]
    return render(request, "feedback/public_list.html", {
        "form": form, "page": page, "rows": rows, "q": q, "query": query.urlencode(),
        "searched": bool(q or category)})


def public_detail(request, code):
    feedback = get_object_or_404(Feedback.objects.select_related("category", "responsible_agency", "procedure",
                                                                 "procedure__current_version"),
                                 code=code, status=Status.ANSWERED, is_published=True)
    return render(request, "feedback/public_detail.html", {
        "feedback": feedback, "title": services.redact(feedback.title),
        "description": feedback.description if feedback.publish_identity else services.redact(feedback.description),
        "answer": services.redact(feedback.answer), "sender": services.public_sender(feedback),
        "timeline": services.public_timeline(feedback), "labels": EVENT_LABELS})


# ---------------------------------------------------------------- public: sending and verifying


def send(request):
    initial = {}
    if request.GET.get("thu_tuc"):
        initial["procedure"] = request.GET["thu_tuc"]
        regulation = Category.objects.filter(subject=Subject.REGULATION, is_active=True).order_by("order").first()
        initial["category"] = regulation
    if request.GET.get("ho_so"):
        initial["dossier_code"] = request.GET["ho_so"]
    form = fb_forms.SendForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = services.Submission(
            category=data["category"], title=data["title"], description=data["description"],
            procedure=data["procedure"], dossier_code=data["dossier_code"],
            concerned_agency=data["concerned_agency"], official_name=data["official_name"],
            sender_name=data["sender_name"], sender_phone=data["sender_phone"], sender_email=data["sender_email"],
            address=data["address"], publish_identity=data["publish_identity"], verify_by=data["verify_by"],
            attachments=data["attachments"])
        try:
            feedback = services.submit(submission)
        except services.FeedbackError as exc:
            status = 400
            for name, message in exc.field_errors.items():
                form.add_error(name if name in form.fields else None, message)
            if not exc.field_errors:
                form.add_error(None, exc.message)
        else:
            request.session["feedback_sent"] = feedback.code
            return redirect("feedback:verify", code=feedback.code)
    elif request.method == "POST":
        status = 400
    return render(request, "feedback/send.html", {"form": form, "subjects": form.category_subjects()},
                  status=status)


def _masked(value: str) -> str:
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{value[:3]}****{value[-3:]}" if len(value) > 6 else value


def verify(request, code):
    feedback = get_object_or_404(Feedback, code=code)
    form = fb_forms.VerifyForm(request.POST or None)
    error, status = None, 200
    if request.GET.get("t") and feedback.status == Status.UNVERIFIED:
        try:
            services.verify_link(code, request.GET["t"])
        except services.FeedbackError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("feedback:verify", code=code)
    if request.method == "POST":
        try:
            if "resend" in request.POST:
                row = services.resend_verification(code, request.POST.get("resend"))
                messages.info(request, _("Đã gửi lại mã xác thực đến %(to)s.") % {"to": _masked(row.recipient)})
                return redirect("feedback:verify", code=code)
            services.verify_code(code, request.POST.get("secret", ""))
            return redirect("feedback:verify", code=code)
        except services.FeedbackError as exc:
            error, status = exc.message, exc.status
    feedback = Feedback.objects.select_related("category").get(pk=feedback.pk)
    latest = feedback.verifications.order_by("-created_at").first()
    # Only the browser that sent the feedback sees where the code went.
    own = request.session.get("feedback_sent") == code
    return render(request, "feedback/verify.html", {
        "feedback": feedback, "form": form, "error": error, "latest": latest, "own": own,
        "sent_to": _masked(latest.recipient) if latest and own else "",
        "verified": feedback.status != Status.UNVERIFIED}, status=status)


def track(request):
    form = fb_forms.TrackForm(request.GET or None)
    feedback, error, status = None, None, 200
    if request.GET.get("ma") or request.GET.get("lh"):
        # The dossier lookup's allowance of wrong pairs, shared: guessing 4 digits stays impractical.
        try:
            feedback = portal_lookup.within_allowance(
                portal_lookup.client_ident(request),
                lambda: services.find_for_sender(request.GET.get("ma", ""), request.GET.get("lh", "")),
                wrong=services.FeedbackError)
        except portal_lookup.Throttled as exc:
            response = render(request, "feedback/track.html", {"form": form, "error": exc.message}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except services.FeedbackError as exc:
            error, status = exc.message, exc.status
    context = {"form": form, "feedback": feedback, "error": error, "labels": EVENT_LABELS}
    if feedback is not None:
        context.update(timeline=services.public_timeline(feedback), overdue=services.is_overdue(feedback))
    return render(request, "feedback/track.html", context, status=status)


# ---------------------------------------------------------------- staff desk


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not orgs.is_staff_member(request.user):
            return render(request, "dossiers/403.html", {
                "message": _("Trang này chỉ dành cho cán bộ, công chức có vai trò trong hệ thống một cửa.")},
                status=403)
        return view(request, *args, **kwargs)
    return wrapper


def _desk_queryset(user, scope, now):
    qs = services.readable(user).select_related("category", "responsible_agency", "receiving_agency")
    mine = orgs.agency_ids_for(user, roles=services.ANSWER_ROLES)
    triage = orgs.agency_ids_for(user, roles=services.TRIAGE_ROLES)
    if scope == "triage":
        return qs.filter(status=Status.RECEIVED, receiving_agency_id__in=triage).order_by("received_at", "id")
    if scope in ("open", "due_soon", "overdue"):
        qs = qs.filter(status=Status.ASSIGNED)
        if not orgs.is_inspector(user):
            qs = qs.filter(Q(responsible_agency_id__in=mine) | Q(receiving_agency_id__in=triage))
        if scope == "due_soon":
            qs = qs.filter(due_at__gte=now, reminder_sent_at__isnull=False)
        elif scope == "overdue":
            qs = qs.filter(due_at__lt=now)
        return qs.order_by("due_at", "id")
    if scope == "answered":
        return qs.filter(status=Status.ANSWERED).order_by("-answered_at", "-id")
    return qs.exclude(status=Status.UNVERIFIED).order_by("-submitted_at", "-id")


@staff_required
def desk_list(request):
    now = timezone.now()
    triager = bool(orgs.agency_ids_for(request.user, roles=services.TRIAGE_ROLES))
    scope = request.GET.get("scope") or ("triage" if triager else "open")
    if scope not in dict(SCOPES):
        scope = "open"
    qs = _desk_queryset(request.user, scope, now)
    q = (request.GET.get("q") or "").strip()
    for word in fold(q[:100]).split():
        qs = qs.filter(search_text__contains=word)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [{"feedback": f, "overdue": services.is_overdue(f, now)} for f in page.object_list]
    return render(request, "feedback/desk_list.html", {
        "rows": rows, "page": page, "scope": scope, "scopes": SCOPES, "q": q, "now": now})


def _desk_feedback(request, pk):
    feedback = get_object_or_404(
        Feedback.objects.select_related("category", "receiving_agency", "responsible_agency", "procedure",
                                        "procedure__current_version", "dossier", "concerned_agency",
                                        "merged_into", "answered_by", "api_key"), pk=pk)
    if not services.can_read(request.user, feedback):
        raise Http404
    return feedback


def _detail_context(request, feedback, forms=None):
    forms = forms or {}
    user = request.user
    triage = services.can_triage(user, feedback)
    answerer = services.can_answer(user, feedback)
    is_open = feedback.status in (Status.RECEIVED, Status.ASSIGNED)
    higher = services.higher_agencies(feedback.responsible_agency) if feedback.responsible_agency_id else []
    suggested = services.suggested_agency(feedback)
    context = {
        "feedback": feedback, "labels": EVENT_LABELS,
        "events": feedback.events.select_related("actor", "agency").order_by("at", "id"),
        "attachments": feedback.attachments.all(), "duplicates": feedback.duplicates.all(),
        "explanation": services.explain_due(feedback), "overdue": services.is_overdue(feedback),
        "can_route": triage and is_open, "can_merge": triage and is_open, "can_reject": triage and is_open,
        "can_answer": answerer and feedback.status == Status.ASSIGNED,
        "can_forward": answerer and feedback.status == Status.ASSIGNED and bool(higher),
        "can_publish": (triage or answerer) and feedback.status == Status.ANSWERED,
        "route_form": forms.get("route") or fb_forms.RouteForm(initial={
            "category": feedback.category, "agency": feedback.responsible_agency or suggested}),
        "merge_form": forms.get("merge") or fb_forms.MergeForm(),
        "reject_form": forms.get("reject") or fb_forms.ReasonForm(),
        "answer_form": forms.get("answer") or fb_forms.AnswerForm(),
        "forward_form": forms.get("forward") or fb_forms.ForwardForm(agencies=higher),
        "suggested": suggested,
    }
    return context


@staff_required
def desk_detail(request, pk):
    feedback = _desk_feedback(request, pk)
    return render(request, "feedback/desk_detail.html", _detail_context(request, feedback))


@staff_required
def desk_attachment(request, pk, attachment_id):
    feedback = _desk_feedback(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, feedback=feedback)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                        filename=attachment.name)


def _version(request):
    try:
        return int(request.POST.get("row_version", ""))
    except ValueError:
        return -1  # a form without its version is treated as stale


@staff_required
@require_POST
def desk_action(request, pk, action):
    feedback = _desk_feedback(request, pk)
    user, version = request.user, _version(request)
    higher = services.higher_agencies(feedback.responsible_agency) if feedback.responsible_agency_id else []
    form_classes = {"route": fb_forms.RouteForm, "merge": fb_forms.MergeForm, "reject": fb_forms.ReasonForm,
                    "answer": fb_forms.AnswerForm}
    if action in form_classes:
        form = form_classes[action](request.POST)
    elif action == "forward":
        form = fb_forms.ForwardForm(request.POST, agencies=higher)
    elif action in ("publish", "unpublish"):
        form = None
    else:
        raise Http404
    try:
        if form is not None and not form.is_valid():
            raise services.FeedbackError(_("Vui lòng kiểm tra lại các ô được đánh dấu."))
        data = form.cleaned_data if form is not None else {}
        if action == "route":
            services.route(user, feedback.pk, version, data["agency"], category=data["category"], note=data["note"])
        elif action == "merge":
            services.merge(user, feedback.pk, version, data["into_code"], note=data["note"])
        elif action == "reject":
            services.reject(user, feedback.pk, version, data["reason"])
        elif action == "answer":
            services.answer(user, feedback.pk, version, data["answer"], publish=data["publish"])
        elif action == "forward":
            services.forward(user, feedback.pk, version, data["agency"], data["reason"])
        else:
            services.set_published(user, feedback.pk, version, action == "publish")
    except services.FeedbackError as exc:
        if form is not None:
            for name, message in exc.field_errors.items():
                if name in form.fields:
                    form.add_error(name, message)
        messages.error(request, exc.message)
        feedback = _desk_feedback(request, pk)
        context = _detail_context(request, feedback, forms={action: form} if form is not None else {})
        context["open_action"] = action
        return render(request, "feedback/desk_detail.html", context, status=_error_status(exc))
    messages.success(request, ACTION_DONE[action] % {"code": feedback.code})
    return redirect(reverse("feedback:desk_detail", args=[feedback.pk]))
