"""Online payment of fees (phí, lệ phí) for full-online procedures, through a payment gateway.

The flow is the one every Vietnamese payment gateway uses:

1. ``start_payment`` creates a ``PaymentOrder`` for the dossier's fee and asks the gateway for the
   URL of its pay page; the citizen's browser is sent there.
2. The citizen approves or cancels on the gateway's page. The gateway then
   - sends a **signed server-to-server notification** to our notify URL (``handle_notification``),
     the only thing that can mark an order paid, and
   - sends the browser back to our return URL with the same signed result (``check_return``),
     which only shows the outcome.
3. ``handle_notification`` verifies the HMAC in constant time, finds the order, checks the amount
   against the order and the procedure version's fee, and records the payment with its electronic
   receipt exactly once (a replay or a second concurrent notification changes nothing). Whatever
   it refuses is written to the append-only ``PaymentEvent`` log.

The built-in ``SandboxGateway`` is a complete gateway in miniature (its own pay page under
/sandbox-thanh-toan/, its own ledger, signed notifications delivered by a background job over
HTTP) so the whole flow runs without a contract with a real one.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.dossiers import notify
from motcua.dossiers.models import Channel, Dossier, DossierEvent, Status
from motcua.portal.models import PaymentEvent, PaymentOrder, PaymentReceipt, PaymentSequence, SandboxTransaction

log = logging.getLogger(__name__)

# A fee can be paid from the online submission until the result is handed back.
PAYABLE_STATUSES = [Status.SUBMITTED_ONLINE, Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT,
                    Status.APPROVED, Status.RESULT_READY]


class PaymentError(Exception):
    """A payment action refused for a reason the citizen can read; ``message`` is Vietnamese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class InvalidNotification(PaymentError):
    """A gateway message whose signature or content cannot be trusted."""


# ---------------------------------------------------------------- signing (HMAC-SHA256)


SIGNATURE_FIELD = "signature"


def canonical(params) -> str:
    """``key=value`` pairs sorted by key, values percent-encoded, joined by ``&``; the signature excluded."""
    return "&".join(f"{key}={urllib.parse.quote(str(params[key]), safe='')}"
                    for key in sorted(params) if key != SIGNATURE_FIELD)


def sign(params, secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha256).hexdigest()


def signature_valid(params, secret: str) -> bool:
    """Constant-time comparison, so the time taken says nothing about how much of a forgery matched."""
    given = str(params.get(SIGNATURE_FIELD, ""))
    return hmac.compare_digest(sign(params, secret).encode(), given.encode("utf-8", "replace"))


def flat(params) -> dict:
    """Request parameters as one string per key; a key sent twice (parameter pollution) is refused."""
    if hasattr(params, "getlist"):
        out = {}
        for key in params:
            values = params.getlist(key)
            if len(values) != 1:
                raise InvalidNotification(_("Tham số “%(key)s” bị lặp.") % {"key": key})
            out[key] = str(values[0])
        return out
    return {str(key): str(value) for key, value in dict(params).items()}


# ---------------------------------------------------------------- the gateway interface


class Result:
    PAID = "paid"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class GatewayResult:
    """What a gateway said about one order, after its signature was verified."""

    order_code: str
    amount: int
    transaction: str
    status: str  # Result.*
    paid_at: datetime | None = None
    raw: dict = field(default_factory=dict)


class PaymentGateway(ABC):
    """What the portal needs from a payment gateway. A province plugs in its contracted gateway
    by naming a subclass in settings.PAYMENT_GATEWAYS."""

    name = ""
    label = ""

    @abstractmethod
    def create_payment(self, order: PaymentOrder, *, return_url: str, notify_url: str) -> str:
        """Register the order with the gateway; the URL of the gateway's pay page for the browser."""

    @abstractmethod
    def verify(self, params) -> GatewayResult:
        """Check a notification's (or return's) signature and content; raise InvalidNotification."""

    @abstractmethod
    def query_status(self, order: PaymentOrder) -> GatewayResult | None:
        """Ask the gateway what became of the order (verified like a notification); None if unknown."""


