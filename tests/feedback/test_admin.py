"""Admin: API keys are issued there (shown once, only the hash kept); categories' deadlines are edited there."""
import pytest
from auditlog.models import LogEntry

from motcua.feedback import services
from motcua.feedback.models import ApiKey, Category, Feedback

pytestmark = pytest.mark.django_db


def test_issue_an_api_key_in_the_admin(client, users):
    client.force_login(users["admin"])
    response = client.post("/admin/feedback/apikey/add/", {
        "name": "Ứng dụng Zalo phường Hoa Lư", "contact": "UBND phường Hoa Lư", "is_active": "on"}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    key = ApiKey.objects.get()
    raw = text.split("Khóa API của “Ứng dụng Zalo phường Hoa Lư”: ")[1].split(" ")[0]
    assert raw.startswith(key.prefix) and raw not in key.key_hash
    assert services.check_api_key(raw) == key
    assert raw not in client.get(f"/admin/feedback/apikey/{key.pk}/change/").content.decode()


def test_response_time_is_edited_per_category_and_audited(client, users):
    client.force_login(users["admin"])
    category = Category.objects.get(code="HSTH")
    page = client.get(f"/admin/feedback/category/{category.pk}/change/")
    assert page.status_code == 200
    data = {"code": "HSTH", "name": category.name, "description": category.description, "subject": "dossier",
            "keywords": category.keywords, "response_days": "3", "reminder_days": "1", "default_agency": "",
            "service_notice": category.service_notice, "order": category.order, "is_active": "on"}
    assert client.post(f"/admin/feedback/category/{category.pk}/change/", data).status_code == 302
    assert Category.objects.get(pk=category.pk).response_days == 3
    assert LogEntry.objects.get_for_object(category).exists()


def test_feedback_is_read_only_in_the_admin(client, users, received):
    client.force_login(users["admin"])
    assert client.get("/admin/feedback/feedback/").status_code == 200
    assert client.get("/admin/feedback/feedback/add/").status_code == 403
    assert client.post(f"/admin/feedback/feedback/{received.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Feedback.objects.filter(pk=received.pk).exists()
