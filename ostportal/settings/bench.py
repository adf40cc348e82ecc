"""Benchmarks only (`make bench`): production settings plus a reference app, HTTP on loopback."""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

# devtools: the benchmarks generate their synthetic responses with it.
INSTALLED_APPS = INSTALLED_APPS + ["bench.reference", "devtools"]
ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