def get_gateway(name: str | None = None) -> PaymentGateway:
    name = name or settings.PAYMENT_GATEWAY
    path = settings.PAYMENT_GATEWAYS.get(name)
    if path is None:
        raise PaymentError(_("Cổng thanh toán “%(name)s” chưa được cấu hình.") % {"name": name})
    gateway = import_string(path)()
    if isinstance(gateway, SandboxGateway) and not settings.PAYMENT_SANDBOX_ENABLED:
        raise PaymentError(_("Cổng thanh toán thử nghiệm đã bị tắt trên hệ thống này."))
    return gateway


# ---------------------------------------------------------------- the sandbox gateway


SANDBOX_CODES = {Result.PAID: "00", Result.CANCELLED: "24"}


class SandboxGateway(PaymentGateway):
    """Client side of the built-in test gateway (the server side is the ``sandbox_*`` functions)."""

    name = "sandbox"
    label = "Cổng thanh toán thử nghiệm"

    def __init__(self, secret: str | None = None, merchant: str | None = None):
        self.secret = secret or settings.PAYMENT_SANDBOX_SECRET
        self.merchant = merchant or settings.PAYMENT_SANDBOX_MERCHANT

    def create_payment(self, order, *, return_url, notify_url):
        params = {"merchant": self.merchant, "order": order.code, "amount": str(order.amount),
                  "description": order.description, "return_url": return_url, "notify_url": notify_url,
                  "created": timezone.now().strftime("%Y%m%d%H%M%S")}
        params[SIGNATURE_FIELD] = sign(params, self.secret)
        return f"{reverse('portal:sandbox_pay')}?{urllib.parse.urlencode(params)}"

    def verify(self, params):
        params = flat(params)
        if not params.get(SIGNATURE_FIELD):
            raise InvalidNotification(_("Thiếu chữ ký số của cổng thanh toán."))
        if not signature_valid(params, self.secret):
            raise InvalidNotification(_("Chữ ký của cổng thanh toán không hợp lệ (dữ liệu bị sửa hoặc giả mạo)."))
        if params.get("merchant") != self.merchant:
            raise InvalidNotification(_("Thông báo không dành cho đơn vị này."))
        code = params.get("result", "")
        status = {"00": Result.PAID, "24": Result.CANCELLED}.get(code, Result.FAILED)
        try:
            amount = int(params.get("amount", ""))
        except ValueError:
            raise InvalidNotification(_("Số tiền trong thông báo không hợp lệ.")) from None
        paid_at = None
        if params.get("paid_at"):
            try:
                paid_at = timezone.make_aware(datetime.strptime(params["paid_at"], "%Y%m%d%H%M%S"))
            except ValueError:
                raise InvalidNotification(_("Thời điểm thanh toán trong thông báo không hợp lệ.")) from None
        if not params.get("order") or not params.get("transaction"):
            raise InvalidNotification(_("Thông báo thiếu mã đơn hàng hoặc mã giao dịch."))
        return GatewayResult(order_code=params["order"], amount=amount, transaction=params["transaction"],
                             status=status, paid_at=paid_at, raw=params)

    def query_status(self, order):
        # A real gateway is asked over HTTPS; the sandbox answers in-process with the same signed fields.
        txn = SandboxTransaction.objects.filter(merchant=self.merchant, order_code=order.code).first()
        if txn is None or txn.status == SandboxTransaction.Status.PENDING:
            return None
        return self.verify(sandbox_result_params(txn, self.secret))


