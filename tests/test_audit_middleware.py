"""motcua.audit.AuditContextMiddleware: who and from where on audited changes, nothing on the lookup."""
import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from motcua.audit import AuditContextMiddleware

pytestmark = pytest.mark.django_db


def _run(path, official):
    def view(request):
        get_user_model().objects.create_user(f"nguoi{len(path)}", password="x")
        return HttpResponse("ok")

    request = RequestFactory().post(path, REMOTE_ADDR="198.51.100.23")
    request.user = official
    AuditContextMiddleware(view)(request)
    return LogEntry.objects.get(object_repr=f"nguoi{len(path)}")


def test_changes_record_the_official_and_the_address():
    official = get_user_model().objects.create_user("canbo", password="x")
    entry = _run("/desk/tiep-nhan/", official)
    assert entry.actor == official and entry.remote_addr == "198.51.100.23"


def test_the_public_lookup_gets_no_context():
    official = get_user_model().objects.create_user("canbo", password="x")
    entry = _run("/tra-cuu/", official)
    assert entry.actor is None and entry.remote_addr is None
