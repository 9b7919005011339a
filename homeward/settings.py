"""Django settings for Homeward.

Everything that differs between machines comes from the environment (see
``homeward/config.py`` and the README). ``HOMEWARD_ENV=production`` turns on
the strict mode: the process refuses to start without its secrets, its
allowed hosts and a PostgreSQL database.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from homeward.config import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    load_or_create_local_secrets,
    parse_key_list,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HOMEWARD_VAR_DIR") or BASE_DIR / "var")

HOMEWARD_ENV = env_choice("HOMEWARD_ENV", ("production", "development", "test"), "development")
PRODUCTION = HOMEWARD_ENV == "production"
TESTING = HOMEWARD_ENV == "test" or "pytest" in sys.modules

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigurationError("DEBUG must be off when HOMEWARD_ENV=production")

# --- secrets -------------------------------------------------------------
if PRODUCTION:
    _missing = [
        name
        for name in ("SECRET_KEY", "HOMEWARD_ENCRYPTION_KEYS", "HOMEWARD_BLIND_INDEX_KEY",
                     "HOMEWARD_AUDIT_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
        if not env_str(name)
    ]
    if _missing:
        raise ConfigurationError(
            "HOMEWARD_ENV=production refuses to start without: " + ", ".join(_missing)
        )
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 40:
        raise ConfigurationError("SECRET_KEY must be at least 40 characters long")
    _encryption_keys_raw = env_str("HOMEWARD_ENCRYPTION_KEYS")
    _blind_index_key_raw = env_str("HOMEWARD_BLIND_INDEX_KEY")
    _audit_key_raw = env_str("HOMEWARD_AUDIT_KEY")
else:
    _local = load_or_create_local_secrets(VAR_DIR / "secrets.json")
    SECRET_KEY = env_str("SECRET_KEY") or _local["SECRET_KEY"]
    _encryption_keys_raw = env_str("HOMEWARD_ENCRYPTION_KEYS") or _local["ENCRYPTION_KEYS"]
    _blind_index_key_raw = env_str("HOMEWARD_BLIND_INDEX_KEY") or _local["BLIND_INDEX_KEY"]
    _audit_key_raw = env_str("HOMEWARD_AUDIT_KEY") or _local["AUDIT_KEY"]

HOMEWARD_ENCRYPTION_KEYS = parse_key_list("HOMEWARD_ENCRYPTION_KEYS", _encryption_keys_raw)
HOMEWARD_BLIND_INDEX_KEY = parse_key_list(
    "HOMEWARD_BLIND_INDEX_KEY", f"bi:{_blind_index_key_raw}"
)["bi"]
# Keys the audit chain's HMAC. Never rotate it: the whole chain depends on it.
HOMEWARD_AUDIT_KEY = parse_key_list("HOMEWARD_AUDIT_KEY", f"au:{_audit_key_raw}")["au"]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- database ------------------------------------------------------------
_database_url = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'homeward.sqlite3'}"
if PRODUCTION and not _database_url.startswith(("postgres://", "postgresql://")):
    raise ConfigurationError("HOMEWARD_ENV=production needs a PostgreSQL DATABASE_URL")
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except ValueError as exc:
    raise ConfigurationError(f"DATABASE_URL is not understood: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock up front: the audit chain reads its head and
        # appends in one transaction, which must not interleave.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- applications --------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "homeward.core",
    "homeward.audit",
    "homeward.accounts",
    "homeward.directory",
    "homeward.jobs",
    "homeward.notifications",
    "homeward.cases",
    "homeward.hotline",
    "homeward.shelters",
    "homeward.reintegration",
    "homeward.stats",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "homeward.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "homeward.audit.middleware.AuditContextMiddleware",
    "homeward.accounts.middleware.UserLanguageMiddleware",
    "homeward.accounts.middleware.ActiveMembershipMiddleware",
    "homeward.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.accounts.context_processors.navigation",
                "homeward.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- authentication ------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout: failures inside the window lock the user (or the address)
# for the lockout period.
HOMEWARD_LOGIN_MAX_FAILURES_PER_USER = env_int("HOMEWARD_LOGIN_MAX_FAILURES_PER_USER", 5, minimum=1)
HOMEWARD_LOGIN_MAX_FAILURES_PER_IP = env_int("HOMEWARD_LOGIN_MAX_FAILURES_PER_IP", 20, minimum=1)
HOMEWARD_LOGIN_FAILURE_WINDOW = env_int("HOMEWARD_LOGIN_FAILURE_WINDOW", 15 * 60, minimum=1)
HOMEWARD_LOGIN_LOCKOUT_SECONDS = env_int("HOMEWARD_LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# How long a "re-enter your password" confirmation lasts.
HOMEWARD_SUDO_SECONDS = env_int("HOMEWARD_SUDO_SECONDS", 10 * 60, minimum=1)
HOMEWARD_RECOVERY_CODES = 10
# A job still "running" after this long belongs to a worker that died.
HOMEWARD_JOB_TIMEOUT_SECONDS = env_int("HOMEWARD_JOB_TIMEOUT_SECONDS", 2 * 3600, minimum=60)
# The hotline analysis shows no count from 1 to this minus one ("<11").
HOMEWARD_MIN_CELL_COUNT = env_int("HOMEWARD_MIN_CELL_COUNT", 11, minimum=2)
# Differential privacy: the privacy budget (total epsilon, in thousandths)
# each dataset (one organisation's records of one family) may spend on
# noisy releases before no further release of it is allowed.
HOMEWARD_DP_BUDGET_MILLI = env_int("HOMEWARD_DP_BUDGET_MILLI", 5000, minimum=1)
# The countries a noisy release names (ISO alpha-2; every other country is
# shown as "other countries"): a public list, so that which countries a
# release shows reveals nothing about the people counted.
HOMEWARD_DP_COUNTRIES = env_list(
    "HOMEWARD_DP_COUNTRIES",
    [
        "RU", "UA", "BY", "MD", "KZ", "KG", "UZ", "TJ", "TM", "AZ", "AM", "GE", "TR", "GR",
        "CY", "AE", "IL", "DE", "IT", "ES", "CZ", "PL", "FI", "CN", "TH", "GH", "NG",
    ],
)
if any(len(code) != 2 or not code.isascii() or not code.isupper()
       for code in HOMEWARD_DP_COUNTRIES):
    raise ImproperlyConfigured(
        "HOMEWARD_DP_COUNTRIES must be ISO 3166-1 alpha-2 codes in capitals, separated by commas"
    )

OTP_TOTP_ISSUER = "Homeward"

# --- e-mail (notifications: never a name, only case codes and links) ------
# Development writes messages to the console; production sends by SMTP.
EMAIL_BACKEND = env_str(
    "HOMEWARD_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "homeward@localhost")
# The address of the site, for links in e-mails (https://homeward.example.org).
HOMEWARD_SITE_URL = env_str("HOMEWARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- sessions and cookies ------------------------------------------------
SESSION_COOKIE_AGE = env_int("HOMEWARD_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # the age is an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "homeward_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "homeward_csrftoken"
LANGUAGE_COOKIE_NAME = "homeward_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

_https = PRODUCTION and not env_bool("HOMEWARD_INSECURE_HTTP", False)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
LANGUAGE_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and env_bool("HOMEWARD_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Number of proxies in front of the app that append to X-Forwarded-For.
HOMEWARD_TRUSTED_PROXIES = env_int("HOMEWARD_TRUSTED_PROXIES", 0)

# --- internationalisation ------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "homeward" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- static files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- REST API ------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["homeward.core.api.IsVerifiedMember"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Homeward API",
    "DESCRIPTION": "Case management and coordination for counter-trafficking networks.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["homeward.core.api.IsVerifiedMember"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Picklists that share a field name ("kind") or a choice set across
    # serializers get one stable name each (else --fail-on-warn fails).
    "ENUM_NAME_OVERRIDES": {
        "EntryKindEnum": "homeward.directory.models.EntryKind",
        "CaseKindEnum": "homeward.cases.choices.CaseKind",
        "IdentityDocumentKindEnum": "homeward.cases.choices.IdentityDocumentKind",
        "StepEnum": "homeward.cases.choices.Step",
        "RelationshipToTraffickerEnum": "homeward.cases.choices.RelationshipToTrafficker",
        # The hotline's assessment reuses the cases' trafficking status.
        "TraffickingStatusEnum": "homeward.cases.choices.TraffickingStatus",
        # Shelters: "kind", "status" and the reason for leaving recur.
        "ShelterKindEnum": "homeward.shelters.choices.ShelterKind",
        "SessionKindEnum": "homeward.shelters.choices.SessionKind",
        "ReferralStatusEnum": "homeward.shelters.choices.ReferralStatus",
        "OfferStatusEnum": "homeward.shelters.choices.OfferStatus",
        "LeaveReasonEnum": "homeward.shelters.choices.LeaveReason",
        "GenderEnum": "homeward.cases.choices.Gender",
        "CaseStatusEnum": "homeward.cases.choices.CaseStatus",
        # Reintegration: referrals between organisations, plans, monitoring.
        "ReintegrationReferralStatusEnum": "homeward.reintegration.choices.ReferralStatus",
        "ReferralKindEnum": "homeward.reintegration.choices.ReferralKind",
        "ReferralReasonEnum": "homeward.reintegration.choices.ReferralReason",
        "SharedPartEnum": "homeward.reintegration.choices.SharedPart",
        "PlanStatusEnum": "homeward.reintegration.choices.PlanStatus",
        "GoalStatusEnum": "homeward.reintegration.choices.GoalStatus",
        "ReportStatusEnum": "homeward.reintegration.choices.ReportStatus",
        "QuestionnaireStatusEnum": "homeward.reintegration.choices.QuestionnaireStatus",
        "MonitoringOutcomeEnum": "homeward.reintegration.choices.MonitoringOutcome",
        # Keeps the hotline's contact outcome its name beside monitoring's.
        "OutcomeEnum": "homeward.hotline.choices.Outcome",
    },
}

# --- logging: never identifying data ------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry URLs only; bodies and query values are never logged.
        "django.request": {"level": "WARNING"},
        "django.security": {"level": "WARNING"},
    },
}

if TESTING:
    # A cheaper argon2 for the test suite: still argon2, far fewer rounds.
    PASSWORD_HASHERS = ["homeward.accounts.hashers.TestArgon2PasswordHasher"]
CSRF_FAILURE_VIEW = "homeward.core.views.csrf_failure"
