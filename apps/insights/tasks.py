"""Celery tasks of the dashboards."""

from celery import shared_task

from . import cube


@shared_task(ignore_result=True)
def cube_refresh() -> bool:
    """Rebuild the pre-aggregated dashboard figures if the responses changed (every half
    minute from Celery beat, and queued by a dashboard that found them stale)."""
    return cube.refresh_if_stale()
