"""The published draft: anyone reads it and comments on a section (moderated before shown)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from apps.core.exceptions import ApplicationError

from . import documents, evidence, selectors, services
from .forms import CommentForm
from .models import ProposalVersion


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    version = selectors.version_published_latest(selectors.proposal_current())
    if version is None:
        # Before any draft is published the footer's link explains where the proposal stands.
        return render(request, "proposals/public_none.html", status=200)
    return redirect(version.get_public_url())


def _closed(request, version, status):
    return render(request, "proposals/public_closed.html", {"version": version}, status=status)


@require_GET
def public_version(request: HttpRequest, number: int) -> HttpResponse:
    proposal = selectors.proposal_current()
    version = selectors.version_get(proposal, number)
    if version is None or version.status == ProposalVersion.Status.SAVED:
        raise Http404
    if version.status == ProposalVersion.Status.WITHDRAWN:
        return _closed(request, version, 410)
    return render(
        request,
        "proposals/public_version.html",
        {
            "version": version,
            "comments": selectors.comments_by_section(version),
            "tally": selectors.comment_tally(version),
            "k": evidence.k(),
            # The documents' methods note, here too: a reader recomputing from the published
            # page needs the sample, suppression and noise rules (a reviewer found none).
            "methods": documents.methods_text(version),
        },
    )


@require_http_methods(["GET", "POST"])
def public_comment(request: HttpRequest, number: int, section: str) -> HttpResponse:
    proposal = selectors.proposal_current()
    version = selectors.version_get(proposal, number)
    if version is None or version.status != ProposalVersion.Status.PUBLISHED:
        # Unpublished, withdrawn or unknown: a polite page, never an error.
        return _closed(request, version if version and version.published_at else None, 410)
    heading = next((s for s in version.sections if s["key"] == section), None)
    if heading is None:
        raise Http404
    form = CommentForm(request.POST or None)
    limited = False
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="proposal-comment",
            key="ip",
            rate=settings.PROPOSAL_COMMENT_RATE_LIMIT,
            method="POST",
            increment=True,
        )
        if not limited and form.is_valid():
            if not form.is_bot:
                data = form.cleaned_data
                try:
                    services.comment_submit(
                        version=version,
                        section_key=section,
                        name=data["name"],
                        organization=data["organization"],
                        role=data["role"],
                        state=data["state"],
                        body=data["body"],
                        language=get_language() or settings.LANGUAGE_CODE,
                    )
                except ApplicationError as exc:
                    form.add_error(None, exc.message)
                else:
                    return redirect("proposals:public_thanks", number=number)
            else:
                return redirect("proposals:public_thanks", number=number)
    status = 429 if limited else (200 if not form.is_bound or form.is_valid() else 400)
    return render(
        request,
        "proposals/public_comment.html",
        {"version": version, "section": heading, "form": form, "limited": limited},
        status=status,
    )


@require_GET
def public_thanks(request: HttpRequest, number: int) -> HttpResponse:
    return render(request, "proposals/public_thanks.html", {"number": number})
