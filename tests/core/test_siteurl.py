"""Links in emails point where the portal runs: the configured PORTAL_BASE_URL, else the
address of the request that triggered the email (another host or port works), else the last
address seen, else what `make run` serves at."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from apps.core import siteurl
from apps.mailings.models import Subscriber
from tests.mailings.factories import make_announcement, make_subscriber
from tests.surveys.helpers import start

pytestmark = pytest.mark.django_db
HOST = "portal.example.org:8001"
BASE = f"http://{HOST}"


@pytest.fixture
def served(settings):
    """No configured address: links follow where the portal is served."""
    settings.PORTAL_BASE_URL = ""
    settings.PORTAL_SERVED_AT = "http://127.0.0.1:8000"
    cache.delete(siteurl.CACHE_KEY)
    siteurl._remembered_here["value"] = ""
    yield
    cache.delete(siteurl.CACHE_KEY)
    siteurl._remembered_here["value"] = ""


def _links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"')\]]+", body)


def test_resume_email_links_use_the_requests_host_and_port(
    served, survey_for_links, django_capture_on_commit_callbacks
):
    browser = Client(HTTP_HOST=HOST)
    response = start(browser, survey_for_links)
    with django_capture_on_commit_callbacks(execute=True):
        reply = browser.post(
            reverse("surveys:resume_email", kwargs={"public_id": response.public_id}),
            {"email": "lupe@example.org"},
        )
    assert reply.status_code == 302
    links = _links(mail.outbox[0].body)
    resume = [link for link in links if "/survey/resume/" in link]
    assert resume and all(link.startswith(BASE + "/survey/resume/") for link in resume)
    assert not any(":8000" in link for link in links)


def test_updates_confirmation_email_links_use_the_requests_address(
    served, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = Client(HTTP_HOST=HOST).post(
            reverse("mailings:signup"),
            {"email": "ana@example.org", "language": "en", "topics": ["comment_window"]},
        )
    assert reply.status_code == 302
    message = mail.outbox[0]
    links = _links(message.body)
    assert any(link.startswith(BASE + "/updates/confirm/") for link in links)
    assert all(link.startswith(BASE) for link in links if "/updates/" in link)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{BASE}/updates/")


def test_announcement_links_use_the_address_staff_sent_it_from(
    served, editor, django_capture_on_commit_callbacks
):
    make_subscriber()
    announcement = make_announcement()
    staff = Client(HTTP_HOST="10.0.0.5:8123")
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        reply = staff.post(
            reverse("mailings:announcement_send", kwargs={"pk": announcement.pk}),
            {"checked": "on"},
        )
    assert reply.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://10.0.0.5:8123/updates/")
    assert "http://10.0.0.5:8123/updates/manage/" in message.body


def test_the_configured_address_wins_over_the_request(settings, django_capture_on_commit_callbacks):
    settings.PORTAL_BASE_URL = "https://ost.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        Client(HTTP_HOST=HOST).post(
            reverse("mailings:signup"),
            {"email": "ana@example.org", "language": "en", "topics": ["comment_window"]},
        )
    assert "https://ost.example.org/updates/confirm/" in mail.outbox[0].body
    assert HOST not in mail.outbox[0].body


def test_without_a_request_the_last_address_seen_then_the_served_default(served, settings):
    # Nothing seen yet: what `make run` serves at (it sets PORTAL_SERVED_AT from HOST:PORT).
    settings.PORTAL_SERVED_AT = "http://127.0.0.1:8001"
    assert siteurl.site_url() == "http://127.0.0.1:8001"
    Client(HTTP_HOST=HOST).get("/")
    # After the request is done, beat jobs (reminders) link to the address last seen.
    assert siteurl.current() == ""
    assert siteurl.site_url() == BASE
    subscriber = Subscriber.objects.create(email="x@example.org", language="en", key="k" * 32)
    from apps.mailings.emails import subscriber_links

    assert subscriber_links(subscriber)["manage_url"].startswith(BASE + "/updates/manage/")


def test_a_host_django_refuses_is_never_used(served, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    Client(HTTP_HOST="evil.example.com").get("/")
    assert siteurl.site_url() == "http://127.0.0.1:8000"


def test_a_task_queued_during_a_request_runs_with_its_address(served):
    """The Celery signal handlers: the publishing side puts the address in the message
    headers, the worker side restores it for the task and clears it afterwards."""
    token = siteurl._current.set(BASE)
    headers: dict = {}
    try:
        siteurl.carry_on_publish(headers=headers)
    finally:
        siteurl._current.reset(token)
    assert headers == {siteurl.HEADER: BASE}
    assert siteurl.site_url() == "http://127.0.0.1:8000"  # back outside the request
    task = SimpleNamespace(request=SimpleNamespace(headers=None, **headers))
    siteurl.restore_on_prerun(task_id="t1", task=task)
    assert siteurl.site_url() == BASE
    siteurl.clear_on_postrun(task_id="t1")
    assert siteurl.current() == ""


@pytest.fixture
def survey_for_links(seeded):
    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey

    seed_survey()
    return Survey.objects.get(slug="ost-roles-duties")


def test_survey_confirmation_email_links_use_the_requests_address(
    served, survey_for_links, django_capture_on_commit_callbacks
):
    from tests.surveys.helpers import complete

    browser = Client(HTTP_HOST=HOST)
    with django_capture_on_commit_callbacks(execute=True):
        complete(browser, survey_for_links, {"follow_up": "yes"})
    links = _links(mail.outbox[0].body)
    delete = [link for link in links if "/privacy/delete/" in link]
    assert delete and all(link.startswith(BASE + "/privacy/delete/") for link in delete)
    assert not any(":8000" in link for link in links)
