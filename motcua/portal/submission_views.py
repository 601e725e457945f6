"""Online submission and "my dossiers": thin views over ``portal.submission`` and ``dossiers.online``.

Only the owner sees a draft or a dossier here (others get a Vietnamese 403 page); staff read
dossiers at the desk.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from motcua.catalog import services as catalog
from motcua.dossiers import online
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import DossierError, NotAllowed, StaleDossier
from motcua.dossiers.uploads import sniff
from motcua.portal import accounts, submission
from motcua.portal.models import DraftFile, OnlineDraft, SatisfactionRating
from motcua.portal.submission_forms import DraftForm, SupplementForm

# What the applicant sees of the dossier's history: plain words, no internal notes or staff names.
TIMELINE = {
    "submit_online": gettext_lazy("Nộp hồ sơ trực tuyến"),
    "return_online": gettext_lazy("Hồ sơ được trả lại để hoàn thiện (chưa tiếp nhận)"),
    "resubmit_online": gettext_lazy("Nộp lại hồ sơ đã hoàn thiện"),
    "reject_online": gettext_lazy("Hồ sơ không được tiếp nhận"),
    "accept_online": gettext_lazy("Hồ sơ đã được tiếp nhận"),
    "receive": gettext_lazy("Hồ sơ đã được tiếp nhận"),
    "hand_over": gettext_lazy("Hồ sơ được chuyển đến cơ quan giải quyết"),
    "forward": gettext_lazy("Hoàn thành một bước xử lý"),
    "approve": gettext_lazy("Hồ sơ đã được phê duyệt"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "receive_supplement": gettext_lazy("Đã nhận hồ sơ bổ sung — thời hạn giải quyết được tính lại"),
    "refuse": gettext_lazy("Từ chối giải quyết"),
    "issue_result": gettext_lazy("Đã có kết quả giải quyết"),
    "return": gettext_lazy("Đã trả kết quả"),
    "stop": gettext_lazy("Dừng giải quyết theo đề nghị của người nộp"),
    "close_unsupplemented": gettext_lazy("Kết thúc do không bổ sung hồ sơ trong thời hạn"),
    "extend": gettext_lazy("Cơ quan giải quyết xin lỗi và hẹn lại ngày trả kết quả"),
    "payment_received": gettext_lazy("Đã thanh toán phí, lệ phí trực tuyến"),
    "postal_options": gettext_lazy("Chọn dịch vụ bưu chính công ích"),
    "postal_documents_arrived": gettext_lazy("Đã nhận bưu gửi hồ sơ giấy"),
}
# Only these events carry a text written for the applicant.
REASON_SHOWN = {"return_online", "reject_online", "request_supplement", "refuse", "stop", "payment_received"}
RESULT_STATUSES = (Status.RESULT_READY, Status.RETURNED)


def _forbidden(request, message):
    return render(request, "portal/submission/403.html", {"message": message}, status=403)


def _version_or_404(code):
    version = catalog.current_version(code)
    if version is None:
        raise Http404(_("Không tìm thấy thủ tục hành chính có mã “%(code)s”.") % {"code": code})
    return version


# ---------------------------------------------------------------- start


def submit_online(request, code):
    """The procedure's online-submission page: what to prepare, then start (or resume) a draft."""
    version = _version_or_404(code)
    can_submit = online.offers_online_submission(version)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        try:
            draft = submission.start_draft(request.user, version)
        except DossierError as error:
            messages.error(request, error.message)
        else:
            return redirect("portal:draft", pk=draft.pk)
    profile = accounts.profile_of(request.user)
    existing = (OnlineDraft.objects.filter(user=request.user, procedure_version=version, dossier__isnull=True).first()
                if profile else None)
    return render(request, "portal/submit_online.html", {
        "version": version, "can_submit_online": can_submit, "profile": profile, "existing": existing,
        "refusal": accounts.submission_refusal(request.user) if request.user.is_authenticated else None,
    }, status=400 if request.method == "POST" else 200)


def _login_url():
    from django.urls import reverse
    return reverse("login")


# ---------------------------------------------------------------- the draft form


def _own_draft(request, pk):
    draft = get_object_or_404(OnlineDraft.objects.select_related(
        "procedure_version__procedure", "procedure_version__online_level", "dossier", "competent_agency",
        "receiving_agency"), pk=pk)
    return draft if draft.user_id == request.user.pk else None


