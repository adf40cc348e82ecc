"""The embedded default for `make run`: SQLite, eager Celery, email printed to the console."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
# Development-only tools (synthetic data: `manage.py generate_responses`); never in production.
INSTALLED_APPS = INSTALLED_APPS + ["devtools"]
SECRET_KEY = env("DJANGO_SECRET_KEY", "local-development-key-not-for-production-use-0123456789")
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Contact-form messages go to this address, printed in the terminal by the console backend,
# so a newcomer sees the email instead of a message stored for no one.
CONTACT_EMAIL_RECIPIENTS = env_list("CONTACT_EMAIL_RECIPIENTS", "staff-inbox@localhost")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the finders (no collectstatic needed).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Readable log lines in a terminal (JSON in production).
LOGGING["handlers"]["console"]["formatter"] = (  # noqa: F405
    "json" if env("DJANGO_LOG_FORMAT") == "json" else "plain"
)
