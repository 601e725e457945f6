"""Settings for Một Cửa.

Everything that differs between a laptop and a province's server comes from the
environment: DATABASE_URL (SQLite by default), SECRET_KEY, DEBUG, ALLOWED_HOSTS,
EMAIL_URL-style settings and the public base URL printed in QR codes.
"""
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Base URL of the public portal; printed in QR codes on every form.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "auditlog",
    "huey.contrib.djhuey",
    "motcua.orgs",
    "motcua.workcal",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.forms_print",
    "motcua.portal",
    "motcua.feedback",
    "motcua.reports",
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.audit.AuditContextMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_config():
    url = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}")
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock at BEGIN, so two counters
        # receiving at once queue instead of failing with "database is locked".
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Tests use a file, not shared-cache memory, so concurrent-reception tests see the same
        # WAL + IMMEDIATE locking as production (shared cache fails with "table is locked").
        config["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    elif os.environ.get("TEST_DB_NAME"):
        # Lets several test runs share one PostgreSQL server without dropping each other's database.
        config["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in is pluggable: staff use their user name (ModelBackend), citizens their email or phone.
# A province replaces or extends the list with AUTHENTICATION_BACKENDS (comma-separated dotted paths).
AUTHENTICATION_BACKENDS = [b.strip() for b in os.environ.get(
    "AUTHENTICATION_BACKENDS",
    "django.contrib.auth.backends.ModelBackend,motcua.portal.backends.EmailOrPhoneBackend").split(",") if b.strip()]

# Optional OpenID Connect sign-in with the province's identity provider (mozilla-django-oidc):
# on when OIDC_RP_CLIENT_ID is set. Endpoints come from the provider's discovery document.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "tài khoản định danh của tỉnh")
# Claim names carrying each profile field (providers differ; VNeID-style IdPs often use "citizen_id").
OIDC_CLAIMS = {
    "full_name": os.environ.get("OIDC_CLAIM_NAME", "name"),
    "id_number": os.environ.get("OIDC_CLAIM_ID_NUMBER", "citizen_id"),
    "email": os.environ.get("OIDC_CLAIM_EMAIL", "email"),
    "phone": os.environ.get("OIDC_CLAIM_PHONE", "phone_number"),
    "address": os.environ.get("OIDC_CLAIM_ADDRESS", "address"),
}
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("motcua.portal.oidc.ProvinceOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["OIDC_RP_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile email phone")
    OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
    LOGIN_REDIRECT_URL_FAILURE = "/dang-nhap/?oidc=loi"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "vi"
# Vietnamese only for now: no LocaleMiddleware, so an English browser still gets dd/mm/yyyy and 150.000.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["motcua.formats"]
# Off: with it, every integer a template prints is grouped, so a link to dossier 1164 read
# "?procedure=1.164" once the ids passed 999. Amounts are grouped where shown (money, grouped, vn).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "motcua" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Caches: per-process memory by default (one runserver process). With several gunicorn workers set
# CACHE_REDIS_URL (e.g. redis://127.0.0.1:6379/1) so throttles count one client across all workers.
if os.environ.get("CACHE_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["CACHE_REDIS_URL"],
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "motcua")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered page fragments that are the same for every visitor (the anonymous navigation bar): kept in
# each process's memory, as a network round trip would cost more than rendering them.
CACHES["fragments"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments",
                       "TIMEOUT": 3600}

# Reverse proxies in front of the app whose X-Forwarded-For may be trusted (0: use the socket's
# address). A client can write any X-Forwarded-For, so trusting it by default would let anyone
# escape the per-client throttles.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
# Public dossier lookup: wrong (code, last 4 phone digits) pairs allowed per client and window.
PUBLIC_LOOKUP_THROTTLE = os.environ.get("PUBLIC_LOOKUP_THROTTLE", "10/15m")
# The lookup runs as a prepared statement on PostgreSQL; 0 for a pooler that cannot keep them.
PUBLIC_LOOKUP_PREPARED = os.environ.get("PUBLIC_LOOKUP_PREPARED", "1") == "1"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"public": os.environ.get("PUBLIC_THROTTLE", "120/minute")},
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Một Cửa API",
    "DESCRIPTION": "API của hệ thống một cửa điện tử: lịch làm việc, thủ tục hành chính, hồ sơ.",
    "VERSION": "1.0.0",
}

# Background jobs: huey with SQLite storage by default; Redis at scale via HUEY_REDIS_URL.
HUEY_IMMEDIATE = os.environ.get("HUEY_IMMEDIATE", "0") == "1"
if os.environ.get("HUEY_REDIS_URL"):
    HUEY = {"huey_class": "huey.RedisHuey", "name": "motcua", "url": os.environ["HUEY_REDIS_URL"],
            "immediate": HUEY_IMMEDIATE}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "motcua", "filename": str(VAR_DIR / "huey.sqlite3"),
            "immediate": HUEY_IMMEDIATE}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Một Cửa <motcua@localhost>")
# SMS provider: dotted path to a class with send(phone, text); the default writes to a file.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "motcua.dossiers.notify.FileSmsProvider")
SMS_OUTBOX = VAR_DIR / "sms-outbox.log"

# Online payment (portal): the gateways the portal knows and the one it uses. The built-in sandbox
# behaves like a real gateway (its own pay page, signed redirect and server-to-server notification)
# but moves no money; a province replaces it with its contracted gateway's class.
PAYMENT_GATEWAYS = {"sandbox": "motcua.portal.payments.SandboxGateway"}
PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "sandbox")
PAYMENT_SANDBOX_ENABLED = os.environ.get("PAYMENT_SANDBOX_ENABLED", "1") == "1"
# HMAC-SHA256 key shared by the merchant (us) and the sandbox gateway.
PAYMENT_SANDBOX_SECRET = os.environ.get("PAYMENT_SANDBOX_SECRET", "dev-only-sandbox-secret-change-me")
PAYMENT_SANDBOX_MERCHANT = os.environ.get("PAYMENT_SANDBOX_MERCHANT", "MOTCUA-NB")
# Where gateways send their notifications; empty means "the host the citizen's browser used".
PAYMENT_CALLBACK_BASE_URL = os.environ.get("PAYMENT_CALLBACK_BASE_URL", "")
# Series printed on electronic receipts (ký hiệu biên lai); the number restarts each year.
PAYMENT_RECEIPT_SERIES = os.environ.get("PAYMENT_RECEIPT_SERIES", "BLNB")

# Postal channel (dịch vụ bưu chính công ích): postage in đồng per consignment (documents sent in, or
# the result sent back) by zone, as contracted between the province and the postal operator.
POSTAL_FEES = {
    "in_province": int(os.environ.get("POSTAL_FEE_IN_PROVINCE", "22000")),
    "other_province": int(os.environ.get("POSTAL_FEE_OTHER_PROVINCE", "35000")),
}

# Office hours and reception cut-off used by the working-day calendar.
WORKCAL = {
    "SESSIONS": [("07:30", "11:30"), ("13:30", "17:00")],
    "RECEPTION_CUTOFF": os.environ.get("RECEPTION_CUTOFF", "16:00"),
    "PAPER_HANDOVER_CUTOFF": "15:00",
    "FIRST_YEAR": 2020,
    "LAST_YEAR": 2035,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
