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
    # Every dossier's history starts with its reception event, or its online submission.
    assert DossierEvent.objects.filter(action__in=["receive", "submit_online"]).count() == Dossier.objects.count()
    online = Dossier.objects.filter(channel="online")
    assert {Status.SUBMITTED_ONLINE, Status.RETURNED_ONLINE, Status.AWAITING_SUPPLEMENT,
            Status.RETURNED}.issubset(set(online.values_list("status", flat=True)))
    assert online.filter(status=Status.RETURNED).exclude(result_file="").exists()
    assert not online.filter(applicant_user__isnull=True).exists()
    codes = list(Dossier.objects.exclude(code=None).values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    count = Dossier.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Dossier.objects.count() == count
