import json
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from apps.pages.models import ContactMessage, SiteSettings
from apps.pages.services import contact_message_send, contact_messages_pending_ids
from apps.pages.tasks import contact_messages_send_pending

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Ana Pérez",
    "email": "ana@example.org",
    "organization": "Eastside Youth Club",
    "topic": "partner",
    "message": "We would like to join the workgroup and share our staff survey.",
    "website": "",
}


def _post(client, **overrides):
    return client.post(reverse("pages:contact"), {**GOOD, **overrides})


def test_good_message_is_stored_and_emailed_to_staff(
    client, seeded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client)
    assert response.status_code == 302
    assert response.url == reverse("pages:contact_thanks")
    message = ContactMessage.objects.get()
    assert message.email == "ana@example.org"
    assert message.language == "en"
    assert message.status == ContactMessage.Status.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["staff-inbox@example.org"]
    assert sent.reply_to == ["ana@example.org"]
    assert "share our staff survey" in sent.body


def test_recipients_set_by_staff_in_the_admin_win_over_the_setting(
    client, seeded, django_capture_on_commit_callbacks
):
    SiteSettings.objects.filter(pk=1).update(contact_recipients="a@example.org, b@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _post(client)
    assert mail.outbox[0].to == ["a@example.org", "b@example.org"]


def test_bad_input_gets_clear_messages_tied_to_fields_and_keeps_the_text(client, seeded):
    response = _post(client, email="not-an-email", message="short")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter an email address like name@example.org." in html
    assert "Please write at least a few words" in html
    assert 'aria-invalid="true"' in html
    assert "Eastside Youth Club" in html  # nothing typed is lost
    assert not ContactMessage.objects.exists()


def test_bad_input_message_is_in_spanish_for_spanish_visitors(spanish_client, seeded):
    response = _post(spanish_client, email="no")
    assert response.status_code == 400
    assert "Escriba una dirección de correo como nombre@ejemplo.org." in response.content.decode()


def test_oversize_message_is_refused_with_a_message_not_an_error(client, seeded):
    response = _post(client, message="x" * 5001)
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()


def test_unknown_topic_is_refused(client, seeded):
    assert _post(client, topic="<script>").status_code == 400


def test_bot_filling_the_honeypot_is_thanked_but_nothing_is_stored(client, seeded):
    response = _post(client, website="http://spam.example")
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()
    assert not mail.outbox


def test_rate_limit_keeps_the_typed_text_and_says_to_wait(client, seeded, settings):
    settings.CONTACT_RATE_LIMIT = "2/h"
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    response = _post(client, message="A third message that is over the limit.")
    assert response.status_code == 429
    html = response.content.decode()
    assert "A third message that is over the limit." in html
    assert "wait an hour" in html
    assert ContactMessage.objects.count() == 2


def test_broker_outage_still_stores_the_message_and_the_sweep_sends_it_later(
    client, seeded, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "apps.pages.tasks.contact_message_send.delay", side_effect=OSError("broker down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _post(client)
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.status == ContactMessage.Status.PENDING
    assert not mail.outbox
    ContactMessage.objects.filter(pk=message.pk).update(
        created_at=message.created_at.replace(year=message.created_at.year - 1)
    )
    assert contact_messages_pending_ids() == [message.pk]
    assert contact_messages_send_pending.apply().get() == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.SENT


def test_email_failure_leaves_the_message_pending_for_a_retry(seeded):
    message = ContactMessage.objects.create(
        email="a@example.org", topic="general", message="Hello there, friends.", language="en"
    )
    failing = mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("smtp down"))
    with failing, pytest.raises(OSError):
        contact_message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == ContactMessage.Status.PENDING
    assert message.attempts == 1
    assert "smtp down" in message.last_error
    assert contact_message_send(message_id=message.pk) is True
    assert len(mail.outbox) == 1


def test_sending_twice_emails_once(seeded):
    message = ContactMessage.objects.create(
        email="a@example.org", topic="general", message="Hello there, friends.", language="en"
    )
    assert contact_message_send(message_id=message.pk) is True
    assert contact_message_send(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_task_arguments_survive_json(seeded):
    assert json.loads(json.dumps({"message_id": 1})) == {"message_id": 1}


def test_get_with_unexpected_method_is_refused_politely(client, seeded):
    assert client.put(reverse("pages:contact")).status_code == 405