def sandbox_open(params) -> SandboxTransaction:
    """The sandbox receives a merchant's pay request: the signature protects amount and URLs."""
    params = flat(params)
    secret = settings.PAYMENT_SANDBOX_SECRET
    if not params.get(SIGNATURE_FIELD) or not signature_valid(params, secret):
        raise PaymentError(_("Yêu cầu thanh toán không hợp lệ: sai chữ ký của đơn vị chấp nhận thanh toán."))
    if params.get("merchant") != settings.PAYMENT_SANDBOX_MERCHANT:
        raise PaymentError(_("Đơn vị chấp nhận thanh toán không đăng ký với cổng thanh toán thử nghiệm."))
    try:
        amount = int(params.get("amount", ""))
    except ValueError:
        amount = 0
    if amount <= 0:
        raise PaymentError(_("Số tiền thanh toán không hợp lệ."))
    with transaction.atomic():
        txn, created = SandboxTransaction.objects.get_or_create(
            merchant=params["merchant"], order_code=params.get("order", ""),
            defaults={"reference": f"SBX{timezone.now():%y%m%d}{secrets.token_hex(5).upper()}", "amount": amount,
                      "description": params.get("description", "")[:255],
                      "return_url": params.get("return_url", ""), "notify_url": params.get("notify_url", ""),
                      "created_at": timezone.now()})
    if not created and txn.amount != amount:
        raise PaymentError(_("Đơn hàng này đã được tạo với số tiền khác."))
    return txn


def sandbox_decide(reference: str, approve: bool) -> SandboxTransaction:
    """The buyer approves or cancels on the sandbox page; the notification goes out after commit."""
    with transaction.atomic():
        txn = SandboxTransaction.objects.select_for_update().filter(reference=reference).first()
        if txn is None:
            raise PaymentError(_("Không tìm thấy giao dịch."))
        if txn.status == SandboxTransaction.Status.PENDING:
            txn.status = SandboxTransaction.Status.APPROVED if approve else SandboxTransaction.Status.CANCELLED
            txn.decided_at = timezone.now()
            txn.save(update_fields=["status", "decided_at"])
            txn_id = txn.pk
            transaction.on_commit(lambda: _schedule_notification(txn_id))
    return txn


def _schedule_notification(txn_id: int) -> None:
    from motcua.portal import payment_tasks
    payment_tasks.deliver_sandbox_notification(txn_id)


def sandbox_result_params(txn: SandboxTransaction, secret: str | None = None) -> dict:
    """The signed fields the sandbox sends in its notification and on the return redirect."""
    approved = txn.status == SandboxTransaction.Status.APPROVED
    params = {"merchant": txn.merchant, "order": txn.order_code, "amount": str(txn.amount),
              "transaction": txn.reference, "result": SANDBOX_CODES[Result.PAID if approved else Result.CANCELLED]}
    if approved and txn.decided_at:
        params["paid_at"] = timezone.localtime(txn.decided_at).strftime("%Y%m%d%H%M%S")
    params[SIGNATURE_FIELD] = sign(params, secret or settings.PAYMENT_SANDBOX_SECRET)
    return params


def sandbox_return_url(txn: SandboxTransaction) -> str:
    separator = "&" if "?" in txn.return_url else "?"
    return f"{txn.return_url}{separator}{urllib.parse.urlencode(sandbox_result_params(txn))}"


def http_post(url: str, params: dict, timeout: float = 10) -> tuple[int, str]:
    """POST form fields like a gateway's notifier does; (status code, body)."""
    body = urllib.parse.urlencode(params).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "User-Agent": "MotCua-Sandbox-Gateway/1.0"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 — our own notify URL
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def deliver_sandbox_notification(txn_id: int, post=http_post) -> bool:
    """Send the signed notification to the merchant's notify URL. True when the merchant took it.

    Like a real gateway, the sandbox counts the notification delivered when the merchant answers
    with code 00 (recorded) or 02 (already recorded); anything else is kept for a retry.
    """
    txn = SandboxTransaction.objects.get(pk=txn_id)
    if txn.status == SandboxTransaction.Status.PENDING or txn.notified_at is not None:
        return txn.notified_at is not None
    try:
        status, body = post(txn.notify_url, sandbox_result_params(txn))
    except (OSError, ValueError) as error:
        status, body = 0, f"{type(error).__name__}: {error}"
    try:
        code = json.loads(body).get("RspCode", "")
    except (ValueError, AttributeError):
        code = ""
    delivered = status == 200 and code in ("00", "02")
    SandboxTransaction.objects.filter(pk=txn_id).update(
        notify_attempts=F("notify_attempts") + 1, notify_response=f"{status} {body}"[:2000],
        notified_at=timezone.now() if delivered else None)
    return delivered


