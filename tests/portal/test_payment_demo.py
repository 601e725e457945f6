"""The demo shows online payments and the postal channel (loaded by seed_demo)."""
from django.core.management import call_command

from motcua.dossiers.models import Dossier, ReturnMethod, Status
from motcua.portal.models import PaymentOrder, PaymentReceipt


def test_demo_has_paid_online_dossiers_and_postal_ones(db):
    call_command("seed_demo", "--if-empty")
    mine = Dossier.objects.filter(applicant_user__username__in=["tranthihoa", "phamvanminh"])
    assert mine.count() == 5 and not mine.exclude(channel="online").exists()
    paid = mine.filter(fee_paid_at__isnull=False)
    assert paid.count() == 3
    for dossier in paid:
        receipt = PaymentReceipt.objects.get(dossier=dossier)
        assert receipt.amount == dossier.procedure_version.fee_amount == dossier.fee_amount
    # Paid online, then accepted at the desk: the fee stays recorded on the received dossier.
    accepted = paid.get(status=Status.RECEIVED)
    assert accepted.code and accepted.fee_amount == 200000
    assert mine.filter(status=Status.SUBMITTED_ONLINE, fee_paid_at__isnull=True).count() == 2  # left to pay
    assert PaymentOrder.objects.filter(status=PaymentOrder.Status.CANCELLED).count() == 1
    assert mine.filter(return_method=ReturnMethod.POST, postal_fee__gt=0).count() == 2
    assert Dossier.objects.filter(channel="post").exclude(incoming_tracking="").exists()
    assert Dossier.objects.filter(status=Status.RETURNED, return_method=ReturnMethod.POST,
                                  postal_dispatched_on__isnull=False).exclude(postal_tracking="").exists()
