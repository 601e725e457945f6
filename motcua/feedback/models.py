"""Feedback and petitions (phản ánh, kiến nghị) from citizens and organisations.

A ``Feedback`` is about an administrative regulation or procedure (linked to the catalogue),
a dossier (linked by its code) or an official's conduct. It is received from the portal or
through the Open311 GeoReport v2 API, triaged by the one-stop unit (classified, routed to the
responsible agency, merged with a duplicate or rejected as out of scope), answered by the
responsible agency within a response deadline in working days (per ``Category``), and the
answer is published without personal data unless the sender agreed.

Every state change goes through ``services`` and writes a ``FeedbackEvent`` (append-only)
in the same transaction.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.audit import TrailEvent
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, OutboundMessage
from motcua.orgs.models import Agency


class Subject(models.TextChoices):
    """What a feedback is about: decides which link the sender must give."""

    REGULATION = "regulation", _("Quy định, thủ tục hành chính")
    DOSSIER = "dossier", _("Việc giải quyết hồ sơ")
    CONDUCT = "conduct", _("Thái độ, hành vi của cán bộ, công chức")
    OTHER = "other", _("Nội dung khác")


class Category(models.Model):
    """A kind of feedback (also an Open311 *service*); its response time is data an admin edits."""

    code = models.CharField(_("mã loại phản ánh"), max_length=20, unique=True,
                            help_text=_("Dùng làm service_code trong API Open311; chỉ chữ, số, dấu gạch."))
    name = models.CharField(_("tên loại phản ánh"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    subject = models.CharField(_("đối tượng phản ánh"), max_length=20, choices=Subject.choices)
    keywords = models.CharField(_("từ khóa"), max_length=300, blank=True)
    response_days = models.DecimalField(_("thời hạn trả lời (ngày làm việc)"), max_digits=5, decimal_places=1,
                                        default=10)
    reminder_days = models.DecimalField(_("nhắc trước hạn (ngày làm việc)"), max_digits=4, decimal_places=1,
                                        default=2)
    default_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan xử lý mặc định"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    service_notice = models.TextField(_("thông báo cho người gửi"), blank=True,
                                      help_text=_("Trả về trong trường service_notice của API Open311."))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("loại phản ánh, kiến nghị")
        verbose_name_plural = _("loại phản ánh, kiến nghị")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    UNVERIFIED = "unverified", _("Chờ xác thực thông tin liên hệ")
    RECEIVED = "received", _("Đã tiếp nhận, chờ phân loại")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    REJECTED = "rejected", _("Không xử lý")
    MERGED = "merged", _("Đã gộp với phản ánh khác")


OPEN_STATUSES = [Status.RECEIVED, Status.ASSIGNED]
CLOSED_STATUSES = [Status.ANSWERED, Status.REJECTED, Status.MERGED]


class Channel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    API = "api", _("Ứng dụng qua API Open311")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class ApiKey(models.Model):
    """A key for an Open311 client application (needed to post requests); only its hash is stored."""

    name = models.CharField(_("tên ứng dụng"), max_length=200)
    contact = models.CharField(_("liên hệ của đơn vị sử dụng"), max_length=300, blank=True)
    prefix = models.CharField(_("tiền tố khóa"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # An app that verifies its own users' phone/e-mail; their requests skip our verification.
    trusted_contacts = models.BooleanField(_("ứng dụng đã xác thực người dùng"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API Open311")
        verbose_name_plural = _("khóa API Open311")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Feedback(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=30, unique=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.UNVERIFIED,
                              db_index=True)
    # Optimistic lock: every staff action states the row_version it saw; a stale one is refused.
    row_version = models.PositiveIntegerField(default=1)
    category = models.ForeignKey(Category, verbose_name=_("loại phản ánh"), on_delete=models.PROTECT,
                                 related_name="feedback")
    channel = models.CharField(_("kênh gửi"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback")

    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("nội dung"), max_length=4000)
    procedure = models.ForeignKey(Procedure, verbose_name=_("thủ tục hành chính"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="feedback")
    dossier = models.ForeignKey(Dossier, verbose_name=_("hồ sơ"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="feedback")
    concerned_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan bị phản ánh"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    official_name = models.CharField(_("cán bộ bị phản ánh"), max_length=150, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    address_id = models.CharField(max_length=60, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(_("đường dẫn ảnh/tài liệu"), max_length=500, blank=True)
    attributes = models.JSONField(default=dict, blank=True)

    sender_name = models.CharField(_("họ tên người gửi"), max_length=150)
    sender_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    publish_identity = models.BooleanField(_("đồng ý công khai danh tính"), default=False)
    contact_verified_at = models.DateTimeField(_("thời điểm xác thực liên hệ"), null=True, blank=True)
    token = models.CharField(max_length=40, unique=True)

    submitted_at = models.DateTimeField(_("thời điểm gửi"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True, db_index=True)
    receiving_agency = models.ForeignKey(Agency, verbose_name=_("nơi tiếp nhận, phân loại"),
                                         on_delete=models.PROTECT, related_name="received_feedback")
    responsible_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan xử lý"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="responsible_feedback")
    assigned_at = models.DateTimeField(_("thời điểm chuyển xử lý"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    timeliness = models.CharField(_("kết quả trả lời"), max_length=10, choices=Timeliness.choices, blank=True)
    is_published = models.BooleanField(_("công khai câu trả lời"), default=False)
    reject_reason = models.TextField(_("lý do không xử lý"), blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("gộp vào"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="duplicates")
    # When it left the open states (answered, rejected, merged): counts "open at a moment" need it.
    closed_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["responsible_agency", "status", "due_at"], name="feedback_agency_queue"),
            models.Index(fields=["status", "is_published", "answered_at"], name="feedback_published"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class Attachment(models.Model):
    """A file sent with the feedback (PDF, JPEG, PNG; checked by content like dossier scans)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["feedback", "id"]


class Verification(models.Model):
    """A code sent by SMS (or a link by e-mail) proving the sender owns the contact given."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="verifications")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=200)
    code_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["feedback", "-created_at"]


class FeedbackEvent(TrailEvent):
    """The feedback's trail: who did what, when, from which state to which, and why."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)

    edit_refused = _("Nhật ký phản ánh không được sửa.")
    delete_refused = _("Nhật ký phản ánh không được xóa.")


class Notification(OutboundMessage):
    """A message to the sender or to officials."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
