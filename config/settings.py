"""One settings module, driven by environment variables.

Defaults are safe for a laptop (`make run`): SQLite under var/, console email, immediate tasks.
Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL and HTTPS=true.
"""

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOLLEGIUM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def _laptop_secret_key() -> str:
    # A laptop gets a random key that survives restarts, so sessions do too.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _laptop_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
TESTING = env_bool("KOLLEGIUM_TESTING", False) or "pytest" in sys.modules

INSTALLED_APPS = [
    "kollegium.core",
    "kollegium.accounts",
    "kollegium.organisations",
    "kollegium.competence",
    "kollegium.questions",
    "kollegium.groups",
    "kollegium.library",
    "kollegium.scheduling",
    "kollegium.observations",
    "kollegium.insights",
    "kollegium.records",
    "kollegium.privacy",
    "kollegium.directory",
    "kollegium.federation",
    "kollegium.recognition",
    "kollegium.notifications",
    "kollegium.topics",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    # School sign-in through Entra ID and Google Workspace (issue 11; kollegium/directory).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # An OAuth 2.0 / OpenID Connect provider: the tests' IdP on loopback (issue 11).
    "oauth2_provider",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The SAML round trip's state in its own cookie (SameSite=None: the IdP posts back).
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "kollegium.accounts.middleware.PreferredLanguageMiddleware",
    "kollegium.core.middleware.RejectNulMiddleware",
    "kollegium.recognition.middleware.GuestScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "csp.context_processors.nonce",
                "kollegium.core.context_processors.navigation",
                "kollegium.organisations.context_processors.school",
            ],
        },
    },
]

# Form widgets (every <select>, <option>, checkbox and label) are rendered with Django's own
# Jinja2 templates where Django ships them (kollegium/core/form_renderer.py): with the Django
# template engine, a form with a few long choice lists cost more than the rest of its page
# together (issue 10; docs/notes/issue-10-speed.md).
FORM_RENDERER = "kollegium.core.form_renderer.JinjaFirstRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kollegium.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One connection per worker, kept: opening SQLite and running the PRAGMAs below on every
    # request cost more than the page's queries.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets gunicorn workers read while one writes; IMMEDIATE avoids lock upgrades.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    # Django's PostgreSQL backend, whose health check skips the round trip while a kept
    # connection is quiet (kollegium/core/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "kollegium.core.db.postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "kollegium.accounts.backends.PasswordBackend",
    "kollegium.accounts.backends.AccountBackend",
]
SESSION_ENGINE = "kollegium.accounts.sessions"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "kollegium.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords are throttled by kollegium/accounts/throttle.py, per account together
    # with the device or address (allauth's "login_failed" counts per account alone, so a
    # stranger could lock anyone out), and successful sign-ins are not limited (allauth's
    # default 30 a minute per address stops a school's morning rush behind one address).
    "login": "",
    "login_failed": "",
    "reset_password": "20/m/ip,5/m/key",
}
# Which proxies to trust for the client's address (throttling, allauth's limits, README):
# TRUSTED_PROXY_HOPS=n when n proxies (load balancer, TLS proxy) each append to
# X-Forwarded-For; or TRUSTED_PROXY_HEADER=X-Real-IP (say) when the proxy puts the client's
# address in a header of its own. Neither: REMOTE_ADDR, and X-Forwarded-For is ignored.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0") or 0)
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "").strip()
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kollegium] "
# School sign-in (OIDC, issue 11): installation administrators connect one Entra tenant or
# Google Workspace domain per school owner at /directory/sign-in/. Accounts are never made
# here: a sign-in links only to a person the owner's systems already put in one of its schools
# (kollegium/directory/signin_adapter.py; docs/operations/sign-in.md).
SOCIALACCOUNT_ADAPTER = "kollegium.directory.signin_adapter.SignInAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never link on an email claim
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# django-oauth-toolkit (issue 11's test IdP; issue 18 later) on RFC 9700's safe side.
OAUTH2_PROVIDER = {
    **{
        f"COMPLIANT_BCP_RFC9700_{gate}": True
        for gate in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "PKCE_REQUIRED": True,
}
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))
# Skolfederation sign-in (SAML 2.0, kollegium/federation, docs/operations/sign-in.md). Our key
# pair signs authentication requests and decrypts assertions; without it school sign-in is off.
SAML_KEY_FILE = os.environ.get("SAML_KEY_FILE", "")
SAML_CERT_FILE = os.environ.get("SAML_CERT_FILE", "")
# Key rotation: the next certificate (and key) published beside the current one.
SAML_NEXT_KEY_FILE = os.environ.get("SAML_NEXT_KEY_FILE", "")
SAML_NEXT_CERT_FILE = os.environ.get("SAML_NEXT_CERT_FILE", "")
# Our entity id (default: the metadata's address) and the address the IdPs post back to.
SAML_ENTITY_ID = os.environ.get("SAML_ENTITY_ID", "")
SAML_BASE_URL = os.environ.get("SAML_BASE_URL", "")
SAML_CONTACT_EMAIL = os.environ.get("SAML_CONTACT_EMAIL", "")
SAML_ORGANISATION_NAME = os.environ.get("SAML_ORGANISATION_NAME", "Kollegium")
SAML_CONFIG_LOADER = "kollegium.federation.config.sp_config"
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
SAML_CSP_HANDLER = ""  # the sign-in pages allow exactly the allowed IdPs (core.registry)
SAML_SESSION_COOKIE_NAME = "saml_session"
# Notification emails sent at once per person per day; the rest wait for the next daily
# digest (kollegium/notifications, docs/features/notifications.md).
NOTIFICATION_EMAILS_PER_DAY = int(os.environ.get("NOTIFICATION_EMAILS_PER_DAY", "10"))

