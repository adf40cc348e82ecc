"""The partner area (/partners/), the staff pages that manage partners, and the public
results (/results/). Views check access, call one service or selector and pick a response."""

import csv
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role
from apps.accounts.views import SignInView
from apps.core.csvsafe import neutralize
from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from apps.surveys.filters import filter_params

from . import documents, selectors, services
from .codebook import codebook_rows
from .forms import (
    AcceptInvitationForm,
    InviteForm,
    LinkCreateForm,
    PartnerCreateForm,
    PartnerFilterForm,
    TargetForm,
)
from .models import Partner, PartnerLink
from .permissions import partner_required

LINK_NOT_YOURS = gettext_lazy(
    "That link is not one of your organization's links, so no figures are shown for it."
)


class PartnerSignInView(SignInView):
    """The staff sign-in form, landing on the partner dashboard."""

    template_name = "partners/sign_in.html"

    def get_redirect_url(self):
        """Where to go after the password (or after the two-factor code): the dashboard."""
        return super().get_redirect_url() or reverse("partners:dashboard")


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitee chooses a username and password; then they are signed in."""
    try:
        invitation = services.invitation_from_token(token)
    except ApplicationError as error:
        return render(request, "partners/invitation_invalid.html", {"error": error}, status=400)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        except ValidationError as error:  # the password validators
            form.add_error("password1", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. Your partner account is ready."))
            return redirect("partners:dashboard")
    return render(request, "partners/accept.html", {"form": form, "invitation": invitation})


def _scoped_filters(request: HttpRequest, partner: Partner) -> dict:
    """The validated filters; a link that is not the partner's gives a clear message."""
    filters = filter_params(request.GET)
    if filters.get("collector") and filters["collector"] not in selectors.partner_collector_ids(
        partner
    ):
        messages.warning(request, LINK_NOT_YOURS)
    elif request.GET.get("collector") and not filters.get("collector"):
        messages.warning(request, LINK_NOT_YOURS)
        filters["collector"] = -1  # an unknown id: narrows to nothing, never widens
    return filters


def _filtered_page(
    request: HttpRequest, partner: Partner, *, section: str, figures: Callable[[dict], dict]
) -> HttpResponse:
    """A partner page of figures under the filter form (dashboard, duties): the figures for
    the partner's validated filters, one audit line naming the page and its filters."""
    filters = _scoped_filters(request, partner)
    context = figures(filters)
    links = selectors.partner_link_list(partner)
    services.partner_activity_record(
        partner=partner,
        what=section,
        actor=request.user,
        details={"filters": filters},
        request=request,
    )
    return render(
        request,
        f"partners/{section}.html",
        {
            "partner": partner,
            **context,
            "filter_form": PartnerFilterForm(request.GET or None, links=links),
            "section": section,
        },
    )


@partner_required
def dashboard(request: HttpRequest, partner: Partner) -> HttpResponse:
    def figures(filters: dict) -> dict:
        data = selectors.partner_dashboard(partner, filters)
        return {
            "data": data,
            "suppression_k": data["progress"]["k"],
            "query_set_too_small": data["query_set_too_small"],
        }

    return _filtered_page(request, partner, section="dashboard", figures=figures)


@partner_required
def duties(request: HttpRequest, partner: Partner) -> HttpResponse:
    def figures(filters: dict) -> dict:
        tasks, notice = selectors.partner_duties(partner, filters)
        return {"tasks": tasks, "suppression_k": selectors.k(), "query_set_too_small": notice}

    return _filtered_page(request, partner, section="duties", figures=figures)


@partner_required
def links(request: HttpRequest, partner: Partner) -> HttpResponse:
    form = LinkCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.partner_link_create(
                partner=partner, by=request.user, request=request, **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Link “%(name)s” is ready.") % {"name": link.collector.name}
            )
            return redirect("partners:links")
    services.partner_activity_record(
        partner=partner, what="links", actor=request.user, request=request
    )
    return render(
        request,
        "partners/links.html",
        {
            "partner": partner,
            "form": form,
            "rows": selectors.partner_links_with_counts(partner),
            "suppression_k": selectors.k(),
            "section": "links",
        },
        status=400 if form.errors else 200,
    )


def _own_link(partner: Partner, pk: int) -> PartnerLink:
    """The partner's own link; any other id is a 404, whoever's it is."""
    link = selectors.partner_link_list(partner).filter(pk=pk).first()
    if link is None:
        raise Http404(_("No link of yours has this number."))
    return link


def _own_link_exported(
    request: HttpRequest, partner: Partner, pk: int, what: str
) -> tuple[PartnerLink, str]:
    """The partner's own link and its absolute survey address, with one audit line saying
    the partner took a document (`what`) for it."""
    link = _own_link(partner, pk)
    url = request.build_absolute_uri(link.collector.get_absolute_url())
    services.partner_activity_record(
        partner=partner,
        what=what,
        action=AuditEvent.Action.EXPORTED,
        actor=request.user,
        details={"link": link.collector.slug},
        request=request,
    )
    return link, url


