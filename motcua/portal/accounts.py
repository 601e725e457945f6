"""Citizen and organisation accounts: registration, verification, profile.

A citizen signs in with the email or phone they registered (``backends.EmailOrPhoneBackend``) or
through the province's OpenID Connect provider (``oidc``). The account must be verified — an email
link or an SMS code, sent through the same providers as dossier notifications — before it can
submit a dossier. Each function is one transaction and raises ``AccountError`` with a Vietnamese
message (then nothing has changed).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.dossiers.models import ApplicantKind
from motcua.dossiers.services import Applicant, validate_applicant
from motcua.portal.models import CitizenProfile, VerificationCode

log = logging.getLogger(__name__)

EMAIL_LINK_VALIDITY = timedelta(hours=48)
SMS_CODE_VALIDITY = timedelta(minutes=10)
RESEND_INTERVAL = timedelta(seconds=60)
MAX_SMS_ATTEMPTS = 5


class AccountError(Exception):
    def __init__(self, message, field_errors=None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class StaleProfile(AccountError):
    pass


@dataclass
class ProfileData:
    kind: str
    full_name: str
    id_number: str
    organisation_name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""


def normalise_phone(phone: str) -> str:
    """"+84 912.345.678" → "0912345678" (what the desk stores)."""
    digits = re.sub(r"[\s.\-()]", "", phone or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def profile_of(user) -> CitizenProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.citizen_profile
    except CitizenProfile.DoesNotExist:
        return None


def _validate(data: ProfileData, user=None) -> dict[str, str]:
    """Field → message, with the desk's rules for the citizen ID / tax code and phone."""
    User = get_user_model()
    email, phone = data.email.strip().lower(), normalise_phone(data.phone)
    errors = validate_applicant(Applicant(name=data.full_name, id_number=data.id_number, kind=data.kind,
                                          organisation_name=data.organisation_name, phone=phone, email=email))
    mapping = {"applicant_name": "full_name", "applicant_id_number": "id_number",
               "organisation_name": "organisation_name", "applicant_phone": "phone", "applicant_email": "email"}
    errors = {mapping.get(k, k): v for k, v in errors.items()}
    if data.kind not in ApplicantKind.values:
        errors["kind"] = _("Loại tài khoản không hợp lệ.")
    if not email and not phone:
        errors["email"] = _("Vui lòng nhập thư điện tử hoặc số điện thoại để đăng nhập và nhận thông báo.")
    others = User.objects.exclude(pk=user.pk) if user is not None else User.objects.all()
    if email and "email" not in errors and others.filter(email__iexact=email).exists():
        errors["email"] = _("Thư điện tử này đã được dùng cho một tài khoản khác.")
    if phone and "phone" not in errors and others.filter(phone=phone).exists():
        errors["phone"] = _("Số điện thoại này đã được dùng cho một tài khoản khác.")
    if email and "email" not in errors and others.filter(username__iexact=email).exists():
        errors["email"] = _("Thư điện tử này đã được dùng cho một tài khoản khác.")
    return errors


@transaction.atomic
def register(data: ProfileData, password: str, password_again: str) -> "CitizenProfile":
    """Create a citizen or organisation account (not verified yet) and send the verification messages."""
    User = get_user_model()
    errors = _validate(data)
    email, phone = data.email.strip().lower(), normalise_phone(data.phone)
    candidate = User(username=email or phone, email=email, phone=phone, full_name=data.full_name.strip())
    if password != password_again:
        errors["password2"] = _("Hai lần nhập mật khẩu không giống nhau.")
    else:
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            errors["password1"] = " ".join(error.messages)
    if errors:
        raise AccountError(_("Thông tin đăng ký chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."), errors)
    candidate.set_password(password)
    candidate.save()
    profile = CitizenProfile.objects.create(
        user=candidate, kind=data.kind, id_number=data.id_number.strip(),
        organisation_name=data.organisation_name.strip() if data.kind == ApplicantKind.ORGANISATION else "",
        address=data.address.strip())
    if email:
        send_verification(candidate, VerificationCode.Channel.EMAIL)
    if phone:
        send_verification(candidate, VerificationCode.Channel.SMS)
    return profile


