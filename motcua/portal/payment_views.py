"""Pages of online payment and the postal service for a citizen's own dossier, the gateway's
notify and return URLs, the electronic receipt, and the built-in sandbox gateway's pay page.

Views are thin: ``payments`` and ``dossiers.postal`` hold every rule.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.dossiers import postal
from motcua.dossiers.models import Dossier, ReturnMethod
from motcua.dossiers.services import DossierError, can_read_dossier
from motcua.forms_print.render import render_pdf
from motcua.portal import payments
from motcua.portal.models import PaymentOrder, SandboxTransaction
from motcua.portal.payment_forms import PostalForm, SandboxDecisionForm


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _own_dossier(request, pk) -> Dossier:
    """The signed-in citizen's own dossier; anybody else's is "not found" (nothing leaks)."""
    return get_object_or_404(
        Dossier.objects.select_related("procedure_version__procedure", "procedure_version__online_level",
                                       "competent_agency", "receiving_agency"),
        pk=pk, applicant_user=request.user)


def _error(request, message, status=400):
    return render(request, "portal/payment/error.html", {"message": message}, status=status)


def payment_context(dossier: Dossier, user) -> dict:
    """What the payment panel shows about a dossier (also included by other portal pages)."""
    receipt = payments.paid_receipt(dossier)
    order = payments.latest_order(dossier)
    refusal = payments.payment_refusal(dossier, user)
    return {
        "dossier": dossier, "receipt": receipt, "order": order,
        "pending": order is not None and order.status == PaymentOrder.Status.PENDING and receipt is None,
        "can_pay": refusal is None, "refusal": refusal, "fee": payments.fee_of(dossier),
        "gateway_label": _gateway_label(),
    }


def _gateway_label(name=None):
    try:
        return payments.get_gateway(name).label
    except payments.PaymentError:
        return ""


# ---------------------------------------------------------------- the citizen's payment page


@never_cache
@login_required
def pay(request, pk):
    """``portal:pay``: the fee of an online dossier; POST sends the browser to the gateway."""
    dossier = _own_dossier(request, pk)
    if request.method == "POST":
        try:
            start = payments.start_payment(dossier, request.user, base_url=request.build_absolute_uri("/"))
        except payments.PaymentError as error:
            messages.error(request, error.message)
            return render(request, "portal/payment/pay.html", payment_context(dossier, request.user), status=400)
        return HttpResponseRedirect(start.redirect_url)
    return render(request, "portal/payment/pay.html", payment_context(dossier, request.user))


@login_required
@require_POST
def check(request, pk):
    """Ask the gateway about a pending order (when its notification has not arrived yet)."""
    dossier = _own_dossier(request, pk)
    order = payments.latest_order(dossier)
    if order is not None and order.status == PaymentOrder.Status.PENDING:
        payments.reconcile(order, source=f"query {_client(request)}")
    return redirect("portal:pay", pk=dossier.pk)


@never_cache
def payment_return(request, gateway):
    """Where the gateway sends the browser back: show the outcome, never record it from here."""
    try:
        order = payments.check_return(gateway, request.GET, source=_client(request))
    except payments.PaymentError as error:
        return _error(request, error.message)
    if order.status == PaymentOrder.Status.PENDING:
        # The browser can be faster than the notification: ask the gateway itself (signed answer).
        payments.reconcile(order, source=f"query {_client(request)}")
        order = PaymentOrder.objects.get(pk=order.pk)
    if order.status == PaymentOrder.Status.PAID:
        messages.success(request, _("Thanh toán thành công %(amount)s đồng. Biên lai điện tử đã được lập.")
                         % {"amount": payments.grouped(order.amount)})
    elif order.status == PaymentOrder.Status.CANCELLED:
        messages.warning(request, _("Giao dịch thanh toán đã bị hủy; chưa có khoản nào được ghi nhận. "
                                    "Bạn có thể thanh toán lại."))
    elif order.status == PaymentOrder.Status.DUPLICATE:
        messages.warning(request, _("Hồ sơ đã được thanh toán trước đó; khoản thu trùng sẽ được hoàn trả."))
    else:
        messages.info(request, _("Đang chờ cổng thanh toán xác nhận giao dịch. Vui lòng kiểm tra lại sau ít phút."))
    if request.user.is_authenticated and order.dossier.applicant_user_id == request.user.pk:
        return redirect("portal:pay", pk=order.dossier_id)
    return render(request, "portal/payment/returned.html", {"order": order})


@csrf_exempt
@require_POST
def callback(request, gateway):
    """The gateway's server-to-server notification (IPN). The answer follows the gateway convention."""
    outcome = payments.handle_notification(gateway, request.POST, source=_client(request))
    return JsonResponse(outcome.as_json())


