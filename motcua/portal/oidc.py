"""Sign-in through the province's OpenID Connect identity provider (mozilla-django-oidc).

Enabled when ``OIDC_RP_CLIENT_ID`` is set (see settings and the README). The provider has
identified the person, so an account it creates or links is verified. Which claim carries the
name, the 12-digit citizen ID, the phone and the email is configurable (``OIDC_CLAIM_*``),
because each provincial provider names them its own way.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.dossiers.models import ApplicantKind
from motcua.portal.accounts import normalise_phone
from motcua.portal.models import CitizenProfile

log = logging.getLogger(__name__)


def mapped_claims(claims: dict) -> dict:
    """The provider's claims under our names: sub, full_name, id_number, email, phone, address."""
    names = settings.OIDC_CLAIMS

    def claim(key):
        value = claims.get(names[key], "")
        if isinstance(value, dict):  # OIDC "address" is an object with "formatted"
            value = value.get("formatted", "")
        return str(value or "").strip()

    email = claim("email").lower()
    email_verified = claims.get("email_verified", True) is not False
    return {"sub": str(claims.get("sub", "")), "full_name": claim("full_name"), "id_number": claim("id_number"),
            "email": email if email_verified else "", "phone": normalise_phone(claim("phone")),
            "address": claim("address")}


class ProvinceOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        """The account already linked to this subject; else the one citizen with the same 12-digit ID."""
        data = mapped_claims(claims)
        linked = self.UserModel.objects.filter(citizen_profile__oidc_subject=data["sub"])
        if linked.exists() or not data["id_number"]:
            return linked
        return self.UserModel.objects.filter(citizen_profile__id_number=data["id_number"],
                                             citizen_profile__kind=ApplicantKind.INDIVIDUAL,
                                             citizen_profile__oidc_subject__isnull=True)

    @transaction.atomic
    def create_user(self, claims):
        data = mapped_claims(claims)
        username = f"oidc-{data['sub']}"[:150]
        taken = self.UserModel.objects
        user = self.UserModel(username=username, full_name=data["full_name"][:150],
                              email="" if data["email"] and taken.filter(email__iexact=data["email"]).exists()
                              else data["email"],
                              phone="" if data["phone"] and taken.filter(phone=data["phone"]).exists()
                              else data["phone"])
        user.set_unusable_password()
        user.save()
        CitizenProfile.objects.create(user=user, kind=ApplicantKind.INDIVIDUAL, id_number=data["id_number"],
                                      address=data["address"], oidc_subject=data["sub"],
                                      email_verified_at=timezone.now() if user.email else None)
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        """Link the subject on first use and take the provider's name (it is the authoritative one)."""
        data = mapped_claims(claims)
        profile = CitizenProfile.objects.select_for_update().get(user=user)
        if profile.oidc_subject != data["sub"]:
            profile.oidc_subject = data["sub"]
            profile.row_version += 1
            profile.save()
        if data["full_name"] and user.full_name != data["full_name"]:
            user.full_name = data["full_name"][:150]
            user.save(update_fields=["full_name"])
        return user
