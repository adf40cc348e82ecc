"""The status page's checks that need no feature app's modules: the task queue, and the
announcements (read through the app registry, so the check stays away when mailings is not
installed). Each feature app adds its own in its `status_checks` module (exports, pages,
insights), so operations imports none of them."""

from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .queues import queue_depth
from .status import RECENT_DAYS, StatusItem, format_when, register

# Waiting tasks above this make the queue line a warning.
QUEUE_WARNING_DEPTH = 500


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
        StatusItem(_("Last announcement sent"), format_when(figures["last_sent"]), "info"),
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
