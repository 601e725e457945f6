"""Demo targets (the indicator targets of DESIGN.md, this year and last) and a first rollup."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from motcua.catalog.models import Field
from motcua.orgs.models import Agency
from motcua.reports import rollup
from motcua.reports.models import Indicator, Target

NATIONAL = "Nghị quyết 76/NQ-CP; Quyết định 766/QĐ-TTg"
TARGETS = [
    (Indicator.ON_TIME, "95", NATIONAL),
    (Indicator.SATISFACTION, "80", NATIONAL),
    (Indicator.FULL_ONLINE, "30", "Kế hoạch cải cách hành chính của tỉnh"),
    (Indicator.ONLINE, "20", "Kế hoạch cải cách hành chính của tỉnh"),
    (Indicator.POSTAL_PROCEDURES, "50", "Quyết định 45/2016/QĐ-TTg"),
    (Indicator.POST_RECEIVED, "10", "Quyết định 45/2016/QĐ-TTg"),
    (Indicator.POST_RETURNED, "10", "Quyết định 45/2016/QĐ-TTg"),
]
WARD = "000.01.30.H42"  # UBND phường Hoa Lư: its own plan aims at 95 % satisfied


def load(stdout=None):
    seed_targets()
    done = rollup.refresh(rebuild=True)
    if stdout is not None:
        stdout.write(f"Báo cáo: {Target.objects.count()} chỉ tiêu, tổng hợp số liệu đến hết ngày "
                     f"{done['upto'] - timedelta(days=1):%d/%m/%Y}.")


def seed_targets():
    year = timezone.localdate().year
    land_fields = list(Field.objects.filter(is_land_or_housing=True))
    household = Field.objects.filter(name__icontains="hộ kinh doanh").first()
    ward = Agency.objects.filter(code=WARD).first()
    for y in (year - 1, year):
        for indicator, value, basis in TARGETS:
            Target.objects.get_or_create(indicator=indicator, year=y, agency=None, field=None,
                                         defaults={"value": Decimal(value), "basis": basis})
        for field in land_fields:
            Target.objects.get_or_create(indicator=Indicator.ON_TIME, year=y, agency=None, field=field,
                                         defaults={"value": Decimal("85"), "basis": NATIONAL})
        if household:
            Target.objects.get_or_create(indicator=Indicator.ONLINE, year=y, agency=None, field=household,
                                         defaults={"value": Decimal("40"), "basis": "Kế hoạch chuyển đổi số"})
        if ward:
            Target.objects.get_or_create(indicator=Indicator.SATISFACTION, year=y, agency=ward, field=None,
                                         defaults={"value": Decimal("95"), "basis": "Kế hoạch của phường"})
