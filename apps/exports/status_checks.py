"""The staff status page's lines about export jobs (moved from apps.operations.builtin_checks
so that operations imports no feature app)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.operations.status import RECENT_DAYS, StatusItem, format_when, register

from .models import ExportJob


@register(order=20)
def export_jobs() -> list[StatusItem]:
    """Exports"""
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
            format_when(figures["last_done"]),
            "info",
        ),
    ]
