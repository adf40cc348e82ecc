"""`make loadtest` only: production settings served over plain HTTP on loopback."""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

# devtools: `manage.py generate_responses` fills the dashboards before the load test.
INSTALLED_APPS = INSTALLED_APPS + ["devtools"]

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
