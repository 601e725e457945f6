"""Every figure of the report equals a direct scan of the dossiers, rolled up or not, while work goes on."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.reports import rollup, services
from motcua.reports.models import Rollup
from tests.reports.conftest import JUSTICE, NOW, at, scan, travel

pytestmark = pytest.mark.django_db

NOVEMBER = {"ky": "2026-11"}
COUNTED = ["received", "rc_counter", "rc_online", "rc_post", "rc_by_post", "carried", "finished", "f_early",
           "f_on_time", "f_late", "f_refused", "stopped", "closed", "supplements", "apologies", "returned",
           "returned_post", "in_progress", "within", "overdue", "rated", "rated_very", "rated_satisfied",
           "rated_dissatisfied"]


def report(user, params=NOVEMBER, now=NOW):
    selection = services.parse_selection(user, params, today=now.date())
    return services.build_report(selection, now=now), selection


def figures_of(row):
    values = {name: getattr(row, name) for name in COUNTED}
    values.update(on_time_rate=row.on_time_rate, online_share=row.online_share,
                  satisfaction_rate=row.satisfaction_rate, used_seconds=row.used_seconds,
                  allowed_seconds=row.allowed_seconds)
    return values


def assert_reconciles(user, now=NOW, params=NOVEMBER, **scope):
    rep, selection = report(user, params, now)
    expected = scan(selection.period.start, selection.period.end, now, **scope)
    got = figures_of(rep.total)
    for key in ("used_seconds", "allowed_seconds"):
        assert abs(got.pop(key) - expected.pop(key)) <= 2 * max(1, expected["finished"])
    assert got == expected
    # The identity of the official form: everything carried and received is processed, ended or open.
    total = rep.total
    assert total.carried + total.received == total.finished + total.stopped + total.closed + total.in_progress
    # Each figure is the length of the dossier list behind it.
    for measure in COUNTED:
        assert services.dossiers_for(measure, selection, now=now).count() == got[measure], measure
    return rep, expected


def test_live_figures_match_a_direct_scan(november, users):
    rep, expected = assert_reconciles(users["thanhtra"])
    # The scenario really covers every figure.
    for name in COUNTED:
        assert expected[name] > 0, name
    assert not Rollup.objects.exists()


def test_rolled_up_days_and_live_tail_give_the_same_figures(november, users):
    live, _ = report(users["thanhtra"])
    by_procedure = {"ky": "2026-11", "nhom": "thu-tuc"}
    agency_by_procedure = {"ky": "2026-11", "nhom": "thu-tuc", "co-quan": JUSTICE}
    live_procedures = [figures_of(r) for r in report(users["thanhtra"], by_procedure)[0].rows]
    live_agency_procedures = [figures_of(r) for r in report(users["thanhtra"], agency_by_procedure)[0].rows]
    assert len(live_procedures) == 2
    done = rollup.refresh(now=at(2026, 11, 20, 3, 0))
    assert done["upto"] == datetime.date(2026, 11, 20) and done["days"] > 0 and done["months"] > 0
    rolled, _ = report(users["thanhtra"])
    assert figures_of(rolled.total) == figures_of(live.total)
    assert [figures_of(r) for r in rolled.rows] == [figures_of(r) for r in live.rows]
    assert_reconciles(users["thanhtra"])
    # Every rollup family (per agency and field, per procedure, both) gives the live figures.
    assert [figures_of(r) for r in report(users["thanhtra"], by_procedure)[0].rows] == live_procedures
    assert [figures_of(r) for r in report(users["thanhtra"], agency_by_procedure)[0].rows] == live_agency_procedures
    # A refresh again (same day, later day) changes nothing.
    rollup.refresh(now=at(2026, 11, 20, 5, 0))
    rollup.refresh(now=NOW)
    assert figures_of(report(users["thanhtra"])[0].total) == figures_of(live.total)
    # Year, quarter and free ranges over month and day rows.
    for params in ({"ky": "2026"}, {"ky": "2026-Q4"}, {"tu": "15/10/2026", "den": "18/11/2026"},
                   {"tu": "03/11/2026", "den": "03/11/2026"}):
        assert_reconciles(users["thanhtra"], params=params)


def test_partial_months_read_as_a_month_minus_days_give_the_same_figures(november, users):
    """Head and tail days of a complete month, and the carried-over balance, read the cheaper way round."""
    later = at(2026, 12, 2, 9, 0)
    ranges = [{"tu": "03/10/2026", "den": "30/11/2026"},   # head: October minus 1–2/10
              {"tu": "03/10/2026", "den": "27/11/2026"},   # tail: November minus 28–30/11
              {"tu": "28/10/2026", "den": "25/11/2026"},   # carried: balance at 1/11 minus 28–31/10
              {"tu": "03/10/2026", "den": "27/11/2026", "nhom": "thu-tuc"}]
    live = [report(users["thanhtra"], params, later)[0] for params in ranges]
    rollup.refresh(now=at(2026, 12, 2, 3, 0))
    for params, before in zip(ranges, live):
        with CaptureQueriesContext(connection) as queries:
            rolled = report(users["thanhtra"], params, later)[0]
        assert any("-received AS received" in q["sql"] for q in queries.captured_queries), params  # the subtraction
        assert figures_of(rolled.total) == figures_of(before.total)
        assert [figures_of(r) for r in rolled.rows] == [figures_of(r) for r in before.rows]
        assert_reconciles(users["thanhtra"], now=later, params=params)


def test_a_report_by_procedure_totals_like_a_report_by_agency(november, users):
    """Its total and field targets come from the per-procedure read (no per-agency read): the same figures."""
    by_procedure, by_agency = {"ky": "2026-11", "nhom": "thu-tuc"}, {"ky": "2026-11", "nhom": "co-quan"}
    for refreshed in (False, True):
        if refreshed:
            rollup.refresh(now=at(2026, 11, 20, 3, 0))
        with CaptureQueriesContext(connection) as queries:
            procedures, _ = assert_reconciles(users["thanhtra"], params=by_procedure)
        agencies, _ = report(users["thanhtra"], by_agency)
        assert not any("GROUP BY tag, agency_id" in q["sql"] for q in queries.captured_queries)
        assert figures_of(procedures.total) == figures_of(agencies.total)
        assert (procedures.total.offered, procedures.total.offered_full_online, procedures.total.offered_postal) \
            == (agencies.total.offered, agencies.total.offered_full_online, agencies.total.offered_postal)
        assert procedures.total.offered
        assert [(a.indicator, a.value, a.met) for a in procedures.indicators] \
            == [(a.indicator, a.value, a.met) for a in agencies.indicators]
        assert [(a.scope, a.value) for a in procedures.field_indicators] \
            == [(a.scope, a.value) for a in agencies.field_indicators]


def test_work_after_the_rollup_is_counted_once(november, walker, users, justice_procedure):
    rollup.refresh(now=NOW)
    before, _ = report(users["thanhtra"], now=NOW)
    later = NOW + datetime.timedelta(hours=1)
    d = walker.receive(justice_procedure, later - datetime.timedelta(minutes=30), channel="online")
    open_one = services.dossiers_for("overdue", services.parse_selection(users["thanhtra"], NOVEMBER,
                                                                         today=later.date()), now=later).first()
    walker.finish(open_one, later - datetime.timedelta(minutes=10))
    after, _ = assert_reconciles(users["thanhtra"], now=later)
    assert after.total.received == before.total.received + 1
    assert after.total.finished == before.total.finished + 1 and after.total.f_late == before.total.f_late + 1
    assert after.total.overdue == before.total.overdue - 1
    assert d.pk in set(services.dossiers_for("rc_online", services.parse_selection(
        users["thanhtra"], NOVEMBER, today=later.date()), now=later).values_list("pk", flat=True))


def test_per_agency_and_per_field_rows_match_their_scans(november, users, agencies, land_procedure):
    rollup.refresh(now=at(2026, 11, 16, 2, 0))
    justice = agencies[JUSTICE]
    rep, _ = report(users["thanhtra"], {"ky": "2026-11", "nhom": "linh-vuc"})
    by_field = {row.key: row for row in rep.rows}
    land = by_field[land_procedure.field_id]
    expected = scan(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), NOW, field_id=land_procedure.field_id)
    assert land.received == expected["received"] and land.overdue == expected["overdue"]
    assert land.on_time_rate == expected["on_time_rate"]
    rep, _ = report(users["lanhdao.tuphap"], {"ky": "2026-11", "nhom": "co-quan"})
    assert [row.code for row in rep.rows] == [JUSTICE]
    expected = scan(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), NOW, agency_ids={justice.pk})
    assert rep.rows[0].received == expected["received"]


def test_on_time_rate_counts_open_overdue_dossiers(november, users):
    rep, _ = report(users["thanhtra"])
    t = rep.total
    assert t.overdue > 0
    finished_only = round(100 * (t.f_early + t.f_on_time) / t.finished, 1)
    assert float(t.on_time_rate) < finished_only
    assert float(t.on_time_rate) == pytest.approx(100 * (t.f_early + t.f_on_time) / (t.finished + t.overdue), abs=0.05)


def test_a_past_period_counts_what_was_open_then(november, users):
    # At the end of 6/11 the dossiers finished later were still open; some were already overdue.
    params = {"tu": "02/11/2026", "den": "06/11/2026"}
    assert_reconciles(users["thanhtra"], params=params)
    rollup.refresh(now=NOW)
    assert_reconciles(users["thanhtra"], params=params)


def test_trend_on_time_rate_matches_month_reports(november, users):
    selection = services.parse_selection(users["thanhtra"], {"ky": "2026"}, today=NOW.date())
    live = services.trend(selection, now=NOW)
    rollup.refresh(now=at(2026, 11, 18, 2, 0))
    with CaptureQueriesContext(connection) as queries:
        points = {p.start: p for p in services.trend(selection, now=NOW)}
    # A province or agency trend reads the per-agency rows, and they give the live figures.
    assert any("r.grain = 'n'" in q["sql"] for q in queries.captured_queries)
    assert Rollup.objects.filter(grain=Rollup.Grain.MONTH_BY_AGENCY).exists()
    assert [(p.received, p.finished, p.on_time, p.overdue) for p in points.values()] == \
        [(p.received, p.finished, p.on_time, p.overdue) for p in live]
    for month in (10, 11):
        rep, _ = report(users["thanhtra"], {"ky": f"2026-{month:02d}"})
        point = points[datetime.date(2026, month, 1)]
        assert (point.received, point.finished, point.overdue) == (rep.total.received, rep.total.finished,
                                                                   rep.total.overdue)
        assert point.on_time_rate == rep.total.on_time_rate
    selection = services.parse_selection(users["thanhtra"], NOVEMBER, today=NOW.date())
    daily = services.trend(selection, now=NOW)
    assert len(daily) == 26 and sum(p.received for p in daily) == report(users["thanhtra"])[0].total.received
    six = next(p for p in daily if p.start == datetime.date(2026, 11, 6))
    rep, _ = report(users["thanhtra"], {"tu": "06/11/2026", "den": "06/11/2026"})
    assert six.overdue == rep.total.overdue and six.on_time_rate == rep.total.on_time_rate
