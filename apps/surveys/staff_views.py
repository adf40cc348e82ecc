"""Staff pages for the survey: overview with collector counts, paper-response import."""

import csv

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role, user_role_level

from .importing import file_too_large_message, import_paper_responses, template_columns
from .models import Response, Survey, SurveyVersion, Task
from .selectors import collector_counts, survey_published_version, version_structure
from .uploads import SizeLimitUploadHandler


class PaperImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of paper responses"),
        help_text=_("Use the template; one response per row; saved as CSV UTF-8."),
    )


@role_required(Role.REVIEWER)
def survey_overview(request: HttpRequest) -> HttpResponse:
    """The surveys, their versions and partner links. Exact response counts (started and
    complete, by link) only for administrators, who may export the responses themselves:
    a link with a few responses would otherwise give reviewers and editors the exact small
    counts the dashboards hide (and, set beside them, how many of a link's responses were
    excluded). They find the counts on the dashboards, protected like every figure."""
    administrator = user_role_level(request.user) >= Role.ADMINISTRATOR.level
    surveys = []
    for survey in Survey.objects.order_by("-created_at"):
        responses = Response.objects.filter(version__survey=survey)
        surveys.append(
            {
                "survey": survey,
                "versions": survey.versions.order_by("-number"),
                "collectors": (
                    collector_counts(survey)
                    if administrator
                    else survey.collectors.order_by("name")
                ),
                "complete": responses.complete().count() if administrator else None,
                "started": responses.count() if administrator else None,
            }
        )
    return render(
        request,
        "surveys/staff/overview.html",
        {
            "surveys": surveys,
            "exact_counts": administrator,
            "can_import": administrator,
            # The preview is for Editors and up (a Reviewer's link ended on a 403).
            "can_preview": user_role_level(request.user) >= Role.EDITOR.level,
        },
    )


@role_required(Role.ADMINISTRATOR)
def paper_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The CSV template for typing in paper responses (header row only)."""
    survey = get_object_or_404(Survey, slug=slug)
    version = survey_published_version(survey)
    if version is None:
        return HttpResponse(status=404)
    tasks = list(Task.objects.filter(is_active=True).order_by("order"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-paper-template.csv"'
    csv.writer(response).writerow(template_columns(version_structure(version), tasks))
    return response


# The size limit must be in place before the CSRF check reads the body, so the CSRF check
# runs inside (csrf_protect) instead of in the middleware. A body over the limit is refused
# before that check: nothing is read or changed, the page only says why.
@csrf_exempt
@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def paper_import(request: HttpRequest, slug: str) -> HttpResponse:
    limit = SizeLimitUploadHandler(request, max_bytes=settings.SURVEY_IMPORT_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    if request.method == "POST" and request.POST is not None and limit.too_large:
        survey = get_object_or_404(Survey, slug=slug)
        form = PaperImportForm(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([file_too_large_message()])
        return render(
            request,
            "surveys/staff/paper_import.html",
            {"survey": survey, "version": survey_published_version(survey), "form": form},
            status=413,
        )
    return _paper_import(request, slug)


@csrf_protect
def _paper_import(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    version = get_object_or_404(SurveyVersion, survey=survey, status=SurveyVersion.Status.PUBLISHED)
    form = PaperImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_paper_responses(
            version=version, file=form.cleaned_data["file"], by=request.user, request=request
        )
    return render(
        request,
        "surveys/staff/paper_import.html",
        {"survey": survey, "version": version, "form": form, "report": report},
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
