"""The status page's checks for the apps of this portal (others add theirs in their own
`status_checks` module)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .delivery import contact_delivery
from .queues import queue_depth
from .status import StatusItem, register

# Waiting tasks above this make the queue line a warning.
QUEUE_WARNING_DEPTH = 500
# Failed export jobs this recent are shown.
RECENT_DAYS = 7


def _when(value) -> str:
    if value is None:
        return _("never")
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


@register(order=10)
def task_queue() -> list[StatusItem]:
    """Task queue"""
    depth = queue_depth()
    label = _("Tasks waiting in the queue")
    if depth["mode"] == "eager":
        return [
            StatusItem(
                label,
                _("eager mode"),
                "info",
                _("No broker is configured: tasks run inside the web process."),
            )
        ]
    if depth["mode"] == "unreachable":
        return [StatusItem(label, "—", "problem", _("The task broker (Redis) does not answer."))]
    if depth["mode"] == "unknown":
        return [StatusItem(label, "—", "info", _("Queue depth is shown for Redis brokers only."))]
    waiting = depth["waiting"]
    return [
        StatusItem(
            label,
            str(waiting),
            "warning" if waiting > QUEUE_WARNING_DEPTH else "ok",
            ngettext(
                "%(n)d task taken by a worker and not yet finished.",
                "%(n)d tasks taken by workers and not yet finished.",
                depth["unacked"],
            )
            % {"n": depth["unacked"]},
        )
    ]


@register(order=20)
def export_jobs() -> list[StatusItem]:
    """Exports"""
    from apps.exports.models import ExportJob

    now = timezone.now()
    stale_at = now - timedelta(minutes=settings.EXPORT_STALE_MINUTES)
    figures = ExportJob.objects.aggregate(
        failed=Count(
            "pk", filter=Q(status="failed", finished_at__gte=now - timedelta(days=RECENT_DAYS))
        ),
        stuck=Count(
            "pk",
            filter=Q(status="running")
            & (
                Q(heartbeat_at__lt=stale_at) | Q(heartbeat_at__isnull=True, updated_at__lt=stale_at)
            ),
        ),
        waiting=Count("pk", filter=Q(status="pending", updated_at__lt=now - timedelta(minutes=2))),
        last_done=Max("finished_at", filter=Q(status="done")),
    )
    return [
        StatusItem(
            _("Failed exports (last 7 days)"),
            str(figures["failed"]),
            "warning" if figures["failed"] else "ok",
            _("Each failed export shows its reason on its page; the person can request it again."),
        ),
        StatusItem(
            _("Exports stalled or waiting"),
            str(figures["stuck"] + figures["waiting"]),
            "warning" if figures["stuck"] + figures["waiting"] else "ok",
            _("The sweep queues them again and gives up after three attempts."),
        ),
        StatusItem(
            _("Last successful export"),
            _when(figures["last_done"]),
            "info",
        ),
    ]


@register(order=30)
def emails_waiting() -> list[StatusItem]:
    """Emails waiting"""
    from apps.pages.models import ContactMessage
    from apps.surveys.emails import confirmations_pending_ids

    now = timezone.now()
    contact = ContactMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status__in=["pending", "sending"])),
        oldest=Count(
            "pk",
            filter=Q(status__in=["pending", "sending"], created_at__lt=now - timedelta(hours=1)),
        ),
    )
    confirmations = len(confirmations_pending_ids())
    delivery = contact_delivery(waiting=contact["pending"])
    recipients = (
        StatusItem(
            _("Contact message recipients"),
            _("none"),
            "problem",
            _(
                "Contact-form messages are stored but emailed to no one. Add addresses under "
                "Site settings in the admin, or set CONTACT_EMAIL_RECIPIENTS."
            ),
        )
        if delivery.undeliverable
        else StatusItem(_("Contact message recipients"), str(delivery.recipients), "ok")
    )
    return [
        recipients,
        StatusItem(
            _("Contact messages not yet emailed to staff"),
            str(contact["pending"]),
            "problem" if contact["oldest"] else ("warning" if contact["pending"] else "ok"),
            _("Messages waiting more than an hour mean email delivery is failing.")
            if contact["oldest"]
            else "",
        ),
        StatusItem(
            _("Survey confirmations waiting to be sent"),
            str(confirmations),
            "warning" if confirmations else "ok",
        ),
    ]


@register(order=40)
def announcements() -> list[StatusItem]:
    """Announcements"""
    from django.apps import apps

    if not apps.is_installed("apps.mailings"):
        return []
    Announcement = apps.get_model("mailings", "Announcement")  # noqa: N806
    Delivery = apps.get_model("mailings", "Delivery")  # noqa: N806
    now = timezone.now()
    figures = Announcement.objects.aggregate(
        last_sent=Max("finished_at", filter=Q(status="sent")),
        sending=Count("pk", filter=Q(status="sending")),
        quiet=Count(
            "pk",
            filter=Q(status="sending")
            & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - timedelta(minutes=10))),
        ),
    )
    troubled = Delivery.objects.filter(
        status__in=["failed", "unknown"],
        announcement__send_started_at__gte=now - timedelta(days=RECENT_DAYS),
    ).count()
    return [
        StatusItem(_("Last announcement sent"), _when(figures["last_sent"]), "info"),
        StatusItem(
            _("Announcements being sent"),
            str(figures["sending"]),
            "warning" if figures["quiet"] else "ok",
            _("A send with no sign of life for ten minutes is resumed by the sweep.")
            if figures["quiet"]
            else "",
        ),
        StatusItem(
            _("Announcement emails failed or uncertain (last 7 days)"),
            str(troubled),
            "warning" if troubled else "ok",
            _("Uncertain: the worker stopped while sending; such emails are not sent twice.")
            if troubled
            else "",
        ),
    ]