# --- Languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "kollegium_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# No MEDIA_URL is served: every file goes through a view that checks who may see it.
MEDIA_URL = "/media-not-served/"


def _s3_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """Uploads in S3 or an S3-compatible store (django-storages, the `s3` extra).

    Every object is private: the app never hands out a file's address, it streams each file
    through a view that checks who may see it. Should anything ask for a URL, it is signed and
    expires after five minutes; there is no public custom domain."""
    try:
        import storages  # noqa: F401
    except ImportError as err:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set, but django-storages is not installed: "
            "pip install -e '.[s3]'"
        ) from err

    def value(name: str) -> str | None:
        return env.get(name) or None

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": value("AWS_S3_ENDPOINT_URL"),  # MinIO, Ceph, Garage, a cloud's S3
            "region_name": value("AWS_S3_REGION_NAME"),
            # Without keys, boto3's own chain applies (an instance role, ~/.aws/credentials).
            "access_key": value("AWS_S3_ACCESS_KEY_ID") or value("AWS_ACCESS_KEY_ID"),
            "secret_key": value("AWS_S3_SECRET_ACCESS_KEY") or value("AWS_SECRET_ACCESS_KEY"),
            "addressing_style": value("AWS_S3_ADDRESSING_STYLE"),  # "path" for many servers
            "location": env.get("AWS_LOCATION", ""),  # a key prefix in a shared bucket
            # Empty for a bucket that refuses ACLs (AWS "bucket owner enforced"): its objects
            # are then as private as the bucket.
            "default_acl": env.get("AWS_DEFAULT_ACL", "private") or None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "custom_domain": None,
            "file_overwrite": False,
        },
    }


if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = _s3_storage(os.environ)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


# --- Email ----------------------------------------------------------------------------------
def _email_settings(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ValueError(f"EMAIL_URL scheme {parsed.scheme!r} is not one of {sorted(backends)}")
    result: dict[str, object] = {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme == "file":
        result["EMAIL_FILE_PATH"] = parsed.path or str(VAR_DIR / "mail")
    if parsed.scheme in {"smtp", "smtps"}:
        result.update(
            EMAIL_HOST=parsed.hostname or "localhost",
            EMAIL_PORT=parsed.port or (465 if parsed.scheme == "smtps" else 25),
            EMAIL_HOST_USER=unquote(parsed.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parsed.password or ""),
            EMAIL_USE_SSL=parsed.scheme == "smtps",
            EMAIL_USE_TLS=query.get("tls", "").lower() in {"1", "true", "yes"},
            EMAIL_TIMEOUT=int(query.get("timeout", "10")),
        )
    return result


globals().update(_email_settings(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kollegium <noreply@kollegium.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.backend.DatabaseBackend"
            if os.environ.get("TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- Cache (sign-in throttling lives here, so it must be shared between workers) ------------
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "kollegium_cache",
        }
    )
}
# The rendered home page per person, in each worker's memory (kollegium/core/homepage.py). A
# copy is only used under the person's current home version, so workers never need to agree.
# HOME_CACHE=off renders the page on every visit (for measuring, or to rule the cache out).
CACHES["home"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if os.environ.get("HOME_CACHE") == "off"
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kollegium-home",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("HOME_CACHE_ENTRIES", "2000"))},
    }
)
# The rendered page frame (header, navigation, footer) per person, in each worker's memory
# (kollegium/core/frame.py), under the same home version. FRAME_CACHE=off renders it on every
# page. Off in tests unless a test turns it on (kollegium/core/tests/test_frame.py): the apps'
# query-count tests compare a first visit with a later one.
CACHES["frame"] = (
    {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if os.environ.get("FRAME_CACHE") == "off" or TESTING
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "kollegium-frame",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAME_CACHE_ENTRIES", "5000"))},
    }
)
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# --- Security -------------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Server-rendered charts and heat maps set widths and colours per element.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Timetable subscriptions must never reach internal addresses; tests allow loopback explicitly.
SCHEDULING_FETCH_ALLOWED_HOSTS = env_list("SCHEDULING_FETCH_ALLOWED_HOSTS", [])

# Absolute links in emails and calendar feeds.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
