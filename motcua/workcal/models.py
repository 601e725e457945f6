"""The editable calendar: exceptional days (holidays, swaps) and agencies' extra counter sessions.

Every write to these tables — through a model instance, a queryset or a bulk operation —
replaces the token in ``CalendarRevision``; ``services.get_calendar()`` compares that token
with the one its in-process cache was built from, so an edit made in any process takes
effect for the next deadline computed in every process.
"""
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarRevision(models.Model):
    """A single row whose token changes whenever the calendar data changes."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiên bản lịch")
        verbose_name_plural = _("phiên bản lịch")

    @classmethod
    def bump(cls):
        cls.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("token", flat=True).first()


class RevisingQuerySet(models.QuerySet):
    """A queryset whose bulk writes also bump the calendar revision."""

    def update(self, **kwargs):
        result = super().update(**kwargs)
        CalendarRevision.bump()
        return result

    def delete(self):
        result = super().delete()
        CalendarRevision.bump()
        return result

    def bulk_create(self, *args, **kwargs):
        result = super().bulk_create(*args, **kwargs)
        CalendarRevision.bump()
        return result

    def bulk_update(self, *args, **kwargs):
        result = super().bulk_update(*args, **kwargs)
        CalendarRevision.bump()
        return result


class RevisingModel(models.Model):
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = RevisingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CalendarRevision.bump()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        CalendarRevision.bump()
        return result


class CalendarDay(RevisingModel):
    """A day that departs from the weekly pattern: a holiday, a nghỉ bù or a làm bù day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày lễ, Tết")
        SWAP_OFF = "swap_off", _("Nghỉ bù")
        SWAP_WORK = "swap_work", _("Làm bù (ngày làm việc)")

    class Source(models.TextChoices):
        SEEDED = "seeded", _("Nạp tự động")
        MANUAL = "manual", _("Nhập tay")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên, lý do"), max_length=255)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        verbose_name = _("ngày nghỉ / làm bù")
        verbose_name_plural = _("ngày nghỉ lễ, nghỉ bù, làm bù")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def is_working(self):
        return self.kind == self.Kind.SWAP_WORK


class AgencyExtraSession(RevisingModel):
    """An extra opening of an agency's reception counter (e.g. Saturday morning).

    It lets the counter receive dossiers; it never counts toward processing deadlines.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ nhật")

    agency = models.ForeignKey("orgs.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE,
                               related_name="extra_sessions")
    weekday = models.PositiveSmallIntegerField(_("thứ trong tuần (hằng tuần)"), choices=Weekday.choices,
                                               null=True, blank=True)
    date = models.DateField(_("ngày cụ thể"), null=True, blank=True)
    start = models.TimeField(_("giờ bắt đầu"))
    end = models.TimeField(_("giờ kết thúc"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("buổi tiếp nhận bổ sung")
        verbose_name_plural = _("buổi tiếp nhận bổ sung")
        ordering = ["agency", "weekday", "date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(weekday__isnull=False, date__isnull=True)
                           | models.Q(weekday__isnull=True, date__isnull=False)),
                name="workcal_extra_session_weekday_xor_date",
            ),
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")),
                                   name="workcal_extra_session_start_before_end"),
        ]

    def __str__(self):
        when = self.get_weekday_display() if self.weekday is not None else f"{self.date:%d/%m/%Y}"
        return f"{self.agency} — {when} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if (self.weekday is None) == (self.date is None):
            raise ValidationError(_("Chọn đúng một trong hai: thứ trong tuần (hằng tuần) hoặc một ngày cụ thể."))
        if self.start and self.end and self.start >= self.end:
            raise ValidationError({"end": _("Giờ kết thúc phải sau giờ bắt đầu.")})
