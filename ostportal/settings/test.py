"""Settings for pytest: fast hashing, in-memory email, eager Celery by default."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = False
# Development-only tools: the synthetic-data generator the tests build data with.
INSTALLED_APPS = INSTALLED_APPS + ["devtools"]
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# CACHES comes from base: locmem, or the real Redis where CI sets REDIS_CACHE_URL.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Links in emails are pinned here so tests can read them; tests of the served-at default
# (tests/core/test_siteurl.py) set it to "".
PORTAL_BASE_URL = "http://127.0.0.1:8000"
# Tests run tasks eagerly. CI's second pass also sets CELERY_BROKER_URL (the real Redis):
# the tests marked celery_worker then turn eager mode off and start a real worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CONTACT_EMAIL_RECIPIENTS = ["staff-inbox@example.org"]
# Serve static files straight from the finders (no collectstatic needed).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Background requests of the survey page (drafts, offline prefetch) are off by default in
# tests: on the in-memory SQLite test database a read during another request's write fails
# at once ("table is locked"), so they would make unrelated browser tests flaky. The tests of
# those features switch them on (tests/browser/test_survey_offline.py).
SURVEY_BACKGROUND_DRAFTS = False
SURVEY_OFFLINE_PREFETCH = False
