"""Public sign-up, confirmation, preferences and unsubscribe pages; staff announcement pages."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role, user_role_level
from apps.core.exceptions import ApplicationError
from apps.core.jobs.views import job_status

from .emails import render_announcement
from .forms import AnnouncementForm, PreferencesForm, SendForm, SignupForm
from .models import Announcement, Delivery, Subscriber
from .selectors import (
    announcement_list,
    announcement_progress,
    announcement_send_job,
    delivery_page,
    subscriber_topic_counts,
    unknown_deliveries,
)
from .services import (
    announcement_resend_unknown,
    announcement_save,
    announcement_send,
    announcement_test_request,
    subscriber_confirm,
    subscriber_signup,
    subscriber_unsubscribe,
    subscriber_update_preferences,
)
from .tokens import CONFIRM, MANAGE, read_token

# --- Public --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    from apps.pages.selectors import updates_signup_enabled

    if not updates_signup_enabled():
        # Paused by staff: the page says so and offers no form; a stale form posts here too.
        return render(request, "mailings/signup.html", {"paused": True})
    form = SignupForm(request.POST or None)
    limited = False
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="mailings-signup",
            key="ip",
            rate=settings.MAILINGS_SIGNUP_RATE_LIMIT,
            method="POST",
            increment=True,
        )
        if not limited and form.is_valid():
            if not form.is_bot:
                subscriber_signup(
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    topics=form.cleaned_data["topics"],
                )
            return redirect("mailings:signup_sent")
    status = 429 if limited else (200 if not form.is_bound or form.is_valid() else 400)
    return render(
        request, "mailings/signup.html", {"form": form, "limited": limited}, status=status
    )


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    # The same words whether the address is new, waiting or already confirmed.
    return render(request, "mailings/signup_sent.html")


def _bad_link(request: HttpRequest, problem: str) -> HttpResponse:
    return render(request, "mailings/link_invalid.html", {"problem": problem}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link checkers that open every URL in an email confirm nothing);
    POST confirms."""
    found = read_token(token, CONFIRM)
    if found.subscriber is None:
        return _bad_link(request, found.problem)
    subscriber = found.subscriber
    # A second visit to the link of a confirmed address just says so (nothing to press).
    if request.method == "POST" or subscriber.status == Subscriber.Status.CONFIRMED:
        subscriber = subscriber_confirm(subscriber=subscriber)
        return render(
            request,
            "mailings/confirmed.html",
            {"subscriber": subscriber, "manage_token": _manage_token(subscriber)},
        )
    return render(request, "mailings/confirm.html", {"subscriber": subscriber})


def _manage_token(subscriber: Subscriber) -> str:
    from .tokens import make_token

    return make_token(subscriber, MANAGE)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token, MANAGE)
    if found.subscriber is None:
        return _bad_link(request, found.problem)
    subscriber = found.subscriber
    initial = {"language": subscriber.language, "topics": subscriber.topics}
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subscriber_update_preferences(
            subscriber=subscriber,
            language=form.cleaned_data["language"],
            topics=form.cleaned_data["topics"],
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("mailings:manage", token=token)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "mailings/manage.html",
        {"form": form, "subscriber": subscriber, "token": token},
        status=status,
    )


@never_cache
@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" with no form token;
# the signed token in the URL is what authorizes the request.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token, MANAGE)
    if found.subscriber is None:
        return _bad_link(request, found.problem)
    if request.method == "POST":
        subscriber_unsubscribe(subscriber=found.subscriber)
        return render(request, "mailings/unsubscribed.html", {"token": token})
    return render(
        request, "mailings/unsubscribe.html", {"subscriber": found.subscriber, "token": token}
    )


# --- Staff ---------------------------------------------------------------------------------


@role_required(Role.REVIEWER)
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mailings/staff/announcement_list.html",
        {
            "announcements": announcement_list()[:100],
            "counts": subscriber_topic_counts(),
            "can_edit": user_role_level(request.user) >= Role.EDITOR.level,
        },
    )


