"""Sign-in of citizens with the email or phone number they registered (staff keep their user names)."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from motcua.portal.accounts import normalise_phone


class EmailOrPhoneBackend(ModelBackend):
    """``username`` is an email address or a phone number of a citizen account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        identifier = username.strip()
        citizens = User.objects.filter(citizen_profile__isnull=False)
        if "@" in identifier:
            found = list(citizens.filter(email__iexact=identifier)[:2])
        else:
            phone = normalise_phone(identifier)
            found = list(citizens.filter(phone=phone)[:2]) if phone.isdigit() else []
        if len(found) != 1:
            # Same work as a real check, so timing does not tell which accounts exist.
            User().set_password(password)
            return None
        user = found[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
