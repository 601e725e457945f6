"""A month of dossiers at Sở Tư pháp walked through the real services, and a direct scan to check against.

``november`` builds, with the clock moved to each action, dossiers of every kind a report counts:
carried over from October, received by counter / online / post, finished early, on time and late,
refused, stopped, closed for want of a supplement, with an apology letter, returned by post, rated,
open within time and open overdue — over two procedures in two fields.
"""
import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine

from motcua.catalog.models import Field
from motcua.dossiers import postal, services
from motcua.dossiers.models import Dossier, DossierEvent, ReturnMethod
from motcua.portal import satisfaction
from motcua.portal.models import SatisfactionLevel, SatisfactionRating
from motcua.reports.models import Indicator, Target
from tests.dossiers.conftest import TZ, agencies, at, make_procedure, province, reception_for, users  # noqa: F401

JUSTICE = "000.00.14.H42"
NOW = at(2026, 11, 26, 15, 0)


def travel(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def land_procedure(agencies):
    version = make_procedure(agencies, code="1.004227", days=5, name="Đăng ký biến động quyền sử dụng đất")
    land, _ = Field.objects.get_or_create(code="DD", defaults={"name": "Đất đai", "is_land_or_housing": True})
    version.field = land
    version.save()
    return version


@pytest.fixture
def justice_procedure(agencies):
    return make_procedure(agencies)


class Walker:
    def __init__(self, users, agencies):
        self.users, self.agencies = users, agencies
        self.n = 0

    def receive(self, version, when, channel="counter", by_post=False):
        self.n += 1
        with travel(when):
            d = services.receive(self.users["tiepnhan.tinh"], reception_for(
                version, self.agencies, applicant=services.Applicant(
                    name=f"Nguyễn Văn {chr(65 + self.n % 26)}", id_number=f"0370900{self.n:05d}",
                    phone=f"09123{self.n:05d}", address="Số 5 phố Lê Lợi, phường Hoa Lư")))
        if channel != "counter" or by_post:
            Dossier.objects.filter(pk=d.pk).update(channel=channel, documents_by_post=by_post)
        return Dossier.objects.get(pk=d.pk)

    def hand_over(self, d, when):
        with travel(when):
            return services.hand_over(self.users["tiepnhan.tinh"], d.pk, d.row_version)

    def finish(self, d, when, *, returned=None, by_post=False):
        d = self.hand_over(d, d.received_at + datetime.timedelta(hours=1))
        with travel(when):
            d = services.forward(self.users["thuly.tuphap"], d.pk, d.row_version, "Đủ điều kiện")
            d = services.approve(self.users["lanhdao.tuphap"], d.pk, d.row_version)
            d = services.issue_result(self.users["vanthu.tuphap"], d.pk, d.row_version, number=f"{d.pk}/STP",
                                      signed_on=when.date(), signer="Đỗ Quang Vinh")
        if returned:
            d = self.give_back(d, returned, by_post=by_post)
        return d

    def give_back(self, d, when, by_post=False):
        with travel(when):
            if by_post:
                return services.return_result(self.users["tiepnhan.tinh"], d.pk, d.row_version,
                                              method=ReturnMethod.POST, tracking=postal.make_s10("EE", 52000000 + d.pk),
                                              postal_address="Số 5 phố Lê Lợi, phường Hoa Lư")
            return services.return_result(self.users["tiepnhan.tinh"], d.pk, d.row_version)

    def refuse(self, d, when):
        d = self.hand_over(d, d.received_at + datetime.timedelta(hours=1))
        with travel(when):
            return services.refuse(self.users["thuly.tuphap"], d.pk, d.row_version, "Không đủ điều kiện cấp")

    def stop(self, d, when):
        with travel(when):
            return services.stop(self.users["tiepnhan.tinh"], d.pk, d.row_version, "Công dân xin rút hồ sơ")

    def supplement_then_close(self, d, asked, closed):
        d = self.hand_over(d, d.received_at + datetime.timedelta(hours=1))
        with travel(asked):
            d = services.request_supplement(self.users["thuly.tuphap"], d.pk, d.row_version, "Giấy ủy quyền")
        with travel(closed):
            services.close_unsupplemented()
        return Dossier.objects.get(pk=d.pk)

    def rate(self, d, when, level):
        with travel(when):
            dossier = Dossier.objects.get(pk=d.pk)
            satisfaction.rate(d.pk, overall=level,
                              scores={q.criterion: level for q in satisfaction.questions_for(dossier)})

    def apology(self, d, when):
        d = self.hand_over(d, d.received_at + datetime.timedelta(hours=1))
        with travel(when):
            services.draft_apology(self.users["thuly.tuphap"], d.pk, d.row_version, reason="Cần xác minh thêm",
                                   proposed_due_at=d.appointment_at + datetime.timedelta(days=7))
            d = Dossier.objects.get(pk=d.pk)
            services.approve_apology(self.users["lanhdao.tuphap"], d.pk, d.row_version)
        return Dossier.objects.get(pk=d.pk)


@pytest.fixture
def walker(users, agencies):
    return Walker(users, agencies)


@pytest.fixture
def november(walker, justice_procedure, land_procedure):
    """Dossiers of October–November 2026 at Sở Tư pháp (nothing rolled up yet)."""
    w, j, land = walker, justice_procedure, land_procedure
    carried = w.receive(j, at(2026, 10, 26, 9, 0))                          # carried over, finished in Nov
    w.finish(carried, at(2026, 11, 4, 10, 0), returned=at(2026, 11, 5, 9, 0))
    w.receive(j, at(2026, 10, 27, 9, 0))                                    # carried over, still open: overdue
    old_done = w.receive(j, at(2026, 10, 5, 9, 0))                          # ended in October: not carried
    w.finish(old_done, at(2026, 10, 9, 10, 0))
    early = w.receive(j, at(2026, 11, 2, 9, 0), channel="online")
    w.finish(early, at(2026, 11, 5, 10, 0), returned=at(2026, 11, 6, 9, 0), by_post=True)
    late = w.receive(land, at(2026, 11, 2, 10, 0), channel="post")
    w.finish(late, at(2026, 11, 20, 10, 0), returned=at(2026, 11, 23, 9, 0))
    on_due_day = w.receive(land, at(2026, 11, 3, 9, 0), by_post=True, channel="online")
    w.finish(on_due_day, Dossier.objects.get(pk=on_due_day.pk).legal_due_at - datetime.timedelta(minutes=30))
    refused = w.receive(j, at(2026, 11, 4, 9, 0))
    w.give_back(w.refuse(refused, at(2026, 11, 6, 9, 0)), at(2026, 11, 9, 9, 0))
    # Ratings on three days, one of each level; the October dossier rated in November counts in November.
    w.rate(carried, at(2026, 11, 5, 10, 0), SatisfactionLevel.VERY_SATISFIED)
    w.rate(early, at(2026, 11, 7, 8, 0), SatisfactionLevel.SATISFIED)
    w.rate(refused, at(2026, 11, 24, 15, 0), SatisfactionLevel.DISSATISFIED)
    stopped = w.receive(j, at(2026, 11, 5, 9, 0))
    w.stop(stopped, at(2026, 11, 6, 14, 0))
    closed = w.receive(land, at(2026, 11, 2, 14, 0))
    w.supplement_then_close(closed, at(2026, 11, 3, 9, 0), at(2026, 11, 19, 9, 0))
    apology = w.receive(j, at(2026, 11, 9, 9, 0), channel="online")
    w.apology(apology, at(2026, 11, 13, 9, 0))
    w.receive(land, at(2026, 11, 10, 9, 0))                                 # open, overdue by 26/11
    w.receive(j, at(2026, 11, 24, 9, 0), channel="online")                  # open, within time
    w.receive(j, at(2026, 11, 25, 16, 0))                                   # open, within time
    with travel(at(2026, 11, 12, 9, 0)):
        services.refuse_at_reception(w.users["tiepnhan.tinh"], reception_for(j, w.agencies), "Sai thẩm quyền")
    return w


@pytest.fixture
def targets(agencies):
    land = Field.objects.get(code="DD")
    for indicator, value, field in [
        (Indicator.ON_TIME, "95", None), (Indicator.ON_TIME, "85", land), (Indicator.SATISFACTION, "80", None),
        (Indicator.FULL_ONLINE, "30", None), (Indicator.ONLINE, "20", None), (Indicator.POSTAL_PROCEDURES, "50", None),
        (Indicator.POST_RECEIVED, "10", None), (Indicator.POST_RETURNED, "10", None),
    ]:
        Target.objects.create(indicator=indicator, year=2026, value=Decimal(value), field=field)


def midnight(day):
    return datetime.datetime.combine(day, datetime.time.min, TZ)


def scan(start, end, now, *, agency_ids=None, field_id=None):
    """Every figure of the report recomputed by walking the dossiers one by one, in Python."""
    S, E = midnight(start), min(midnight(end + datetime.timedelta(days=1)), now)
    ends = {e.dossier_id: (e.action, e.at) for e in
            DossierEvent.objects.filter(action__in=["stop", "close_unsupplemented"])}
    f = dict.fromkeys(["received", "rc_counter", "rc_online", "rc_post", "rc_by_post", "carried", "finished",
                       "f_early", "f_on_time", "f_late", "f_refused", "in_progress", "within", "overdue",
                       "stopped", "closed", "supplements", "apologies", "returned", "returned_post", "rated",
                       "rated_very", "rated_satisfied", "rated_dissatisfied"], 0)
    used = allowed = 0
    for d in Dossier.objects.select_related("procedure_version").all():
        if agency_ids is not None and d.competent_agency_id not in agency_ids:
            continue
        if field_id is not None and d.procedure_version.field_id != field_id:
            continue
        if d.received_at is None:
            continue
        end_at = d.finished_at or (ends[d.pk][1] if d.pk in ends else None)
        if d.received_at < S and (end_at is None or end_at >= S):
            f["carried"] += 1
        if S <= d.received_at < E:
            f["received"] += 1
            f["rc_" + d.channel] += 1
            if d.channel == "post" or d.documents_by_post:
                f["rc_by_post"] += 1
        if d.finished_at and S <= d.finished_at < E:
            f["finished"] += 1
            f["f_" + d.timeliness] += 1
            f["f_refused"] += d.result_number == ""
            used += (d.finished_at - d.clock_started_at).total_seconds()
            allowed += (d.legal_due_at - d.clock_started_at).total_seconds()
        if d.returned_at and S <= d.returned_at < E:
            f["returned"] += 1
            if d.return_method == "post":
                f["returned_post"] += 1
        if d.pk in ends and S <= ends[d.pk][1] < E:
            f["stopped" if ends[d.pk][0] == "stop" else "closed"] += 1
        if d.supplement_requested_at and S <= d.supplement_requested_at < E:
            f["supplements"] += 1
        apology = getattr(d, "apology", None) if hasattr(d, "apology") else None
        if apology and apology.approved_at and S <= apology.approved_at < E:
            f["apologies"] += 1
        rating = SatisfactionRating.objects.filter(dossier=d).first()
        if rating and S <= rating.rated_at < E:
            f["rated"] += 1
            f[{SatisfactionLevel.VERY_SATISFIED: "rated_very", SatisfactionLevel.SATISFIED: "rated_satisfied",
               SatisfactionLevel.DISSATISFIED: "rated_dissatisfied"}[rating.overall]] += 1
        if d.received_at < E and (end_at is None or end_at >= E):
            f["in_progress"] += 1
            f["overdue" if d.legal_due_at < E else "within"] += 1
    f["on_time_rate"] = (Decimal(100) * (f["f_early"] + f["f_on_time"]) / (f["finished"] + f["overdue"])
                         ).quantize(Decimal("0.1"), ROUND_HALF_UP) if f["finished"] + f["overdue"] else None
    f["online_share"] = (Decimal(100) * f["rc_online"] / f["received"]).quantize(Decimal("0.1"), ROUND_HALF_UP) \
        if f["received"] else None
    f["satisfaction_rate"] = (Decimal(100) * (f["rated_very"] + f["rated_satisfied"]) / f["rated"]).quantize(
        Decimal("0.1"), ROUND_HALF_UP) if f["rated"] else None
    f["used_seconds"], f["allowed_seconds"] = used, allowed
    return f


@pytest.fixture(autouse=True)
def _fresh_catalogue_counts():
    """The catalogue counts are cached for minutes; ids are reused between tests."""
    from django.core.cache import cache
    cache.delete("reports:offered_pairs")
    yield
    cache.delete("reports:offered_pairs")
