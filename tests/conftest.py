"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL says so."""
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_OUTBOX = tmp_path / "sms-outbox.log"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Demo accounts are created in many tests; real PBKDF2 rounds would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The public lookup keeps agency/procedure names per process; ids are reused between tests.
    from motcua.portal.lookup import clear_names
    clear_names()