def _hash(channel: str, secret: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{channel}:{secret}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def send_verification(user, channel: str) -> VerificationCode:
    """A new email link or SMS code (the previous ones stop working); at most one a minute."""
    now = timezone.now()
    target = user.email if channel == VerificationCode.Channel.EMAIL else user.phone
    if not target:
        raise AccountError(_("Tài khoản chưa có thư điện tử.") if channel == VerificationCode.Channel.EMAIL
                           else _("Tài khoản chưa có số điện thoại."))
    last = VerificationCode.objects.select_for_update().filter(user=user, channel=channel).first()
    if last is not None and last.target == target and now - last.created_at < RESEND_INTERVAL:
        wait = int((RESEND_INTERVAL - (now - last.created_at)).total_seconds()) + 1
        raise AccountError(_("Vừa gửi mã xác minh; vui lòng chờ %(seconds)s giây rồi gửi lại.") % {"seconds": wait})
    VerificationCode.objects.filter(user=user, channel=channel, used_at__isnull=True).update(expires_at=now)
    if channel == VerificationCode.Channel.EMAIL:
        secret = secrets.token_urlsafe(32)
        validity = EMAIL_LINK_VALIDITY
    else:
        secret = f"{secrets.randbelow(10**6):06d}"
        validity = SMS_CODE_VALIDITY
    code = VerificationCode.objects.create(user=user, channel=channel, target=target,
                                           secret_hash=_hash(channel, secret if channel == "email"
                                                             else f"{user.pk}:{secret}"),
                                           created_at=now, expires_at=now + validity)
    transaction.on_commit(lambda: _deliver(channel, target, secret))
    return code


def _deliver(channel: str, target: str, secret: str) -> None:
    """Send through the notification providers; a failure is logged and the person can ask again."""
    try:
        if channel == VerificationCode.Channel.EMAIL:
            link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:verify_email", args=[secret])
            send_mail(_("Xác minh tài khoản Cổng dịch vụ công"),
                      _("Để hoàn tất đăng ký tài khoản trên Cổng dịch vụ công, vui lòng mở liên kết sau (có hiệu "
                        "lực trong 48 giờ):\n%(link)s\n\nNếu không phải ông/bà đăng ký, hãy bỏ qua thư này.")
                      % {"link": link}, settings.DEFAULT_FROM_EMAIL, [target])
        else:
            import_string(settings.SMS_PROVIDER)().send(
                target, _("Mã xác minh tài khoản Cổng dịch vụ công: %(code)s (hiệu lực 10 phút). Không chia sẻ "
                          "mã này cho người khác.") % {"code": secret})
    except Exception:  # noqa: BLE001 — the account exists; the person can press "gửi lại"
        log.exception("verification %s to %s not sent", channel, target)


@transaction.atomic
def verify_email(token: str):
    """Open the email link: marks the email verified. Returns the user."""
    now = timezone.now()
    code = (VerificationCode.objects.select_for_update().select_related("user")
            .filter(channel=VerificationCode.Channel.EMAIL, secret_hash=_hash("email", token or "")).first())
    if code is None or code.used_at is not None or code.expires_at <= now or code.target != code.user.email:
        raise AccountError(_("Liên kết xác minh không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập và gửi lại "
                             "liên kết mới."))
    code.used_at = now
    code.save(update_fields=["used_at"])
    profile = CitizenProfile.objects.select_for_update().get(user=code.user)
    profile.email_verified_at = now
    profile.row_version += 1
    profile.save()
    return code.user


def verify_sms(user, entered: str) -> None:
    """Check the SMS code; five wrong tries burn it (the wrong tries are counted even though refused)."""
    entered = (entered or "").strip()
    now = timezone.now()
    with transaction.atomic():
        code = (VerificationCode.objects.select_for_update()
                .filter(user=user, channel=VerificationCode.Channel.SMS, used_at__isnull=True, expires_at__gt=now)
                .first())
        if code is None or code.target != user.phone:
            raise AccountError(_("Mã xác minh đã hết hạn hoặc chưa được gửi. Vui lòng bấm “Gửi lại mã”."))
        if code.attempts >= MAX_SMS_ATTEMPTS:
            raise AccountError(_("Đã nhập sai quá %(n)s lần. Vui lòng bấm “Gửi lại mã” để nhận mã mới.")
                               % {"n": MAX_SMS_ATTEMPTS})
        right = hmac.compare_digest(code.secret_hash, _hash("sms", f"{user.pk}:{entered}"))
        if right:
            code.used_at = now
            code.save(update_fields=["used_at"])
            profile = CitizenProfile.objects.select_for_update().get(user=user)
            profile.phone_verified_at = now
            profile.row_version += 1
            profile.save()
            return
        code.attempts += 1
        code.save(update_fields=["attempts"])
    raise AccountError(_("Mã xác minh không đúng."), {"code": _("Mã xác minh không đúng.")})


@transaction.atomic
def update_profile(user, expected_version: int, data: ProfileData) -> CitizenProfile:
    """Change name, ID, contacts, address. A changed email or phone must be verified again."""
    profile = CitizenProfile.objects.select_for_update().select_related("user").filter(user=user).first()
    if profile is None:
        raise AccountError(_("Tài khoản cán bộ không có hồ sơ công dân."))
    if profile.row_version != expected_version:
        raise StaleProfile(_("Thông tin tài khoản vừa được thay đổi ở nơi khác. Vui lòng tải lại trang rồi sửa "
                             "lại."))
    errors = _validate(data, user=user)
    if errors:
        raise AccountError(_("Thông tin chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."), errors)
    user = profile.user
    email, phone = data.email.strip().lower(), normalise_phone(data.phone)
    email_changed, phone_changed = email != (user.email or ""), phone != (user.phone or "")
    user.full_name, user.email, user.phone = data.full_name.strip(), email, phone
    user.save(update_fields=["full_name", "email", "phone"])
    profile.kind, profile.id_number = data.kind, data.id_number.strip()
    profile.organisation_name = data.organisation_name.strip() if data.kind == ApplicantKind.ORGANISATION else ""
    profile.address = data.address.strip()
    if email_changed:
        profile.email_verified_at = None
    if phone_changed:
        profile.phone_verified_at = None
    profile.row_version += 1
    profile.save()
    if email_changed and email:
        send_verification(user, VerificationCode.Channel.EMAIL)
    if phone_changed and phone:
        send_verification(user, VerificationCode.Channel.SMS)
    return profile


def submission_refusal(user) -> str | None:
    """Why this user may not submit a dossier online now (None when they may)."""
    if not user.is_authenticated:
        return _("Vui lòng đăng nhập để nộp hồ sơ trực tuyến.")
    profile = profile_of(user)
    if profile is None:
        return _("Tài khoản cán bộ không dùng để nộp hồ sơ trực tuyến; vui lòng đăng ký tài khoản công dân.")
    if not profile.is_verified:
        return _("Tài khoản chưa được xác minh. Vui lòng xác minh thư điện tử hoặc số điện thoại trước khi nộp "
                 "hồ sơ.")
    return None
