"""One environment-driven settings module with strict readers and safe defaults.

Every variable is listed in `.env.example`. The demo (`make demo`) is the only place that turns
DEBUG on; everywhere else the defaults are the safe ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = BASE_DIR.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    path = Path(raw)
    # A relative path would name a different directory for each working directory (the service,
    # a command run from elsewhere), and with it a different secret key.
    if not path.is_absolute():
        raise ImproperlyConfigured(f"{name} must be an absolute path, got {raw!r}")
    return path


DEBUG = env_bool("THENCHOT_DEBUG", False)
# pytest-django reads these settings before the root conftest can set THENCHOT_TESTING, so the
# variable pytest itself sets for the length of a session counts too.
TESTING = os.environ.get("THENCHOT_TESTING") == "1" or "PYTEST_VERSION" in os.environ

# What the installation keeps outside the database: today the generated secret key.
THENCHOT_DATA_DIR = env_path("THENCHOT_DATA_DIR", CHECKOUT_DIR / "var")

_secret = os.environ.get("THENCHOT_SECRET_KEY", "")
if _secret:
    THENCHOT_SECRET_KEY_SOURCE = "environment"
elif DEBUG or TESTING:
    # Development and tests only: a fixed key Django's deploy check rejects ("insecure-").
    _secret = "insecure-dev-key-" + os.environ.get("USER", "thenchot")
    THENCHOT_SECRET_KEY_SOURCE = "development"
else:
    from thenchot.core.secret import load_or_create_secret_key

    # One key for every process of this machine (workers, restarts, commands); several machines
    # must configure THENCHOT_SECRET_KEY, which the deploy check core.W001 reminds them.
    _secret = load_or_create_secret_key(THENCHOT_DATA_DIR)
    THENCHOT_SECRET_KEY_SOURCE = "file"
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("THENCHOT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("THENCHOT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # /health/ (thenchot.core.health): the database, the cache, the broker, the scheduler.
    "health_check",
    "thenchot.core",
    "thenchot.accounts",
    "thenchot.audit",
    "thenchot.org",
    "thenchot.people",
    "thenchot.notifications",
    "thenchot.directives",
    "thenchot.discipline",
    "thenchot.inspections",
    "thenchot.rotation",
    "thenchot.processes",
    "thenchot.appraisal",
    "thenchot.surveys",
    "thenchot.commendations",
    "thenchot.reform",
    "thenchot.dashboards",
    "thenchot.reports",
    "thenchot.exchange",
    "thenchot.demo",
    "thenchot.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "thenchot.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "thenchot.core.middleware.RequestContextMiddleware",
    "thenchot.org.middleware.TreeSnapshotMiddleware",
]

ROOT_URLCONF = "thenchot.urls"
WSGI_APPLICATION = "thenchot.wsgi.application"
ASGI_APPLICATION = "thenchot.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thenchot.core.context_processors.navigation",
                "thenchot.notifications.context_processors.unread",
            ],
        },
    },
]

_default_db = f"sqlite:///{CHECKOUT_DIR / 'thenchot.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db),
        conn_max_age=env_int("THENCHOT_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process scheduler write while pages read; a busy timeout instead of
    # "database is locked" errors under short write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("THENCHOT_DB_SERVER_BINDING", True) and not env_bool(
    "THENCHOT_DB_TRANSACTION_POOLING", False
):
    # The parameters bound by the server and a statement run five times on a connection
    # prepared there: a page's recurring statements planned once per connection, not on every
    # request (docs/decisions/0009). Not behind pgbouncer's transaction pooling (below).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=env_int("THENCHOT_DB_PREPARE_THRESHOLD", 5)
    )
elif env_bool("THENCHOT_DB_TRANSACTION_POOLING", False):
    # Behind pgbouncer in transaction mode (docs/operations.md): a server-side cursor (Django's
    # `.iterator()`) opened outside a transaction would meet another client's server connection.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("THENCHOT_TEST_DB_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["THENCHOT_TEST_DB_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["thenchot.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("THENCHOT_STATIC_ROOT", str(CHECKOUT_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("THENCHOT_MEDIA_ROOT", str(CHECKOUT_DIR / "media")))
MEDIA_URL = "media/"
# Hashed static names (`app.3f2a1c.css`) that nginx serves with a one-year cache: a new release
# changes the names, so no browser keeps an old file. Needs `collectstatic` before the first
# request (a missing manifest entry is an error page), hence off for the demo and the tests.
THENCHOT_STATIC_MANIFEST = env_bool("THENCHOT_STATIC_MANIFEST", not DEBUG and not TESTING)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "thenchot.core.staticfiles.ManifestStorage"
            if THENCHOT_STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: imports larger than this are refused with a clear message (exchange.forms).
# The city-wide interchange file (200,000 staff with a month of evaluations) is about 150 MB of
# indented JSON: the page takes it, streamed to a temporary file by Django, not held in memory.
THENCHOT_MAX_UPLOAD_BYTES = env_int("THENCHOT_MAX_UPLOAD_BYTES", 256 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env_str("THENCHOT_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("THENCHOT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("THENCHOT_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("THENCHOT_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("THENCHOT_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("THENCHOT_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("THENCHOT_DEFAULT_FROM_EMAIL", "thenchot@localhost")
# Absolute links in e-mails (reminders, password reset), e.g. https://thenchot.hanoi.gov.vn
THENCHOT_BASE_URL = env_str("THENCHOT_BASE_URL", "")

# HTTPS unless told otherwise. The demo and the tests (test client, live server) speak plain
# HTTP on 127.0.0.1, where a secure cookie never comes back and the redirect points at a port
# nobody listens on; a plain-HTTP intranet says so explicitly (docs/operations.md).
_https = not DEBUG and not TESTING
SESSION_COOKIE_SECURE = env_bool("THENCHOT_SECURE_COOKIES", _https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("THENCHOT_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = env_int("THENCHOT_HSTS_SECONDS", 365 * 24 * 60 * 60 if _https else 0)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("THENCHOT_HSTS_SECONDS must be 0 (off) or more")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("THENCHOT_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("THENCHOT_HSTS_PRELOAD", False)
# Behind nginx terminating TLS every request arrives over HTTP: without trusting the proxy's
# header the redirect would loop. Only when the proxy always overwrites the header, or a client
# could claim HTTPS itself.
if env_bool("THENCHOT_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's or the container's probe asks each instance directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = [
    # "Set SECURE_HSTS_PRELOAD": preloading commits the whole registered domain (the city's, not
    # ours) to HTTPS in every browser for months, a decision for whoever runs that domain;
    # THENCHOT_HSTS_PRELOAD is there for them.
    "security.W021",
]

# -- Hardening (docs/threat-model.md) -------------------------------------------------------------
# Login lockout (django-axes, thenchot.accounts.lockout): wrong passwords per account and address.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
AXES_ENABLED = env_bool("THENCHOT_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = env_int("THENCHOT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("THENCHOT_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "thenchot.accounts.lockout.lockout_response"
# Behind nginx the client's address is in X-Forwarded-For, which the proxy sets (contrib/nginx).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env_bool("THENCHOT_TRUST_X_FORWARDED_PROTO", False)
    else ["REMOTE_ADDR"]
)
# A one-time code after the password for administrators and personnel officers
# (thenchot.accounts.second_factor); off for the demo and the tests unless they say otherwise.
THENCHOT_SECOND_FACTOR = env_bool("THENCHOT_SECOND_FACTOR", not DEBUG and not TESTING)
OTP_TOTP_ISSUER = env_str("THENCHOT_OTP_ISSUER", "Then Chốt")
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE.insert(_auth + 1, "django_otp.middleware.OTPMiddleware")
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "thenchot.accounts.second_factor.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
# Content-Security-Policy (django-csp): scripts only from our own static files; style attributes
# allowed (Bootstrap's utilities and htmx's indicator); nothing framed, no plugin, forms post
# only to us. The API's Swagger page (inline script) is exempted in thenchot/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Sessions end `THENCHOT_SESSION_HOURS` after signing in (a working day), and when the browser
# closes.
SESSION_COOKIE_AGE = env_int("THENCHOT_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("THENCHOT_SESSION_BROWSER_CLOSE", True)
AUTH_PASSWORD_VALIDATORS += [{"NAME": "thenchot.accounts.passwords.GuessableWordValidator"}]

# Background work: "inprocess" (default: a thread beside the demo's server) or "celery"
# (workers and beat: production).
THENCHOT_JOBS_BACKEND = env_str("THENCHOT_JOBS_BACKEND", "inprocess")
if THENCHOT_JOBS_BACKEND not in {"inprocess", "celery"}:
    raise ImproperlyConfigured(
        f"THENCHOT_JOBS_BACKEND must be inprocess or celery, got {THENCHOT_JOBS_BACKEND!r}"
    )
CELERY_BROKER_URL = env_str("THENCHOT_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
# How often the scheduler looks for due jobs (each run claims its slot: core.jobs), and how old
# its last look may be before /health/ reports it stopped.
THENCHOT_SCHEDULER_TICK = env_int("THENCHOT_SCHEDULER_TICK", 30)
THENCHOT_SCHEDULER_MAX_AGE = env_int("THENCHOT_SCHEDULER_MAX_AGE", 300)
if THENCHOT_SCHEDULER_TICK < 1 or THENCHOT_SCHEDULER_MAX_AGE <= THENCHOT_SCHEDULER_TICK:
    raise ImproperlyConfigured(
        "THENCHOT_SCHEDULER_TICK must be 1 or more and below THENCHOT_SCHEDULER_MAX_AGE"
    )

# The cache: this process's memory by default (one process: the demo, a small unit), Redis
# when several processes serve the installation — they then share sessions, the scheduler's
# claims and heartbeat, and the public survey's rate limits.
THENCHOT_CACHE_URL = env_str("THENCHOT_CACHE_URL", "")
if THENCHOT_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": THENCHOT_CACHE_URL,
            # Installations sharing one Redis server keep apart by their prefixes.
            "KEY_PREFIX": env_str("THENCHOT_CACHE_PREFIX", "thenchot"),
        }
    }
    # Sessions read from Redis and written through to the database: a Redis restart signs
    # nobody out, and every instance sees a logout at once.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif THENCHOT_CACHE_URL == "":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Not cached_db: a per-process cache would keep a session another process has ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    raise ImproperlyConfigured(
        f"THENCHOT_CACHE_URL must be empty or a redis:// URL, got {THENCHOT_CACHE_URL!r}"
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "thenchot.core.api.authentication.TokenAuthentication",  # DRF's, its read compiled once
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON that names a key twice is refused (core.api.parsers), not read as its last value.
    "DEFAULT_PARSER_CLASSES": [
        "thenchot.core.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "thenchot.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "thenchot.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "thenchot.core.api.errors.exception_handler",
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Then Chốt API",
    "DESCRIPTION": "Organisation, staff and accountability records of a Vietnamese city.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests and responses are described apart (an input is not its record), and a PATCH
    # body keeps its own required fields (`version`): the input serializers say what is needed.
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_SPLIT_PATCH": False,
    # Several choice sets share a field name (`kind`, a level): each enum is named for its set.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "thenchot.org.choices.UnitKind",
        "DocumentKindEnum": "thenchot.directives.choices.DocumentKind",
        "InspectionKindEnum": "thenchot.inspections.choices.InspectionKind",
        "RotationKindEnum": "thenchot.rotation.choices.RotationKind",
        "LevelEnum": "thenchot.appraisal.choices.Level",
        "RatedLevelEnum": "thenchot.appraisal.api.serializers.RATED",
        "CommendationKindEnum": "thenchot.commendations.choices.CommendationKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("THENCHOT_LOG_LEVEL", "WARNING")},
}

# -- Single sign-on through the agency's directory (thenchot.directory, docs/sso.md: OpenID
# Connect and LDAP / Active Directory, off unless THENCHOT_OIDC_* / THENCHOT_LDAP_* are set)
# and the seals of closed periods (thenchot.integrity, docs/integrity.md). ------------------
from thenchot.directory.conf import directory_settings as _directory_settings  # noqa: E402

INSTALLED_APPS += ["thenchot.directory", "thenchot.integrity"]
_directory = _directory_settings(os.environ)
globals().update(_directory.settings)
# Local accounts first: no network, and they keep working while the directory is down.
AUTHENTICATION_BACKENDS = _directory.backends
# The lockout (django-axes) refuses a locked-out attempt before any backend checks a password.
AUTHENTICATION_BACKENDS = ["thenchot.accounts.lockout.LockoutBackend", *AUTHENTICATION_BACKENDS]
