"""Reads for email updates: address checks, subscriber counts, send progress."""

import re

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from .disposable import DISPOSABLE_DOMAINS
from .models import (
    TOPIC_FIELDS,
    Announcement,
    AnnouncementSend,
    Delivery,
    MailingSettings,
    Subscriber,
    Topic,
)
from .parsing import MAX_REMINDER_DAYS, parse_reminder_days  # noqa: F401  (re-exported)


def normalize_email(email: str) -> str:
    """One spelling per address: trimmed and lower case."""
    return (email or "").strip().lower()


def _split_domains(text: str) -> set[str]:
    return {part.strip().lower().lstrip("@") for part in re.split(r"[\s,;]+", text or "") if part}


def blocked_domains() -> set[str]:
    """The built-in (or configured) disposable domains plus those Editors added."""
    base = getattr(settings, "MAILINGS_DISPOSABLE_DOMAINS", None)
    domains = set(base) if base is not None else set(DISPOSABLE_DOMAINS)
    extra = MailingSettings.objects.filter(pk=1).values_list("blocked_domains", flat=True).first()
    return domains | _split_domains(extra or "")


def email_is_disposable(email: str) -> bool:
    """True when the address's domain, or a domain it is under, is on the blocked list."""
    domain = normalize_email(email).rpartition("@")[2]
    if not domain:
        return False
    parts = domain.split(".")
    candidates = {".".join(parts[i:]) for i in range(len(parts) - 1)}
    return bool(candidates & blocked_domains())


def reminder_days() -> list[int]:
    """Offsets (days before a comment window closes) at which reminders go out."""
    return parse_reminder_days(MailingSettings.load().reminder_days)


def subscriber_topic_counts() -> dict[str, int]:
    """Confirmed subscribers per topic, in one query."""
    aggregates = {
        topic.value: Count("pk", filter=Q(**{TOPIC_FIELDS[topic]: True})) for topic in Topic
    }
    row = Subscriber.objects.confirmed().aggregate(total=Count("pk"), **aggregates)
    return row


def announcement_list() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("created_by", "sent_by")


def announcement_progress(announcement: Announcement) -> dict:
    """Counts per delivery status and the share finished (sent, failed, unknown or skipped)."""
    counts = dict(
        Delivery.objects.filter(announcement=announcement)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    total = sum(counts.values())
    finished = sum(
        counts.get(s, 0)
        for s in (
            Delivery.Status.SENT,
            Delivery.Status.FAILED,
            Delivery.Status.UNKNOWN,
            Delivery.Status.SKIPPED,
        )
    )
    return {
        "total": total,
        "counts": {status: counts.get(status, 0) for status in Delivery.Status.values},
        "finished": finished,
        "percent": (finished * 100 // total) if total else (100 if announcement.finished_at else 0),
    }


def announcement_send_job(announcement: Announcement) -> AnnouncementSend | None:
    """The announcement's latest send job (its waiting notice or failure message)."""
    return AnnouncementSend.objects.filter(announcement=announcement).order_by("-pk").first()


def unknown_deliveries(announcement: Announcement, *, limit: int = 500) -> list[Delivery]:
    """Deliveries whose outcome is unknown (a worker died while handing them to the mail
    server), with their subscriber, for staff to see and resend to."""
    rows = Delivery.objects.filter(announcement=announcement, status=Delivery.Status.UNKNOWN)
    return list(rows.select_related("subscriber").order_by("id")[:limit])


def delivery_page(announcement: Announcement, *, status: str = "", page=1) -> Page:
    """One page of an announcement's per-recipient statuses, with the addresses."""
    rows = Delivery.objects.filter(announcement=announcement).select_related("subscriber")
    if status in Delivery.Status.values:
        rows = rows.filter(status=status)
    return Paginator(rows.order_by("id"), 50).get_page(page)


def mask_email(email: str) -> str:
    """a***@example.org: enough for a Reviewer to follow a send, not to copy the list."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
