"""Pledges to comment: made with one tap, confirmed through the updates list's double opt-in
(a Subscriber row holds the address; a signed link confirms both), and reminded by email the
day a comment window opens and the day before it closes.

Each reminder goes out at most once per pledge, notice and kind: a PledgeReminder row is
unique on the three and claimed (pending -> sending) before it is handed to the mail server.
Every function takes `now`, so the schedule is tested with fixed times.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from apps.core.jobs.outbox import claim_one
from apps.core.siteurl import absolute
from apps.mailings.emails import subscriber_links, unsubscribe_headers
from apps.mailings.models import SignupEmail, Subscriber
from apps.mailings.selectors import normalize_email
from apps.mailings.services import _may_email, signup_email_enqueue, subscriber_confirm
from apps.notices.selectors import EASTERN, notice_published_queryset, notice_status

from .models import Pledge, PledgeReminder

if TYPE_CHECKING:  # annotations only, not a runtime import (see .importlinter)
    from apps.notices.models import Notice

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


@transaction.atomic
def pledge_make(*, email: str, language: str, role: str, state: str) -> SignupEmail | None:
    """Record a pledge and queue its confirmation email after commit (throttled per address).

    A new address joins the updates list as pending, with no topics: it gets only what it
    pledged for until the person chooses more. A confirmed pledge is left as it is and nothing
    is sent (the visitor is told the same neutral thing in every case). Returns the queued
    email, or None.
    """
    email = normalize_email(email)
    now = timezone.now()
    subscriber, created = Subscriber.objects.get_or_create(
        email=email,
        defaults={"language": language, "key": secrets.token_hex(16)},
    )
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    pledge, pledge_created = Pledge.objects.get_or_create(
        subscriber=subscriber,
        defaults={"role": role[:50], "state": state[:2], "language": language[:5]},
    )
    confirmed = pledge.is_confirmed and subscriber.status == Subscriber.Status.CONFIRMED
    if confirmed:
        return None
    if not pledge_created:
        pledge.role, pledge.state, pledge.language = role[:50], state[:2], language[:5]
        pledge.full_clean(exclude=["subscriber"])
        pledge.save()
    if subscriber.status != Subscriber.Status.CONFIRMED and not created:
        subscriber.language = language
        subscriber.save(update_fields=["language", "updated_at"])
    if not created and not _may_email(subscriber, now):
        return None
    outgoing = SignupEmail.objects.create(subscriber=subscriber, kind=SignupEmail.Kind.PLEDGE)
    signup_email_enqueue(email_id=outgoing.pk)
    return outgoing


@transaction.atomic
def pledge_confirm(*, subscriber: Subscriber) -> Pledge | None:
    """Confirm the pledge and, with it, the address (the consent time is stored). Idempotent."""
    pledge = Pledge.objects.select_for_update().filter(subscriber=subscriber).first()
    if pledge is None:
        return None
    subscriber_confirm(subscriber=subscriber)
    if pledge.confirmed_at is None:
        pledge.confirmed_at = timezone.now()
        pledge.save(update_fields=["confirmed_at", "updated_at"])
    return pledge


# --- Reminders -----------------------------------------------------------------------------


def _active_pledges():
    return Pledge.objects.filter(
        confirmed_at__isnull=False, subscriber__status=Subscriber.Status.CONFIRMED
    )


def _create(notice: Notice, kind: str, status: str, pledges) -> None:
    ids = list(pledges.values_list("pk", flat=True))
    PledgeReminder.objects.bulk_create(
        [PledgeReminder(pledge_id=i, notice=notice, kind=kind, status=status) for i in ids],
        ignore_conflicts=True,
        batch_size=1000,
    )


def pledge_reminders_create_due(*, now: datetime) -> None:
    """Make the reminder rows that are due at `now` (each once: the triple is unique).

    - "opens": from the moment the window opens, to pledges confirmed before it opened;
    - "closing": from the day before the last day (Eastern Time), to every active pledge.
      An opening reminder not made by then is recorded as skipped: one email, not two.
    Nothing is made before MAILINGS_REMINDER_HOUR Eastern Time, except on the last day.
    """
    for notice in notice_published_queryset().filter(opens_at__lte=now, closes_at__gt=now):
        status = notice_status(notice, now)
        if not status.is_open:
            continue
        if status.days_left > 0 and now.astimezone(EASTERN).hour < settings.MAILINGS_REMINDER_HOUR:
            continue
        before_open = _active_pledges().filter(confirmed_at__lt=notice.opens_at)
        if status.days_left <= 1:
            _create(notice, PledgeReminder.Kind.OPENS, PledgeReminder.Status.SKIPPED, before_open)
            _create(
                notice,
                PledgeReminder.Kind.CLOSING,
                PledgeReminder.Status.PENDING,
                _active_pledges(),
            )
        else:
            _create(notice, PledgeReminder.Kind.OPENS, PledgeReminder.Status.PENDING, before_open)


def pledge_reminder_message(reminder: PledgeReminder, *, now: datetime) -> EmailMultiAlternatives:
    subscriber = reminder.pledge.subscriber
    notice = reminder.notice
    language = subscriber.language if subscriber.language in ("en", "es") else "en"
    links = subscriber_links(subscriber)
    with translation.override(language):
        status = notice_status(notice, now)
        context = {
            "site_name": settings.SITE_NAME,
            "kind": reminder.kind,
            "title": notice.tr("title"),
            "closes": date_format(status.closes_at_et, "DATETIME_FORMAT"),
            "days_left": status.days_left,
            "notice": notice,
            "builder_url": absolute(reverse("comments:builder")),
            "notice_url": absolute(notice.get_absolute_url()),
            **links,
        }
        subject = render_to_string("comments/email/pledge_reminder_subject.txt", context)
        body = render_to_string("comments/email/pledge_reminder.txt", context)
    return EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=body,
        to=[subscriber.email],
        headers=unsubscribe_headers(links["unsubscribe_url"]),
    )


def pledge_reminders_send_pending(*, now: datetime) -> dict[str, int]:
    """Send every pending reminder whose window is still open, each claimed first."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    pending = PledgeReminder.objects.filter(
        status=PledgeReminder.Status.PENDING, attempts__lt=MAX_ATTEMPTS
    )
    # The window closed, or the person left the list, before it went out: never send it.
    counts["skipped"] += pending.filter(
        Q(notice__closes_at__lte=now)
        | ~Q(pledge__subscriber__status=Subscriber.Status.CONFIRMED)
        | Q(notice__is_published=False)
    ).update(status=PledgeReminder.Status.SKIPPED)
    rows = list(pending.order_by("pk").values_list("pk", flat=True)[:2000])
    for reminder_id in rows:
        mine = PledgeReminder.objects.filter(pk=reminder_id)
        if not claim_one(
            PledgeReminder,
            reminder_id,
            claimable=Q(status=PledgeReminder.Status.PENDING),
            claimed_status=PledgeReminder.Status.SENDING,
            claimed_at=timezone.now(),
        ):
            continue  # another run took it
        reminder = PledgeReminder.objects.select_related("pledge__subscriber", "notice").get(
            pk=reminder_id
        )
        try:
            pledge_reminder_message(reminder, now=now).send()
        except Exception as exc:  # noqa: BLE001  (the mail server did not take it: retry later)
            give_up = reminder.attempts >= MAX_ATTEMPTS
            mine.update(
                status=PledgeReminder.Status.FAILED if give_up else PledgeReminder.Status.PENDING,
                last_error=str(exc)[:300],
            )
            counts["failed"] += 1
            logger.warning("Pledge reminder %s not sent: %s", reminder_id, exc)
            continue
        mine.update(status=PledgeReminder.Status.SENT, sent_at=timezone.now(), last_error="")
        counts["sent"] += 1
    return counts


def pledge_reminders_run(*, now: datetime) -> dict[str, int]:
    """What the beat runs: make the due rows, then send what is pending."""
    pledge_reminders_create_due(now=now)
    return pledge_reminders_send_pending(now=now)
