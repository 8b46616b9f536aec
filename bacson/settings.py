"""Settings, read from the environment with safe development defaults (see .env.example)."""

import datetime
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnop")
else:
    # No default outside development: a production server must never run with a known key.
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "bacson.apps.KnoxConfig",  # knox: API tokens stored hashed, with an expiry (assessments/api/tokens.py)
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI files served locally (no CDN)
    "bacson.apps.AxesConfig",  # axes: login attempts and lockouts
    "csp",
    "assessments",
    "consolidation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database still busy after its wait (SQLite: another long write) answers 503 "try again", not 500.
    "bacson.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the user switched language; the browser's Accept-Language is ignored on purpose.
    "bacson.locale.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers to a logged-in user (pages, downloads, API) are never stored by a browser or proxy.
    "bacson.middleware.PrivatePagesNotCachedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An action's address opened by GET answers a Vietnamese 405 page with the way back.
    "bacson.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bacson.urls"
WSGI_APPLICATION = "bacson.wsgi.application"

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
                "django.template.context_processors.i18n",
                "assessments.context_processors.notices",
                "assessments.context_processors.board",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one writer in at a time. A transaction that reads and then writes (most services) takes its write
    # lock only at its first write, and then fails at once with "database is locked" if another got in first; so
    # every transaction takes the lock when it begins (IMMEDIATE), and a writer that finds it taken waits up to
    # SQLITE_BUSY_TIMEOUT seconds (then the page answers 503, try again: bacson.middleware).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30)}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assessments.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "assessments.accounts.backends.OrganizationModelBackend",
    # Sessions opened before the backend above still name Django's: kept so that nobody is logged out by an upgrade.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# A working day: a forgotten browser on a shared office computer does not stay logged in overnight.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=9 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Lock the pair: failures for one name from one address lock only that name from that address, so nobody can lock
# a colleague out (or, behind a proxy, everyone) by failing on purpose. The address is the client's, read through
# TRUSTED_PROXY_COUNT reverse proxies of our own (docs/operations.md).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "bacson.middleware.client_address"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# locale/ holds the project's catalogues (makemessages writes there); locale/vendor/ the Vietnamese strings that
# third-party apps (crispy-forms, simple-history, axes, django-filter) do not ship, kept apart so makemessages
# never marks them obsolete.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the language switch is remembered for a year
# Locale formats (60,0% and 2.824 in Vietnamese, 60.0% and 2,824 in English). USE_THOUSAND_SEPARATOR stays off on
# purpose: it would print every year and id in templates as "2.017"; counts are grouped with intcomma instead.
FORMAT_MODULE_PATH = ["bacson.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"  # uploads are served only through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Cache: Redis when configured (shared by web nodes and workers, needed for coalescing); local memory otherwise.
CACHE_URL = env.str("CACHE_URL", default=env.str("REDIS_URL", default=""))
if CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: with no broker, tasks run eagerly so that a new user needs nothing but Python.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task whose worker died unacknowledged is redelivered after this many seconds (the fault tests shorten it).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# Task modules outside tasks.py (autodiscovery finds only tasks.py).
CELERY_IMPORTS = ["assessments.importing.tasks", "assessments.cycle.tasks"]
# Reconciliation repairs summaries whose task was lost (broker down, worker killed): see docs/summaries.md.
CELERY_BEAT_SCHEDULE: dict = {
    "summaries-reconcile": {
        "task": "assessments.tasks.summaries_reconcile_task",
        "schedule": env.float("SUMMARIES_RECONCILE_SECONDS", default=300.0),
    },
    # Secretaries whose file is not sent are emailed a few days before the deadline (assessments/cycle/notices.py).
    "cycle-deadline-reminders": {"task": "assessments.cycle.tasks.deadline_reminders_task", "schedule": 86400.0},
}
# Time limits of the import and summary tasks, in seconds: at the soft limit the task stops cleanly (an import rolls
# back and is marked failed), at the hard one the worker process is killed. A 200,000-row import takes about two
# minutes; keep the hard limits under CELERY_VISIBILITY_TIMEOUT so a killed task is not redelivered while it runs.
IMPORT_TASK_SOFT_TIME_LIMIT = env.int("IMPORT_TASK_SOFT_TIME_LIMIT", default=1800)
IMPORT_TASK_TIME_LIMIT = env.int("IMPORT_TASK_TIME_LIMIT", default=1860)
# An import still "checking" or "writing" this long after it began was stopped from outside (its worker or web
# process killed): it is recorded as failed and may be tried again. Longer than any run can last.
IMPORT_STALE_SECONDS = env.int("IMPORT_STALE_SECONDS", default=IMPORT_TASK_TIME_LIMIT + 300)
SUMMARIES_TASK_SOFT_TIME_LIMIT = env.int("SUMMARIES_TASK_SOFT_TIME_LIMIT", default=900)
SUMMARIES_TASK_TIME_LIMIT = env.int("SUMMARIES_TASK_TIME_LIMIT", default=960)
# How long a queued summary recompute blocks duplicates; keep it well under the broker's visibility_timeout.
SUMMARIES_PENDING_TIMEOUT = env.int("SUMMARIES_PENDING_TIMEOUT", default=600)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a request without credentials answer 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The browsable API (HTML forms) only in development; production answers JSON alone.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
}
# API tokens: only a hash is stored; each expires API_TOKEN_DAYS after it was created and is revoked when its owner's
# password changes or the account is deactivated.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
REST_KNOX = {"TOKEN_TTL": datetime.timedelta(days=API_TOKEN_DAYS), "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bắc Sơn assessment API",
    "VERSION": "1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "DESCRIPTION": "Read-only API of the yearly assessment data; every answer is limited to the caller's scope. "
    "Authenticate with a session (browser) or `Authorization: Token <key>` (create one at /accounts/api-token/).",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content Security Policy: everything from this server, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

ADMIN_URL = env.str("ADMIN_URL", default="admin/")

# Uploads: Django has no per-file cap, so forms check these.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
# Blank rows a file may hold (counted, never read one by one): a sheet padded with a million empty rows is refused.
IMPORT_MAX_BLANK_ROWS = env.int("IMPORT_MAX_BLANK_ROWS", default=100_000)
# XLSX checks made on the zip directory before openpyxl opens a file (STACK.md: a 543 KiB file can expand to
# 212 MB). A 200,000-row sheet is about 72 MB uncompressed at a ratio of about 13.
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
IMPORT_XLSX_MAX_RATIO = env.int("IMPORT_XLSX_MAX_RATIO", default=100)
IMPORT_XLSX_MAX_ENTRIES = env.int("IMPORT_XLSX_MAX_ENTRIES", default=500)
# Uploads with more rows than this are checked and imported by a Celery task, with a progress bar.
IMPORT_ASYNC_ROWS = env.int("IMPORT_ASYNC_ROWS", default=3000)
IMPORT_MAX_ERRORS_KEPT = env.int("IMPORT_MAX_ERRORS_KEPT", default=1000)

# Extension points of the assessments app that other apps answer (assessments never imports them).
ASSESSMENTS_HOOKS = {"units_with_plan": "consolidation.hooks.units_with_plan"}

# Consolidation: an indicator of an active plan with no measurement for this many days is flagged as stale.
CONSOLIDATION_STALE_INDICATOR_DAYS = env.int("CONSOLIDATION_STALE_INDICATOR_DAYS", default=90)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"
