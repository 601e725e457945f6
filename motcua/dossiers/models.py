"""The dossier (hồ sơ) and everything recorded about its way through the agencies.

Legal states follow Decree 118/2025/NĐ-CP and are guarded by django-fsm-2: a state can
only change through a declared transition, and every service that calls one also
writes a ``DossierEvent`` (append-only) in the same transaction.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from motcua.audit import TrailEvent
from motcua.catalog.models import ProcedureBundle, ProcedureVersion, RequiredDocument
from motcua.orgs.models import Agency, Role


class Status(models.TextChoices):
    SUBMITTED_ONLINE = "submitted_online", _("Chờ tiếp nhận")
    # An online submission sent back before reception so the applicant can complete it (Đ17.1b).
    RETURNED_ONLINE = "returned_online", _("Trả lại để hoàn thiện")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Chờ bổ sung hồ sơ")
    APPROVED = "approved", _("Đã phê duyệt")
    REFUSED = "refused", _("Từ chối giải quyết")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    STOPPED = "stopped", _("Dừng giải quyết")
    CLOSED = "closed", _("Kết thúc do không bổ sung")
    REJECTED_AT_RECEPTION = "rejected_at_reception", _("Không tiếp nhận")


OPEN_STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.APPROVED]
# Đ21: the applicant may stop the procedure from reception until the result is issued.
STOPPABLE_STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.APPROVED]


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính công ích")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Tại bộ phận một cửa")
    POST = "post", _("Qua bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class PostalZone(models.TextChoices):
    """Where a postal consignment goes; each zone has its postage in settings.POSTAL_FEES."""

    IN_PROVINCE = "in_province", _("Trong tỉnh")
    OTHER_PROVINCE = "other_province", _("Ngoài tỉnh")


class BundleMode(models.TextChoices):
    """How the parts of a bundle application travel between agencies (Đ20)."""

    PARALLEL = "parallel", _("Song song (hồ sơ điện tử, có cơ quan chủ trì)")
    SEQUENTIAL = "sequential", _("Tuần tự (hồ sơ giấy, chuyển lần lượt từng cơ quan)")


class DailySequence(models.Model):
    """Last dossier number given for one code prefix on one day (Đ28: daily sequence)."""

    prefix = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="unique_daily_sequence")]


class BundleApplication(models.Model):
    """One application for a procedure bundle (nhóm thủ tục liên thông, Đ20).

    The citizen gets one code (the receiving one-stop unit's identifier, Đ28) and one appointment;
    each procedure of the bundle is a ``Dossier`` (a *part*) at its own competent agency, with its
    own code, steps and deadlines. Electronic applications run their parts in parallel with a lead
    agency; paper ones run them in sequence, each agency passing the paper to the next.
    """

    code = models.CharField(_("mã hồ sơ liên thông"), max_length=60, unique=True, null=True, blank=True)
    bundle = models.ForeignKey(ProcedureBundle, verbose_name=_("nhóm thủ tục liên thông"),
                               on_delete=models.PROTECT, related_name="applications")
    mode = models.CharField(_("cách luân chuyển"), max_length=12, choices=BundleMode.choices)
    receiving_agency = models.ForeignKey(Agency, verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT,
                                         related_name="bundle_applications")
    lead_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT,
                                    related_name="led_bundle_applications")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tiếp nhận"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    # The one appointment shown to the citizen: the latest of the parts'; it never moves earlier.
    appointment_at = models.DateTimeField(_("hẹn trả kết quả"))
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hồ sơ nhóm thủ tục liên thông")
        verbose_name_plural = _("hồ sơ nhóm thủ tục liên thông")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.code


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True, null=True, blank=True)
    status = FSMField(_("trạng thái"), max_length=30, choices=Status.choices, default=Status.RECEIVED,
                      protected=True, db_index=True)
    # Optimistic lock: every action states the row_version it saw; a stale one is refused.
    row_version = models.PositiveIntegerField(default=1)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=Channel.choices)
    procedure_version = models.ForeignKey(ProcedureVersion, verbose_name=_("thủ tục"),
                                          on_delete=models.PROTECT, related_name="dossiers")
    bundle = models.ForeignKey(ProcedureBundle, verbose_name=_("nhóm thủ tục liên thông"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="dossiers")
    # A part of a bundle application: its place in the bundle and, when the paper travels in
    # sequence, the part that must be finished before this one starts.
    application = models.ForeignKey(BundleApplication, verbose_name=_("hồ sơ liên thông"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="parts")
    part_order = models.PositiveSmallIntegerField(_("thứ tự trong nhóm"), null=True, blank=True)
    waiting_for = models.ForeignKey("self", verbose_name=_("chờ hồ sơ"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    receiving_agency = models.ForeignKey(Agency, verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT,
                                         related_name="received_dossiers")
    competent_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan giải quyết"),
                                         on_delete=models.PROTECT, related_name="competent_dossiers")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tiếp nhận"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")

    applicant_kind = models.CharField(_("loại người nộp"), max_length=20, choices=ApplicantKind.choices,
                                      default=ApplicantKind.INDIVIDUAL)
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=200)
    applicant_id_number = models.CharField(_("số định danh cá nhân / mã số thuế"), max_length=20)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=300, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="own_dossiers")
    search_text = models.CharField(max_length=400, default="", editable=False)

    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    # Legal clock: starts at complete, valid reception (Đ17.3), restarts on a complete supplement.
    clock_started_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    legal_due_at = models.DateTimeField(_("hạn giải quyết theo quy định"), null=True, blank=True, db_index=True)
    # What the citizen was promised; moved at most once by an approved apology letter (Đ19.6).
    appointment_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    handover_due_at = models.DateTimeField(_("hạn chuyển hồ sơ giấy"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("thời điểm chuyển hồ sơ"), null=True, blank=True)

    fee_amount = models.PositiveIntegerField(_("phí, lệ phí đã thu (đồng)"), default=0)
    fee_refunded = models.BooleanField(_("đã hoàn phí"), default=False)

    supplement_requested_at = models.DateTimeField(_("thời điểm yêu cầu bổ sung"), null=True, blank=True)
    supplement_deadline_at = models.DateTimeField(_("hạn bổ sung"), null=True, blank=True)
    supplement_items = models.TextField(_("nội dung cần bổ sung"), blank=True)
    supplement_received_at = models.DateTimeField(_("thời điểm nhận bổ sung"), null=True, blank=True)

    extension_count = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)

    outcome_reason = models.TextField(_("lý do"), blank=True)
    result_number = models.CharField(_("số văn bản kết quả"), max_length=60, blank=True)
    result_date = models.DateField(_("ngày ký kết quả"), null=True, blank=True)
    result_signer = models.CharField(_("người ký"), max_length=150, blank=True)
    result_document_code = models.CharField(_("mã kết quả điện tử"), max_length=80, blank=True)
    result_file = models.FileField(_("bản điện tử kết quả"), upload_to="results/%Y/%m/", blank=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    notified_ready_at = models.DateTimeField(_("thời điểm thông báo có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    return_method = models.CharField(_("hình thức trả kết quả"), max_length=10, choices=ReturnMethod.choices,
                                     default=ReturnMethod.COUNTER)
    postal_address = models.CharField(_("địa chỉ nhận qua bưu chính"), max_length=300, blank=True)
    postal_tracking = models.CharField(_("mã vận đơn"), max_length=60, blank=True)
    # Postal channel (dịch vụ bưu chính công ích): paper documents sent in by post, the consignment
    # zone that prices it (settings.POSTAL_FEES), the postage the applicant pays the postal operator,
    # and the day the result was handed to the post office.
    documents_by_post = models.BooleanField(_("gửi hồ sơ giấy qua bưu chính"), default=False)
    incoming_tracking = models.CharField(_("mã vận đơn hồ sơ gửi đến"), max_length=60, blank=True)
    postal_zone = models.CharField(_("vùng chuyển phát"), max_length=20, choices=PostalZone.choices, blank=True)
    postal_fee = models.PositiveIntegerField(_("cước bưu chính (đồng)"), default=0)
    postal_dispatched_on = models.DateField(_("ngày gửi kết quả qua bưu chính"), null=True, blank=True)
    # Online payment (portal): when the fee was paid through the payment gateway and the receipt number.
    fee_paid_at = models.DateTimeField(_("thời điểm nộp phí trực tuyến"), null=True, blank=True)
    fee_receipt_number = models.CharField(_("số biên lai điện tử"), max_length=40, blank=True)

    timeliness = models.CharField(_("kết quả đúng hạn"), max_length=10, choices=Timeliness.choices, blank=True)
    late_cause_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan làm trễ hạn"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    reception_note = models.TextField(_("ghi chú tiếp nhận"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["competent_agency", "status"], name="dossier_agency_status"),
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_receiving_day"),
            models.Index(fields=["status", "supplement_deadline_at"], name="dossier_supplement_wait"),
        ]

    def __str__(self):
        return self.code or f"#{self.pk}"

    # --- legal transitions (rules and side effects live in services.py) ---
    @transition(field=status, source=Status.SUBMITTED_ONLINE, target=Status.RECEIVED)
    def accept_online(self):
        pass

    @transition(field=status, source=Status.SUBMITTED_ONLINE, target=Status.REJECTED_AT_RECEPTION)
    def reject_online(self):
        pass

    @transition(field=status, source=Status.SUBMITTED_ONLINE, target=Status.RETURNED_ONLINE)
    def return_online(self):
        pass

    @transition(field=status, source=Status.RETURNED_ONLINE, target=Status.SUBMITTED_ONLINE)
    def resubmit_online(self):
        pass

    @transition(field=status, source=Status.RECEIVED, target=Status.IN_PROGRESS)
    def start_processing(self):
        pass

    @transition(field=status, source=[Status.RECEIVED, Status.IN_PROGRESS], target=Status.AWAITING_SUPPLEMENT)
    def await_supplement(self):
        pass

    @transition(field=status, source=Status.AWAITING_SUPPLEMENT, target=Status.IN_PROGRESS)
    def resume_after_supplement(self):
        pass

    @transition(field=status, source=Status.AWAITING_SUPPLEMENT, target=Status.CLOSED)
    def close_without_supplement(self):
        pass

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=[Status.RECEIVED, Status.IN_PROGRESS, Status.APPROVED], target=Status.REFUSED)
    def refuse(self):
        pass

    @transition(field=status, source=Status.APPROVED, target=Status.RESULT_READY)
    def issue_result(self):
        pass

    @transition(field=status, source=[Status.RESULT_READY, Status.REFUSED], target=Status.RETURNED)
    def hand_back(self):
        pass

    @transition(field=status, source=STOPPABLE_STATUSES, target=Status.STOPPED)
    def stop(self):
        pass

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def applicant_display(self):
        return self.organisation_name or self.applicant_name

    @property
    def is_waiting_for_previous_part(self):
        """A paper bundle part whose turn has not come: the previous agency still holds the paper."""
        return self.waiting_for_id is not None and self.status == Status.RECEIVED


class DossierDocument(models.Model):
    """A paper or scanned document received with the dossier (or as the supplement)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required = models.ForeignKey(RequiredDocument, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    file = models.FileField(_("bản quét"), upload_to="dossiers/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=60, blank=True)
    size = models.PositiveIntegerField(default=0)
    is_supplement = models.BooleanField(_("giấy tờ bổ sung"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["dossier", "id"]


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Chưa đến lượt")
    ACTIVE = "active", _("Đang xử lý")
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Không thực hiện")


class DossierStep(models.Model):
    """One step of the dossier's own copy of the internal process, with its own deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("bước"), max_length=300)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="dossier_steps")
    unit_name = models.CharField(_("phòng, bộ phận"), max_length=200, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    budget = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=2)
    time_unit = models.CharField(max_length=20)
    is_inter_agency = models.BooleanField(default=False)
    status = models.CharField(_("trạng thái"), max_length=20, choices=StepStatus.choices,
                              default=StepStatus.PENDING)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_steps")
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    note = models.TextField(_("ý kiến xử lý"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["dossier", "order"]
        indexes = [models.Index(fields=["status", "agency", "role", "due_at"], name="step_queue")]

    def __str__(self):
        return f"{self.order}. {self.name}"


class Consultation(models.Model):
    """Lấy ý kiến: a question to another agency with a reply deadline (Đ19.4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, verbose_name=_("cơ quan được hỏi ý kiến"), on_delete=models.PROTECT,
                                  related_name="consultations")
    question = models.TextField(_("nội dung xin ý kiến"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    reply_due_at = models.DateTimeField(_("hạn trả lời"))
    reply = models.TextField(_("ý kiến trả lời"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    late_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]


class ApologyLetter(models.Model):
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (Đ19.6); one extension per dossier."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo, chờ lãnh đạo duyệt")
        APPROVED = "approved", _("Lãnh đạo đã duyệt, chờ hẹn lại")
        APPLIED = "applied", _("Đã hẹn lại với người nộp")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="apology")
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan làm chậm"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do chậm"))
    proposed_due_at = models.DateTimeField(_("đề nghị hẹn lại"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    drafted_at = models.DateTimeField()
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    previous_appointment_at = models.DateTimeField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)


class DossierEvent(TrailEvent):
    """The dossier's trail: who did what, when, from which state to which, at which step, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    step = models.ForeignKey(DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="events")

    edit_refused = _("Nhật ký hồ sơ không được sửa.")
    delete_refused = _("Nhật ký hồ sơ không được xóa.")


class OutboundMessage(models.Model):
    """An e-mail or SMS written in the action's transaction and sent by a background job, at most once."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=200)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True


class Notification(OutboundMessage):
    """A message to the applicant."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")


class StaffAlert(models.Model):
    """A warning for officials in the desk (step overdue, apology needed, late consultation reply)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="alerts")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="alerts")
    role = models.CharField(max_length=20, choices=Role.choices)
    kind = models.CharField(max_length=40)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "agency", "kind"], name="unique_alert")]