# ---------------------------------------------------------------- merchant side: starting a payment


def fee_of(dossier: Dossier) -> int:
    return dossier.procedure_version.fee_amount


def payment_refusal(dossier: Dossier, user) -> str | None:
    """Why ``user`` cannot pay ``dossier`` online now (Vietnamese), or None when they can."""
    version = dossier.procedure_version
    if dossier.applicant_user_id is None or dossier.applicant_user_id != getattr(user, "pk", None):
        return _("Chỉ người nộp hồ sơ mới thanh toán được phí, lệ phí của hồ sơ này.")
    if dossier.channel != Channel.ONLINE:
        return _("Chỉ hồ sơ nộp trực tuyến mới thanh toán trực tuyến; hồ sơ này nộp phí tại bộ phận một cửa.")
    level = version.online_level
    if not (level and level.is_full_online and level.pay_online):
        return _("Thủ tục này không phải dịch vụ công trực tuyến toàn trình nên không thanh toán trực tuyến; "
                 "phí, lệ phí nộp tại bộ phận một cửa.")
    if not version.fee_amount:
        return _("Thủ tục này không thu phí, lệ phí.")
    if dossier.fee_paid_at is not None:
        return _("Phí, lệ phí của hồ sơ này đã được thanh toán (biên lai số %(number)s).") % {
            "number": dossier.fee_receipt_number}
    if dossier.status not in PAYABLE_STATUSES:
        return _("Hồ sơ đang ở trạng thái “%(status)s” nên không thể thanh toán.") % {
            "status": dossier.get_status_display()}
    return None


def can_pay(dossier: Dossier, user) -> bool:
    return payment_refusal(dossier, user) is None


@dataclass(frozen=True)
class PaymentStart:
    order: PaymentOrder
    redirect_url: str


def _base_url(base_url: str | None) -> str:
    return (base_url or settings.PUBLIC_BASE_URL).rstrip("/")


@transaction.atomic
def start_payment(dossier: Dossier, user, *, base_url: str | None = None,
                  gateway: PaymentGateway | None = None) -> PaymentStart:
    """Create a payment order for the dossier's fee and the gateway URL to send the browser to.

    ``base_url`` is where the browser reached us (return URL); notifications go to
    settings.PAYMENT_CALLBACK_BASE_URL when set. Raises PaymentError when the dossier cannot be paid.
    """
    gateway = gateway or get_gateway()
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version__online_level").get(
        pk=dossier.pk)
    problem = payment_refusal(dossier, user)
    if problem:
        raise PaymentError(problem)
    version = dossier.procedure_version
    now = timezone.now()
    reference = dossier.code or _("hồ sơ số tham chiếu %(pk)s") % {"pk": dossier.pk}
    order = PaymentOrder.objects.create(
        code=f"MC{now:%y%m%d}{secrets.token_hex(5).upper()}", dossier=dossier, gateway=gateway.name,
        amount=version.fee_amount, payer=user, created_at=now,
        description=(_("Phí, lệ phí %(ref)s") % {"ref": reference})[:255])
    browser_base = _base_url(base_url)
    notify_base = _base_url(settings.PAYMENT_CALLBACK_BASE_URL or base_url)
    redirect_url = gateway.create_payment(
        order, return_url=browser_base + reverse("portal:payment_return", args=[gateway.name]),
        notify_url=notify_base + reverse("portal:payment_callback", args=[gateway.name]))
    _log(PaymentEvent.Kind.ORDER_CREATED, order=order, gateway=gateway.name,
         data={"amount": order.amount, "payer": user.get_username()})
    return PaymentStart(order=order, redirect_url=redirect_url)


