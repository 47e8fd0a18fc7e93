"""Django settings, all from environment variables (12-factor).

A start needs no variables at all, and is safe as it is: SQLite in var/, DEBUG off, a random
secret key made on first start and kept in the data folder, the host served (and loopback)
as the allowed hosts, that host and port in links, e-mail kept as files. DEBUG needs
CITYSOC_DEBUG=1. A start with an unsafe setting is refused by the system check in
`citysoc.core.checks`, with a sentence saying what to set.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import socket
import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value; use 1 or 0.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (for container/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def data_folder_secret(path: Path) -> str:
    """The secret kept in `path`, made (random, readable by this user only) if missing.

    Created with O_EXCL so that the web server, the worker and the scheduler starting
    together agree on one key: whoever comes second reads the first one's file.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:  # e.g. restored from a backup with looser modes
            # Not ours to change (another owner)? Still readable, so still usable.
            with contextlib.suppress(OSError):
                path.chmod(0o600)
        key = path.read_text(encoding="utf-8").strip()
        for _wait in range(20):  # the other process may be between creating and writing it
            if len(key) >= 50:
                break
            time.sleep(0.05)
            key = path.read_text(encoding="utf-8").strip()
        if len(key) < 50:
            raise ImproperlyConfigured(
                f"the secret key file {path.name} in the data folder is empty or cut short; "
                "delete it to make a new one (everybody is logged out), or set SECRET_KEY."
            ) from None
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(key + "\n")
    return key


LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"]
WILDCARD_BINDS = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 - names, not a bind


def served_host_names(host: str) -> list[str]:
    """The names a server bound to `host` is reached by, for ALLOWED_HOSTS."""
    if host.strip("[]") not in WILDCARD_BINDS:
        name = f"[{host.strip('[]')}]" if ":" in host else host
        # The loopback names too: the machine itself (a health check, a local proxy) asks so.
        return list(dict.fromkeys([name, *LOOPBACK_NAMES]))
    # Bound to every address: this machine's name and its addresses (best effort; set
    # ALLOWED_HOSTS to the name people type when it is something else).
    names = [*LOOPBACK_NAMES, socket.gethostname()]
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None)
    except OSError:
        infos = []
    for info in infos:
        address = str(info[4][0])
        names.append(f"[{address}]" if ":" in address else address)
    return list(dict.fromkeys(names))


def served_site_url(host: str, port: int, *, tls: bool) -> str:
    """The address written into links when SITE_URL is not set: the host and port served."""
    if host.strip("[]") in WILDCARD_BINDS:
        host = socket.gethostname()
    else:
        try:
            if ipaddress.ip_address(host.strip("[]")).version == 6:
                host = f"[{host.strip('[]')}]"
        except ValueError:
            pass  # a name, used as it is
    scheme = "https" if tls else "http"
    default_port = 443 if tls else 80
    return f"{scheme}://{host}" + ("" if port == default_port else f":{port}")


# Core
# The key that signs sessions, password-reset and acknowledge/resolve links. It used to
# default to this public string, so anyone could forge those links; a start with it (or any
# short key) is refused, and with no SECRET_KEY a random one is kept in the data folder.
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - refused, never used
DEBUG = env_bool("CITYSOC_DEBUG", False)

