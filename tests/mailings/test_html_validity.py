"""The email-updates pages (and the announcement email's HTML) pass the Nu HTML checker.

Skipped when Java or node_modules/vnu-jar is missing, unless REQUIRE_HTML_CHECK=1 (CI).
"""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.accounts.roles import Role
from apps.mailings.models import Subscriber
from apps.mailings.services import announcement_deliver, announcement_send
from apps.mailings.tokens import CONFIRM, MANAGE, make_token
from tests.html_checker import html_problems

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
    with mock.patch("apps.mailings.services.enqueue"):
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
    problems = html_problems(pages_html, tmp_path)
    assert not problems, "\n".join(problems)
