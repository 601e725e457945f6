"""Administrative units, agencies and the officials who work in them.

The organisation is data: a tree of administrative units of any depth (province →
commune since 01/7/2025; districts kept only as history) and agencies attached to
units. Nothing in the code assumes a fixed number of levels.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminUnit(models.Model):
    """An administrative unit (đơn vị hành chính): province, district (historic), commune, ward…"""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/Thành phố")
        DISTRICT = "district", _("Huyện/Quận (cấp huyện cũ)")
        COMMUNE = "commune", _("Xã/Phường/Đặc khu")

    code = models.CharField(_("mã đơn vị hành chính"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    abolished_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def ancestors(self):
        """Units above this one, nearest first."""
        unit, chain = self.parent, []
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain


class Agency(models.Model):
    """An agency or one of its internal units, identified by its electronic code (QCVN 102:2016)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ban, ngành")
        PEOPLES_COMMITTEE = "committee", _("Ủy ban nhân dân")
        VERTICAL = "vertical", _("Cơ quan ngành dọc")
        SERVICE_CENTRE = "service_centre", _("Trung tâm phục vụ hành chính công")
        INTERNAL_UNIT = "internal_unit", _("Phòng, đơn vị trực thuộc")
        OTHER = "other", _("Khác")

    code = models.CharField(_("mã định danh điện tử"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    kind = models.CharField(_("loại cơ quan"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị hành chính"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("cơ quan chủ quản"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def is_service_centre(self):
        return self.kind == self.Kind.SERVICE_CENTRE


class User(AbstractUser):
    """Any person who signs in: an official (with staff roles) or, later, a citizen."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    RECEIVER = "receiver", _("Công chức tiếp nhận (một cửa)")
    HANDLER = "handler", _("Chuyên viên thụ lý")
    APPROVER = "approver", _("Lãnh đạo phòng/cơ quan")
    CLERK = "clerk", _("Văn thư")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")
    INSPECTOR = "inspector", _("Thanh tra / Sở Nội vụ")


class StaffRole(models.Model):
    """One role of one official in one agency; an official may hold several."""

    user = models.ForeignKey(User, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="staff_roles")
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_staff_role")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


# Changes to the organisation and to who holds which role are audited (django-auditlog).
from auditlog.registry import auditlog  # noqa: E402

auditlog.register(AdminUnit)
auditlog.register(Agency)
auditlog.register(StaffRole)
auditlog.register(User, exclude_fields=["password", "last_login"])