# ---------------------------------------------------------------- merchant side: notifications


@dataclass(frozen=True)
class Outcome:
    """Our answer to the gateway (``code`` follows the usual convention) and what happened."""

    code: str
    message: str
    order: PaymentOrder | None = None
    recorded: bool = False

    def as_json(self) -> dict:
        return {"RspCode": self.code, "Message": self.message}


def _log(kind, *, order=None, dossier=None, gateway="", reason="", source="", data=None):
    dossier_id = dossier.pk if dossier is not None else (order.dossier_id if order is not None else None)
    return PaymentEvent.objects.create(at=timezone.now(), kind=kind, order=order, dossier_id=dossier_id,
                                       gateway=gateway, reason=reason, source=source[:100],
                                       data=_jsonable(data or {}))


def _jsonable(data: dict) -> dict:
    return {str(key): (value if isinstance(value, (int, bool)) or value is None else str(value)[:500])
            for key, value in dict(data).items()}


def _refuse(code, message, *, order=None, gateway="", source="", raw=None):
    log.warning("payment notification refused (%s): %s", code, message)
    _log(PaymentEvent.Kind.NOTIFY_REJECTED, order=order, gateway=gateway, reason=message, source=source,
         data=raw)
    return Outcome(code, message, order)


def handle_notification(gateway_name: str, params, *, source: str = "") -> Outcome:
    """Everything a gateway's server-to-server notification goes through (the notify URL's view)."""
    try:
        raw = flat(params)
    except InvalidNotification as error:
        return _refuse("97", error.message, gateway=gateway_name, source=source,
                       raw={key: "|".join(params.getlist(key)) for key in params})
    try:
        gateway = get_gateway(gateway_name)
    except PaymentError as error:
        return _refuse("99", error.message, gateway=gateway_name, source=source, raw=raw)
    try:
        result = gateway.verify(raw)
    except InvalidNotification as error:
        return _refuse("97", error.message, gateway=gateway.name, source=source, raw=raw)
    return apply_result(gateway, result, source=source)


def reconcile(order: PaymentOrder, *, source: str = "") -> Outcome | None:
    """Ask the gateway about a still-pending order (citizen back before the notification arrived)."""
    gateway = get_gateway(order.gateway)
    try:
        result = gateway.query_status(order)
    except InvalidNotification as error:
        return _refuse("97", error.message, order=order, gateway=gateway.name, source=source)
    if result is None:
        return None
    return apply_result(gateway, result, source=source or "query")