@role_required(Role.EDITOR)
@require_http_methods(["GET", "POST"])
def announcement_create(request: HttpRequest) -> HttpResponse:
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        announcement = announcement_save(data=form.cleaned_data, by=request.user, request=request)
        return redirect(announcement)
    status = 400 if form.is_bound else 200
    return render(request, "mailings/staff/announcement_form.html", {"form": form}, status=status)


@role_required(Role.EDITOR)
@require_http_methods(["GET", "POST"])
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    if not announcement.is_draft:
        messages.error(
            request, _("This announcement has already been sent and can no longer change.")
        )
        return redirect(announcement)
    form = AnnouncementForm(request.POST or None, instance=announcement)
    if request.method == "POST" and form.is_valid():
        announcement_save(
            data=form.cleaned_data, by=request.user, announcement=announcement, request=request
        )
        return redirect(announcement)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "mailings/staff/announcement_form.html",
        {"form": form, "announcement": announcement},
        status=status,
    )


def _detail_context(request: HttpRequest, announcement: Announcement, send_form=None) -> dict:
    level = user_role_level(request.user)
    status_filter = request.GET.get("status", "")
    return {
        "announcement": announcement,
        "previews": [render_announcement(announcement, lang) for lang in ("en", "es")],
        "progress": announcement_progress(announcement),
        "deliveries": delivery_page(
            announcement, status=status_filter, page=request.GET.get("page", 1)
        ),
        "status_filter": status_filter if status_filter in Delivery.Status.values else "",
        "statuses": Delivery.Status.choices,
        "can_edit": level >= Role.EDITOR.level,
        "show_addresses": level >= Role.EDITOR.level,
        "send_form": send_form or SendForm(),
        "recipients": subscriber_topic_counts().get(announcement.topic, 0),
        "unknown_deliveries": unknown_deliveries(announcement),
        "send_job": announcement_send_job(announcement),
    }


@role_required(Role.REVIEWER)
@require_GET
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    return render(
        request,
        "mailings/staff/announcement_detail.html",
        _detail_context(request, announcement),
    )


@never_cache
@role_required(Role.REVIEWER)
@require_GET
def announcement_status(request: HttpRequest, pk: int) -> JsonResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    progress = announcement_progress(announcement)
    job = announcement_send_job(announcement)
    return job_status(
        status=announcement.status,
        status_label=str(announcement.get_status_display()),
        progress=progress["percent"],
        percent=progress["percent"],
        counts=progress["counts"],
        total=progress["total"],
        summary=_("%(finished)s of %(total)s done")
        % {"finished": progress["finished"], "total": progress["total"]},
        is_finished=announcement.status == Announcement.Status.SENT,
        # A waiting send says why (the queue is down); a failed one says what to do.
        message=job.message if job is not None else "",
        download_url="",
    )


@role_required(Role.EDITOR)
@require_POST
def announcement_test(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    try:
        announcement_test_request(announcement=announcement, by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("A test in English and one in Spanish are on their way to %(email)s.")
            % {"email": request.user.email},
        )
    return redirect(announcement)


@role_required(Role.EDITOR)
@require_POST
def announcement_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(Announcement, pk=pk)
    form = SendForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "mailings/staff/announcement_detail.html",
            _detail_context(request, announcement, send_form=form),
            status=400,
        )
    try:
        announcement_send(announcement=announcement, by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(announcement)


@role_required(Role.EDITOR)
@require_POST
def announcement_resend_unknown_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send again to exactly the recipients whose outcome is unknown (audited)."""
    announcement = get_object_or_404(Announcement, pk=pk)
    try:
        n = announcement_resend_unknown(announcement=announcement, by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if n == 0:
            messages.success(request, _("Sending goes on to the recipients still waiting."))
            return redirect(announcement)
        messages.success(
            request,
            ngettext(
                "The announcement is being sent again to %(n)s recipient.",
                "The announcement is being sent again to %(n)s recipients.",
                n,
            )
            % {"n": n},
        )
    return redirect(announcement)
