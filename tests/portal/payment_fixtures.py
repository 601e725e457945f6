"""Fixtures for payment and postal tests: a full-online procedure with a fee and a citizen's online dossier.

Online dossiers are created here directly in ``submitted_online`` (the online submission itself is
built and tested elsewhere); everything after that goes through the payment and postal services.
"""
import urllib.parse

import pytest
from django.test import Client
from django.utils import timezone

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import Channel, Dossier, ReturnMethod, Status
from motcua.orgs.models import User
from tests.dossiers.conftest import agencies, make_procedure, province, users  # noqa: F401 — fixtures

CENTRE = "000.00.01.H42"
JUSTICE = "000.00.14.H42"
PASSWORD = "MatKhau@2025"


def full_online_level():
    level, _ = OnlineLevel.objects.get_or_create(
        scheme="qd_2025", code="toan_trinh",
        defaults={"name": "Dịch vụ công trực tuyến toàn trình", "submit_online": True, "pay_online": True,
                  "result_online": True, "is_full_online": True, "order": 1})
    return level


def partly_online_level():
    level, _ = OnlineLevel.objects.get_or_create(
        scheme="qd_2025", code="mot_phan",
        defaults={"name": "Dịch vụ công trực tuyến một phần", "submit_online": True, "order": 2})
    return level


@pytest.fixture
def full_online(agencies):  # noqa: F811
    version = make_procedure(agencies)
    version.online_level = full_online_level()
    version.save()
    return version


def make_citizen(username="nguyenvanan", name="Nguyễn Văn An"):
    return User.objects.create_user(username, password=PASSWORD, full_name=name, email=f"{username}@example.vn")


@pytest.fixture
def citizen(db):
    return make_citizen()


@pytest.fixture
def other_citizen(db):
    return make_citizen("tranthibinh", "Trần Thị Bình")


def make_online_dossier(version, agencies, user, **overrides):  # noqa: F811
    values = dict(
        status=Status.SUBMITTED_ONLINE, channel=Channel.ONLINE, procedure_version=version,
        receiving_agency=agencies[CENTRE], competent_agency=agencies[JUSTICE], applicant_user=user,
        applicant_name=user.full_name, applicant_id_number="037090001234", applicant_phone="0912345678",
        applicant_email=user.email, applicant_address="Số 5 phố Lê Lợi, phường Hoa Lư, tỉnh Ninh Bình",
        return_method=ReturnMethod.ONLINE, submitted_at=timezone.now())
    values.update(overrides)
    dossier = Dossier(**values)
    dossier.save()
    return dossier


@pytest.fixture
def online_dossier(full_online, agencies, citizen):  # noqa: F811
    return make_online_dossier(full_online, agencies, citizen)


def client_transport(client=None):
    """The sandbox's notifier posting through Django's test client: URL routing, view and verification
    are the ones a real HTTP notification goes through."""
    client = client or Client()

    def post(url, params):
        response = client.post(urllib.parse.urlsplit(url).path, params)
        return response.status_code, response.content.decode()
    return post


def gateway_params(redirect_url):
    """The query of the gateway URL the portal sent the browser to."""
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(redirect_url).query))


def reload(dossier):
    return Dossier.objects.get(pk=dossier.pk)