@transaction.atomic
def apply_result(gateway: PaymentGateway, result: GatewayResult, *, source: str = "") -> Outcome:
    """Record a verified gateway result on its order: once, for the right amount, or not at all."""
    raw = result.raw or {"order": result.order_code, "amount": result.amount, "transaction": result.transaction}
    found = PaymentOrder.objects.filter(code=result.order_code, gateway=gateway.name).values_list(
        "pk", "dossier_id").first()
    if found is None:
        return _refuse("01", _("Không tìm thấy đơn thanh toán %(code)s.") % {"code": result.order_code},
                       gateway=gateway.name, source=source, raw=raw)
    # Dossier first, then order: every path that pays takes the locks in this order, so two
    # notifications at once queue on the dossier and the second sees the first one's result.
    dossier = (Dossier.objects.select_for_update(of=("self",)).select_related("procedure_version", "competent_agency")
               .get(pk=found[1]))
    order = PaymentOrder.objects.select_for_update().get(pk=found[0])
    if result.amount != order.amount:
        return _refuse("04", _("Số tiền %(got)s đồng không khớp với đơn thanh toán (%(want)s đồng).")
                       % {"got": grouped(result.amount), "want": grouped(order.amount)},
                       order=order, gateway=gateway.name, source=source, raw=raw)
    if result.status != Result.PAID:
        if order.status != PaymentOrder.Status.PENDING:
            _log(PaymentEvent.Kind.NOTIFY_REPLAYED, order=order, gateway=gateway.name, source=source, data=raw,
                 reason=_("Đơn thanh toán đã ở trạng thái “%(status)s”.") % {"status": order.get_status_display()})
            return Outcome("02", "Order already confirmed", order)
        order.status = PaymentOrder.Status.CANCELLED if result.status == Result.CANCELLED else \
            PaymentOrder.Status.FAILED
        order.gateway_transaction = result.transaction
        order.save(update_fields=["status", "gateway_transaction", "updated_at"])
        _log(PaymentEvent.Kind.NOTIFY_CANCELLED, order=order, gateway=gateway.name, source=source, data=raw)
        return Outcome("00", "Confirm Success", order)
    if order.status in (PaymentOrder.Status.PAID, PaymentOrder.Status.DUPLICATE):
        same = order.gateway_transaction == result.transaction
        _log(PaymentEvent.Kind.NOTIFY_REPLAYED if same else PaymentEvent.Kind.NOTIFY_REJECTED, order=order,
             gateway=gateway.name, source=source, data=raw,
             reason=_("Đơn thanh toán đã được ghi nhận trước đó; không ghi nhận lại.") if same else
             _("Đơn thanh toán đã được ghi nhận với mã giao dịch khác (%(txn)s).") % {"txn": order.gateway_transaction})
        return Outcome("02", "Order already confirmed", order)
    fee = dossier.procedure_version.fee_amount
    if order.amount != fee:
        return _refuse("04", _("Số tiền %(got)s đồng không khớp với phí, lệ phí của thủ tục (%(want)s đồng).")
                       % {"got": grouped(order.amount), "want": grouped(fee)},
                       order=order, gateway=gateway.name, source=source, raw=raw)
    paid_at = result.paid_at or timezone.now()
    order.gateway_transaction, order.paid_at = result.transaction, paid_at
    if dossier.fee_paid_at is not None:
        # The money was taken twice (two orders paid): keep the fact so the agency refunds it.
        order.status = PaymentOrder.Status.DUPLICATE
        order.save(update_fields=["status", "gateway_transaction", "paid_at", "updated_at"])
        _log(PaymentEvent.Kind.NOTIFY_DUPLICATE, order=order, gateway=gateway.name, source=source, data=raw,
             reason=_("Hồ sơ đã được thanh toán (biên lai %(number)s); khoản thu này cần hoàn trả.")
             % {"number": dossier.fee_receipt_number})
        return Outcome("00", "Confirm Success", order)
    order.status = PaymentOrder.Status.PAID
    order.save(update_fields=["status", "gateway_transaction", "paid_at", "updated_at"])
    receipt = _issue_receipt(order, dossier, gateway)
    Dossier.objects.filter(pk=dossier.pk).update(
        fee_amount=order.amount, fee_paid_at=paid_at, fee_receipt_number=receipt.full_number,
        row_version=F("row_version") + 1)
    DossierEvent.objects.create(
        dossier=dossier, at=timezone.now(), actor=None, action="payment_received", from_status=dossier.status,
        to_status=dossier.status, agency=dossier.competent_agency,
        reason=_("Thanh toán trực tuyến qua %(gateway)s, biên lai số %(number)s.")
        % {"gateway": gateway.label, "number": receipt.full_number},
        data={"amount": order.amount, "receipt": receipt.full_number, "order": order.code,
              "transaction": result.transaction, "gateway": gateway.name})
    _log(PaymentEvent.Kind.NOTIFY_PAID, order=order, gateway=gateway.name, source=source, data=raw,
         reason=_("Biên lai số %(number)s.") % {"number": receipt.full_number})
    notify.applicant(Dossier.objects.select_related("procedure_version").get(pk=dossier.pk), "payment_received")
    return Outcome("00", "Confirm Success", order, recorded=True)


