"""What the reports app stores: indicator targets (data, edited in the admin) and the rollup.

The rollup holds, per day (and per complete month), per competent agency, field and procedure,
the counts of what *happened* that day: dossiers received, finished, returned, stopped, closed,
supplement requests, apology letters, satisfaction ratings. Past days never change (each of those moments is set once,
to the moment of the action), so a background job rolls them up once and reports read the
rollup for closed days and the dossier table for the recent tail. See ``rollup.py``.
"""
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field, Procedure
from motcua.orgs.models import Agency


class Indicator(models.TextChoices):
    ON_TIME = "on_time", _("Tỉ lệ hồ sơ giải quyết đúng hạn")
    SATISFACTION = "satisfaction", _("Tỉ lệ hài lòng của người dân, doanh nghiệp")
    FULL_ONLINE = "full_online", _("Tỉ lệ thủ tục cung cấp dịch vụ công trực tuyến toàn trình (mức độ 4)")
    ONLINE = "online", _("Tỉ lệ hồ sơ nộp trực tuyến")
    POSTAL_PROCEDURES = "postal_procedures", _("Tỉ lệ thủ tục đã triển khai tiếp nhận/trả kết quả qua bưu chính")
    POST_RECEIVED = "post_received", _("Tỉ lệ hồ sơ tiếp nhận qua bưu chính công ích")
    POST_RETURNED = "post_returned", _("Tỉ lệ kết quả trả qua bưu chính công ích")


class Target(models.Model):
    """One indicator's target for one year, for the whole province or one agency, optionally one field.

    The most specific row wins: (agency, field) > (agency) > (field) > province. A field restricts the
    measure to that field's dossiers (land and housing on time ≥ 85 %; household-business registrations
    submitted online ≥ 40 %). A report for a later year without its own rows uses the latest earlier year.
    """

    indicator = models.CharField(_("chỉ tiêu"), max_length=30, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", help_text=_("Để trống: áp dụng cho toàn tỉnh."))
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+", help_text=_("Để trống: mọi lĩnh vực."))
    value = models.DecimalField(_("chỉ tiêu (%)"), max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu cải cách hành chính")
        ordering = ["-year", "indicator", "agency__name", "field__name"]

    def __str__(self):
        return f"{self.get_indicator_display()} {self.year}: ≥ {self.value} %"

    def clean(self):
        from django.core.exceptions import ValidationError
        twins = Target.objects.filter(indicator=self.indicator, year=self.year, agency=self.agency,
                                      field=self.field).exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(_("Đã có chỉ tiêu này cho cùng năm, cơ quan và lĩnh vực."))


MEASURES = [
    "received", "rc_counter", "rc_online", "rc_post", "rc_by_post",
    "finished", "f_early", "f_on_time", "f_late", "f_refused", "used_seconds", "allowed_seconds",
    "returned", "returned_post", "stopped", "closed", "supplements", "apologies",
    # satisfaction ratings given that day (Đ33 survey scale), by the rated dossier's keys
    "rated", "rated_very", "rated_satisfied", "rated_dissatisfied",
]


class Rollup(models.Model):
    """Counts of one day or one complete month (``day`` = its first day), per procedure or per field."""

    class Grain(models.TextChoices):
        # Four families, each with day rows, complete-month rows and the open balance at each month start
        # (``received`` holds the number open then): per (agency, field, procedure) …
        DAY = "d", _("ngày, theo cơ quan và thủ tục")
        MONTH = "m", _("tháng, theo cơ quan và thủ tục")
        BALANCE = "b", _("tồn đầu tháng, theo cơ quan và thủ tục")
        # … per (agency, field), ``procedure`` 0, for every view without a procedure dimension …
        DAY_BY_FIELD = "D", _("ngày, theo cơ quan và lĩnh vực")
        MONTH_BY_FIELD = "M", _("tháng, theo cơ quan và lĩnh vực")
        BALANCE_BY_FIELD = "B", _("tồn đầu tháng, theo cơ quan và lĩnh vực")
        # … per (field, procedure), ``agency`` 0, for the whole province by procedure …
        DAY_BY_PROCEDURE = "p", _("ngày, theo thủ tục")
        MONTH_BY_PROCEDURE = "q", _("tháng, theo thủ tục")
        BALANCE_BY_PROCEDURE = "c", _("tồn đầu tháng, theo thủ tục")
        # … and per agency alone, ``field`` and ``procedure`` 0, for trends (a tenth of the rows).
        DAY_BY_AGENCY = "a", _("ngày, theo cơ quan")
        MONTH_BY_AGENCY = "n", _("tháng, theo cơ quan")
        BALANCE_BY_AGENCY = "o", _("tồn đầu tháng, theo cơ quan")

    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    field = models.ForeignKey(Field, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    received = models.IntegerField(default=0)
    rc_counter = models.IntegerField(default=0)
    rc_online = models.IntegerField(default=0)
    rc_post = models.IntegerField(default=0)
    rc_by_post = models.IntegerField(default=0)
    finished = models.IntegerField(default=0)
    f_early = models.IntegerField(default=0)
    f_on_time = models.IntegerField(default=0)
    f_late = models.IntegerField(default=0)
    f_refused = models.IntegerField(default=0)
    used_seconds = models.BigIntegerField(default=0)
    allowed_seconds = models.BigIntegerField(default=0)
    returned = models.IntegerField(default=0)
    returned_post = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    supplements = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    rated = models.IntegerField(default=0, db_default=0)
    rated_very = models.IntegerField(default=0, db_default=0)
    rated_satisfied = models.IntegerField(default=0, db_default=0)
    rated_dissatisfied = models.IntegerField(default=0, db_default=0)
    # Balance rows only: dossiers open and past their legal due moment at the month's start.
    overdue = models.IntegerField(default=0, db_default=0)

    class Meta:
        indexes = [models.Index(fields=["grain", "day", "agency"], name="rollup_grain_day"),
                   models.Index(fields=["agency", "grain", "day"], name="rollup_agency_grain_day")]


class RollupState(models.Model):
    """One row: the rollup is complete for every day before ``upto``."""

    upto = models.DateField(null=True)
    refreshed_at = models.DateTimeField(null=True)