@partner_required
def link_qr(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    _link, url = _own_link_exported(request, partner, pk, "qr")
    return HttpResponse(documents.qr_svg(url), content_type="image/svg+xml")


@partner_required
def link_flyer(request: HttpRequest, partner: Partner, pk: int) -> HttpResponse:
    link, url = _own_link_exported(request, partner, pk, "flyer")
    reply = HttpResponse(
        documents.flyer_pdf(
            url=url, name=link.collector.name, ends_on=link.ends_on, survey=link.collector.survey
        ),
        content_type="application/pdf",
    )
    reply["Content-Disposition"] = f'attachment; filename="flyer-{link.collector.slug}.pdf"'
    return reply


@partner_required
def api_token(request: HttpRequest, partner: Partner) -> HttpResponse:
    """The partner's API token: make a new one (shown once) or revoke it."""
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.api_token_revoke(partner=partner, by=request.user, request=request)
            messages.success(request, _("The API token is revoked. Calls with it now fail."))
            return redirect("partners:api_token")
        token = services.api_token_issue(partner=partner, by=request.user, request=request)
    return render(
        request,
        "partners/api_token.html",
        {
            "partner": partner,
            "token": token,
            "live": selectors.partner_api_token(partner),
            "section": "api",
        },
    )


# --- Staff: partners (Administrators) ---


@role_required(Role.ADMINISTRATOR)
def staff_partner_list(request: HttpRequest) -> HttpResponse:
    form = PartnerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, _("Partner “%(name)s” added.") % {"name": partner.name})
        return redirect("partners:staff_detail", pk=partner.pk)
    return render(
        request,
        "partners/staff_list.html",
        {"partners": selectors.partner_list_for_staff(), "form": form},
    )


@role_required(Role.ADMINISTRATOR)
def staff_partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    invite_form = InviteForm(request.POST or None, prefix="invite")
    target_form = TargetForm(instance=partner, prefix="target")
    if request.method == "POST" and "invite-email" in request.POST:
        if invite_form.is_valid():
            try:
                services.partner_invite(
                    partner=partner,
                    email=invite_form.cleaned_data["email"],
                    by=request.user,
                    request=request,
                )
            except ApplicationError as error:
                invite_form.add_error("email", error.message)
            else:
                messages.success(request, _("Invitation sent."))
                return redirect("partners:staff_detail", pk=partner.pk)
    elif request.method == "POST":
        target_form = TargetForm(request.POST, instance=partner, prefix="target")
        if target_form.is_valid():
            target_form.save()
            messages.success(request, _("Target saved."))
            return redirect("partners:staff_detail", pk=partner.pk)
    return render(
        request,
        "partners/staff_detail.html",
        {
            "partner": partner,
            "invite_form": invite_form,
            "target_form": target_form,
            **selectors.partner_staff_detail(partner, page=request.GET.get("page", 1)),
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def staff_partner_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    suspend = request.POST.get("suspend") == "1"
    services.partner_set_suspended(
        partner=partner, suspended=suspend, by=request.user, request=request
    )
    messages.success(request, _("Partner suspended.") if suspend else _("Partner restored."))
    return redirect("partners:staff_detail", pk=partner.pk)


@role_required(Role.ADMINISTRATOR)
@require_POST
def staff_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk)
    services.api_token_revoke(partner=partner, by=request.user, request=request)
    messages.success(request, _("The API token is revoked. Calls with it now fail."))
    return redirect("partners:staff_detail", pk=partner.pk)


@role_required(Role.EDITOR)
def results_publish(request: HttpRequest) -> HttpResponse:
    """Editors choose whether the public results page and the API's public figures are live."""
    if request.method == "POST":
        published = request.POST.get("publish") == "1"
        services.results_set_published(published=published, by=request.user, request=request)
        messages.success(
            request,
            _("The results are now public.") if published else _("The results are now hidden."),
        )
        return redirect("partners:results_publish")
    return render(
        request, "partners/results_publish.html", {"publication": selectors.results_publication()}
    )


# --- The public ---


def public_results(request: HttpRequest) -> HttpResponse:
    if not selectors.results_published():
        return render(request, "partners/results_unpublished.html")
    return render(request, "partners/results.html", {"data": selectors.public_results()})


class _Echo:
    def write(self, value):
        return value


def codebook_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The survey's questions, answer codes and rating scales as CSV (no response data)."""
    writer = csv.writer(_Echo())
    reply = StreamingHttpResponse(
        (writer.writerow([neutralize(c) for c in row]) for row in codebook_rows()),
        content_type="text/csv; charset=utf-8",
    )
    reply["Content-Disposition"] = 'attachment; filename="ost-survey-codebook.csv"'
    return reply