def grouped(amount: int) -> str:
    return f"{int(amount):,}".replace(",", ".")


def _next_receipt_number(series: str, year: int) -> str:
    """Next number in the series for the year, in the notification's transaction (no gap, no duplicate)."""
    table = PaymentSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (series, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (series, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [series, year])
        (last,) = cursor.fetchone()
    return f"{last:07d}"


def _issue_receipt(order: PaymentOrder, dossier: Dossier, gateway: PaymentGateway) -> PaymentReceipt:
    now = timezone.now()
    year = timezone.localdate(now).year
    series = f"{settings.PAYMENT_RECEIPT_SERIES}{year % 100:02d}E"
    version = dossier.procedure_version
    reference = dossier.code or _("hồ sơ số tham chiếu %(pk)s") % {"pk": dossier.pk}
    return PaymentReceipt.objects.create(
        order=order, dossier=dossier, series=series, number=_next_receipt_number(series, year),
        amount=order.amount, payer_name=dossier.applicant_display, payer_id_number=dossier.applicant_id_number,
        payer_address=dossier.applicant_address,
        description=(_("Phí, lệ phí thủ tục “%(name)s” (%(ref)s)") % {"name": version.name, "ref": reference})[:500],
        collecting_agency=dossier.competent_agency, gateway=gateway.name, gateway_transaction=order.gateway_transaction,
        paid_at=order.paid_at, issued_at=now)


# ---------------------------------------------------------------- merchant side: the browser coming back


def check_return(gateway_name: str, params, *, source: str = "") -> PaymentOrder:
    """Verify the signed result the browser brought back and return its order (nothing is recorded:
    only the server-to-server notification pays). A forged return is logged and refused."""
    raw = {}
    try:
        raw = flat(params)
        gateway = get_gateway(gateway_name)
        result = gateway.verify(raw)
    except PaymentError as error:
        _log(PaymentEvent.Kind.RETURN_REJECTED, gateway=gateway_name, reason=error.message, source=source, data=raw)
        raise PaymentError(_("Dữ liệu cổng thanh toán gửi về không hợp lệ; giao dịch không được ghi nhận. "
                             "Nếu tài khoản đã bị trừ tiền, vui lòng liên hệ bộ phận một cửa.")) from None
    order = PaymentOrder.objects.filter(code=result.order_code, gateway=gateway.name).select_related("dossier").first()
    if order is None:
        _log(PaymentEvent.Kind.RETURN_REJECTED, gateway=gateway.name, source=source, data=raw,
             reason=_("Không tìm thấy đơn thanh toán %(code)s.") % {"code": result.order_code})
        raise PaymentError(_("Không tìm thấy đơn thanh toán."))
    return order


# ---------------------------------------------------------------- reading


def paid_receipt(dossier: Dossier) -> PaymentReceipt | None:
    return (PaymentReceipt.objects.filter(dossier=dossier, order__status=PaymentOrder.Status.PAID)
            .select_related("order", "collecting_agency").first())


def latest_order(dossier: Dossier) -> PaymentOrder | None:
    return dossier.payment_orders.order_by("-created_at", "-id").first()


UNITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
SCALES = ["", "nghìn", "triệu", "tỷ"]


def _three(n: int, full: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [UNITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [UNITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(UNITS[units])
    return words


def amount_in_words(amount: int) -> str:
    """``200000`` → "Hai trăm nghìn đồng" (the "Bằng chữ" line of a receipt)."""
    amount = int(amount)
    if amount == 0:
        return "Không đồng"
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _three(group, full=bool(words))
        if index < len(SCALES) and SCALES[index]:
            words.append(SCALES[index])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
