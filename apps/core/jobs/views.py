"""The one status view of background jobs: what static/js/jobs.js polls."""

from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers


def job_status_response(job, *, summary: str, download_url: str = "", **extra) -> JsonResponse:
    """The job's state as JSON for its page's progress script. The caller has checked who
    asks (each job type's own guard) and passes the download link only when there is a file."""
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "progress": job.progress,
            "summary": summary,
            "is_finished": job.is_finished,
            "message": job.message,
            "download_url": download_url,
            **extra,
        }
    )
    add_never_cache_headers(response)
    return response
