"""Contact messages with no recipient configured are never silent: the staff landing page,
the status page and the readiness answer say so; `make run` prints them in the terminal."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from apps.pages.models import ContactMessage, SiteSettings

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
WARNING = "Contact messages are not emailed to anyone"


@pytest.fixture
def no_recipients(settings):
    settings.CONTACT_EMAIL_RECIPIENTS = []
    site = SiteSettings.load()
    site.contact_recipients = ""
    site.save()


def _message():
    return ContactMessage.objects.create(
        name="A", email="a@example.org", topic="general", message="Hello", language="en"
    )


def test_the_staff_landing_page_warns_when_messages_go_nowhere(client, reviewer, no_recipients):
    _message()
    _message()
    client.force_login(reviewer)
    html = client.get(reverse("accounts:staff_home")).content.decode()
    assert WARNING in html
    assert "2 messages are stored and wait" in html


def test_the_warning_speaks_spanish(spanish_client, reviewer, no_recipients):
    _message()
    spanish_client.force_login(reviewer)
    html = spanish_client.get(reverse("accounts:staff_home")).content.decode()
    assert "Los mensajes de contacto no se envían a nadie" in html
    assert "1 mensaje está guardado y espera" in html


def test_no_warning_with_a_recipient_in_settings_or_in_the_site_settings(
    client, reviewer, no_recipients, settings
):
    client.force_login(reviewer)
    url = reverse("accounts:staff_home")
    assert WARNING in client.get(url).content.decode()
    site = SiteSettings.load()
    site.contact_recipients = "team@example.org"
    site.save()
    assert WARNING not in client.get(url).content.decode()
    site.contact_recipients = ""
    site.save()
    settings.CONTACT_EMAIL_RECIPIENTS = ["inbox@example.org"]
    assert WARNING not in client.get(url).content.decode()


def _row(html: str, label: str) -> str:
    start = html.rindex("<tr", 0, html.index(label))
    return html[start : html.index("</tr>", start)]


def test_the_status_page_shows_missing_recipients_as_a_problem(client, editor, no_recipients):
    client.force_login(editor)
    html = client.get(reverse("operations:status")).content.decode()
    row = _row(html, "Contact message recipients")
    assert 'class="status-problem"' in row
    assert '<td class="status-value">none</td>' in row
    assert "emailed to no one" in row


def test_the_status_page_counts_configured_recipients(client, editor, settings):
    settings.CONTACT_EMAIL_RECIPIENTS = ["a@example.org", "b@example.org"]
    client.force_login(editor)
    row = _row(client.get(reverse("operations:status")).content.decode(), "Contact message recip")
    assert 'class="status-ok"' in row
    assert '<td class="status-value">2</td>' in row


def test_readiness_stays_200_and_names_the_warning(client, no_recipients):
    reply = client.get(reverse("operations:readyz"))
    assert reply.status_code == 200
    assert reply.json()["warnings"] == ["contact_recipients_missing"]


def test_readiness_has_no_warning_with_recipients(client):
    assert client.get(reverse("operations:readyz")).json()["warnings"] == []


def test_make_run_settings_print_contact_email_to_the_terminal():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CONTACT_"))}
    env["DJANGO_SETTINGS_MODULE"] = "ostportal.settings.local"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND); print(','.join(s.CONTACT_EMAIL_RECIPIENTS))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "django.core.mail.backends.console.EmailBackend"
    assert out[1] == "staff-inbox@localhost"
