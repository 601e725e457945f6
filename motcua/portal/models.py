"""Citizen-facing records that the portal owns: satisfaction ratings (Decree 118/2025 Đ33–34),
online payments (orders, electronic receipts, their append-only log) and the sandbox gateway's ledger."""
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.orgs.models import Agency


class SatisfactionLevel(models.IntegerChoices):
    """The three-level scale of the official satisfaction survey."""

    VERY_SATISFIED = 3, _("Rất hài lòng")
    SATISFIED = 2, _("Hài lòng")
    DISSATISFIED = 1, _("Không hài lòng")


class Criterion(models.TextChoices):
    """The criteria of Đ33: each is rated on SatisfactionLevel."""

    TIME = "time", _("Thời gian trả kết quả so với thời hạn đã hẹn")
    AGENCIES = "agencies", _("Số lượng cơ quan, đơn vị phải liên hệ")
    CONTACTS = "contacts", _("Số lần phải liên hệ để hoàn thiện hồ sơ")
    INFORMATION = "information", _("Tính chính xác của thông tin thủ tục hành chính được công khai")
    CONDUCT = "conduct", _("Thái độ, cách ứng xử của cán bộ, công chức")
    LAWFUL = "lawful", _("Kết quả và chi phí giải quyết đúng quy định")
    EXTRA_COST = "extra_cost", _("Không phát sinh chi phí ngoài quy định")
    FEEDBACK = "feedback", _("Tiếp nhận và trả lời phản ánh, kiến nghị")
    ONLINE = "online", _("Chất lượng dịch vụ công trực tuyến")


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại quầy")


