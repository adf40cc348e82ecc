"""Celery tasks of the dashboards."""

from celery import shared_task

from . import cube

# A full build at 1,000,000 responses takes about five minutes (292-324 s measured), the
# site-wide limit (CELERY_TASK_SOFT_TIME_LIMIT, 300 s): under it a build would be stopped,
# rolled back and started again by the next beat tick, for ever. The lock keeps a second
# worker out meanwhile (it steps aside at once).
FULL_BUILD_SOFT_LIMIT = 30 * 60


@shared_task(
    ignore_result=True,
    soft_time_limit=FULL_BUILD_SOFT_LIMIT,
    time_limit=FULL_BUILD_SOFT_LIMIT + 60,
)
def cube_refresh() -> bool:
    """Rebuild the pre-aggregated dashboard figures if the responses changed (every half
    minute from Celery beat, and queued by a dashboard that found them stale)."""
    return cube.refresh_if_stale()
