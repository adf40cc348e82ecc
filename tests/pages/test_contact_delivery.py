"""Contact-message delivery through a real broker and a real Celery worker.

The worker tests need CELERY_BROKER_URL (CI's second pass points it at Redis); the
broker-outage test runs everywhere, against a port where nothing listens.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from apps.pages.models import ContactMessage

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "email": "lee@example.org",
    "topic": "survey",
    "message": "Can partner sites send the survey link to their staff?",
    "website": "",
}


@pytest.mark.celery_worker
def test_a_real_worker_emails_the_message_exactly_once(client, seeded, real_broker):
    with start_worker(real_broker, perform_ping_check=False, shutdown_timeout=10):
        response = client.post(reverse("pages:contact"), FORM)
        assert response.status_code == 302
        message = ContactMessage.objects.get()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == ContactMessage.Status.SENT:
                break
            time.sleep(0.2)
    assert message.status == ContactMessage.Status.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].reply_to == ["lee@example.org"]


def test_broker_down_the_message_is_stored_and_the_visitor_thanked(client, seeded, dead_broker):
    response = client.post(reverse("pages:contact"), FORM)
    assert response.status_code == 302
    assert response.url == reverse("pages:contact_thanks")
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.PENDING
    assert not mail.outbox
