"""Deliveries whose outcome is unknown (a worker died while handing them to the mail server):
listed for staff on the announcement page, with a one-click resend to exactly those
recipients (Editor and up, CSRF-protected, audited)."""

from collections import Counter
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.mailings.models import Announcement, AnnouncementSend, Delivery
from apps.mailings.services import announcement_send

from .factories import make_announcement, make_subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def killed_send(db, django_capture_on_commit_callbacks):
    """A send of six readers that finished with two deliveries unknown (their worker was
    killed while handing them over; the next attempt marked them)."""
    readers = [make_subscriber() for _ in range(6)]
    announcement = make_announcement()
    with django_capture_on_commit_callbacks(execute=True):
        announcement_send(announcement=announcement, by=None)
    unknown = [readers[1], readers[4]]
    Delivery.objects.filter(subscriber__in=unknown).update(status=Delivery.Status.UNKNOWN)
    mail.outbox.clear()
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    return announcement, readers, unknown


def test_the_page_lists_exactly_the_unknown_recipients_with_a_resend_button(
    client, editor, killed_send
):
    announcement, readers, unknown = killed_send
    client.force_login(editor)
    page = client.get(announcement.get_absolute_url()).content.decode()
    listed = page.split("data-unknown-recipients>")[1].split("</ul>")[0]
    assert all(r.email in listed for r in unknown)
    assert not any(r.email in listed for r in readers if r not in unknown)
    assert reverse("mailings:announcement_resend_unknown", args=[announcement.pk]) in page
    assert "Send again to these 2 recipients" in page


def test_a_reviewer_sees_them_masked_and_cannot_resend(client, reviewer, killed_send):
    announcement, _readers, unknown = killed_send
    client.force_login(reviewer)
    page = client.get(announcement.get_absolute_url()).content.decode()
    assert unknown[0].email not in page and "Send again to" not in page
    url = reverse("mailings:announcement_resend_unknown", args=[announcement.pk])
    assert client.post(url).status_code == 403
    assert mail.outbox == []


def test_one_click_resends_to_exactly_those_recipients_and_is_audited(
    client, editor, killed_send, django_capture_on_commit_callbacks
):
    announcement, _readers, unknown = killed_send
    client.force_login(editor)
    url = reverse("mailings:announcement_resend_unknown", args=[announcement.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert Counter(m.to[0] for m in mail.outbox) == Counter({r.email: 1 for r in unknown})
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {"sent": 6}
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    resend = AnnouncementSend.objects.filter(announcement=announcement, is_resend=True).get()
    assert (resend.status, resend.requested_by) == (AnnouncementSend.Status.DONE, editor)
    event = AuditEvent.objects.get(details__stage="resent to unknown")
    assert event.actor == editor and event.details["recipients"] == 2
    ids = sorted(Delivery.objects.filter(subscriber__in=unknown).values_list("pk", flat=True))
    assert event.details["deliveries"] == ids
    # Nothing unknown any more: a second click sends nothing and says so.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    assert mail.outbox == []
    assert "No recipient of this announcement has an unknown outcome." in again.content.decode()


def test_the_resend_needs_the_csrf_token(editor, killed_send):
    announcement, _readers, _unknown = killed_send
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse("mailings:announcement_resend_unknown", args=[announcement.pk])
    assert client.post(url).status_code == 403
    assert Delivery.objects.filter(status=Delivery.Status.UNKNOWN).count() == 2


def test_no_resend_while_the_send_is_still_running(editor, killed_send):
    from apps.core.exceptions import ApplicationError
    from apps.mailings.services import announcement_resend_unknown

    announcement, _readers, _unknown = killed_send
    AnnouncementSend.objects.create(announcement=announcement)  # a send waiting to run
    with mock.patch("apps.mailings.services.enqueue"), pytest.raises(ApplicationError):
        announcement_resend_unknown(announcement=announcement, by=editor)
    assert Delivery.objects.filter(status=Delivery.Status.UNKNOWN).count() == 2


def test_a_send_whose_job_failed_is_resumed_for_the_recipients_still_waiting(
    client, editor, django_capture_on_commit_callbacks
):
    readers = [make_subscriber() for _ in range(3)]
    announcement = make_announcement()
    with mock.patch("apps.mailings.services.enqueue"):
        announcement_send(announcement=announcement, by=editor)
    AnnouncementSend.objects.update(status="failed", error_message="Sending stopped.")
    client.force_login(editor)
    page = client.get(announcement.get_absolute_url()).content.decode()
    assert "Resume sending to the recipients still waiting" in page
    url = reverse("mailings:announcement_resend_unknown", args=[announcement.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert Counter(m.to[0] for m in mail.outbox) == Counter({r.email: 1 for r in readers})
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
