"""portal.satisfaction: one rating per returned dossier on the Đ33 criteria; published aggregates."""
import datetime
import threading

import pytest
import time_machine
from django.db import connections

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.portal import satisfaction
from motcua.portal.models import RatingChannel, SatisfactionRating, SatisfactionScore
from tests.dossiers.conftest import at
from tests.portal.lookup_fixtures import *  # noqa: F401,F403
from tests.portal.lookup_fixtures import return_dossier

ALL_SATISFIED = {c.value: 2 for c in satisfaction.CORE_CRITERIA}


def test_returned_dossier_is_rated_once_with_criteria_and_audit(returned_dossier):
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):
        rating = satisfaction.rate(returned_dossier.pk, overall=3, scores=dict(ALL_SATISFIED, time=3, feedback=""),
                                   comment="  Cán bộ hướng dẫn tận tình.  ")
    assert rating.satisfied and rating.overall == 3 and rating.channel == RatingChannel.ONLINE
    assert rating.competent_agency_id == returned_dossier.competent_agency_id
    assert rating.receiving_agency_id == returned_dossier.receiving_agency_id
    assert rating.comment == "Cán bộ hướng dẫn tận tình."
    assert rating.rated_at == at(2026, 12, 1, 9, 0)
    assert rating.scores == dict(ALL_SATISFIED, time=3)  # "no opinion" on feedback is not stored
    event = DossierEvent.objects.get(dossier=returned_dossier, action="satisfaction_rated")
    assert event.data == {"channel": "online", "overall": 3, "satisfied": True}
    assert event.to_status == "returned"


def test_dissatisfied_overall_is_not_satisfied(returned_dossier):
    rating = satisfaction.rate(returned_dossier.pk, overall="1", scores=dict(ALL_SATISFIED, time="1"))
    assert rating.overall == 1 and not rating.satisfied


def test_second_rating_is_refused_and_changes_nothing(returned_dossier):
    first = satisfaction.rate(returned_dossier.pk, overall=3, scores=ALL_SATISFIED, comment="Tốt")
    with pytest.raises(satisfaction.AlreadyRated) as refused:
        satisfaction.rate(returned_dossier.pk, overall=1, scores={c: 1 for c in ALL_SATISFIED}, comment="Đổi ý")
    assert "đã được đánh giá" in refused.value.message and "một lần" in refused.value.message
    assert SatisfactionRating.objects.count() == 1
    again = SatisfactionRating.objects.get()
    assert (again.pk, again.overall, again.comment) == (first.pk, 3, "Tốt")
    assert SatisfactionScore.objects.filter(level=1).count() == 0
    assert DossierEvent.objects.filter(action="satisfaction_rated").count() == 1


def test_dossier_not_returned_cannot_be_rated(received_dossier):
    with pytest.raises(satisfaction.RatingError) as refused:
        satisfaction.rate(received_dossier.pk, overall=3, scores=ALL_SATISFIED)
    assert "chưa trả kết quả" in refused.value.message
    assert not SatisfactionRating.objects.exists()


@pytest.mark.parametrize("overall, scores, field", [
    ("", ALL_SATISFIED, "overall"),
    (4, ALL_SATISFIED, "overall"),
    ("rất tốt", ALL_SATISFIED, "overall"),
    (2, {k: v for k, v in ALL_SATISFIED.items() if k != "conduct"}, "conduct"),
    (2, dict(ALL_SATISFIED, online=2), "online"),  # a counter dossier is not asked about the online service
    (2, dict(ALL_SATISFIED, lawful=0), "lawful"),
    (2, dict(ALL_SATISFIED, speed=3), "speed"),
])
def test_incomplete_or_bad_form_is_refused_and_nothing_is_written(returned_dossier, overall, scores, field):
    with pytest.raises(satisfaction.RatingError) as refused:
        satisfaction.rate(returned_dossier.pk, overall=overall, scores=scores)
    assert field in refused.value.field_errors
    assert not SatisfactionRating.objects.exists() and not SatisfactionScore.objects.exists()
    assert not DossierEvent.objects.filter(action="satisfaction_rated").exists()


def test_too_long_comment_is_refused(returned_dossier):
    with pytest.raises(satisfaction.RatingError) as refused:
        satisfaction.rate(returned_dossier.pk, overall=2, scores=ALL_SATISFIED, comment="x" * 2001)
    assert "comment" in refused.value.field_errors
    assert not SatisfactionRating.objects.exists()


def test_online_dossier_is_asked_about_the_online_service(returned_dossier):
    Dossier.objects.filter(pk=returned_dossier.pk).update(channel="online")
    dossier = Dossier.objects.get(pk=returned_dossier.pk)
    assert "online" in [q.criterion for q in satisfaction.questions_for(dossier)]
    with pytest.raises(satisfaction.RatingError) as refused:
        satisfaction.rate(dossier.pk, overall=2, scores=ALL_SATISFIED)
    assert "online" in refused.value.field_errors
    rating = satisfaction.rate(dossier.pk, overall=2, scores=dict(ALL_SATISFIED, online=3))
    assert rating.scores["online"] == 3


