"""Configuration, read only from environment variables.

Variable names and syntax follow Healthchecks, so an existing `.env` works
unchanged. Every variable is documented in
templates/docs/self_hosted_configuration.md; a test keeps the two in sync.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hc.lib.env import (
    env_bool,
    env_int,
    env_list,
    env_optional_str,
    env_required_int,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# Core and site ---------------------------------------------------------------

SECRET_KEY = env_secret("SECRET_KEY", "---")
DEBUG = env_bool("DEBUG", True)
ADMINS = [(email, email) for email in env_list("ADMINS")]

SITE_ROOT = env_str("SITE_ROOT", "http://localhost:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Mychecks")
SITE_LOGO_URL = env_optional_str("SITE_LOGO_URL")
MASTER_BADGE_LABEL = env_str("MASTER_BADGE_LABEL", SITE_NAME)
_site = urlsplit(SITE_ROOT)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_site.hostname or "localhost"]

_proxy_header = env_list("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER: tuple[str, ...] | None = tuple(_proxy_header) if _proxy_header else None
USE_GZIP_MIDDLEWARE = env_bool("USE_GZIP_MIDDLEWARE", False)
REGISTRATION_OPEN = env_bool("REGISTRATION_OPEN", True)
REMOTE_USER_HEADER = env_optional_str("REMOTE_USER_HEADER")
USE_PAYMENTS = env_bool("USE_PAYMENTS", False)
SUPPORT_EMAIL = env_optional_str("SUPPORT_EMAIL")
METRICS_KEY = env_optional_str("METRICS_KEY")

# Database --------------------------------------------------------------------

DB = env_str("DB", "sqlite")
_db_conn_max_age = env_int("DB_CONN_MAX_AGE", 0)
_database: dict[str, Any]
if DB == "postgres":
    _database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env_str("DB_NAME", "hc"),
        "USER": env_str("DB_USER", "postgres"),
        "PASSWORD": env_secret("DB_PASSWORD"),
        "HOST": env_str("DB_HOST"),
        "PORT": env_str("DB_PORT"),
        "CONN_MAX_AGE": _db_conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "sslmode": env_str("DB_SSLMODE", "prefer"),
            "target_session_attrs": env_str("DB_TARGET_SESSION_ATTRS", "read-write"),
        },
        "TEST": {"CHARSET": "UTF8"},
    }
elif DB in ("mysql", "mariadb"):
    _database = {
        "ENGINE": "django.db.backends.mysql",
        "NAME": env_str("DB_NAME", "hc"),
        "USER": env_str("DB_USER", "root"),
        "PASSWORD": env_secret("DB_PASSWORD"),
        "HOST": env_str("DB_HOST"),
        "PORT": env_str("DB_PORT"),
        "CONN_MAX_AGE": _db_conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"charset": "utf8mb4"},
        "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
    }
else:
    DB = "sqlite"
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("DB_NAME", str(BASE_DIR / "hc.sqlite")),
        # The web server and the daemons share one file: wait for locks instead
        # of failing, and take the write lock up front so transactions that
        # read-then-write cannot deadlock each other.
        "OPTIONS": {
            "timeout": 5,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        },
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Pinging and monitoring ------------------------------------------------------

PING_ENDPOINT = env_str("PING_ENDPOINT", SITE_ROOT + "/ping/")
PING_EMAIL_DOMAIN = env_str("PING_EMAIL_DOMAIN", "localhost")
PING_BODY_LIMIT = env_int("PING_BODY_LIMIT", 10000)
# Django refuses larger request bodies with 400 before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2621440, PING_BODY_LIMIT or 0)

S3_ACCESS_KEY = env_optional_str("S3_ACCESS_KEY")
S3_SECRET_KEY = env_secret("S3_SECRET_KEY") or None
S3_ENDPOINT = env_optional_str("S3_ENDPOINT")
S3_REGION = env_optional_str("S3_REGION")
S3_BUCKET = env_optional_str("S3_BUCKET")
S3_TIMEOUT = env_required_int("S3_TIMEOUT", 60)
S3_SECURE = env_bool("S3_SECURE", True)
STATSD_HOST = env_optional_str("STATSD_HOST")

# Email -----------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "healthchecks@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_required_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_VERIFICATION = env_bool("EMAIL_USE_VERIFICATION", True)
EMAIL_MAIL_FROM_TMPL = env_str("EMAIL_MAIL_FROM_TMPL")
EMAIL_TIMEOUT = 30

# Authentication --------------------------------------------------------------

RP_ID = env_optional_str("RP_ID")

# Integrations ----------------------------------------------------------------

APPRISE_ENABLED = env_bool("APPRISE_ENABLED", False)
DISCORD_CLIENT_ID = env_optional_str("DISCORD_CLIENT_ID")
DISCORD_CLIENT_SECRET = env_secret("DISCORD_CLIENT_SECRET") or None
GITHUB_CLIENT_ID = env_optional_str("GITHUB_CLIENT_ID")
GITHUB_CLIENT_SECRET = env_secret("GITHUB_CLIENT_SECRET") or None
GITHUB_PRIVATE_KEY = env_secret("GITHUB_PRIVATE_KEY") or None
GITHUB_PUBLIC_LINK = env_optional_str("GITHUB_PUBLIC_LINK")
MATRIX_HOMESERVER = env_optional_str("MATRIX_HOMESERVER")
MATRIX_USER_ID = env_optional_str("MATRIX_USER_ID")
MATRIX_ACCESS_TOKEN = env_secret("MATRIX_ACCESS_TOKEN") or None
MATTERMOST_ENABLED = env_bool("MATTERMOST_ENABLED", True)
MSTEAMS_ENABLED = env_bool("MSTEAMS_ENABLED", True)
NTFY_SH_TOKEN = env_secret("NTFY_SH_TOKEN") or None
OPSGENIE_ENABLED = env_bool("OPSGENIE_ENABLED", True)
PAGERTREE_ENABLED = env_bool("PAGERTREE_ENABLED", True)
PD_ENABLED = env_bool("PD_ENABLED", True)
PD_APP_ID = env_optional_str("PD_APP_ID")
PROMETHEUS_ENABLED = env_bool("PROMETHEUS_ENABLED", True)
PUSHBULLET_CLIENT_ID = env_optional_str("PUSHBULLET_CLIENT_ID")
PUSHBULLET_CLIENT_SECRET = env_secret("PUSHBULLET_CLIENT_SECRET") or None
PUSHOVER_API_TOKEN = env_secret("PUSHOVER_API_TOKEN") or None
PUSHOVER_SUBSCRIPTION_URL = env_optional_str("PUSHOVER_SUBSCRIPTION_URL")
PUSHOVER_EMERGENCY_RETRY_DELAY = env_required_int("PUSHOVER_EMERGENCY_RETRY_DELAY", 300)
PUSHOVER_EMERGENCY_EXPIRATION = env_required_int("PUSHOVER_EMERGENCY_EXPIRATION", 86400)
ROCKETCHAT_ENABLED = env_bool("ROCKETCHAT_ENABLED", True)
SHELL_ENABLED = env_bool("SHELL_ENABLED", False)
SIGNAL_CLI_SOCKET = env_optional_str("SIGNAL_CLI_SOCKET")
SLACK_CLIENT_ID = env_optional_str("SLACK_CLIENT_ID")
SLACK_CLIENT_SECRET = env_secret("SLACK_CLIENT_SECRET") or None
SLACK_ENABLED = env_bool("SLACK_ENABLED", True)
SPIKE_ENABLED = env_bool("SPIKE_ENABLED", True)
TELEGRAM_BOT_NAME = env_str("TELEGRAM_BOT_NAME", "ExampleBot")
TELEGRAM_TOKEN = env_secret("TELEGRAM_TOKEN") or None
TRELLO_APP_KEY = env_secret("TRELLO_APP_KEY") or None
TWILIO_ACCOUNT = env_optional_str("TWILIO_ACCOUNT")
TWILIO_AUTH = env_secret("TWILIO_AUTH") or None
TWILIO_FROM = env_optional_str("TWILIO_FROM")
TWILIO_MESSAGING_SERVICE_SID = env_optional_str("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_USE_WHATSAPP = env_bool("TWILIO_USE_WHATSAPP", False)
WHATSAPP_DOWN_CONTENT_SID = env_optional_str("WHATSAPP_DOWN_CONTENT_SID")
WHATSAPP_UP_CONTENT_SID = env_optional_str("WHATSAPP_UP_CONTENT_SID")
VICTOROPS_ENABLED = env_bool("VICTOROPS_ENABLED", True)
WEBHOOKS_ENABLED = env_bool("WEBHOOKS_ENABLED", True)
INTEGRATIONS_ALLOW_PRIVATE_IPS = env_bool("INTEGRATIONS_ALLOW_PRIVATE_IPS", False)
INTEGRATIONS_HTTP_TIMEOUT = env_required_int("INTEGRATIONS_HTTP_TIMEOUT", 30)
INTEGRATIONS_HTTP_TRIES = env_required_int("INTEGRATIONS_HTTP_TRIES", 3)
PING_BODY_UPLOAD_WAIT = env_required_int("PING_BODY_UPLOAD_WAIT", 5)
ALERT_DELIVERY_ATTEMPTS = env_required_int("ALERT_DELIVERY_ATTEMPTS", 5)
ALERT_LEASE_SECONDS = env_required_int("ALERT_LEASE_SECONDS", 150)
ZULIP_ENABLED = env_bool("ZULIP_ENABLED", True)

# Django ----------------------------------------------------------------------

INSTALLED_APPS = [
    # First, so that its createsuperuser replaces django.contrib.auth's.
    "hc.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.humanize",
    "django.contrib.messages",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "compressor",
    "hc.api",
    "hc.front",
    "hc.integrations",
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
]
if REMOTE_USER_HEADER:
    # Runs after AuthenticationMiddleware on every request (web spec §3.12).
    MIDDLEWARE.append("hc.accounts.middleware.RemoteUserHeaderMiddleware")
if USE_GZIP_MIDDLEWARE:
    MIDDLEWARE.insert(0, "django.middleware.gzip.GZipMiddleware")

ROOT_URLCONF = "hc.urls"
WSGI_APPLICATION = "hc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Integration packages are not apps, but each keeps its own templates.
        "DIRS": [BASE_DIR / "templates", *sorted(BASE_DIR.glob("hc/integrations/*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hc.front.context_processors.branding",
            ]
        },
    }
]

# All timestamps are stored and compared in UTC; a system check enforces it.
TIME_ZONE = "UTC"
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = False

_site_path = _site.path.rstrip("/")
STATIC_URL = _site_path + "/static/"
STATIC_ROOT = BASE_DIR / "static-collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "compressor.finders.CompressorFinder",
]
# Bundles are built once at image build time (`manage.py compress`); when
# offline compression is off, django-compressor builds them on first use.
COMPRESS_OFFLINE = env_bool("COMPRESS_OFFLINE", False)
COMPRESS_ROOT = env_str("COMPRESS_ROOT") or str(STATIC_ROOT)
COMPRESS_CSS_HASHING_METHOD = "content"
COMPRESS_FILTERS = {
    "css": [
        "compressor.filters.css_default.CssAbsoluteFilter",
        "compressor.filters.cssmin.rCSSMinFilter",
    ],
    "js": [],
}
LOGIN_URL = _site_path + "/accounts/login/"
if REMOTE_USER_HEADER:
    # A trusted proxy authenticates; passwords and login links stop working.
    AUTHENTICATION_BACKENDS = ["hc.accounts.backends.RemoteUserHeaderBackend"]
else:
    AUTHENTICATION_BACKENDS = ["hc.accounts.backends.EmailBackend"]
# Argon2 for new hashes; older hashes from migrated databases still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_SAMESITE = "Lax"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SESSION_COOKIE_SECURE = _site.scheme == "https"
CSRF_COOKIE_SECURE = _site.scheme == "https"
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"] if _site.netloc else []

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "hc": {"level": "INFO", "propagate": True},
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # 4xx answers (unknown checks, bad rids) are routine for a ping
        # service; logging each one would flood the log. 5xx are still logged.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# An operator's own overrides, imported last (Healthchecks convention).
if (BASE_DIR / "hc" / "local_settings.py").exists():
    # An optional file that only some deployments have.
    from hc.local_settings import *  # type: ignore[import-not-found]  # noqa: F403
