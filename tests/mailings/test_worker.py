"""Announcement sending through a real broker and a real Celery worker.

Needs CELERY_BROKER_URL pointing at a real broker (CI's second pass: Redis); skipped otherwise.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.jobs.tasks import jobs_sweep
from apps.mailings.models import Announcement, AnnouncementSend, Delivery
from apps.mailings.services import delivery_claim_batch
from tests.factories import make_user

from .factories import make_announcement, make_subscriber

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def _wait_until_sent(announcement: Announcement, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        announcement.refresh_from_db()
        if announcement.status == Announcement.Status.SENT:
            return
        time.sleep(0.2)


def test_a_real_worker_sends_in_batches_each_reader_once(client, settings, real_broker):
    settings.MAILINGS_BATCH_SIZE = 4
    readers = [make_subscriber(language="es" if i % 3 == 0 else "en") for i in range(11)]
    editor = make_user(Role.EDITOR)
    announcement = make_announcement()
    client.force_login(editor)
    with start_worker(real_broker, perform_ping_check=False, shutdown_timeout=10):
        response = client.post(
            reverse("mailings:announcement_send", args=[announcement.pk]), {"checked": "on"}
        )
        assert response.status_code == 302
        _wait_until_sent(announcement)
    assert announcement.status == Announcement.Status.SENT
    assert Counter(m.to[0] for m in mail.outbox) == Counter({r.email: 1 for r in readers})


def test_a_real_worker_resumes_a_send_whose_worker_died_without_duplicates(real_broker):
    readers = [make_subscriber() for _ in range(9)]
    announcement = make_announcement()
    # The state a killed worker leaves behind: its send job running with a heartbeat an hour
    # old, two rows sent, one handed to the mail server but not marked (sending), a claimed
    # batch never started, and rows still pending.
    Delivery.objects.bulk_create(Delivery(announcement=announcement, subscriber=r) for r in readers)
    old = timezone.now() - timedelta(hours=1)
    Announcement.objects.filter(pk=announcement.pk).update(
        status=Announcement.Status.SENDING,
        send_started_at=old,
        heartbeat_at=old,
        recipient_count=9,
    )
    AnnouncementSend.objects.create(
        announcement=announcement,
        status=AnnouncementSend.Status.RUNNING,
        claimed_by="dead-worker",
        attempts=1,
        started_at=old,
        heartbeat_at=old,
    )
    first = Delivery.objects.order_by("pk")
    Delivery.objects.filter(pk__in=[d.pk for d in first[:2]]).update(
        status=Delivery.Status.SENT, sent_at=old
    )
    Delivery.objects.filter(pk=first[2].pk).update(
        status=Delivery.Status.SENDING, claim="dead", claimed_at=old
    )
    _claim, claimed = delivery_claim_batch(announcement_id=announcement.pk, size=3)
    Delivery.objects.filter(pk__in=claimed).update(claimed_at=old)
    already = {d.subscriber.email for d in first[:3]}

    with start_worker(real_broker, perform_ping_check=False, shutdown_timeout=10):
        jobs_sweep.delay()
        _wait_until_sent(announcement)
    assert announcement.status == Announcement.Status.SENT
    received = Counter(m.to[0] for m in mail.outbox)
    assert received == Counter({r.email: 1 for r in readers if r.email not in already})
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {"sent": 8, "unknown": 1}


def test_a_real_worker_links_to_the_address_the_send_was_started_from(settings, real_broker):
    """PORTAL_BASE_URL unset: the request's address travels with the task to the worker."""
    settings.PORTAL_BASE_URL = ""
    make_subscriber()
    announcement = make_announcement()
    staff = Client(HTTP_HOST="10.1.2.3:8002")
    staff.force_login(make_user(Role.EDITOR))
    with start_worker(real_broker, perform_ping_check=False, shutdown_timeout=10):
        response = staff.post(
            reverse("mailings:announcement_send", args=[announcement.pk]), {"checked": "on"}
        )
        assert response.status_code == 302
        _wait_until_sent(announcement)
    assert announcement.status == Announcement.Status.SENT
    assert "http://10.1.2.3:8002/updates/manage/" in mail.outbox[0].body
