"""Confirmations that could not be queued (broker down at submit time) go out once later."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from apps.surveys.emails import confirmations_pending_ids
from apps.surveys.models import RespondentContact, Response
from apps.surveys.tasks import response_confirmations_send_pending

from .helpers import complete

pytestmark = pytest.mark.django_db


def _submitted_while_the_broker_was_down(client, survey, minutes_ago: int) -> RespondentContact:
    with mock.patch(
        "apps.surveys.tasks.response_confirmation_send.delay", side_effect=OSError("down")
    ):
        response, _ = complete(client, survey, {"follow_up": "yes"})
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return RespondentContact.objects.get(response=response)


def test_the_sweep_sends_a_missed_confirmation_exactly_once(client, survey):
    contact = _submitted_while_the_broker_was_down(client, survey, minutes_ago=5)
    assert not mail.outbox
    assert confirmations_pending_ids() == [contact.pk]
    assert response_confirmations_send_pending.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[contact.email]]
    # Running the sweep again sends nothing more.
    assert response_confirmations_send_pending.delay().get() == 0
    assert len(mail.outbox) == 1


def test_the_sweep_leaves_fresh_and_old_submissions_alone(client, survey):
    _submitted_while_the_broker_was_down(client, survey, minutes_ago=0)
    Client = type(client)
    _submitted_while_the_broker_was_down(Client(), survey, minutes_ago=60 * 24 * 3)
    assert confirmations_pending_ids() == []
    assert response_confirmations_send_pending.delay().get() == 0
    assert not mail.outbox
