import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from apps.core.views import server_error

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_every_response_carries_the_security_headers(client, seeded):
    for url in ["/", "/page/faq/", "/contact/", "/accounts/login/", "/missing/"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_a_post_without_csrf_token_is_refused_with_a_friendly_page(seeded):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/contact/", {"email": "a@example.org"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_server_error_page_is_in_the_visitors_language_and_needs_no_database():
    request = RequestFactory().get("/")
    with translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def _production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ostportal.settings.production",
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        **extra,
    )
    return env


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    env = _production_env(DJANGO_SECRET_KEY="p" * 20 + "Xq8-vR2!kL9@zT4#mN7$wB1%cF6^hJ3&dS5*gA0(")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