# ---------------------------------------------------------------- electronic receipt


def _receipt_for(request, pk):
    dossier = get_object_or_404(Dossier.objects.select_related("procedure_version", "competent_agency"), pk=pk)
    user = request.user
    if dossier.applicant_user_id != user.pk and not can_read_dossier(user, dossier):
        raise Http404
    receipt = payments.paid_receipt(dossier)
    if receipt is None:
        raise Http404
    return dossier, receipt


def receipt_context(dossier, receipt) -> dict:
    from motcua.forms_print import services as forms
    governing, agency = forms.issuer_lines(receipt.collecting_agency)
    return {
        "dossier": dossier, "receipt": receipt, "amount": payments.grouped(receipt.amount),
        "amount_words": payments.amount_in_words(receipt.amount),
        "paid_at": forms.vn_datetime(receipt.paid_at), "issued_date": forms.vn_long_date(receipt.issued_at),
        "place_date": f"{forms.place_name(receipt.collecting_agency)}, {forms.vn_long_date(receipt.issued_at)}",
        "issuer_parent_upper": governing, "issuer_upper": agency,
        "gateway_label": _gateway_label(receipt.gateway) or receipt.gateway,
        "postal_return": dossier.return_method == ReturnMethod.POST,
    }


@login_required
def receipt(request, pk):
    dossier, found = _receipt_for(request, pk)
    return render(request, "portal/payment/receipt.html", receipt_context(dossier, found))


@login_required
def receipt_pdf(request, pk):
    dossier, found = _receipt_for(request, pk)
    pdf = render_pdf("portal/payment/receipt_pdf.html", receipt_context(dossier, found))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{found.full_number}.pdf"'
    return response


# ---------------------------------------------------------------- postal service (citizen)


@never_cache
@login_required
def postal_options(request, pk):
    """``portal:postal``: send the paper documents and/or receive the result by post."""
    dossier = _own_dossier(request, pk)
    version = dossier.procedure_version
    initial = {"row_version": dossier.row_version, "send_documents": dossier.documents_by_post,
               "return_by_post": dossier.return_method == ReturnMethod.POST,
               "postal_address": dossier.postal_address or dossier.applicant_address,
               "postal_zone": dossier.postal_zone or "in_province"}
    status = 200
    if request.method == "POST":
        form = PostalForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                postal.choose_postal(request.user, dossier.pk, data["row_version"],
                                     send_documents=data["send_documents"], return_by_post=data["return_by_post"],
                                     address=data["postal_address"], zone=data["postal_zone"])
            except DossierError as error:
                messages.error(request, error.message)
                for name, problem in error.field_errors.items():
                    if name in form.fields:
                        form.add_error(name, problem)
                status = 400
            else:
                messages.success(request, _("Đã lưu lựa chọn dịch vụ bưu chính công ích."))
                return redirect("portal:postal", pk=dossier.pk)
        else:
            messages.error(request, _("Thông tin chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."))
            status = 400
    else:
        form = PostalForm(initial=initial)
    return render(request, "portal/payment/postal.html", {
        "dossier": dossier, "form": form, "fees": postal.fee_table(), "editable": dossier.status == "submitted_online",
        "allows_reception": version.postal_reception, "allows_return": version.postal_return,
    }, status=status)


# ---------------------------------------------------------------- the sandbox gateway's own pages


def _sandbox_enabled():
    from django.conf import settings
    if not settings.PAYMENT_SANDBOX_ENABLED:
        raise Http404


@never_cache
def sandbox_pay(request):
    """The sandbox gateway's pay page (a separate site in real life, served here for testing)."""
    _sandbox_enabled()
    if request.method == "POST":
        form = SandboxDecisionForm(request.POST)
        if not form.is_valid():
            return render(request, "portal/payment/sandbox.html",
                          {"error": _("Yêu cầu không hợp lệ.")}, status=400)
        try:
            txn = payments.sandbox_decide(form.cleaned_data["reference"], form.cleaned_data["decision"] == "approve")
        except payments.PaymentError as error:
            return render(request, "portal/payment/sandbox.html", {"error": error.message}, status=400)
        return HttpResponseRedirect(payments.sandbox_return_url(txn))
    try:
        txn = payments.sandbox_open(request.GET)
    except payments.PaymentError as error:
        return render(request, "portal/payment/sandbox.html", {"error": error.message}, status=400)
    return render(request, "portal/payment/sandbox.html", {
        "txn": txn, "decided": txn.status != SandboxTransaction.Status.PENDING,
        "return_url": payments.sandbox_return_url(txn) if txn.status != SandboxTransaction.Status.PENDING else "",
        "amount": payments.grouped(txn.amount)})
