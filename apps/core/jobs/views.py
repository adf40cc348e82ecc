"""The one status view of background jobs: what static/js/jobs.js polls."""

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers


def job_status(**fields) -> JsonResponse:
    """A job page's status as JSON (never cached). Keys jobs.js reads: status, status_label,
    progress (0-100), summary, is_finished, message (shown while pending or when failed),
    download_url, and optionally counts ({key: n} for [data-job-count=key])."""
    response = JsonResponse(fields)
    add_never_cache_headers(response)
    return response


def job_status_response(job, *, summary: str, download_url: str = "", **extra) -> JsonResponse:
    """The status of a BackgroundJob. The caller has checked who asks (each job type's own
    guard) and passes the download link only when there is a file."""
    return job_status(
        status=job.status,
        status_label=str(job.get_status_display()),
        progress=job.progress,
        summary=summary,
        is_finished=job.is_finished,
        message=job.message,
        download_url=download_url,
        **extra,
    )
