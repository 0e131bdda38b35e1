"""Settings for wirralsafe, read from environment variables.

Every variable is listed in `.env.example`. The defaults run the app locally on a SQLite file
with nothing else installed; production sets DATABASE_URL, SECRET_KEY and DEBUG=False.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import plotly
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A variable's value; an empty one (`NAME=` copied from .env.example) counts as unset."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: str) -> bool:
    return env(name, default).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", "True")

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off wirralsafe refuses to start without one; "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is the development key; set a real one.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # The admin with wirralsafe's own site: grouped index, product title (wirralsafe/admin_site.py).
    "wirralsafe.apps.WirralsafeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "bootstrap",
    "axes",
    "simple_history",
    "programmes",
    "metrics",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database down or a connection dropped: a plain 503 page instead of a 500 and a traceback.
    # Above the session and auth middleware, whose lookups are the first to hit the database.
    "wirralsafe.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked login_not_required (the login page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change kept by django-simple-history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wirralsafe.urls"
WSGI_APPLICATION = "wirralsafe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wirralsafe.context_processors.navigation",
            ],
        },
    },
]

# With no DATABASE_URL the app runs on a SQLite file, so a newcomer needs nothing installed.
# On PostgreSQL, persistent health-checked connections roughly double page throughput here.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are cheap; keeping them open across threads only causes locking.
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each process keeps its own cache: what is cached (the dashboard's rendered figures) is keyed
# by a version number kept in the database, so processes never disagree about what is current.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wirralsafe",
    }
}
# Cached figures are recomputed after any change through the app; this bounds how long one
# written behind the app's back (raw SQL) can go unnoticed.
FIGURES_CACHE_SECONDS = int(env("FIGURES_CACHE_SECONDS", "600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes). The throttling backend comes first so that a locked-out user
# is refused before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "wirralsafe.throttling.RequestAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out; the lock lifts
# after the cool-off, or when an administrator runs `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Lockouts are released by the cool-off or by `manage.py axes_reset_username NAME`; keeping
# axes' own tables out of the admin keeps every admin page under the scoping base class.
AXES_ENABLE_ADMIN = False
# The address is the TCP peer's (wirralsafe.throttling.client_ip): a client-written
# X-Forwarded-For must not choose it. Behind N proxies of your own, set TRUSTED_PROXY_COUNT=N.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "wirralsafe.throttling.client_ip"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # plotly.js served from the installed plotly wheel (as static/plotly/plotly.min.js): no CDN,
    # and no copy of it in the repository.
    ("plotly", Path(plotly.__file__).parent / "package_data"),
]
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Lets runserver with DEBUG off, and tests, serve files straight from the finders.
WHITENOISE_USE_FINDERS = DEBUG

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", "False")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "wirralsafe@localhost")

# Security: secure by default once DEBUG is off; each can be relaxed by its variable.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", str(not DEBUG))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG))
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", "False")
# Silenced deploy checks, each with its reason (`manage.py check --deploy` must pass):
SILENCED_SYSTEM_CHECKS = [
    # security.W021 (HSTS preload off): joining the browsers' preload list binds the whole
    # domain and its subdomains to HTTPS for months and is hard to undo; the app may be served
    # from a council's shared domain, so that is the domain owner's decision, taken by setting
    # SECURE_HSTS_PRELOAD=True, not a default the app can make.
    "security.W021",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", "False"):
    # Only behind a proxy that sets this header itself; otherwise a client could forge it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Figures are never rounded silently: a result stores what was entered, to this many places.
WIRRALSAFE_VALUE_DECIMAL_PLACES = 4
# A quarterly return is due this many days after its quarter ends.
RETURN_DUE_DAYS = int(env("RETURN_DUE_DAYS", "30"))
# send_return_reminders stops emailing about a late return this many days after it was due;
# older gaps show as late on the returns page for the analysts to chase.
RETURN_REMINDER_LATE_DAYS = int(env("RETURN_REMINDER_LATE_DAYS", "60"))

# History is for reading: an old version is never written back from the history page, so a
# restore cannot step around the checks a normal edit goes through.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Uploaded quarterly return workbooks larger than this are refused before they are opened.
RETURN_UPLOAD_MAX_BYTES = int(env("RETURN_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
# Where an uploaded workbook waits between its preview and the partner's confirmation.
RETURN_UPLOAD_DIR = Path(env("RETURN_UPLOAD_DIR") or BASE_DIR / "var" / "uploads")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
