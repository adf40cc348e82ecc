"""Writes for email updates: sign-up with double opt-in, preferences, unsubscribe, and the
resumable batch sending of announcements.

Delivery guarantees for an announcement (see Delivery): each (announcement, subscriber) pair
is one row, so a recipient can be listed once only. A worker claims a batch of pending rows
with a claim id (pending -> claimed), then moves each row to `sending` just before handing it
to the mail server, and to `sent` right after. The batches run as a background job
(AnnouncementSend, apps/core/jobs): its heartbeat says the worker is alive. If the worker dies,
the job sweep takes the send over within two minutes and the new attempt first recovers the
rows (deliveries_recover):
- rows still `claimed` were never handed over: they go back to pending and are sent once
  (exactly once);
- a row left in `sending` may or may not have reached the server: it becomes `unknown` and
  is not sent again (at most once). Staff see those recipients listed on the announcement
  page and may resend to exactly them (announcement_resend_unknown).
A worker that was only slow loses its claim: every later write names the claim id (and the
job attempt), so it cannot send a row handed to someone else.
"""

import logging
import secrets
import smtplib
import time
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ApplicationError
from apps.core.jobs import JobContinue, enqueue, enqueue_task, send
from apps.core.jobs.outbox import claim_batch, claim_one, pending_or_stale, release
from apps.core.models import AuditEvent
from apps.core.services import audit_record

from .emails import (
    absolute,
    announcement_message,
    render_announcement,
    signup_message,
    subscriber_links,
)
from .models import (
    TOPIC_FIELDS,
    Announcement,
    AnnouncementSend,
    Delivery,
    SignupEmail,
    Subscriber,
    Topic,
)
from .selectors import normalize_email

logger = logging.getLogger(__name__)

ANNOUNCEMENT_NOT_DRAFT = _("This announcement has already been sent and can no longer change.")
ANNOUNCEMENT_NO_RECIPIENTS = _("No confirmed subscriber has chosen this topic yet.")
TEST_NO_EMAIL = _("Your account has no email address. Add one to your profile first.")
RESEND_NOTHING = _("No recipient of this announcement has an unknown outcome.")
RESEND_BUSY = _("This announcement is still being sent. Try again when it has finished.")
UNKNOWN_NOTE = "The worker stopped while sending; not sent again."

# The background job type that sends announcements (apps/mailings/jobs.py).
ANNOUNCEMENT_JOB = "announcements"
# Deliveries in these states are finished (the send's progress counts them).
FINAL_STATUSES = ["sent", "failed", "unknown", "skipped"]

# A sign-up email whose first, on-commit attempt never ran is sent by the sweep after this.
SWEEP_GRACE = timedelta(minutes=2)
# An email that failed this many times is given up.
MAX_ATTEMPTS = 3


def _stale_claim_before(now):
    return now - timedelta(minutes=settings.MAILINGS_STALE_CLAIM_MINUTES)


# --- Sign-up, confirmation, preferences ---------------------------------------------------


def _topic_values(topics) -> dict[str, bool]:
    chosen = {Topic(t) for t in topics}
    return {field: topic in chosen for topic, field in TOPIC_FIELDS.items()}


def _may_email(subscriber: Subscriber, now) -> bool:
    """Throttle: at most MAILINGS_SIGNUP_EMAILS_PER_DAY sign-up emails a day per address,
    at least MAILINGS_RESEND_MINUTES apart."""
    recent = SignupEmail.objects.filter(
        subscriber=subscriber, created_at__gte=now - timedelta(days=1)
    ).aggregate(n=Count("pk"), last=Max("created_at"))
    if recent["n"] >= settings.MAILINGS_SIGNUP_EMAILS_PER_DAY:
        return False
    last = recent["last"]
    return last is None or last < now - timedelta(minutes=settings.MAILINGS_RESEND_MINUTES)


@transaction.atomic
def subscriber_signup(*, email: str, language: str, topics: list[str]) -> SignupEmail | None:
    """Record a sign-up and queue at most one email after commit (throttled per address).

    A new or unconfirmed address gets a confirmation link; a confirmed one gets a link to its
    preferences and keeps its current choices (the form cannot change them without the
    link). Returns the queued email, or None when the throttle held it back. The visitor is
    told the same neutral thing in every case.
    """
    email = normalize_email(email)
    now = timezone.now()
    choices = {"language": language, **_topic_values(topics)}
    subscriber, created = Subscriber.objects.get_or_create(
        email=email, defaults={**choices, "key": secrets.token_hex(16)}
    )
    if not created:
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        kind = SignupEmail.Kind.MANAGE
    else:
        kind = SignupEmail.Kind.CONFIRM
        if not created:
            for field, value in choices.items():
                setattr(subscriber, field, value)
            subscriber.status = Subscriber.Status.PENDING
        subscriber.full_clean()
        subscriber.save()
    if not created and not _may_email(subscriber, now):
        return None
    outgoing = SignupEmail.objects.create(subscriber=subscriber, kind=kind)
    signup_email_enqueue(email_id=outgoing.pk)
    return outgoing


