"""The catalogue of administrative procedures (thủ tục hành chính, TTHC).

A ``Procedure`` is the stable identity (its national code); every attribute lives on a
``ProcedureVersion`` brought into force by a ``PublicationDecision`` (quyết định công bố).
A dossier keeps the version it was received under, so amending a procedure never
changes dossiers already in progress.
"""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.orgs.models import Agency, AdminUnit, Role
from motcua.text import fold


class Field(models.Model):
    """Lĩnh vực: the sector a procedure belongs to (civil status, land, construction…)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    # Land and housing fields have their own on-time target (≥ 85 %).
    is_land_or_housing = models.BooleanField(_("thuộc lĩnh vực đất đai, nhà ở"), default=False)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OnlineLevel(models.Model):
    """A level of online public service within a scheme.

    Two schemes coexist in published lists: the old levels 2/3/4 and today's
    "toàn trình" (full online) / "một phần" (partly online). What each level allows
    is data, so reports and the portal ask "can this be submitted / paid online?"
    instead of comparing level numbers.
    """

    scheme = models.CharField(_("hệ phân loại"), max_length=20)
    code = models.CharField(_("mã mức độ"), max_length=20)
    name = models.CharField(_("tên mức độ"), max_length=120)
    submit_online = models.BooleanField(_("nộp hồ sơ trực tuyến"), default=False)
    pay_online = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    result_online = models.BooleanField(_("nhận kết quả trực tuyến"), default=False)
    # True for level 4 / toàn trình: counts toward the "full online" KPI.
    is_full_online = models.BooleanField(_("dịch vụ công trực tuyến toàn trình"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("mức độ dịch vụ công trực tuyến")
        verbose_name_plural = _("mức độ dịch vụ công trực tuyến")
        ordering = ["scheme", "order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="unique_online_level")]

    def __str__(self):
        return self.name


class PublicationDecision(models.Model):
    """Quyết định công bố: the act that brings procedure versions into force."""

    number = models.CharField(_("số quyết định"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    effective_on = models.DateField(_("ngày có hiệu lực"))
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-effective_on", "number"]

    def __str__(self):
        return self.number


class Procedure(models.Model):
    """The stable identity of a procedure; ``current_version`` is the one in force."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    current_version = models.OneToOneField(
        "ProcedureVersion", verbose_name=_("phiên bản đang áp dụng"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.current_version.name if self.current_version_id else ''}"


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class ProcedureVersion(models.Model):
    class Change(models.TextChoices):
        NEW = "new", _("Ban hành mới")
        AMENDED = "amended", _("Sửa đổi, bổ sung")
        ABOLISHED = "abolished", _("Bãi bỏ")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã công bố")
        SUPERSEDED = "superseded", _("Đã được thay thế")
        ABOLISHED = "abolished", _("Đã bãi bỏ")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"), default=1)
    decision = models.ForeignKey(
        PublicationDecision, verbose_name=_("quyết định công bố"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="versions",
    )
    change = models.CharField(_("loại công bố"), max_length=20, choices=Change.choices, default=Change.NEW)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="versions")
    # Levels that perform it, as AdminUnit.Level values (e.g. ["province"], ["commune"]).
    levels = models.JSONField(_("cấp thực hiện"), default=list)
    agencies = models.ManyToManyField(Agency, verbose_name=_("cơ quan thực hiện"), related_name="procedure_versions")
    competent_authority = models.CharField(_("cơ quan có thẩm quyền quyết định"), max_length=300, blank=True)

    time_value = models.DecimalField(_("thời hạn giải quyết"), max_digits=6, decimal_places=1)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices,
                                 default=TimeUnit.WORKING_DAYS)
    on_the_spot = models.BooleanField(_("trả kết quả ngay trong ngày"), default=False)
    fee_amount = models.PositiveIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_description = models.TextField(_("mô tả phí, lệ phí"), blank=True)
    fee_refundable_on_stop = models.BooleanField(_("hoàn phí khi dừng giải quyết"), default=False)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=500)
    result_type_code = models.CharField(_("mã loại kết quả"), max_length=20, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    steps_description = models.TextField(_("trình tự thực hiện"), blank=True)
    applicant_types = models.CharField(_("đối tượng thực hiện"), max_length=200, default="Công dân Việt Nam")
    online_level = models.ForeignKey(
        OnlineLevel, verbose_name=_("mức độ dịch vụ công trực tuyến"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="versions",
    )
    postal_reception = models.BooleanField(_("tiếp nhận qua bưu chính công ích"), default=True)
    postal_return = models.BooleanField(_("trả kết quả qua bưu chính công ích"), default=True)
    inter_agency = models.BooleanField(_("thủ tục liên thông"), default=False)
    # Đ17.1c / Đ19.5: defaults from Decree 118/2025; sector laws may set others.
    supplement_request_limit_days = models.PositiveSmallIntegerField(
        _("hạn yêu cầu bổ sung (ngày làm việc kể từ khi tiếp nhận)"), default=3)
    supplement_wait_days = models.PositiveSmallIntegerField(
        _("thời gian chờ bổ sung trước khi kết thúc hồ sơ (ngày)"), default=15)

    search_text = models.TextField(editable=False, default="", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_procedure_version"),
            # At most one version is the procedure's state of record (in force, or its abolition).
            models.UniqueConstraint(fields=["procedure"], condition=models.Q(status__in=["published", "abolished"]),
                                    name="one_current_version_per_procedure"),
        ]
        indexes = [models.Index(fields=["status", "name"], name="catalog_version_status_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.procedure.code} {self.name}")
        super().save(*args, **kwargs)

    @property
    def is_land_or_housing(self):
        return self.field.is_land_or_housing


class RequiredDocument(models.Model):
    """Thành phần hồ sơ: one document the applicant supplies, with how many originals/copies."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    form_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "order", "id"]

    def __str__(self):
        return self.name


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ); budgets add up to the statutory time."""

    class Performer(models.TextChoices):
        RECEIVING = "receiving", _("Bộ phận một cửa tiếp nhận hồ sơ")
        COMPETENT = "competent", _("Cơ quan có thẩm quyền giải quyết")
        FIXED = "fixed", _("Cơ quan được chỉ định")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    performer = models.CharField(_("nơi thực hiện"), max_length=20, choices=Performer.choices,
                                 default=Performer.COMPETENT)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan thực hiện"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="process_steps")
    unit_name = models.CharField(_("phòng, bộ phận"), max_length=200, blank=True)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    budget = models.DecimalField(_("thời gian thực hiện"), max_digits=6, decimal_places=2,
                                 default=Decimal("0"))
    # Marks a step done in another agency (liên thông): the dossier moves there.
    is_inter_agency = models.BooleanField(_("bước liên thông"), default=False)

    class Meta:
        verbose_name = _("bước quy trình")
        verbose_name_plural = _("bước quy trình")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="unique_step_order")]

    def __str__(self):
        return f"{self.order}. {self.name}"


class ProcedureBundle(models.Model):
    """Nhóm thủ tục liên thông: one application covering several procedures (birth, death bundles)."""

    code = models.CharField(_("mã nhóm thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên nhóm thủ tục"), max_length=300)
    procedures = models.ManyToManyField(Procedure, verbose_name=_("các thủ tục"), related_name="bundles")
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("nhóm thủ tục liên thông")
        verbose_name_plural = _("nhóm thủ tục liên thông")

    def __str__(self):
        return self.name


__all__ = ["AdminUnit", "Agency", "Field", "OnlineLevel", "PublicationDecision", "Procedure",
           "ProcedureVersion", "RequiredDocument", "ProcessStep", "ProcedureBundle", "TimeUnit"]
