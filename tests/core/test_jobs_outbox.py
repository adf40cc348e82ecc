"""Outbox row claims (apps/core/jobs/outbox.py): two workers never hold one row."""

import pytest
from django.db.models import Q

from apps.core.jobs.outbox import claim_batch, claim_one, release
from apps.mailings.models import Delivery, SignupEmail
from tests.mailings.factories import make_announcement, make_subscriber

pytestmark = pytest.mark.django_db


def _deliveries(n: int) -> int:
    announcement = make_announcement()
    Delivery.objects.bulk_create(
        Delivery(announcement=announcement, subscriber=make_subscriber()) for _ in range(n)
    )
    return announcement.pk


def test_two_batch_claims_take_different_rows_and_release_gives_back_only_untouched_ones():
    announcement_id = _deliveries(5)

    def pending():
        return Delivery.objects.filter(announcement_id=announcement_id, status="pending")

    first, mine = claim_batch(pending(), size=3, claimed_status="claimed")
    second, theirs = claim_batch(pending(), size=3, claimed_status="claimed")
    assert len(mine) == 3 and len(theirs) == 2 and not set(mine) & set(theirs)
    assert claim_batch(pending(), size=3, claimed_status="claimed")[1] == []
    Delivery.objects.filter(pk=mine[0]).update(status="sent")  # acted on: stays
    assert release(Delivery, first, claimed_status="claimed", to_status="pending") == 2
    assert set(pending().values_list("pk", flat=True)) == set(mine[1:])
    assert Delivery.objects.get(pk=mine[0]).status == "sent"


def test_one_row_is_claimed_once():
    subscriber = make_subscriber()
    email = SignupEmail.objects.create(subscriber=subscriber, kind="confirm")
    claimable = Q(status="pending")
    assert claim_one(SignupEmail, email.pk, claimable=claimable, claimed_status="sending")
    assert not claim_one(SignupEmail, email.pk, claimable=claimable, claimed_status="sending")
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sending", 1)