def signup_email_enqueue(*, email_id: int) -> None:
    """Send one sign-up email's task after commit (broker down: the row stays pending and
    the sweep, signup_emails_send_pending, sends it; no broker: sent at once)."""
    enqueue_task("apps.mailings.tasks.signup_email_send", email_id=email_id)


def _signup_claimable(now, *, pending_before=None):
    return pending_or_stale(
        pending=SignupEmail.Status.PENDING,
        claimed=SignupEmail.Status.SENDING,
        stale_before=_stale_claim_before(now),
        pending_before=pending_before,
    )


def signup_email_send(*, email_id: int) -> bool:
    """Send one sign-up email. Claimed first, so two workers never both send it. Returns True
    when this call sent it; on a delivery error the row goes back to pending (or failed after
    MAX_ATTEMPTS) and the error is raised for the task to retry."""
    now = timezone.now()
    if not claim_one(
        SignupEmail,
        email_id,
        claimable=_signup_claimable(now),
        claimed_status=SignupEmail.Status.SENDING,
        claimed_at=now,
    ):
        return False
    outgoing = SignupEmail.objects.select_related("subscriber").get(pk=email_id)
    try:
        signup_message(outgoing.subscriber, outgoing.kind).send()
    except Exception as exc:
        give_up = outgoing.attempts >= MAX_ATTEMPTS
        SignupEmail.objects.filter(pk=email_id).update(
            status=SignupEmail.Status.FAILED if give_up else SignupEmail.Status.PENDING,
            last_error=str(exc)[:300],
        )
        raise
    SignupEmail.objects.filter(pk=email_id).update(
        status=SignupEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def signup_emails_pending_ids() -> list[int]:
    """Sign-up emails the sweep should send: pending past the grace period, or stuck in a
    dead claim."""
    now = timezone.now()
    due = _signup_claimable(now, pending_before=now - SWEEP_GRACE)
    return list(SignupEmail.objects.filter(due).values_list("pk", flat=True)[:500])


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    """Confirm the address (the consent time is stored). Idempotent."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.consent_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "consent_at", "unsubscribed_at", "updated_at"])
    return subscriber


@transaction.atomic
def subscriber_update_preferences(
    *, subscriber: Subscriber, language: str, topics: list[str]
) -> Subscriber:
    """Change the language and topics of a subscriber reached through a signed link."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.language = language
    for field, value in _topic_values(topics).items():
        setattr(subscriber, field, value)
    subscriber.full_clean()
    subscriber.save()
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every email to this address at once, including waiting deliveries. Idempotent."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED
    )
    SignupEmail.objects.filter(subscriber=subscriber, status=SignupEmail.Status.PENDING).update(
        status=SignupEmail.Status.FAILED, last_error="unsubscribed"
    )
    return subscriber


# --- Announcements -------------------------------------------------------------------------

ANNOUNCEMENT_FIELDS = ("topic", "subject_en", "subject_es", "body_en", "body_es")


@transaction.atomic
def announcement_save(
    *, data: dict, by, announcement: Announcement | None = None, request=None
) -> Announcement:
    """Create an announcement, or change a draft. Audited."""
    created = announcement is None
    if created:
        announcement = Announcement(created_by=by)
    else:
        announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not announcement.is_draft:
            raise ApplicationError(ANNOUNCEMENT_NOT_DRAFT)
    for field in ANNOUNCEMENT_FIELDS:
        setattr(announcement, field, data[field])
    announcement.full_clean()
    announcement.save()
    audit_record(
        action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
        actor=by,
        target=announcement,
        details={"topic": announcement.topic},
        request=request,
    )
    return announcement


