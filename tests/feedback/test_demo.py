"""The demo feedback walks the real services into every state (`make run` shows them)."""
import pytest

from motcua.catalog import demo as catalog_demo
from motcua.feedback import demo, services
from motcua.feedback.models import ApiKey, Feedback, Status
from motcua.orgs import demo as orgs_demo
from motcua.workcal import demo as workcal_demo

pytestmark = pytest.mark.django_db


def test_demo_feedback_in_every_state():
    orgs_demo.load()
    workcal_demo.load()
    catalog_demo.load()
    demo.load()
    statuses = set(Feedback.objects.values_list("status", flat=True))
    assert {Status.ANSWERED, Status.ASSIGNED, Status.REJECTED, Status.MERGED, Status.RECEIVED,
            Status.UNVERIFIED} <= statuses
    assert Feedback.objects.filter(overdue_flagged_at__isnull=False).exists()
    assert Feedback.objects.filter(events__action="forward").exists()
    assert services.published().count() >= 2
    assert services.check_api_key(demo.DEMO_API_KEY) == ApiKey.objects.get()
    count = Feedback.objects.count()
    demo.load()
    assert Feedback.objects.count() == count
