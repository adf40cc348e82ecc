"""Announcements: batches, per-recipient status, and resuming after a worker dies mid-send."""

import json
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.core.jobs import job_type, run, sweep
from apps.core.models import AuditEvent
from apps.mailings import services
from apps.mailings.models import Announcement, AnnouncementSend, Delivery, Subscriber
from apps.mailings.services import (
    announcement_deliver,
    announcement_send,
    delivery_claim_batch,
    delivery_send_claimed,
    subscriber_unsubscribe,
)

from .factories import make_announcement, make_subscriber

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Stands for the process being killed: not an Exception, so nothing catches it."""


def _recipients() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def _dead_worker_holds(announcement, *, seconds_silent: int = 0) -> AnnouncementSend:
    """The send job as a worker left it: running, claimed by that worker, its last heartbeat
    `seconds_silent` ago."""
    job = AnnouncementSend.objects.get(announcement=announcement)
    AnnouncementSend.objects.filter(pk=job.pk).update(
        status=AnnouncementSend.Status.RUNNING,
        claimed_by="dead-worker",
        attempts=1,
        started_at=timezone.now() - timedelta(seconds=seconds_silent),
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_silent),
    )
    return job


def _silent_for(job, seconds: int) -> None:
    AnnouncementSend.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds)
    )


def _sweep() -> dict:
    return sweep(job_type("announcements"))


@pytest.fixture
def readers(db):
    """Ten confirmed readers of survey news (3 in Spanish) and a few who must get nothing."""
    people = [make_subscriber(language="es" if i < 3 else "en") for i in range(10)]
    make_subscriber(status=Subscriber.Status.PENDING, consent_at=None)
    make_subscriber(status=Subscriber.Status.UNSUBSCRIBED, consent_at=None)
    make_subscriber(wants_survey_news=False)
    return people


def _start(announcement, by=None):
    """Start a send without running the on-commit task (tests drive the batches)."""
    with mock.patch("apps.mailings.services.enqueue"):
        return announcement_send(announcement=announcement, by=by)


def test_send_reaches_each_confirmed_reader_of_the_topic_once_in_their_language(
    readers, editor, django_capture_on_commit_callbacks, settings
):
    settings.MAILINGS_BATCH_SIZE = 3
    announcement = make_announcement()
    with django_capture_on_commit_callbacks(execute=True):
        announcement_send(announcement=announcement, by=editor)
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert announcement.recipient_count == 10
    assert _recipients() == Counter({r.email: 1 for r in readers})
    by_address = {m.to[0]: m for m in mail.outbox}
    spanish = by_address[readers[0].email]
    english = by_address[readers[5].email]
    assert spanish.subject == "La encuesta está abierta"
    assert english.subject == "The survey is open"
    html, mime = spanish.alternatives[0]
    assert mime == "text/html"
    assert "<strong>su trabajo</strong>" in html
    assert 'lang="es"' in html
    assert "**your work**" in english.body  # the plain-text alternative
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    event = AuditEvent.objects.get(action=AuditEvent.Action.PUBLISHED)
    assert event.actor == editor and event.details["recipients"] == 10


def test_every_announcement_email_has_working_unsubscribe_headers_and_links(readers, client):
    announcement = make_announcement()
    _start(announcement)
    announcement_deliver(announcement_id=announcement.pk)
    for message in mail.outbox:
        header = message.extra_headers["List-Unsubscribe"]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = header.strip("<>")
        assert url in message.body and url in message.alternatives[0][0]
        assert "/updates/manage/" in message.body
    message = mail.outbox[0]
    path = message.extra_headers["List-Unsubscribe"].strip("<>").split("8000", 1)[1]
    assert (
        client.post(
            path,
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 200
    )
    assert Subscriber.objects.get(email=message.to[0]).status == Subscriber.Status.UNSUBSCRIBED


def test_markdown_is_sanitized_in_the_email(readers):
    announcement = make_announcement(
        body_en="Hi <script>alert(1)</script> [x](javascript:alert(1))"
    )
    _start(announcement)
    announcement_deliver(announcement_id=announcement.pk)
    html = next(m for m in mail.outbox if m.to[0] == readers[5].email).alternatives[0][0]
    assert "<script>" not in html and "javascript:" not in html


def test_a_sent_announcement_cannot_be_sent_or_changed_again(readers, editor):
    announcement = make_announcement()
    _start(announcement, by=editor)
    with pytest.raises(ApplicationError):
        _start(announcement, by=editor)
    with pytest.raises(ApplicationError):
        services.announcement_save(
            data=dict.fromkeys(services.ANNOUNCEMENT_FIELDS, "x") | {"topic": "survey_news"},
            by=editor,
            announcement=announcement,
        )
    assert Delivery.objects.count() == 10


def test_no_recipients_is_refused_with_a_message(editor):
    with pytest.raises(ApplicationError) as exc:
        _start(make_announcement(topic="proposal_drafts"), by=editor)
    assert "No confirmed subscriber" in str(exc.value)


def test_unsubscribing_during_a_send_stops_the_waiting_email(readers):
    announcement = make_announcement()
    _start(announcement)
    subscriber_unsubscribe(subscriber=readers[4])
    announcement_deliver(announcement_id=announcement.pk)
    assert readers[4].email not in _recipients()
    assert Delivery.objects.get(subscriber=readers[4]).status == Delivery.Status.SKIPPED
    assert len(mail.outbox) == 9


def test_worker_dying_between_claim_and_send_resumes_without_duplicates(readers, settings):
    """The crash falls after a batch was claimed and before anything was handed over."""
    settings.MAILINGS_BATCH_SIZE = 4
    settings.JOBS_STALE_SECONDS = 60
    announcement = make_announcement()
    _start(announcement)
    job = _dead_worker_holds(announcement)
    claim, ids = delivery_claim_batch(announcement_id=announcement.pk, size=4)
    assert len(ids) == 4
    # ... the worker dies here. Too early: its heartbeat is 20 s old, the sweep waits.
    _silent_for(job, 20)
    assert _sweep() == {"requeued": 0, "failed": 0}
    assert Delivery.objects.filter(status=Delivery.Status.CLAIMED).count() == 4
    assert mail.outbox == []
    # A minute without a heartbeat: the sweep takes the send over; the new attempt gives the
    # claimed rows back (never handed over) and sends everyone exactly once.
    _silent_for(job, 61)
    assert _sweep() == {"requeued": 1, "failed": 0}
    assert _recipients() == Counter({r.email: 1 for r in readers})  # exactly once each
    announcement.refresh_from_db()
    job.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert (job.status, job.attempts) == (AnnouncementSend.Status.DONE, 2)


def test_worker_dying_inside_a_batch_sends_nobody_a_second_copy(readers, settings):
    """The crash falls in the middle of a batch: after the server took the 3rd message but
    before the row said so. That one is `unknown` and never resent; the rest are sent once."""
    settings.MAILINGS_BATCH_SIZE = 5
    announcement = make_announcement()
    _start(announcement)
    handed_over = []

    class DyingConnection:
        def send_messages(self, messages):
            mail.outbox.extend(messages)
            handed_over.extend(m.to[0] for m in messages)
            if len(handed_over) == 3:
                raise WorkerDied
            return len(messages)

        def close(self):
            pass

    job = AnnouncementSend.objects.get(announcement=announcement)
    with (
        mock.patch("apps.mailings.services.get_connection", return_value=DyingConnection()),
        pytest.raises(WorkerDied),
    ):
        run("announcements", job.pk)
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    # The two claimed rows not yet tried went back on the way out (a `finally`; after a hard
    # kill they stay claimed and the next attempt releases them, see the test above).
    assert statuses == {"sent": 2, "sending": 1, "pending": 7}
    job.refresh_from_db()
    assert job.status == AnnouncementSend.Status.RUNNING  # the dead attempt still holds it
    _silent_for(job, 120)
    assert _sweep() == {"requeued": 1, "failed": 0}
    received = _recipients()
    assert max(received.values()) == 1  # nobody twice
    assert len(received) == 10  # everyone once (the unknown one got it before the crash)
    unknown = Delivery.objects.get(status=Delivery.Status.UNKNOWN)
    assert unknown.subscriber.email == handed_over[2]
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT


def test_a_slow_worker_that_lost_its_claim_does_not_send(readers):
    announcement = make_announcement()
    _start(announcement)
    job = _dead_worker_holds(announcement)
    claim, ids = delivery_claim_batch(announcement_id=announcement.pk, size=3)
    _silent_for(job, 300)
    _sweep()  # takes the send over: the three rows go back and another attempt sends them
    assert len(mail.outbox) == 10
    # The slow worker wakes up and carries on with its old claim: nothing is sent twice.
    result = delivery_send_claimed(announcement=announcement, claim=claim)
    assert result == {"sent": 0, "failed": 0, "skipped": 0}
    assert len(mail.outbox) == 10


def test_a_refused_recipient_fails_and_the_others_go_on(readers):
    import smtplib

    announcement = make_announcement()
    _start(announcement)
    bad = readers[6].email
    original = mail.get_connection

    class Picky:
        def __init__(self):
            self.inner = original()

        def send_messages(self, messages):
            if messages[0].to[0] == bad:
                raise smtplib.SMTPRecipientsRefused({bad: (550, b"no such user")})
            return self.inner.send_messages(messages)

        def close(self):
            pass

    with mock.patch("apps.mailings.services.get_connection", return_value=Picky()):
        announcement_deliver(announcement_id=announcement.pk)
    assert len(mail.outbox) == 9
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.subscriber.email == bad and "no such user" in failed.last_error
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT


def test_a_mail_server_outage_puts_the_row_back_and_the_task_retries(readers):
    announcement = make_announcement()
    _start(announcement)
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=ConnectionRefusedError("smtp down"),
        ),
        pytest.raises(ConnectionRefusedError),
    ):
        announcement_deliver(announcement_id=announcement.pk)
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {"pending": 10}
    assert Delivery.objects.filter(attempts=1).count() == 1
    announcement_deliver(announcement_id=announcement.pk)
    assert _recipients() == Counter({r.email: 1 for r in readers})


def test_sending_twice_in_parallel_is_harmless(readers, settings):
    settings.MAILINGS_BATCH_SIZE = 2
    announcement = make_announcement()
    _start(announcement)
    announcement_deliver(announcement_id=announcement.pk, budget_seconds=0)
    announcement_deliver(announcement_id=announcement.pk)
    announcement_deliver(announcement_id=announcement.pk)
    assert _recipients() == Counter({r.email: 1 for r in readers})


def test_delivery_rows_are_unique_per_announcement_and_subscriber(readers):
    from django.db import IntegrityError, transaction

    announcement = make_announcement()
    _start(announcement)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(announcement=announcement, subscriber=readers[0])


def test_task_arguments_survive_json():
    payload = {"announcement_id": 3, "user_id": 4, "email_id": 5}
    assert json.loads(json.dumps(payload)) == payload


# --- Staff pages ----------------------------------------------------------------------------

FORM = {
    "topic": "survey_news",
    "subject_en": "Survey results are out",
    "subject_es": "Ya están los resultados",
    "body_en": "Read the **summary**. <script>alert(1)</script>",
    "body_es": "Lea el **resumen**.",
}


def test_editor_writes_previews_tests_and_sends(
    client, editor, readers, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    response = client.post(reverse("mailings:announcement_create"), FORM)
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    page = client.get(response.url).content.decode()
    assert "<strong>summary</strong>" in page and "<strong>resumen</strong>" in page
    assert "<script>alert" not in page
    assert "10 confirmed subscribers" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mailings:announcement_test", args=[announcement.pk]))
    assert [m.to for m in mail.outbox] == [[editor.email], [editor.email]]
    assert mail.outbox[0].subject.startswith("[TEST EN]")
    assert mail.outbox[1].subject == "[TEST ES] Ya están los resultados"
    mail.outbox.clear()
    refused = client.post(reverse("mailings:announcement_send", args=[announcement.pk]), {})
    assert refused.status_code == 400
    assert "Please confirm that you checked the preview." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("mailings:announcement_send", args=[announcement.pk]), {"checked": "on"}
        )
    assert sent.status_code == 302
    assert len(mail.outbox) == 10
    status = client.get(reverse("mailings:announcement_status", args=[announcement.pk])).json()
    assert status["percent"] == 100 and status["is_finished"] is True
    assert status["counts"]["sent"] == 10
    detail = client.get(announcement.get_absolute_url()).content.decode()
    assert readers[0].email in detail
    edit = client.get(reverse("mailings:announcement_edit", args=[announcement.pk]))
    assert edit.status_code == 302  # no editing once sent


def test_reviewer_sees_the_send_with_masked_addresses(client, reviewer, readers):
    announcement = make_announcement()
    _start(announcement)
    client.force_login(reviewer)
    page = client.get(announcement.get_absolute_url()).content.decode()
    assert readers[0].email not in page
    assert readers[0].email[:1] + "***@example.org" in page


def test_announcement_page_queries_do_not_grow_with_recipients(
    client, editor, django_assert_max_num_queries
):
    announcement = make_announcement()
    for _ in range(3):
        make_subscriber()
    _start(announcement)
    client.force_login(editor)
    client.get(announcement.get_absolute_url())  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(announcement.get_absolute_url())
    for _ in range(40):
        make_subscriber()
    Delivery.objects.bulk_create(
        Delivery(announcement=announcement, subscriber=s)
        for s in Subscriber.objects.exclude(pk__in=Delivery.objects.values("subscriber"))
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(announcement.get_absolute_url())


def test_bad_announcement_input_keeps_the_text(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("mailings:announcement_create"), {**FORM, "subject_es": "", "topic": "nope"}
    )
    assert response.status_code == 400
    assert "Survey results are out" in response.content.decode()
    assert not Announcement.objects.exists()


def test_staff_list_queries_do_not_grow_with_announcements(
    client, reviewer, django_assert_max_num_queries
):
    client.force_login(reviewer)
    make_announcement()
    client.get(reverse("mailings:staff_list"))  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("mailings:staff_list"))
    for _ in range(15):
        make_announcement()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("mailings:staff_list")).status_code == 200


def test_the_spanish_footer_of_an_announcement_is_in_spanish(readers):
    announcement = make_announcement()
    _start(announcement)
    announcement_deliver(announcement_id=announcement.pk)
    spanish = next(m for m in mail.outbox if m.to[0] == readers[0].email)
    assert "Darse de baja:" in spanish.body
    assert "Cambiar sus temas o idioma" in spanish.alternatives[0][0]