def _draft_form(draft, data=None, files=None):
    version = draft.procedure_version
    initial = {name: getattr(draft, name) for name in (
        "applicant_kind", "applicant_name", "applicant_id_number", "organisation_name", "applicant_phone",
        "applicant_email", "applicant_address", "return_method", "postal_address", "note", "row_version")}
    initial.update(competent_agency=draft.competent_agency_id, receiving_agency=draft.receiving_agency_id)
    return DraftForm(data, files, initial=initial, documents=version.documents.all(),
                     competent=submission.competent_agencies(version), centres=submission.service_centres(),
                     methods=submission.return_methods(version), locked_agencies=draft.dossier_id is not None)


def _render_draft(request, draft, form, status=200, extra_errors=()):
    stored = {f.required_id: f for f in draft.files.all()}
    return render(request, "portal/submission/draft.html", {
        "draft": draft, "form": form, "version": draft.procedure_version, "rows": form.document_rows(stored),
        "editable": submission.is_editable(draft), "refusal": accounts.submission_refusal(request.user),
        "extra_errors": extra_errors,
    }, status=status)


@login_required
def draft(request, pk):
    draft = _own_draft(request, pk)
    if draft is None:
        return _forbidden(request, _("Hồ sơ nháp này không thuộc tài khoản của bạn."))
    if request.method != "POST":
        if draft.dossier_id and not submission.is_editable(draft):
            return redirect("portal:my_dossier", pk=draft.dossier_id)
        return _render_draft(request, draft, _draft_form(draft))
    form = _draft_form(draft, request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."))
        return _render_draft(request, draft, form, status=400)
    data = form.cleaned_data
    values = submission.DraftData(
        competent_agency_id=data["competent_agency"] if draft.dossier_id is None else draft.competent_agency_id,
        receiving_agency_id=data["receiving_agency"] if draft.dossier_id is None else draft.receiving_agency_id,
        uploads=form.uploads(),
        **{name: data[name] for name in ("applicant_kind", "applicant_name", "applicant_id_number", "organisation_name",
                                         "applicant_phone", "applicant_email", "applicant_address", "return_method",
                                         "postal_address", "note")})
    try:
        saved = submission.save_draft(request.user, draft.pk, data["row_version"], values)
    except StaleDossier as error:
        messages.error(request, error.message)
        return redirect("portal:draft", pk=draft.pk)
    except DossierError as error:
        messages.error(request, error.message)
        rest = form.apply_errors(error.field_errors)
        return _render_draft(request, _own_draft(request, pk), form, status=400, extra_errors=rest)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Đã lưu hồ sơ nháp. Bạn có thể quay lại nộp tiếp bất cứ lúc nào tại "
                                    "“Hồ sơ của tôi”."))
        return redirect("portal:draft", pk=draft.pk)
    try:
        dossier = submission.submit(request.user, saved.pk, saved.row_version)
    except DossierError as error:
        messages.error(request, _("Đã lưu nháp nhưng chưa nộp được: %(reason)s") % {"reason": error.message})
        fresh = _own_draft(request, pk)
        posted = request.POST.copy()
        posted["row_version"] = fresh.row_version  # the save above went through
        form = _draft_form(fresh, posted)
        form.is_valid()
        rest = form.apply_errors(error.field_errors)
        return _render_draft(request, fresh, form, status=400, extra_errors=rest)
    messages.success(request, _("Đã nộp hồ sơ trực tuyến. Biên nhận đã được gửi tới thư điện tử/số điện thoại của "
                                "bạn."))
    return redirect("portal:receipt", pk=dossier.pk)


@login_required
@require_POST
def draft_delete(request, pk):
    draft = _own_draft(request, pk)
    if draft is None:
        return _forbidden(request, _("Hồ sơ nháp này không thuộc tài khoản của bạn."))
    try:
        submission.delete_draft(request.user, draft.pk, int(request.POST.get("row_version") or 0))
    except DossierError as error:
        messages.error(request, error.message)
        return redirect("portal:draft", pk=draft.pk)
    messages.success(request, _("Đã xóa hồ sơ nháp."))
    return redirect("portal:my_dossiers")


def _file_response(stored, content_type, *, as_attachment=False):
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, filename=stored.name.rsplit("/", 1)[-1], as_attachment=as_attachment,
                        content_type=content_type or "application/octet-stream")


@login_required
def draft_file(request, pk, file_id):
    draft = _own_draft(request, pk)
    if draft is None:
        return _forbidden(request, _("Tệp này không thuộc tài khoản của bạn."))
    upload = get_object_or_404(DraftFile, pk=file_id, draft=draft)
    return _file_response(upload.file, upload.content_type)


# ---------------------------------------------------------------- my dossiers


