"""The demo province has satisfaction ratings, so the public page shows figures after `make run`."""
from django.core.management import call_command

from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.portal.models import SatisfactionRating


def test_demo_rates_most_returned_dossiers_with_a_realistic_mix(client, db):
    call_command("seed_demo", "--if-empty")
    returned = Dossier.objects.filter(status=Status.RETURNED).count()
    ratings = SatisfactionRating.objects.all()
    assert ratings.count() == returned - 2  # two left for a person to rate by hand
    assert {r.overall for r in ratings} >= {2, 3}
    assert 60 <= 100 * ratings.filter(satisfied=True).count() / ratings.count() <= 100
    assert {r.channel for r in ratings} == {"online", "counter"}
    assert all(r.rated_at >= r.dossier.returned_at for r in ratings.select_related("dossier"))
    assert DossierEvent.objects.filter(action="satisfaction_rated").count() == ratings.count()
    html = client.get("/muc-do-hai-long/", {"tu": "01/01/2020"}).content.decode()
    assert "Sở Tư pháp" in html or "Ủy ban nhân dân" in html
    assert "Chưa có phiếu đánh giá nào" not in html