def announcement_test_request(*, announcement: Announcement, by, request=None) -> None:
    """Queue a test of both languages to the Editor's own address (after commit). Audited."""
    if not by.email:
        raise ApplicationError(TEST_NO_EMAIL)
    audit_record(
        action=AuditEvent.Action.CHANGED,
        actor=by,
        target=announcement,
        details={"stage": "test sent", "to": by.email},
        request=request,
    )
    # Broker down: a test is not worth an error page (logged; the Editor can ask again).
    enqueue_task(
        "apps.mailings.tasks.announcement_test_send",
        announcement_id=announcement.pk,
        user_id=by.pk,
    )


def announcement_test_send(*, announcement_id: int, user_id: int) -> int:
    """Send the test emails (English, then Spanish) to one staff member. Returns how many."""
    from django.contrib.auth import get_user_model

    announcement = Announcement.objects.get(pk=announcement_id)
    user = get_user_model().objects.get(pk=user_id)
    signup = absolute("/updates/")
    messages = [
        announcement_message(
            render_announcement(announcement, language),
            to=user.email,
            manage_url=signup,
            unsubscribe_url=signup,
            headers=False,
            subject_prefix=f"[TEST {language.upper()}] ",
        )
        for language in ("en", "es")
    ]
    return get_connection().send_messages(messages) or 0


@transaction.atomic
def announcement_send(*, announcement: Announcement, by, request=None) -> Announcement:
    """Start sending to the topic's confirmed subscribers: one Delivery row per recipient,
    made here so the list is fixed at this moment; the batches run in Celery after commit."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not announcement.is_draft:
        raise ApplicationError(ANNOUNCEMENT_NOT_DRAFT)
    count = _create_deliveries(announcement)
    if count == 0 and announcement.kind == Announcement.Kind.MANUAL:
        raise ApplicationError(ANNOUNCEMENT_NO_RECIPIENTS)
    now = timezone.now()
    announcement.status = Announcement.Status.SENDING if count else Announcement.Status.SENT
    announcement.sent_by = by if getattr(by, "is_authenticated", False) else None
    announcement.send_started_at = now
    announcement.heartbeat_at = now
    announcement.finished_at = None if count else now
    announcement.recipient_count = count
    announcement.save()
    audit_record(
        action=AuditEvent.Action.PUBLISHED,
        actor=by,
        actor_label="" if by is not None else "reminder (automatic)",
        target=announcement,
        details={"topic": announcement.topic, "recipients": count},
        request=request,
    )
    if count:
        job = AnnouncementSend.objects.create(
            announcement=announcement, requested_by=announcement.sent_by
        )
        # Broker down: the job stays pending and the job sweep sends it a minute later.
        enqueue(ANNOUNCEMENT_JOB, job.pk)
    return announcement


def _create_deliveries(announcement: Announcement) -> int:
    recipients = Subscriber.objects.for_topic(announcement.topic).order_by("pk")
    batch: list[Delivery] = []
    for subscriber_id in recipients.values_list("pk", flat=True).iterator(chunk_size=2000):
        batch.append(Delivery(announcement=announcement, subscriber_id=subscriber_id))
        if len(batch) >= 1000:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    return Delivery.objects.filter(announcement=announcement).count()


def _queue_delivery(announcement_id: int) -> bool:
    """Hand the announcement's send job to a worker (broker down: the job stays pending and
    the job sweep sends it a minute later)."""
    job = (
        AnnouncementSend.objects.filter(
            announcement_id=announcement_id,
            status__in=[AnnouncementSend.Status.PENDING, AnnouncementSend.Status.RUNNING],
        )
        .order_by("-pk")
        .first()
    )
    if job is None:
        return False
    return send(ANNOUNCEMENT_JOB, job.pk)


def delivery_claim_batch(*, announcement_id: int, size: int) -> tuple[str, list[int]]:
    """Claim up to `size` pending deliveries for this worker. Returns the claim id and the
    claimed row ids (two workers never claim one row: apps/core/jobs/outbox.py)."""
    return claim_batch(
        Delivery.objects.filter(announcement_id=announcement_id, status=Delivery.Status.PENDING),
        size=size,
        claimed_status=Delivery.Status.CLAIMED,
    )


def deliveries_recover(*, announcement_id: int) -> dict[str, int]:
    """Called when an attempt takes the send over (the earlier attempt is dead or was given
    up): rows it claimed but never handed over go back to pending (they will be sent once);
    rows it was handing to the mail server become `unknown` and are not sent again (at most
    once); staff see them listed and may resend to exactly those."""
    rows = Delivery.objects.filter(announcement_id=announcement_id)
    released = rows.filter(status=Delivery.Status.CLAIMED).update(
        status=Delivery.Status.PENDING, claim="", claimed_at=None
    )
    unknown = rows.filter(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.UNKNOWN, last_error=UNKNOWN_NOTE
    )
    return {"released": released, "unknown": unknown}


def _release(claim: str) -> int:
    """Give this worker's claimed but untouched rows back (they were never sent)."""
    return release(
        Delivery, claim, claimed_status=Delivery.Status.CLAIMED, to_status=Delivery.Status.PENDING
    )


