"""Fixtures of the account and online-submission tests (imported by those modules only)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.catalog.models import OnlineLevel
from motcua.orgs import demo as orgs_demo
from motcua.orgs.models import Agency, User
from motcua.portal import accounts
from motcua.workcal import services as workcal
from tests.dossiers.conftest import make_procedure

PASSWORD = "MotCua@2025"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def pdf(name="giay-to.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fake_pdf(name="to-khai.pdf"):
    """A program renamed to .pdf: the name says PDF, the content does not."""
    return SimpleUploadedFile(name, EXE, content_type="application/pdf")


@pytest.fixture
def province(db):
    orgs_demo.load()
    workcal.seed_calendar(2025, 2027)
    workcal.clear_cache()


@pytest.fixture
def staff(province):
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def online_version(province):
    agencies = {a.code: a for a in Agency.objects.all()}
    version = make_procedure(agencies)
    level, _ = OnlineLevel.objects.get_or_create(
        scheme="qd_2025", code="toan_trinh",
        defaults={"name": "Dịch vụ công trực tuyến toàn trình", "submit_online": True, "pay_online": True,
                  "result_online": True, "is_full_online": True})
    version.online_level = level
    version.save()
    return version


def make_citizen(email="an.nguyen@example.vn", phone="0912345678", verified=True, name="Nguyễn Văn An",
                 id_number="037090001234"):
    profile = accounts.register(accounts.ProfileData(
        kind="individual", full_name=name, id_number=id_number, email=email, phone=phone,
        address="Số 5 phố Lê Lợi, phường Hoa Lư, tỉnh Ninh Bình"), PASSWORD, PASSWORD)
    if verified:
        profile.email_verified_at = timezone.now()
        profile.save()
    return profile.user


@pytest.fixture
def citizen(province):
    return make_citizen()


@pytest.fixture
def other_citizen(province):
    return make_citizen(email="binh.tran@example.vn", phone="0987654321", name="Trần Thị Bình",
                        id_number="036190004321")
