"""Settings shared by every environment. Values that differ come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read a setting from the environment; an empty value counts as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value is not None else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


# --- Core ---
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
ROOT_URLCONF = "ostportal.urls"
WSGI_APPLICATION = "ostportal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The Django admin lives away from the default /admin/ so scanners do not find it.
ADMIN_URL = (env("DJANGO_ADMIN_URL", "staff-admin/") or "staff-admin/").strip("/") + "/"

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
LOCAL_APPS = [
    "apps.core",
    "apps.accounts",
    "apps.pages",
    "apps.surveys",
    "apps.insights",
    "apps.exports",
    "apps.operations",
    "apps.proposals",
    "apps.notices",
    "apps.comments",
    "apps.mailings",
    "apps.privacy",
    "apps.coding",
    "apps.feeds",
    "apps.partners",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: every log line of a request carries its id (X-Request-ID).
    "apps.operations.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # `?lang=es` first, so that even the refusal below is in the language asked for.
    "apps.core.middleware.QueryLanguageMiddleware",
    # NUL bytes and text that is not UTF-8 in a query string or form: the translated 400 page.
    "apps.core.middleware.UnreadableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's own address, for absolute links in emails when PORTAL_BASE_URL is unset.
    "apps.core.siteurl.SiteAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session was confirmed with a second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end after inactivity; Administrators must use two-factor sign-in.
    "apps.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the authenticated user (django-axes' documented position).
    "axes.middleware.AxesMiddleware",
    # A view that cannot reach the database answers 503 "try again in a minute".
    "apps.operations.middleware.DatabaseUnavailableMiddleware",
]

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
                "apps.core.context_processors.site",
            ],
        },
    },
]

# --- Database ---
# DATABASE_URL selects the database (postgres://user@host:5432/name in production);
# without it the portal runs on the embedded SQLite file.
# https://github.com/jazzband/dj-database-url
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # A database that does not answer fails a request in seconds instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5
    )

# --- Accounts and authentication ---
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses sign-ins while a client is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:staff_home"
LOGOUT_REDIRECT_URL = "pages:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Throttling of failed sign-ins (django-axes): after AXES_FAILURE_LIMIT failures for one
# username from one address, that pair is locked out for AXES_COOLOFF_TIME.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a proxy, trust X-Forwarded-For only when told to (one trusted proxy hop).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    if env_bool("DJANGO_BEHIND_PROXY", False)
    else ["REMOTE_ADDR"]
)

SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 60 * 60 * 8)
# A signed-in session unused for this long is signed out (apps.accounts.middleware).
# Practitioners have no session (their survey progress is a signed cookie), so this
# never touches a survey in progress.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
# Paths that count as the staff area for the two-factor requirement.
STAFF_PATH_PREFIXES = ["/staff/", "/partners/", "/" + ADMIN_URL]

# Two-factor sign-in (django-otp): authenticator apps (TOTP) plus one-time recovery codes.
# Administrators must turn it on before they can open any staff page.
# https://django-otp-official.readthedocs.io/en/stable/overview.html
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "OST SOC Portal")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS = True
TWO_FACTOR_RECOVERY_CODES = 10
# Between the password and the code: after this long, sign in again from the start.
TWO_FACTOR_PENDING_SECONDS = 300
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# --- Internationalization ---
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/New_York"

# --- Static and media files ---
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries installed from the npm registry (package.json), served as ours.
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    # The survey's service worker (offline pages and the offline queue) loads these builds.
    *(
        (f"vendor/{name}", NODE_MODULES / name / "build")
        for name in (
            "workbox-core",
            "workbox-routing",
            "workbox-strategies",
            "workbox-cacheable-response",
            "workbox-expiration",
            "workbox-background-sync",
        )
    ),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 30

# --- Forms ---
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ---
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where contact-form messages go when staff have not set recipients in the admin.
CONTACT_EMAIL_RECIPIENTS = env_list("CONTACT_EMAIL_RECIPIENTS")

# --- Cache ---
CACHES = {
    "default": (
        {
            # Django's RedisCache that carries on (misses, dropped writes) while Redis is down.
            "BACKEND": "apps.operations.cache.ResilientRedisCache",
            "LOCATION": env("REDIS_CACHE_URL"),
        }
        if env("REDIS_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions: read through the shared Redis cache when there is one (fewer database reads
# per survey page), always written to the database too so a cache restart loses nothing.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if env("REDIS_CACHE_URL")
    else "django.contrib.sessions.backends.db"
)

# Flash messages travel in a cookie, so survey pages never need to load the session.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# --- Celery ---
# Without CELERY_BROKER_URL, tasks run eagerly in the web process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# A web request must not hang when the broker is down: fail fast, the sweep retries later.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "socket_timeout": 5}
# Workers log through LOGGING below (JSON lines with the task id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# How often the recovery sweeps below run (the load test shortens it).
SWEEP_SECONDS = float(env_int("CELERY_SWEEP_SECONDS", 300))
# Background jobs (apps/core/jobs): a running attempt writes its heartbeat every
# JOBS_HEARTBEAT_SECONDS; one silent for JOBS_STALE_SECONDS belongs to a dead worker and the
# sweep, every JOBS_SWEEP_SECONDS, takes it over: within 60 + 30 s, under two minutes.
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 15)
JOBS_STALE_SECONDS = env_int("JOBS_STALE_SECONDS", 60)
JOBS_SWEEP_SECONDS = float(env_int("JOBS_SWEEP_SECONDS", 30))
CELERY_BEAT_SCHEDULE = {
    # Every half minute: rebuild the dashboards' pre-aggregated figures if responses changed,
    # so the figures are never more than a minute behind (apps/insights/cube.py).
    "insights-cube-refresh": {
        "task": "apps.insights.tasks.cube_refresh",
        "schedule": 30.0,
    },
    # Every five minutes: send contact messages whose first attempt failed or never ran.
    "contact-messages-send-pending": {
        "task": "apps.pages.tasks.contact_messages_send_pending",
        "schedule": SWEEP_SECONDS,
    },
    # Every five minutes: submission confirmations that could not be queued (broker down).
    "response-confirmations-send-pending": {
        "task": "apps.surveys.tasks.response_confirmations_send_pending",
        "schedule": SWEEP_SECONDS,
    },
    # Every JOBS_SWEEP_SECONDS: every background job type (exports, proposal documents,
    # announcement sends): take over jobs whose worker died (heartbeat older than
    # JOBS_STALE_SECONDS), fail those past their time limit, queue waiting ones again
    # (apps/core/jobs/sweep.py).
    "jobs-sweep": {
        "task": "apps.core.jobs.tasks.jobs_sweep",
        "schedule": JOBS_SWEEP_SECONDS,
    },
    # Every five minutes: send sign-up emails whose first attempt failed or never ran.
    "mailings-signup-emails-send-pending": {
        "task": "apps.mailings.tasks.signup_emails_send_pending",
        "schedule": SWEEP_SECONDS,
    },
    # Every half hour: start comment-deadline reminders that are due (once per notice/offset).
    "mailings-reminders-send-due": {
        "task": "apps.mailings.tasks.reminders_send_due",
        "schedule": crontab(minute="*/30"),
    },
    # Every half hour: pledge reminders (the day a comment window opens, the day before it
    # closes), each once per pledge, notice and kind.
    "comments-pledge-reminders": {
        "task": "apps.comments.tasks.pledge_reminders_send_due",
        "schedule": crontab(minute="*/30"),
    },
    # Every night at 03:45: delete contact details of surveys closed longer than
    # PERSONAL_DATA_RETENTION_DAYS.
    "personal-data-purge-expired": {
        "task": "apps.privacy.tasks.personal_data_purge_expired",
        "schedule": crontab(hour=3, minute=45),
    },
    # Every night at 03:50: delete what the data inventory's retention periods have expired
    # (contact messages, fingerprints, lapsed subscribers, resume links, old audit lines).
    "privacy-retention-purge": {
        "task": "apps.privacy.tasks.retention_purge",
        "schedule": crontab(hour=3, minute=50),
    },
    # Every night at 00:15: partner links whose end date has passed stop taking responses.
    "partner-links-close-ended": {
        "task": "apps.partners.tasks.partner_links_close_ended",
        "schedule": crontab(hour=0, minute=15),
    },
    # Every night at 03:30: delete job files (exports, proposal documents) past their expiry.
    "job-files-expire": {
        "task": "apps.core.jobs.tasks.job_files_expire",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Security ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline scripts, nothing from other origins.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The survey's service worker (/survey-sw.js) and the scripts it imports.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# --- Portal ---
SITE_NAME = env("SITE_NAME", "OST SOC Portal")
# Contact form: at most this many messages per client address per hour.
CONTACT_RATE_LIMIT = env("CONTACT_RATE_LIMIT", "5/h")
RATELIMIT_VIEW = "apps.core.views.rate_limited"
# While the cache (Redis) is down, rate limits let requests through rather than refuse everyone.
RATELIMIT_FAIL_OPEN = env_bool("RATELIMIT_FAIL_OPEN", True)
# Comments on the published proposal draft: at most this many per client address per hour.
PROPOSAL_COMMENT_RATE_LIMIT = env("PROPOSAL_COMMENT_RATE_LIMIT", "5/h")

# Partners (apps/partners): invitation links expire after this many days; the aggregate API
# allows this many calls per token, and this many calls with a wrong token per address.
PARTNER_INVITATION_DAYS = env_int("PARTNER_INVITATION_DAYS", 7)
PARTNER_API_RATE = env("PARTNER_API_RATE", "60/m")
PARTNER_API_GUESS_RATE = env("PARTNER_API_GUESS_RATE", "20/m")

# --- Logging ---
# One JSON object a line on stderr (DJANGO_LOG_FORMAT=plain for a terminal), each with the
# request id of the web request or the id of the Celery task that wrote it.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.operations.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s%(task_id)s] %(message)s"
        },
        "json": {"()": "apps.operations.logformat.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain" if LOG_FORMAT == "plain" else "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Error tracking ---
# Set SENTRY_DSN to report errors to Sentry (or a compatible service); unset, nothing is sent.
SENTRY_DSN = env("SENTRY_DSN")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "production")
SENTRY_RELEASE = env("SENTRY_RELEASE")
SENTRY_TRACES_SAMPLE_RATE = float(env("SENTRY_TRACES_SAMPLE_RATE", "0") or 0)
# Seconds a client is asked to wait (Retry-After) when the database cannot be reached.
DATABASE_DOWN_RETRY_AFTER = env_int("DATABASE_DOWN_RETRY_AFTER", 60)
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

# --- Survey ---
# Public address of the portal, for absolute links in emails and feeds. When empty, links use
# the address the portal is served at (see apps/core/siteurl.py): the request's own host, a
# request's host remembered for beat jobs, else PORTAL_SERVED_AT (`make run` sets HOST:PORT).
PORTAL_BASE_URL = (env("PORTAL_BASE_URL", "") or "").rstrip("/")
PORTAL_SERVED_AT = (env("PORTAL_SERVED_AT", "http://127.0.0.1:8000") or "").rstrip("/")
SURVEY_RESUME_DAYS = env_int("SURVEY_RESUME_DAYS", 30)
# A complete response faster than this is flagged (never deleted) for staff to review.
SURVEY_MIN_SECONDS = env_int("SURVEY_MIN_SECONDS", 240)
SURVEY_START_RATE_LIMIT = env("SURVEY_START_RATE_LIMIT", "30/h")
SURVEY_SUBMIT_RATE_LIMIT = env("SURVEY_SUBMIT_RATE_LIMIT", "30/h")
# Resume links emailed from one client address.
SURVEY_EMAIL_RATE_LIMIT = env("SURVEY_EMAIL_RATE_LIMIT", "5/h")
# Background drafts of a page being typed (about one every few seconds while typing).
SURVEY_DRAFT_RATE_LIMIT = env("SURVEY_DRAFT_RATE_LIMIT", "600/h")
# The page script sends a draft of the page being typed (background requests), and the
# service worker fetches every page of a response when the survey opens (offline mode).
SURVEY_BACKGROUND_DRAFTS = env_bool("SURVEY_BACKGROUND_DRAFTS", True)
SURVEY_OFFLINE_PREFETCH = env_bool("SURVEY_OFFLINE_PREFETCH", True)
SURVEY_IMPORT_MAX_BYTES = env_int("SURVEY_IMPORT_MAX_BYTES", 2_000_000)
SURVEY_IMPORT_MAX_ROWS = env_int("SURVEY_IMPORT_MAX_ROWS", 5000)
# Longest cell of an imported CSV (csv.field_size_limit while parsing).
SURVEY_IMPORT_MAX_CELL_CHARS = env_int("SURVEY_IMPORT_MAX_CELL_CHARS", 10_000)
# Django refuses form bodies (not counting files) above this before any view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads above this are streamed to a temporary file instead of memory; the paper import
# also stops reading an upload past SURVEY_IMPORT_MAX_BYTES (apps.surveys.uploads).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Public comment builder ---
# The comment box limit used when no notice states its own (regulations.gov: about 5,000).
COMMENT_CHAR_LIMIT = env_int("COMMENT_CHAR_LIMIT", 5000)
# Builder drafts, checks and downloads per client address per hour.
COMMENT_RATE_LIMIT = env("COMMENT_RATE_LIMIT", "120/h")
# "I submitted my comment" records per client address per hour.
COMMENT_RECORD_RATE_LIMIT = env("COMMENT_RECORD_RATE_LIMIT", "10/h")
# "I submitted my comment" counts a comment on a notice while its window is open and for this
# many days after it closes (people report late); at other times there is nothing to count.
COMMENT_RECORD_LATE_DAYS = env_int("COMMENT_RECORD_LATE_DAYS", 14)

# --- Insights and exports ---
# Any figure computed from fewer respondents than this is suppressed wherever it is shown.
SUPPRESSION_MIN_N = env_int("SUPPRESSION_MIN_N", 5)
# Dashboards read pre-aggregated figures for the unfiltered and one-filter views
# (apps/insights/cube.py), rebuilt by Celery beat when responses change; a build older than
# INSIGHTS_CUBE_MAX_AGE seconds that no longer matches the responses is not used.
INSIGHTS_CUBE = env_bool("INSIGHTS_CUBE", True)
INSIGHTS_CUBE_MAX_AGE = env_int("INSIGHTS_CUBE_MAX_AGE", 60)
# A refresh looks for changed responses among those saved since the last refresh began, less
# this margin; every INSIGHTS_CUBE_RECONCILE seconds it checks every counted response instead.
INSIGHTS_CUBE_CHANGE_WINDOW = env_int("INSIGHTS_CUBE_CHANGE_WINDOW", 600)
INSIGHTS_CUBE_RECONCILE = env_int("INSIGHTS_CUBE_RECONCILE", 3600)
# Cell-key noise on every count the dashboards, exports and proposal show (disclosure.py).
# Only tests of the arithmetic turn it off.
INSIGHTS_NOISE = True
EXPORTS_DIR = Path(env("EXPORTS_DIR", str(BASE_DIR / "var" / "exports")))
# Export files are removed this many days after they are made.
EXPORTS_KEEP_DAYS = env_int("EXPORTS_KEEP_DAYS", 7)
# A running export with no sign of life for this long is queued again (given up after 3 tries).
EXPORT_STALE_MINUTES = env_int("EXPORT_STALE_MINUTES", 10)

# --- Email updates (apps.mailings) ---
# Confirmation links work this many days; preferences/unsubscribe links in messages this many.
MAILINGS_CONFIRM_DAYS = env_int("MAILINGS_CONFIRM_DAYS", 7)
MAILINGS_LINK_DAYS = env_int("MAILINGS_LINK_DAYS", 400)
# Sign-up emails to one address: at least this many minutes apart, at most this many a day.
MAILINGS_RESEND_MINUTES = env_int("MAILINGS_RESEND_MINUTES", 15)
MAILINGS_SIGNUP_EMAILS_PER_DAY = env_int("MAILINGS_SIGNUP_EMAILS_PER_DAY", 3)
MAILINGS_SIGNUP_RATE_LIMIT = env("MAILINGS_SIGNUP_RATE_LIMIT", "10/h")
# Announcements go out in batches of this many; a task hands over to a new one after the budget.
MAILINGS_BATCH_SIZE = env_int("MAILINGS_BATCH_SIZE", 100)
MAILINGS_TASK_BUDGET_SECONDS = env_int("MAILINGS_TASK_BUDGET_SECONDS", 120)
# A sign-up email's claim older than this is taken to be from a dead worker (announcement
# sends are background jobs: their worker is judged by its heartbeat, JOBS_STALE_SECONDS).
MAILINGS_STALE_CLAIM_MINUTES = env_int("MAILINGS_STALE_CLAIM_MINUTES", 15)
# Deadline reminders go out from this hour (Eastern Time), except on the last day.
MAILINGS_REMINDER_HOUR = env_int("MAILINGS_REMINDER_HOUR", 9)
# --- Personal data ---
# Contact details (survey email addresses) are deleted this many days after a survey's
# closing date (Survey.closes_at); a survey without a closing date keeps them until it gets one.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 180)
# Everything that can find and delete personal data by email address (apps.privacy.registry).
PERSONAL_DATA_DELETERS = [
    "apps.privacy.deleters.survey_responses",
    "apps.privacy.deleters.contact_messages",
    "apps.privacy.deleters.subscribers",
    "apps.partners.privacy.partner_invitations",
]
# Retention periods (days) of the entries of the data inventory (apps/privacy/inventory.py);
# the privacy notice shows them and the nightly retention job applies them.
CONTACT_MESSAGE_RETENTION_DAYS = env_int("CONTACT_MESSAGE_RETENTION_DAYS", 365)
COMMENT_FINGERPRINT_RETENTION_DAYS = env_int("COMMENT_FINGERPRINT_RETENTION_DAYS", 400)
MAILINGS_INACTIVE_RETENTION_DAYS = env_int("MAILINGS_INACTIVE_RETENTION_DAYS", 30)
AUDIT_LOG_RETENTION_DAYS = env_int("AUDIT_LOG_RETENTION_DAYS", 730)