DATA_DIR = Path(os.environ.get("CITYSOC_DATA_DIR", str(REPO_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = env_secret("SECRET_KEY") or data_folder_secret(DATA_DIR / "secret_key")

# `citysoc serve`/`web` put their --host/--port here, for every process they start, so that
# the allowed host names and the links in mails and pages match the port actually served.
SERVE_HOST = os.environ.get("CITYSOC_SERVE_HOST", "127.0.0.1")
SERVE_PORT = env_int("CITYSOC_SERVE_PORT", 8000)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", served_host_names(SERVE_HOST))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind TLS (CITYSOC_TLS=1; a reverse proxy such as nginx ends TLS and passes
# X-Forwarded-Proto, which gunicorn trusts from FORWARDED_ALLOW_IPS, by default the local
# machine only): plain-HTTP requests are redirected, browsers are told to use HTTPS only
# (HSTS, one year by default), and the session and CSRF cookies are sent over HTTPS only.
# See docs/security.md, "Deploying behind TLS".
TLS = env_bool("CITYSOC_TLS", False)
SECURE_SSL_REDIRECT = env_bool("CITYSOC_SSL_REDIRECT", TLS)
SECURE_HSTS_SECONDS = env_int("CITYSOC_HSTS_SECONDS", 365 * 24 * 3600 if TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CITYSOC_HSTS_INCLUDE_SUBDOMAINS", TLS)
# Preloading is a commitment for the whole domain, made by its owner at hstspreload.org;
# while it is not made, Django's reminder about it (security.W021) is not an issue here.
SECURE_HSTS_PRELOAD = env_bool("CITYSOC_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SITE_URL = os.environ.get("SITE_URL") or served_site_url(SERVE_HOST, SERVE_PORT, tls=TLS)
SITE_URL_DERIVED = not os.environ.get("SITE_URL")  # behind a proxy it must be set; checked
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # empty until collectstatic; WhiteNoise warns when it is missing

INSTALLED_APPS = [
    # First, so that our registration/ templates win over the admin's look-alikes.
    "citysoc.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "citysoc.inventory",
    "citysoc.directives",
    "citysoc.intel",
    "citysoc.compliance",
    "citysoc.notify",
    "citysoc.duty",
    "citysoc.alerts",
    "citysoc.webwatch",
    "citysoc.vulns",
    "citysoc.reports",
    "citysoc.isps",
    "citysoc.awareness",
    "citysoc.sweep",
    "citysoc.incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "citysoc.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "citysoc.core.middleware.IdleSessionMiddleware",
    "citysoc.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "citysoc.core.middleware.AuditActorMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "citysoc.urls"
WSGI_APPLICATION = "citysoc.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "citysoc.core.context.navigation",
            ],
        },
    },
]

# Forms render with Django's templates plus a few of ours (core/form_templates): the empty
# choice of a select reads "— chọn —" instead of Django's "---------". Not configurable.
FORM_RENDERER = "citysoc.core.form_renderer.Renderer"

# Database
# With no DATABASE_URL: SQLite in the data folder, in WAL mode so the web server, the
# worker and the scheduler can read while one of them writes; IMMEDIATE transactions
# take the write lock up front instead of failing half-way with "database is locked".
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # Test databases get the process id in their name so that two test runs on one
    # server (two developers, or CI beside a developer) never drop each other's database.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get(
            "TEST_DATABASE_NAME", f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "citysoc.sqlite3"),
            # Kept open between requests: closing the last connection checkpoints the WAL,
            # which cost about 12 ms per request (measured by bench/alerts_intake.py).
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

# Authentication
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "login"
# An idle session ends after SESSION_IDLE_MINUTES (default 8 hours, one duty shift). A
# session in use is written again at most once a minute, not on every request
# (core/middleware.py: IdleSessionMiddleware), so a page view is not a database write.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 480) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", TLS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True

# Login throttling (django-axes): lock a username+address pair after repeated failures,
# and an address on its own after more failures over any usernames (password spraying:
# one password tried on many accounts). The address limit is higher because a whole
# office often shares one address. Order matters: see citysoc.core.login_throttle.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "citysoc.core.login_throttle.ThrottleHandler"
# Proxies whose X-Forwarded-For names the client (as gunicorn's FORWARDED_ALLOW_IPS).
LOGIN_PROXY_ADDRESSES = env_list("LOGIN_PROXY_ADDRESSES", ["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "citysoc.core.login_throttle.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False  # its start-up banner went to the stderr of every command

# Internationalisation: Vietnamese first, English on request.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["citysoc.formats"]
LANGUAGE_COOKIE_NAME = "citysoc_language"

# Static files: served by the app itself (WhiteNoise) so the UI works with no internet.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # no collectstatic step needed for `make run`
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: a 50,000-host workbook is about 3 MB; 50 MB leaves room for log files.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 50) * 1024 * 1024
# Logs given to the botnet matcher stream to disk; the worker reads them in blocks.
LOG_UPLOAD_MAX_BYTES = env_int("LOG_UPLOAD_MAX_MB", 4096) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# What an upload may hold once unpacked, checked before it is read (core/upload_limits.py;
# docs/security.md, "Upload limits"): an .xlsx is a zip, and a 100 KB one can hold 28 MB
# of XML. IMPORT_MAX_ROWS caps the rows of one spreadsheet (inventory imports, botnet list
# sheets, compliance workbooks); IMPORT_MAX_ERRORS caps the errors kept for one import
# (the rest are counted). JSON_MAX_DEPTH refuses deeper JSON bodies with a 400 before
# parsing (API, alert intake, list files).
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_MB", 100) * 1024 * 1024
UPLOAD_MAX_ZIP_RATIO = env_int("UPLOAD_MAX_ZIP_RATIO", 100)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000)
IMPORT_MAX_ERRORS = env_int("IMPORT_MAX_ERRORS", 1000)
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 64)

