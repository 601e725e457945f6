"""Citizen accounts: register, verify by email link or SMS code, sign in by email or phone, profile,
password reset, and the province's OpenID Connect sign-in (configuration and claims mapping)."""
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from motcua.orgs.models import User
from motcua.portal import accounts
from motcua.portal.models import CitizenProfile, VerificationCode
from tests.portal.submission_fixtures import PASSWORD, make_citizen, province, staff  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=False)

FORM = {"kind": "individual", "full_name": "Lê Thị Cúc", "id_number": "037190005678", "organisation_name": "",
        "email": "cuc.le@example.vn", "phone": "0911222333", "address": "Phường Hoa Lư", "password1": PASSWORD,
        "password2": PASSWORD}


def sms_code(settings):
    line = settings.SMS_OUTBOX.read_text(encoding="utf-8").strip().splitlines()[-1]
    return re.search(r"Cổng dịch vụ công: (\d{6})", line).group(1)


def email_link():
    return re.search(r"https?://\S+/tai-khoan/xac-minh/\S+/", mail.outbox[-1].body).group(0)


def test_register_sends_email_link_and_sms_code_then_verifies(client, province, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/dang-ky/", FORM)
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-minh/"
    user = User.objects.get(email="cuc.le@example.vn")
    profile = user.citizen_profile
    assert not profile.is_verified and user.phone == "0911222333" and profile.id_number == "037190005678"
    assert "Xác minh tài khoản" in mail.outbox[-1].subject
    # Wrong SMS code: refused, counted, nothing verified.
    page = client.post("/tai-khoan/xac-minh/", {"action": "sms_code", "code": "000000"})
    assert page.status_code == 400 and "Mã xác minh không đúng" in page.content.decode()
    assert VerificationCode.objects.get(channel="sms").attempts == 1
    assert not CitizenProfile.objects.get(pk=profile.pk).is_verified
    code = sms_code(settings)
    response = client.post("/tai-khoan/xac-minh/", {"action": "sms_code", "code": code})
    assert response.status_code == 302
    assert CitizenProfile.objects.get(pk=profile.pk).phone_verified_at is not None
    # The email link works too, once.
    link = email_link()
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 302
    assert CitizenProfile.objects.get(pk=profile.pk).email_verified_at is not None
    again = client.get("/" + path)
    assert again.status_code == 400 and "không hợp lệ hoặc đã hết hạn" in again.content.decode()


def test_register_refusals_change_nothing(client, province):
    make_citizen()
    cases = [
        ({"id_number": "12345"}, "12 chữ số"),
        ({"email": "an.nguyen@example.vn"}, "đã được dùng cho một tài khoản khác"),
        ({"phone": "0912 345 678"}, "đã được dùng cho một tài khoản khác"),
        ({"password2": "KhacNhau@1"}, "Hai lần nhập mật khẩu không giống nhau"),
        ({"password1": "12345678", "password2": "12345678"}, "hoàn toàn là số"),
        ({"email": "", "phone": ""}, "thư điện tử hoặc số điện thoại"),
        ({"kind": "organisation", "id_number": "037190005678"}, "Vui lòng nhập tên tổ chức"),
    ]
    before = User.objects.count()
    for change, message in cases:
        response = client.post("/tai-khoan/dang-ky/", {**FORM, **change})
        assert response.status_code == 400, change
        assert message in response.content.decode(), (change, message)
    assert User.objects.count() == before and not VerificationCode.objects.filter(target="cuc.le@example.vn").exists()


def test_organisation_registers_with_tax_code(client, province):
    response = client.post("/tai-khoan/dang-ky/", {**FORM, "kind": "organisation", "id_number": "2700123456",
                                                  "organisation_name": "Công ty TNHH Tràng An Xanh"})
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(id_number="2700123456")
    assert profile.kind == "organisation" and profile.organisation_name == "Công ty TNHH Tràng An Xanh"


def test_sign_in_with_email_or_phone_staff_with_user_name(client, province, staff):
    make_citizen()
    for identifier in ("an.nguyen@example.vn", "AN.NGUYEN@example.vn", "0912345678", "+84 912 345 678"):
        assert client.login(username=identifier, password=PASSWORD), identifier
        client.logout()
    assert not client.login(username="0912345678", password="sai-mat-khau")
    assert client.login(username="tiepnhan.tinh", password=PASSWORD)
    page = client.post("/dang-nhap/", {"username": "0912345678", "password": "sai"})
    assert "không đúng" in page.content.decode()


def test_resend_is_throttled(client, province, settings):
    user = make_citizen(verified=False)
    client.force_login(user)
    page = client.post("/tai-khoan/xac-minh/", {"action": "resend_sms"})
    assert page.status_code == 400 and "vui lòng chờ" in page.content.decode()
    assert VerificationCode.objects.filter(user=user, channel="sms").count() == 1


def test_five_wrong_codes_burn_the_code(province, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_citizen(verified=False)
    for _ in range(accounts.MAX_SMS_ATTEMPTS):
        with pytest.raises(accounts.AccountError, match="không đúng"):
            accounts.verify_sms(user, "999999")
    with pytest.raises(accounts.AccountError, match="sai quá"):
        accounts.verify_sms(user, sms_code(settings))
    assert not CitizenProfile.objects.get(user=user).is_verified


def test_expired_email_link_is_refused(province):
    user = make_citizen(verified=False)
    token = "x" * 43
    VerificationCode.objects.filter(user=user).delete()
    VerificationCode.objects.create(user=user, channel="email", target=user.email, secret_hash=accounts._hash("email", token),
                                    created_at=timezone.now(), expires_at=timezone.now())
    with pytest.raises(accounts.AccountError, match="hết hạn"):
        accounts.verify_email(token)


def test_profile_edit_reverifies_a_changed_phone_and_detects_stale_forms(client, province, django_capture_on_commit_callbacks):
    user = make_citizen()
    profile = user.citizen_profile
    profile.phone_verified_at = timezone.now()
    profile.save()
    client.force_login(user)
    form = {"kind": "individual", "full_name": "Nguyễn Văn An", "id_number": "037090001234", "organisation_name": "",
            "email": "an.nguyen@example.vn", "phone": "0933444555", "address": "Số 9 phố Lê Lợi",
            "row_version": profile.row_version}
    bad = client.post("/tai-khoan/", {**form, "id_number": "03709000123X"})
    assert bad.status_code == 400 and "12 chữ số" in bad.content.decode()
    assert User.objects.get(pk=user.pk).phone == "0912345678"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/tai-khoan/", form).status_code == 302
    fresh = CitizenProfile.objects.get(pk=profile.pk)
    assert fresh.address == "Số 9 phố Lê Lợi" and fresh.phone_verified_at is None and fresh.email_verified_at
    assert VerificationCode.objects.filter(user=user, channel="sms", target="0933444555").exists()
    stale = client.post("/tai-khoan/", {**form, "address": "Địa chỉ cũ"}, follow=True)
    assert "vừa được thay đổi ở nơi khác" in stale.content.decode()
    assert CitizenProfile.objects.get(pk=profile.pk).address == "Số 9 phố Lê Lợi"
    from auditlog.models import LogEntry
    assert LogEntry.objects.get_for_object(fresh).count() >= 2  # django-auditlog keeps every change


def test_password_reset_by_email(client, province):
    user = make_citizen()
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "an.nguyen@example.vn"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.subject == "Đặt lại mật khẩu tài khoản Cổng dịch vụ công"
    link = re.search(r"https?://[^/]+(/tai-khoan/dat-lai-mat-khau/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "HoaLu@2026x", "new_password2": "HoaLu@2026x"})
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("HoaLu@2026x")


def test_staff_have_no_citizen_pages(client, staff):
    client.force_login(staff["tiepnhan.tinh"])
    assert client.get("/tai-khoan/").status_code == 302
    assert "Tài khoản cán bộ" in client.get("/ho-so-cua-toi/").content.decode()


# ---------------------------------------------------------------- OpenID Connect (no network)

OIDC = dict(OIDC_ENABLED=True, OIDC_RP_CLIENT_ID="motcua", OIDC_RP_CLIENT_SECRET="bi-mat",
            OIDC_OP_AUTHORIZATION_ENDPOINT="https://id.ninhbinh.gov.vn/auth",
            OIDC_OP_TOKEN_ENDPOINT="https://id.ninhbinh.gov.vn/token",
            OIDC_OP_USER_ENDPOINT="https://id.ninhbinh.gov.vn/userinfo",
            OIDC_OP_JWKS_ENDPOINT="https://id.ninhbinh.gov.vn/jwks", OIDC_RP_SIGN_ALGO="RS256",
            OIDC_RP_SCOPES="openid profile email phone",
            OIDC_CLAIMS={"full_name": "name", "id_number": "so_dinh_danh", "email": "email", "phone": "phone_number",
                         "address": "address"})
CLAIMS = {"sub": "vneid-7f3a", "name": "Phạm Minh Đức", "so_dinh_danh": "037095009999", "email": "duc.pham@example.vn",
          "email_verified": True, "phone_number": "+84901234567", "address": {"formatted": "Phường Tây Hoa Lư"}}


@override_settings(**OIDC)
def test_oidc_creates_a_verified_citizen_from_mapped_claims(province, monkeypatch):
    from motcua.portal.oidc import ProvinceOIDCBackend
    backend = ProvinceOIDCBackend()
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: CLAIMS)
    user = backend.get_or_create_user("access", "id", {})
    profile = user.citizen_profile
    assert (user.full_name, user.email, user.phone) == ("Phạm Minh Đức", "duc.pham@example.vn", "0901234567")
    assert profile.id_number == "037095009999" and profile.oidc_subject == "vneid-7f3a" and profile.is_verified
    assert profile.address == "Phường Tây Hoa Lư" and not user.has_usable_password()
    # Second sign-in finds the same account by subject, and takes the provider's new name.
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: {**CLAIMS, "name": "Phạm Minh Đức (cập nhật)"})
    assert backend.get_or_create_user("a", "i", {}).pk == user.pk
    assert User.objects.get(pk=user.pk).full_name == "Phạm Minh Đức (cập nhật)"


@override_settings(**OIDC)
def test_oidc_links_an_existing_account_by_citizen_id(province, monkeypatch):
    from motcua.portal.oidc import ProvinceOIDCBackend
    existing = make_citizen(verified=False, id_number="037095009999", email="duc@example.vn", phone="0977000111")
    backend = ProvinceOIDCBackend()
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: CLAIMS)
    assert backend.get_or_create_user("a", "i", {}).pk == existing.pk
    assert CitizenProfile.objects.get(user=existing).oidc_subject == "vneid-7f3a"
    monkeypatch.setattr(backend, "get_userinfo", lambda *args: {"name": "no subject"})
    from django.core.exceptions import SuspiciousOperation
    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("a", "i", {})


@override_settings(ROOT_URLCONF="tests.portal.oidc_urls", **OIDC)
def test_oidc_login_redirects_to_the_provider(rf, province):
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView
    from django.contrib.sessions.backends.db import SessionStore
    request = rf.get("/oidc/authenticate/")
    request.session = SessionStore()
    response = OIDCAuthenticationRequestView.as_view()(request)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://id.ninhbinh.gov.vn/auth?") and "client_id=motcua" in location


def test_login_page_offers_the_provider_only_when_configured(client, province, settings):
    page = client.get("/dang-nhap/").content.decode()
    assert "Đăng nhập bằng" not in page and "Đăng ký tài khoản" in page and "Quên mật khẩu?" in page
    from motcua.portal.templatetags import submission_tags
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "VNeID"
    # The URL exists only when the project starts with OIDC on; without it the button stays hidden.
    assert submission_tags.oidc_login_url() == ""


def test_verification_never_redirects_to_another_site(client, province, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = make_citizen(verified=False)
    client.force_login(user)
    response = client.post("/tai-khoan/xac-minh/?next=https://lua-dao.example/", {"action": "sms_code",
                                                                                  "code": sms_code(settings)})
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
