"""Staff export pages: request (POST), job page that polls its status, download, list."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role
from apps.core.exceptions import ApplicationError
from apps.core.jobs.views import job_status_response
from apps.surveys.filters import ResponseFilterForm, filter_params

from .base import exporter_class
from .forms import ExportRequestForm
from .models import ExportJob
from .selectors import export_file_path, export_job_list, export_job_visible_to
from .services import export_job_download_record, export_job_request


def _job_for(request: HttpRequest, pk: int) -> ExportJob:
    job = get_object_or_404(ExportJob, pk=pk)
    if not export_job_visible_to(job, request.user):
        raise PermissionDenied
    return job


def _job_access_required(view):
    """Whether a job may be seen depends on its kind (record-level kinds are for
    Administrators), so check it before anything else, whatever the method: a lower role gets
    403 for GET and POST alike, never a 405 that confirms the page."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args, **kwargs):
        _job_for(request, pk)
        return view(request, pk, *args, **kwargs)

    return wrapped


def _list_page(request: HttpRequest, form: ExportRequestForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "exports/exportjob_list.html",
        {
            "form": form,
            "filter_form": ResponseFilterForm(request.POST or request.GET or None),
            "jobs": export_job_list(user=request.user),
        },
        status=status,
    )


@role_required(Role.REVIEWER)
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, ExportRequestForm(user=request.user))


@role_required(Role.REVIEWER)
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    exporter = exporter_class(request.POST.get("kind", ""))
    if exporter is not None and not exporter.allowed_for(request.user):
        raise PermissionDenied
    form = ExportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        job = export_job_request(
            kind=form.cleaned_data["kind"],
            format=form.cleaned_data["format"],
            options={"filters": filter_params(request.POST), "labels": form.cleaned_data["labels"]},
            by=request.user,
            request=request,
        )
    except ApplicationError as exc:
        if exc.extra.get("forbidden"):
            raise PermissionDenied from exc
        form.add_error(None, exc.message)
        return _list_page(request, form, status=400)
    return redirect(job)


@role_required(Role.REVIEWER)
@_job_access_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return render(
        request,
        "exports/exportjob_detail.html",
        {"job": job, "has_file": export_file_path(job) is not None},
    )


@never_cache
@role_required(Role.REVIEWER)
@_job_access_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job_for(request, pk)
    has_file = job.status == ExportJob.Status.DONE and export_file_path(job) is not None
    rows = job.rows_written
    return job_status_response(
        job,
        summary=_("%(rows)s rows written") % {"rows": rows},
        download_url=reverse("exports:download", args=[job.pk]) if has_file else "",
        rows_written=rows,
    )


@never_cache
@role_required(Role.REVIEWER)
@_job_access_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for(request, pk)
    path = export_file_path(job) if job.status == ExportJob.Status.DONE else None
    if path is None:
        raise Http404
    export_job_download_record(job=job, by=request.user, request=request)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=job.content_type,
    )