# Address claims: a unit's IP range wider than this prefix (fewer prefix bits) is kept
# pending until a city role approves it, and is not used to attribute botnet sightings.
# /20 is 4,096 IPv4 addresses, more than any ward or school holds; see docs/security.md.
ADDRESS_CLAIM_MAX_PREFIX_V4 = env_int("ADDRESS_CLAIM_MAX_PREFIX_V4", 20)
ADDRESS_CLAIM_MAX_PREFIX_V6 = env_int("ADDRESS_CLAIM_MAX_PREFIX_V6", 40)

# Website watch: raw check rows are rolled up hourly after this many days.
WEBWATCH_RETENTION_DAYS = env_int("WEBWATCH_RETENTION_DAYS", 30)
WEBWATCH_AGGREGATE_RETENTION_DAYS = env_int("WEBWATCH_AGGREGATE_RETENTION_DAYS", 400)
WEBWATCH_BLOCKLIST = env_list("WEBWATCH_BLOCKLIST", [])
WEBWATCH_CONCURRENCY = env_int("WEBWATCH_CONCURRENCY", 20)
WEBWATCH_PER_HOST = env_int("WEBWATCH_PER_HOST", 2)
WEBWATCH_CA_FILE = os.environ.get("WEBWATCH_CA_FILE", "")
WEBWATCH_RDAP_URL = os.environ.get("WEBWATCH_RDAP_URL", "")

# Outbound requests (monitors, notification channels, feeds, RDAP) never reach loopback,
# link-local or this server; private and shared (100.64/10) addresses only inside the
# requesting unit's registered ranges or these city-approved ranges (comma-separated
# CIDRs, e.g. "10.10.0.0/16,172.20.5.0/24"). See docs/security.md, "Outbound requests".
OUTBOUND_ALLOW = env_list("OUTBOUND_ALLOW", [])

# Email
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "citysoc@localhost")
# With no EMAIL_HOST (a laptop, the demo), mail is kept as files in the data folder
# instead of sent: nothing lost, and nothing mixed into a command's output. A production
# check (`citysoc check --deploy`) warns while it is so.
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if "EMAIL_HOST" in os.environ
    else "django.core.mail.backends.filebased.EmailBackend",
)

# Awareness: the scam checker's page for citizens (off unless turned on; it never fetches
# what it is given), and the mailbox staff forward suspected phishing to.
AWARENESS_PUBLIC_SCAM_CHECK = env_bool("AWARENESS_PUBLIC_SCAM_CHECK", False)
AWARENESS_REPORT_ADDRESS = os.environ.get("AWARENESS_REPORT_ADDRESS", "")

# Background tasks: database-backed queue, no broker needed.
# Two queues, each with its own worker (`citysoc serve` starts both): imports and list or
# log matching can take minutes and must never hold up escalations and notifications.
TASK_QUEUE_IMPORTS = "imports"
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", TASK_QUEUE_IMPORTS],
    }
}

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "citysoc.core.tokens.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The JSON parser refuses bodies nested deeper than JSON_MAX_DEPTH before parsing them.
    "DEFAULT_PARSER_CLASSES": [
        "citysoc.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "citysoc API",
    "DESCRIPTION": "Units, people and inventory of a city security operations hub.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every route and field: for logged-in users and API tokens only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # One name for the unit kinds a directive may go to (they appear in two serializers),
    # so that `citysoc check --deploy` is clean.
    "ENUM_NAME_OVERRIDES": {
        "RecipientKindEnum": "citysoc.directives.serializers.KIND_CHOICES",
        "IspRequestKindEnum": "citysoc.isps.models.IspRequest.Kind",
    },
}

# Logging: one line per event to stderr, for journald or the terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # httpx logs every request at INFO: the website watch makes thousands a minute.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (docs/security.md, "Links, CSP and
# spreadsheets"): scripts only from our own static files (no inline script, no
# onclick=), no framing, forms post only here. Inline style attributes are still
# allowed (progress bars, indents); they cannot run script. CONTENT_SECURITY_POLICY
# replaces the whole policy, e.g. to add a report-uri; empty sends none.
CITYSOC_CSP = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# Botnet lists and logs (intel)
CITYSOC_FEED_MAX_BYTES = env_int("FEED_MAX_MB", 200) * 1024 * 1024
CITYSOC_FEED_TIMEOUT = env_int("FEED_TIMEOUT", 30)
CITYSOC_LOG_RETENTION_DAYS = env_int("LOG_RETENTION_DAYS", 90)

# Compliance: an office's own framework library folders (YAML or .xlsx), beside the shipped ones.
CITYSOC_LIBRARY_DIRS = env_list("LIBRARY_DIRS", [])
