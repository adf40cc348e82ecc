"""The email-updates pages (and the announcement email's HTML) pass the Nu HTML checker.

Skipped when Java or node_modules/vnu-jar is missing, unless REQUIRE_HTML_CHECK=1 (CI).
"""

import json
import os
import subprocess
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.accounts.roles import Role
from apps.mailings.models import Subscriber
from apps.mailings.services import announcement_deliver, announcement_send
from apps.mailings.tokens import CONFIRM, MANAGE, make_token
from tests.test_html_validity import VNU, _checker_available

from ..factories import make_user
from .factories import make_announcement, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages_html(seeded):
    html: dict[str, str] = {}
    public = Client()
    pending = make_subscriber(status=Subscriber.Status.PENDING, consent_at=None, language="es")
    confirmed = make_subscriber()
    confirm_url = reverse("mailings:confirm", kwargs={"token": make_token(pending, CONFIRM)})
    manage_url = reverse("mailings:manage", kwargs={"token": make_token(confirmed, MANAGE)})
    unsub_url = reverse("mailings:unsubscribe", kwargs={"token": make_token(confirmed, MANAGE)})
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        expired = reverse("mailings:manage", kwargs={"token": make_token(confirmed, MANAGE)})
    for url in [
        "/updates/",
        "/updates/check-your-email/",
        "/page/get-involved/",
        confirm_url,
        manage_url,
        unsub_url,
        expired,
        reverse("mailings:manage", kwargs={"token": "nope"}),
    ]:
        html[url] = public.get(url).content.decode()
    html["signup errors"] = public.post("/updates/", {"email": "x@mailinator.com"}).content.decode()
    html["manage errors"] = public.post(manage_url, {"language": "fr"}).content.decode()
    html["confirmed"] = public.post(confirm_url).content.decode()
    html["unsubscribed"] = public.post(unsub_url).content.decode()

    staff = Client()
    staff.force_login(make_user(Role.EDITOR))
    make_subscriber(language="es")
    draft = make_announcement()
    sent = make_announcement(subject_en="Sent one")
    with mock.patch("apps.mailings.services._queue_delivery"):
        announcement_send(announcement=sent, by=None)
    announcement_deliver(announcement_id=sent.pk)
    for url in [
        reverse("mailings:staff_list"),
        reverse("mailings:announcement_create"),
        draft.get_absolute_url(),
        sent.get_absolute_url(),
        reverse("accounts:staff_home"),
    ]:
        html[url] = staff.get(url).content.decode()
    html["announcement errors"] = staff.post(
        reverse("mailings:announcement_create"), {"topic": "x"}
    ).content.decode()
    html["send errors"] = staff.post(
        reverse("mailings:announcement_send", args=[draft.pk]), {}
    ).content.decode()
    html["announcement email"] = mail.outbox[-1].alternatives[0][0]
    return html


def test_email_update_pages_pass_the_nu_html_checker(pages_html, tmp_path):
    if not _checker_available():
        if os.environ.get("REQUIRE_HTML_CHECK") == "1":
            pytest.fail("REQUIRE_HTML_CHECK=1 but java or node_modules/vnu-jar is missing")
        pytest.skip("Nu HTML checker needs java and node_modules/vnu-jar")
    files = {}
    for i, (name, html) in enumerate(pages_html.items()):
        path = tmp_path / f"page{i}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    problems = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
    ]
    assert not problems, "\n".join(problems)
