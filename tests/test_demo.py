"""`make run` loads this demo; it must produce a believable province in one go."""
from django.core.management import call_command

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.orgs.models import Agency


def test_seed_demo_builds_a_working_province(db):
    call_command("seed_demo", "--if-empty")
    assert Agency.objects.count() >= 30
    assert Procedure.objects.filter(current_version__status="published").count() >= 30
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.RETURNED, Status.IN_PROGRESS, Status.STOPPED}.issubset(statuses)
    assert Dossier.objects.filter(supplement_requested_at__isnull=False).exists()
    # Every dossier's history starts with its reception event.
    assert DossierEvent.objects.filter(action="receive").count() == Dossier.objects.count()
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    count = Dossier.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Dossier.objects.count() == count