def delivery_send_claimed(*, announcement: Announcement, claim: str, connection=None) -> dict:
    """Send the rows this worker claimed, one by one: claimed -> sending -> sent/failed."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    rendered = {}
    field = TOPIC_FIELDS[Topic(announcement.topic)]
    rows = (
        Delivery.objects.filter(claim=claim, status=Delivery.Status.CLAIMED)
        .select_related("subscriber")
        .order_by("pk")
    )
    connection = connection or get_connection()
    for delivery in rows:
        subscriber = delivery.subscriber
        mine = Delivery.objects.filter(pk=delivery.pk, claim=claim)
        if subscriber.status != Subscriber.Status.CONFIRMED or not getattr(subscriber, field):
            counts["skipped"] += mine.filter(status=Delivery.Status.CLAIMED).update(
                status=Delivery.Status.SKIPPED
            )
            continue
        if not mine.filter(status=Delivery.Status.CLAIMED).update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        ):
            continue  # the sweep took it back from this (slow) worker
        language = subscriber.language if subscriber.language in ("en", "es") else "en"
        if language not in rendered:
            rendered[language] = render_announcement(announcement, language)
        message = announcement_message(
            rendered[language], to=subscriber.email, **subscriber_links(subscriber)
        )
        try:
            connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            counts["failed"] += mine.update(
                status=Delivery.Status.FAILED, last_error=str(exc)[:300]
            )
            continue
        except SoftTimeLimitExceeded:
            raise  # the row stays `sending`: it may have gone out, so never again
        except Exception as exc:
            # The server did not take it (connection refused or dropped): try later, or give up.
            give_up = delivery.attempts + 1 >= MAX_ATTEMPTS
            mine.filter(status=Delivery.Status.SENDING).update(
                status=Delivery.Status.FAILED if give_up else Delivery.Status.PENDING,
                claim="" if not give_up else claim,
                last_error=str(exc)[:300],
            )
            _release(claim)
            raise
        mine.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.UNKNOWN]).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
        )
        counts["sent"] += 1
    return counts


def announcement_deliver(
    *, announcement_id: int, budget_seconds: float | None = None, attempt=None
) -> dict:
    """Send an announcement in batches of MAILINGS_BATCH_SIZE until none is pending, then mark
    it sent. Run by the send job (`attempt`: each batch reports progress, which writes the
    heartbeat and stops a worker whose job was taken over). After `budget_seconds` a fresh
    task goes on, so one task stays under the worker's time limit. Safe to run twice or in
    parallel (rows are claimed)."""
    budget = settings.MAILINGS_TASK_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    started = time.monotonic()
    totals = {"sent": 0, "failed": 0, "skipped": 0}
    sending = Announcement.objects.filter(pk=announcement_id, status=Announcement.Status.SENDING)
    announcement = sending.first()
    if announcement is None:
        return totals
    connection = get_connection()
    try:
        while True:
            sending.update(heartbeat_at=timezone.now())
            if attempt is not None:
                attempt.progress(_percent_done(announcement_id))
            claim, ids = delivery_claim_batch(
                announcement_id=announcement_id, size=settings.MAILINGS_BATCH_SIZE
            )
            if not ids:
                break
            try:
                counts = delivery_send_claimed(
                    announcement=announcement, claim=claim, connection=connection
                )
            finally:
                _release(claim)
            for key, value in counts.items():
                totals[key] += value
            if time.monotonic() - started > budget:
                if attempt is not None:
                    raise JobContinue
                _queue_delivery(announcement_id)
                return totals
    finally:
        connection.close()
    announcement_finish_if_done(announcement_id=announcement_id)
    return totals


def _percent_done(announcement_id: int) -> int:
    counts = Delivery.objects.filter(announcement_id=announcement_id).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=FINAL_STATUSES)),
    )
    return counts["done"] * 100 // counts["total"] if counts["total"] else 0


def announcement_finish_if_done(*, announcement_id: int) -> bool:
    """Mark the announcement sent when no row is waiting, claimed or being sent."""
    busy = Delivery.objects.filter(
        announcement_id=announcement_id,
        status__in=[Delivery.Status.PENDING, Delivery.Status.CLAIMED, Delivery.Status.SENDING],
    ).exists()
    if busy:
        return False
    now = timezone.now()
    return bool(
        Announcement.objects.filter(pk=announcement_id, status=Announcement.Status.SENDING).update(
            status=Announcement.Status.SENT, finished_at=now, heartbeat_at=now
        )
    )


@transaction.atomic
def announcement_resend_unknown(*, announcement: Announcement, by, request=None) -> int:
    """Send again to exactly the recipients whose delivery outcome is unknown (a worker died
    while handing their message to the mail server). They may get a second copy; staff
    decide. If the send's job had failed, the recipients still waiting go too. Audited with
    the deliveries' ids. Returns how many unknown recipients are queued again."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_draft:
        raise ApplicationError(RESEND_NOTHING)
    busy = AnnouncementSend.objects.filter(
        announcement=announcement,
        status__in=[AnnouncementSend.Status.PENDING, AnnouncementSend.Status.RUNNING],
    ).exists()
    if busy:
        raise ApplicationError(RESEND_BUSY)
    unknown = Delivery.objects.filter(announcement=announcement, status=Delivery.Status.UNKNOWN)
    ids = sorted(unknown.values_list("pk", flat=True))
    # A send whose job failed (given up) also goes on with the recipients still waiting.
    waiting = Delivery.objects.filter(
        announcement=announcement, status=Delivery.Status.PENDING
    ).exists()
    if not ids and not waiting:
        raise ApplicationError(RESEND_NOTHING)
    unknown.filter(pk__in=ids).update(status=Delivery.Status.PENDING, claim="", claimed_at=None)
    now = timezone.now()
    Announcement.objects.filter(pk=announcement.pk).update(
        status=Announcement.Status.SENDING, finished_at=None, heartbeat_at=now, updated_at=now
    )
    job = AnnouncementSend.objects.create(
        announcement=announcement,
        requested_by=by if getattr(by, "is_authenticated", False) else None,
        is_resend=True,
    )
    audit_record(
        action=AuditEvent.Action.PUBLISHED,
        actor=by,
        target=announcement,
        details={"stage": "resent to unknown", "deliveries": ids, "recipients": len(ids)},
        request=request,
    )
    enqueue(ANNOUNCEMENT_JOB, job.pk)
    return len(ids)