def _own_dossier(request, pk):
    dossier = get_object_or_404(Dossier.objects.select_related(
        "procedure_version__procedure", "procedure_version__online_level", "receiving_agency", "competent_agency"),
        pk=pk)
    return dossier if dossier.applicant_user_id == request.user.pk else None


@login_required
def my_dossiers(request):
    if accounts.profile_of(request.user) is None:
        messages.info(request, _("Tài khoản cán bộ không có hồ sơ nộp trực tuyến; cán bộ xem hồ sơ tại Bàn làm việc."))
    page = Paginator(online.owned_by(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "portal/submission/my_dossiers.html", {
        "drafts": list(submission.drafts_of(request.user)), "page": page,
        "refusal": accounts.submission_refusal(request.user),
    })


def _timeline(dossier):
    rows = []
    for event in dossier.events.select_related("agency", "step__agency").order_by("at", "id"):
        label = TIMELINE.get(event.action)
        if label is None:
            continue
        agency = event.step.agency if event.step_id else event.agency
        rows.append({"at": event.at, "label": label, "agency": agency.name if agency else "",
                     "reason": event.reason if event.action in REASON_SHOWN else ""})
    return rows


def _render_dossier(request, dossier, supplement_form=None, status=200):
    return render(request, "portal/submission/my_dossier.html", {
        "dossier": dossier, "timeline": _timeline(dossier), "documents": list(dossier.documents.all()),
        "draft": OnlineDraft.objects.filter(dossier=dossier).first(),
        "supplement_form": supplement_form or (SupplementForm(initial={"row_version": dossier.row_version})
                                               if dossier.status == Status.AWAITING_SUPPLEMENT else None),
        "has_result": dossier.status in RESULT_STATUSES and bool(dossier.result_file),
        "rating": SatisfactionRating.objects.filter(dossier=dossier).first(),
    }, status=status)


@login_required
def my_dossier(request, pk):
    dossier = _own_dossier(request, pk)
    if dossier is None:
        return _forbidden(request, _("Hồ sơ này không thuộc tài khoản của bạn."))
    return _render_dossier(request, dossier)


@login_required
def receipt(request, pk):
    dossier = _own_dossier(request, pk)
    if dossier is None:
        return _forbidden(request, _("Hồ sơ này không thuộc tài khoản của bạn."))
    return render(request, "portal/submission/receipt.html", {
        "dossier": dossier, "documents": list(dossier.documents.all())})


@login_required
@require_POST
def my_supplement(request, pk):
    dossier = _own_dossier(request, pk)
    if dossier is None:
        return _forbidden(request, _("Hồ sơ này không thuộc tài khoản của bạn."))
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Thông tin chưa hợp lệ; vui lòng chọn lại tệp."))
        return _render_dossier(request, dossier, form, status=400)
    if not form.cleaned_data["files"]:
        form.add_error("files", _("Vui lòng chọn ít nhất một tệp."))
        messages.error(request, _("Vui lòng đính kèm tệp giấy tờ bổ sung."))
        return _render_dossier(request, dossier, form, status=400)
    try:
        submission.supplement(request.user, dossier.pk, form.cleaned_data["row_version"], form.cleaned_data["files"],
                              form.cleaned_data["note"])
    except StaleDossier as error:
        messages.error(request, error.message)
        return redirect("portal:my_dossier", pk=dossier.pk)
    except DossierError as error:
        messages.error(request, error.message)
        form.apply_errors({k: v for k, v in error.field_errors.items() if k in form.fields})
        return _render_dossier(request, _own_dossier(request, pk), form,
                               status=403 if isinstance(error, NotAllowed) else 400)
    messages.success(request, _("Đã gửi hồ sơ bổ sung. Thời hạn giải quyết được tính lại từ hôm nay."))
    return redirect("portal:my_dossier", pk=dossier.pk)


@login_required
def my_document(request, pk, document_id):
    dossier = _own_dossier(request, pk)
    if dossier is None:
        return _forbidden(request, _("Hồ sơ này không thuộc tài khoản của bạn."))
    document = get_object_or_404(dossier.documents, pk=document_id)
    return _file_response(document.file, document.content_type)


@login_required
def my_result(request, pk):
    """The electronic result, for the owner only, once it is issued."""
    dossier = _own_dossier(request, pk)
    if dossier is None:
        return _forbidden(request, _("Hồ sơ này không thuộc tài khoản của bạn."))
    if dossier.status not in RESULT_STATUSES or not dossier.result_file:
        raise Http404(_("Hồ sơ chưa có bản điện tử của kết quả."))
    with dossier.result_file.open("rb") as handle:
        content_type = sniff(handle.read(16)) or ""
    return _file_response(dossier.result_file, content_type, as_attachment=True)