class SatisfactionRating(models.Model):
    """One rating per finished dossier; the agencies are copied so per-agency aggregates need no join.

    Ratings are never edited: the one-to-one on the dossier is the database's guarantee of "once per
    dossier", and ``portal.satisfaction.rate`` is the only writer (it also logs a DossierEvent).
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    competent_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("nơi đánh giá"), max_length=10, choices=RatingChannel.choices)
    overall = models.PositiveSmallIntegerField(_("đánh giá chung"), choices=SatisfactionLevel.choices)
    satisfied = models.BooleanField(_("hài lòng"))
    comment = models.TextField(_("ý kiến khác"), blank=True)
    rated_at = models.DateTimeField(_("thời điểm đánh giá"), db_index=True)
    # The official who opened the counter tablet page (None online): who let the rating in.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ mở trang đánh giá"),
                                    null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        indexes = [models.Index(fields=["competent_agency", "rated_at"], name="rating_agency_time"),
                   models.Index(fields=["receiving_agency", "rated_at"], name="rating_receiving_time")]

    def __str__(self):
        return f"{self.dossier_id}: {self.get_overall_display()}"

    @property
    def scores(self) -> dict[str, int]:
        """{criterion: level} of this rating."""
        return {s.criterion: s.level for s in self.criterion_scores.all()}


class SatisfactionScore(models.Model):
    """The level given to one Đ33 criterion in one rating (rows, so aggregates stay in SQL)."""

    rating = models.ForeignKey(SatisfactionRating, on_delete=models.PROTECT, related_name="criterion_scores")
    criterion = models.CharField(_("tiêu chí"), max_length=20, choices=Criterion.choices)
    level = models.PositiveSmallIntegerField(_("mức đánh giá"), choices=SatisfactionLevel.choices)

    class Meta:
        verbose_name = _("điểm theo tiêu chí")
        verbose_name_plural = _("điểm theo tiêu chí")
        constraints = [models.UniqueConstraint(fields=["rating", "criterion"], name="unique_rating_criterion")]

# ---------------------------------------------------------------- citizen accounts and online drafts
# (portal-submit: accounts, online submission, "my dossiers")

from django.conf import settings  # noqa: E402

from motcua.catalog.models import ProcedureVersion, RequiredDocument  # noqa: E402
from motcua.dossiers.models import ApplicantKind, ReturnMethod  # noqa: E402


class CitizenProfile(models.Model):
    """What makes a user a citizen or organisation of the portal (staff have no profile).

    Name, email and phone live on the user (``full_name``, ``email``, ``phone``) so Django's password
    reset and the email/phone sign-in find them; the account is verified once one of them is.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile")
    kind = models.CharField(_("loại tài khoản"), max_length=20, choices=ApplicantKind.choices,
                            default=ApplicantKind.INDIVIDUAL)
    id_number = models.CharField(_("số định danh cá nhân / mã số thuế"), max_length=20)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=300, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    email_verified_at = models.DateTimeField(_("xác minh thư điện tử lúc"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("xác minh số điện thoại lúc"), null=True, blank=True)
    # Subject of the province's OpenID Connect identity provider, when the account came from there.
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tài khoản công dân, tổ chức")
        verbose_name_plural = _("tài khoản công dân, tổ chức")

    def __str__(self):
        return self.organisation_name or self.user.full_name or self.user.username

    @property
    def is_verified(self):
        return bool(self.email_verified_at or self.phone_verified_at or self.oidc_subject)


class VerificationCode(models.Model):
    """One email link or SMS code; only a keyed hash of the secret is stored."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verification_codes")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    target = models.CharField(max_length=254)
    secret_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]


class OnlineDraft(models.Model):
    """The citizen's working copy of an online application: saved, resumed, submitted.

    Submitting creates the dossier (``dossier``); when a receiver returns it for completion the
    draft becomes editable again and resubmitting replaces the dossier's documents.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="online_drafts")
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="+")
    competent_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan giải quyết"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey(Agency, verbose_name=_("nơi tiếp nhận"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    applicant_kind = models.CharField(max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.INDIVIDUAL)
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=200, blank=True)
    applicant_id_number = models.CharField(_("số định danh cá nhân / mã số thuế"), max_length=20, blank=True)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=300, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    return_method = models.CharField(_("hình thức nhận kết quả"), max_length=10, choices=ReturnMethod.choices,
                                     default=ReturnMethod.COUNTER)
    # Postal channel hook: the address here; fee and recipient details belong to the postal feature.
    postal_address = models.CharField(_("địa chỉ nhận kết quả qua bưu chính"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú của người nộp"), blank=True)
    dossier = models.OneToOneField("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="online_draft")
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ trực tuyến (bản nháp)")
        verbose_name_plural = _("hồ sơ trực tuyến (bản nháp)")
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return f"{self.procedure_version.name} ({self.user})"


class DraftFile(models.Model):
    """The scan uploaded for one required document of a draft (one file each; a PDF may have many pages)."""

    draft = models.ForeignKey(OnlineDraft, on_delete=models.CASCADE, related_name="files")
    required = models.ForeignKey(RequiredDocument, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="portal/drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draft", "required"], name="one_file_per_required_document")]


from auditlog.registry import auditlog  # noqa: E402

auditlog.register(CitizenProfile)
auditlog.register(OnlineDraft)
auditlog.register(DraftFile)

# ---------------------------------------------------------------- online payment (issue 4)


class PaymentOrder(models.Model):
    """One attempt to pay a dossier's fee through a payment gateway (đơn hàng thanh toán).

    ``code`` is the reference the gateway knows the payment by. An order only becomes PAID
    through a notification whose signature, order and amount check out (``payments``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        CANCELLED = "cancelled", _("Đã hủy")
        FAILED = "failed", _("Không thành công")
        # The gateway took the money for a dossier that another order had already paid.
        DUPLICATE = "duplicate", _("Thu trùng, chờ hoàn trả")

    code = models.CharField(_("mã đơn thanh toán"), max_length=40, unique=True)
    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="payment_orders")
    gateway = models.CharField(_("cổng thanh toán"), max_length=30)
    amount = models.PositiveIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung thanh toán"), max_length=255)
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người thanh toán"), null=True,
                              on_delete=models.PROTECT, related_name="payment_orders")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    gateway_transaction = models.CharField(_("mã giao dịch tại cổng thanh toán"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"))
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn thanh toán trực tuyến")
        verbose_name_plural = _("đơn thanh toán trực tuyến")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two notifications at once can never leave a dossier paid twice (the service locks first;
            # this is the database's last word).
            models.UniqueConstraint(fields=["dossier"], condition=models.Q(status="paid"),
                                    name="one_paid_order_per_dossier"),
        ]

    def __str__(self):
        return self.code


class PaymentSequence(models.Model):
    """Last receipt number issued in a series and year (receipts are numbered without gaps)."""

    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="unique_payment_sequence")]


class PaymentReceipt(models.Model):
    """Biên lai điện tử: the electronic receipt for a fee paid online; one per paid order."""

    order = models.OneToOneField(PaymentOrder, verbose_name=_("đơn thanh toán"), on_delete=models.PROTECT,
                                 related_name="receipt")
    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="payment_receipts")
    series = models.CharField(_("ký hiệu"), max_length=20)
    number = models.CharField(_("số biên lai"), max_length=20)
    amount = models.PositiveIntegerField(_("số tiền (đồng)"))
    payer_name = models.CharField(_("người nộp tiền"), max_length=300)
    payer_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=20, blank=True)
    payer_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    description = models.CharField(_("nội dung thu"), max_length=500)
    collecting_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan thu"), on_delete=models.PROTECT,
                                          related_name="+")
    gateway = models.CharField(_("cổng thanh toán"), max_length=30)
    gateway_transaction = models.CharField(_("mã giao dịch"), max_length=60)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"))
    issued_at = models.DateTimeField(_("thời điểm lập biên lai"))

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="unique_receipt_number")]

    def __str__(self):
        return self.full_number

    @property
    def full_number(self):
        return f"{self.series}-{self.number}"


class PaymentEvent(models.Model):
    """Append-only log of everything that touched a payment, refused notifications included."""

    class Kind(models.TextChoices):
        ORDER_CREATED = "order_created", _("Tạo đơn thanh toán, chuyển sang cổng thanh toán")
        NOTIFY_PAID = "notify_paid", _("Cổng thanh toán báo đã thanh toán — ghi nhận")
        NOTIFY_CANCELLED = "notify_cancelled", _("Cổng thanh toán báo giao dịch bị hủy")
        NOTIFY_REPLAYED = "notify_replayed", _("Thông báo lặp lại — không thay đổi")
        NOTIFY_DUPLICATE = "notify_duplicate", _("Hồ sơ đã được thanh toán — thu trùng, chờ hoàn trả")
        NOTIFY_REJECTED = "notify_rejected", _("Thông báo bị từ chối — không thay đổi")
        RETURN_REJECTED = "return_rejected", _("Dữ liệu trả về không hợp lệ — không thay đổi")

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    kind = models.CharField(_("sự kiện"), max_length=30, choices=Kind.choices)
    order = models.ForeignKey(PaymentOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="payment_events")
    gateway = models.CharField(_("cổng thanh toán"), max_length=30, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    source = models.CharField(_("nguồn"), max_length=100, blank=True)
    data = models.JSONField(_("dữ liệu nhận được"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký thanh toán")
        verbose_name_plural = _("nhật ký thanh toán")
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(_("Nhật ký thanh toán không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Nhật ký thanh toán không được xóa."))


class SandboxTransaction(models.Model):
    """The sandbox gateway's own record of a payment, as a real gateway keeps in its database.

    Nothing in the portal reads it directly: the portal learns the outcome only from the signed
    notification (or the signed status answer), exactly as with a real gateway.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ người mua xác nhận")
        APPROVED = "approved", _("Thành công")
        CANCELLED = "cancelled", _("Người mua hủy")

    reference = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    merchant = models.CharField(_("mã đơn vị chấp nhận thanh toán"), max_length=40)
    order_code = models.CharField(_("mã đơn hàng"), max_length=40)
    amount = models.PositiveIntegerField(_("số tiền"))
    description = models.CharField(_("nội dung"), max_length=255)
    return_url = models.URLField(_("địa chỉ trả về"), max_length=500)
    notify_url = models.URLField(_("địa chỉ nhận thông báo"), max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    notify_attempts = models.PositiveSmallIntegerField(default=0)
    notify_response = models.TextField(blank=True)

    class Meta:
        verbose_name = _("giao dịch cổng thanh toán thử nghiệm")
        verbose_name_plural = _("giao dịch cổng thanh toán thử nghiệm")
        constraints = [models.UniqueConstraint(fields=["merchant", "order_code"], name="unique_sandbox_order")]