# --- Reminders -----------------------------------------------------------------------------


def reminders_send_due(*, now=None) -> list[int]:
    """Start the deadline reminders that are due (beat). Returns the new announcements' ids.

    For each published notice whose window is open, the offsets (days before closing, on the
    Eastern calendar) already reached are due. Only the shortest due offset is sent; longer
    ones that were missed are recorded as skipped, so nobody gets two reminders at once. A
    Reminder row per (notice, offset) is unique: each goes out once, however often this runs.
    Nothing goes out before MAILINGS_REMINDER_HOUR Eastern Time except on the last day.
    """
    from apps.notices.selectors import EASTERN, notice_published_queryset, notice_status

    from .models import Reminder
    from .reminders import reminder_texts
    from .selectors import reminder_days

    offsets = reminder_days()
    now = now or timezone.now()
    started: list[int] = []
    if not offsets:
        return started
    notices = notice_published_queryset().filter(opens_at__lte=now, closes_at__gt=now)
    for notice in notices:
        status = notice_status(notice, now)
        if not status.is_open:
            continue
        due = [days for days in offsets if status.days_left <= days]
        if not due:
            continue
        if status.days_left > 0 and now.astimezone(EASTERN).hour < settings.MAILINGS_REMINDER_HOUR:
            continue
        target = min(due)
        try:
            with transaction.atomic():
                for days in due:
                    if days != target:
                        Reminder.objects.get_or_create(
                            notice=notice, days_before=days, defaults={"is_skipped": True}
                        )
                reminder = Reminder.objects.create(notice=notice, days_before=target)
                texts = reminder_texts(notice, status)
                announcement = Announcement.objects.create(
                    kind=Announcement.Kind.REMINDER, topic=Topic.COMMENT_WINDOW, **texts
                )
                reminder.announcement = announcement
                reminder.save(update_fields=["announcement", "updated_at"])
                announcement_send(announcement=announcement, by=None)
        except IntegrityError:
            continue  # this offset was already sent (or another beat run just took it)
        started.append(announcement.pk)
    return started
