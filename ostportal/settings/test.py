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
# Tests run tasks eagerly. CI's second pass also sets CELERY_BROKER_URL (the real Redis):
# the tests marked celery_worker then turn eager mode off and start a real worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CONTACT_EMAIL_RECIPIENTS = ["staff-inbox@example.org"]
# Serve static files straight from the finders (no collectstatic needed).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