def test_counter_rating_needs_a_receiver_of_the_receiving_agency(returned_dossier, users):
    with pytest.raises(satisfaction.NotAllowed):
        satisfaction.rate(returned_dossier.pk, overall=2, scores=ALL_SATISFIED, channel="counter",
                          recorded_by=users["thuly.tuphap"])
    with pytest.raises(satisfaction.NotAllowed):
        satisfaction.rate(returned_dossier.pk, overall=2, scores=ALL_SATISFIED, channel="counter",
                          recorded_by=users["tiepnhan.hoalu"])  # another centre
    assert not SatisfactionRating.objects.exists()
    rating = satisfaction.rate(returned_dossier.pk, overall=2, scores=ALL_SATISFIED, channel="counter",
                               recorded_by=users["tiepnhan.tinh2"])
    assert rating.channel == "counter" and rating.recorded_by == users["tiepnhan.tinh2"]
    event = DossierEvent.objects.get(action="satisfaction_rated")
    assert event.actor == users["tiepnhan.tinh2"] and event.agency_id == returned_dossier.receiving_agency_id


def test_online_rights_come_from_the_lookup_token_or_the_applicants_account(returned_dossier, users):
    citizen = users["tiepnhan.tinh"].__class__.objects.create(username="congdan.an", full_name="Nguyễn Văn An")
    stranger = users["tiepnhan.tinh"].__class__.objects.create(username="congdan.binh", full_name="Trần Thị Bình")
    Dossier.objects.filter(pk=returned_dossier.pk).update(applicant_user=citizen)
    dossier = Dossier.objects.get(pk=returned_dossier.pk)
    assert satisfaction.may_rate_online(citizen, dossier, None)
    assert not satisfaction.may_rate_online(stranger, dossier, None)
    assert satisfaction.may_rate_online(stranger, dossier, dossier.pk)
    assert not satisfaction.may_rate_online(stranger, dossier, dossier.pk + 1)


@pytest.mark.django_db(transaction=True)
def test_two_raters_at_once_give_one_rating(procedure, agencies, users):
    from motcua.dossiers import services
    from tests.dossiers.conftest import MONDAY_9AM, reception_for
    with time_machine.travel(MONDAY_9AM, tick=False):
        dossier = services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies))
    dossier = return_dossier(dossier, users)
    outcomes, barrier = [], threading.Barrier(4)

    def rate(overall):
        try:
            barrier.wait()
            satisfaction.rate(dossier.pk, overall=overall, scores={c: overall for c in ALL_SATISFIED})
            outcomes.append("rated")
        except satisfaction.AlreadyRated:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 — reported below
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=rate, args=(level,)) for level in (1, 2, 3, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["rated", "refused", "refused", "refused"]
    rating = SatisfactionRating.objects.get()
    assert set(rating.scores.values()) == {rating.overall}  # the scores belong to the one rating kept
    assert DossierEvent.objects.filter(action="satisfaction_rated").count() == 1


def test_database_refuses_a_second_rating_row(returned_dossier):
    from django.db import IntegrityError, transaction
    satisfaction.rate(returned_dossier.pk, overall=2, scores=ALL_SATISFIED)
    with pytest.raises(IntegrityError), transaction.atomic():
        SatisfactionRating.objects.create(dossier=returned_dossier, competent_agency=returned_dossier.competent_agency,
                                          receiving_agency=returned_dossier.receiving_agency, channel="online",
                                          overall=1, satisfied=False, rated_at=returned_dossier.returned_at)


def _rated(dossier, overall, when, levels=None, channel="online", recorded_by=None):
    with time_machine.travel(when, tick=False):
        return satisfaction.rate(dossier.pk, overall=overall, channel=channel, recorded_by=recorded_by,
                                 scores={c: (levels or {}).get(c, overall) for c in ALL_SATISFIED})


def test_publication_per_agency_per_criterion_and_period(procedure, agencies, users):
    from motcua.dossiers import services
    from tests.dossiers.conftest import MONDAY_9AM, reception_for
    returned = []
    with time_machine.travel(MONDAY_9AM, tick=False):
        for _ in range(5):
            returned.append(services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies)))
    returned = [return_dossier(d, users) for d in returned]
    _rated(returned[0], 3, at(2026, 12, 1, 9, 0))
    _rated(returned[1], 2, at(2026, 12, 1, 10, 0), levels={"conduct": 1})
    _rated(returned[2], 1, at(2026, 12, 2, 9, 0))
    _rated(returned[3], 2, at(2026, 12, 3, 9, 0), channel="counter", recorded_by=users["tiepnhan.tinh"])
    _rated(returned[4], 1, at(2027, 1, 5, 9, 0))

    december = satisfaction.publication(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert [a.agency_code for a in december.agencies] == ["000.00.14.H42"]
    justice = december.agencies[0].tally
    assert (justice.total, justice.very, justice.satisfied_only, justice.dissatisfied) == (4, 1, 2, 1)
    assert justice.rate == 75.0 and not justice.meets_target
    conduct = next(c for c in december.criteria if c.criterion == "conduct").tally
    assert (conduct.total, conduct.satisfied, conduct.rate) == (4, 2, 50.0)
    online = next(c for c in december.criteria if c.criterion == "online").tally
    assert online.total == 0 and online.rate is None

    one_day = satisfaction.publication(datetime.date(2026, 12, 1), datetime.date(2026, 12, 1))
    assert one_day.total.total == 2 and one_day.total.rate == 100.0
    by_centre = satisfaction.publication(None, None, by="receiving")
    assert [a.agency_code for a in by_centre.agencies] == ["000.00.01.H42"]
    assert by_centre.total.total == 5 and by_centre.total.rate == 60.0
    other = satisfaction.publication(None, None, agency=agencies["000.00.12.H42"])
    assert other.selected.total == 0 and all(c.tally.total == 0 for c in other.criteria)


def test_publication_refuses_a_reversed_period(db):
    with pytest.raises(satisfaction.RatingError):
        satisfaction.publication(datetime.date(2026, 12, 31), datetime.date(2026, 12, 1))
