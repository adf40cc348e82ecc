"""A respondent deletes their own response; an Administrator answers a deletion request."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role
from apps.surveys.ownership import OWNED_COOKIE

from .forms import DeletionRequestForm
from .services import (
    deletion_request_counts,
    deletion_request_execute,
    response_delete_by_respondent,
)
from .tokens import response_from_delete_token


@never_cache
@require_http_methods(["GET", "POST"])
def respondent_delete(request: HttpRequest, token: str) -> HttpResponse:
    """The private deletion link: a confirm page, then the response is gone."""
    response = response_from_delete_token(token)
    if response is None:
        return render(request, "privacy/delete_link_invalid.html", status=404)
    if request.method == "POST":
        response_delete_by_respondent(response=response)
        reply = redirect("privacy:deleted")
        # Forget the response in this browser too (the cookie holds only its id).
        reply.delete_cookie(OWNED_COOKIE, samesite="Lax")
        return reply
    return render(
        request,
        "privacy/respondent_delete.html",
        {"survey": response.version.survey, "response": response},
    )


def respondent_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/respondent_deleted.html")


@never_cache
@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def deletion_request(request: HttpRequest) -> HttpResponse:
    """Find what is linked to an address (counts only), then delete it after confirmation."""
    form = DeletionRequestForm(request.POST or None)
    counts = None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if form.cleaned_data["confirm"]:
            done = deletion_request_execute(email=email, by=request.user, request=request)
            messages.success(
                request,
                _("Deleted %(n)s records linked to that address.") % {"n": sum(done.values())},
            )
            return redirect("privacy:deletion_request")
        counts = deletion_request_counts(email=email)
    return render(
        request,
        "privacy/deletion_request.html",
        {
            "form": form,
            "counts": counts,
            "total": sum(c for _k, _l, c in counts) if counts else 0,
        },
        status=400 if form.errors else 200,
    )
