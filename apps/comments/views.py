from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role
from apps.mailings.tokens import MANAGE, PLEDGE, make_token, read_token
from apps.notices.selectors import (
    current_notice_cached,
    notice_list,
    notice_status,
    notice_taking_submission_counts,
)
from apps.surveys.ownership import owned_ids

from . import documents, pledges, selectors, services
from .drafting import compose_draft
from .forms import BuilderForm, DraftForm, PledgeForm, SubmittedForm, comment_char_limit
from .models import Pledge

if TYPE_CHECKING:  # annotations only, not a runtime import (see .importlinter)
    from apps.notices.models import Notice


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True)


def _open_or_upcoming(notice: Notice | None) -> Notice | None:
    """The notice a draft is for: a closed window's docket and header no longer apply."""
    return notice if notice is not None and not notice_status(notice).is_closed else None


def _draft_context(notice: Notice | None) -> dict:
    notice = _open_or_upcoming(notice)
    return {
        "notice": notice,
        "status": notice_status(notice) if notice else None,
        "char_limit": comment_char_limit(notice),
    }


# The header's language switcher on the builder and the draft page sends the page's own form
# (includes/_language_switcher.html): the answers and the edited draft live only in the form,
# and the switcher's usual round trip through set_language lost them (a practitioner walk).
BUILDER_SWITCH = {"id": "builder-form", "url": "comments:builder", "action": "switch_language"}
DRAFT_SWITCH = {"id": "draft-form", "url": "comments:draft", "action": "check"}


@require_http_methods(["GET", "POST"])
def builder(request: HttpRequest) -> HttpResponse:
    """The guided questions (GET), then the first draft to edit (POST)."""
    notice = current_notice_cached()
    if request.method == "POST":
        form = BuilderForm(request.POST, language=_language())
        if request.POST.get("action") == BUILDER_SWITCH["action"]:
            # The same answers, shown in the language just chosen; checked when sent.
            form.is_valid()
            form._errors = ErrorDict()
            return render(
                request,
                "comments/builder.html",
                {"form": form, "switch_form": BUILDER_SWITCH, **_draft_context(notice)},
            )
        limited = _limited(request, "comments", settings.COMMENT_RATE_LIMIT)
        if not limited and form.is_valid():
            if form.is_bot:
                return redirect("comments:builder")
            data = form.cleaned_data
            text = compose_draft(data=data, notice=_open_or_upcoming(notice))
            points = list(data["talking_points"])
            draft_form = DraftForm(
                initial={
                    "text": text,
                    "fingerprint": services.draft_token_new(),
                    "language": data["draft_language"],
                    "points": [p.pk for p in points],
                }
            )
            report = selectors.similarity_report(text=text)
            return render(
                request,
                "comments/draft.html",
                {
                    "form": draft_form,
                    "report": report,
                    "no_story": not data["story"],
                    "points": points,
                    "draft_language": data["draft_language"],
                    "switch_form": DRAFT_SWITCH,
                    **_draft_context(notice),
                },
            )
        status = 429 if limited else 400
        return render(
            request,
            "comments/builder.html",
            {
                "form": form,
                "limited": limited,
                "switch_form": BUILDER_SWITCH,
                **_draft_context(notice),
            },
            status=status,
        )
    prefill, prefill_failed = _prefill(request)
    form = BuilderForm(initial=prefill or {}, language=_language())
    return render(
        request,
        "comments/builder.html",
        {
            "form": form,
            "prefilled": bool(prefill),
            "prefill_failed": prefill_failed,
            "can_prefill": bool(owned_ids(request)) and not prefill,
            "switch_form": BUILDER_SWITCH,
            **_draft_context(notice),
        },
    )


def _prefill(request: HttpRequest) -> tuple[dict | None, str]:
    """Initial values from the visitor's own survey response, and why none were found."""
    token = request.GET.get("token", "")
    if token:
        response = selectors.response_for_resume_token(token)
        return (selectors.builder_prefill(response), "") if response else (None, "link")
    if request.GET.get("from") == "survey":
        response = selectors.response_latest_owned(owned_ids(request))
        return (selectors.builder_prefill(response), "") if response else (None, "browser")
    return None, ""


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest) -> HttpResponse:
    """Check the edited draft (similarity, length) or download it as .txt or .docx."""
    if request.method == "GET":  # a reload or a shared address: the draft lives in the form
        return redirect("comments:builder")
    notice = current_notice_cached()
    form = DraftForm(request.POST)
    limited = _limited(request, "comments", settings.COMMENT_RATE_LIMIT)
    if limited or not form.is_valid():
        return render(
            request,
            "comments/draft.html",
            {
                "form": form,
                "limited": limited,
                "switch_form": DRAFT_SWITCH,
                **_draft_context(notice),
            },
            status=429 if limited else 400,
        )
    if form.is_bot:
        return redirect("comments:builder")
    text = form.cleaned_data["text"]
    language = form.cleaned_data["language"]
    token = form.cleaned_data["fingerprint"]
    key = services.draft_key_from_token(token)
    if key is None:
        token = services.draft_token_new()
        key = services.draft_key_from_token(token)
    action = request.POST.get("action", "check")
    if action in ("txt", "docx"):
        services.draft_fingerprint_save(key=key, text=text, notice=notice, language=language)
        # A closed window's docket is not where this comment goes: not in the file's name
        # or title either (the draft itself leaves it out).
        return _download(text, action, _open_or_upcoming(notice))
    report = selectors.similarity_report(text=text, exclude_key=key)
    services.draft_fingerprint_save(key=key, text=text, notice=notice, language=language)
    points = form.cleaned_data.get("points") or []
    data = {**form.cleaned_data, "fingerprint": token, "points": [p.pk for p in points]}
    return render(
        request,
        "comments/draft.html",
        {
            "form": DraftForm(initial=data),
            "points": points,
            "draft_language": language,
            "report": report,
            "checked": True,
            "notes": selectors.draft_notes(text=text, notice=_open_or_upcoming(notice)),
            "switch_form": DRAFT_SWITCH,
            **_draft_context(notice),
        },
    )


def _download(text: str, kind: str, notice: Notice | None) -> HttpResponse:
    name = "public-comment" + (
        f"-{slugify(notice.docket_id)}" if notice and notice.docket_id else ""
    )
    if kind == "txt":
        reply = HttpResponse(documents.as_txt(text), content_type="text/plain; charset=utf-8")
    else:
        title = notice.required_header if notice and notice.required_header else "Public comment"
        reply = HttpResponse(
            documents.as_docx(text, title=title),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    reply["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    reply["Cache-Control"] = "no-store"
    return reply


@require_http_methods(["GET", "POST"])
def submitted(request: HttpRequest) -> HttpResponse:
    """'I submitted my comment': counted by role and state, nothing else. Only while a
    notice's window is open or closed less than COMMENT_RECORD_LATE_DAYS ago: a count made
    when no window is open would go to a notice nobody can comment on (refused, 400)."""
    notice = notice_taking_submission_counts()
    form = SubmittedForm(request.POST or None)
    limited = False
    if request.method == "POST" and notice is not None:
        limited = _limited(request, "comments-submitted", settings.COMMENT_RECORD_RATE_LIMIT)
        if not limited and form.is_valid():
            if not form.is_bot:
                data = form.cleaned_data
                services.submission_record(
                    notice=notice,
                    role=data["role"],
                    state=data["state"],
                    tracking_number=data["tracking_number"],
                    language=_language(),
                )
            return redirect("comments:submitted_thanks")
    status = 429 if limited else (400 if form.is_bound else 200)
    return render(
        request,
        "comments/submitted.html",
        {
            "form": form,
            "limited": limited,
            "notice": notice,
            "late_days": settings.COMMENT_RECORD_LATE_DAYS,
        },
        status=status,
    )


def submitted_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "comments/submitted_thanks.html")


@role_required(Role.REVIEWER)
def staff_counts(request: HttpRequest) -> HttpResponse:
    """Submitted comments by state and role, small cells suppressed; never who or what."""
    notices = list(notice_list())
    try:
        notice_id = int(request.GET.get("notice", ""))
    except ValueError:
        notice_id = None
    if notice_id not in {n.pk for n in notices}:
        notice_id = None
    counts = selectors.submission_counts(notice_id=notice_id)
    return render(
        request,
        "comments/staff_counts.html",
        {
            "notices": notices,
            "notice_id": notice_id,
            "k": settings.SUPPRESSION_MIN_N,
            "pledges": selectors.pledge_counts(),
            **counts,
        },
    )


# --- Pledge to comment -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def pledge(request: HttpRequest) -> HttpResponse:
    """One tap: the address (and optionally role and state); a link by email confirms it."""
    form = PledgeForm(request.POST or None)
    limited = False
    if request.method == "POST":
        limited = _limited(request, "comments-pledge", settings.MAILINGS_SIGNUP_RATE_LIMIT)
        if not limited and form.is_valid():
            if not form.is_bot:
                data = form.cleaned_data
                pledges.pledge_make(
                    email=data["email"],
                    language=_language(),
                    role=data["role"],
                    state=data["state"],
                )
            return redirect("comments:pledge_sent")
    status = 429 if limited else (400 if form.is_bound else 200)
    return render(
        request,
        "comments/pledge.html",
        {"form": form, "limited": limited, "notice": current_notice_cached()},
        status=status,
    )


@require_GET
def pledge_sent(request: HttpRequest) -> HttpResponse:
    # The same words whether the address is new, waiting or has already pledged.
    return render(request, "comments/pledge_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def pledge_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link checkers that open every URL confirm nothing); POST confirms."""
    found = read_token(token, PLEDGE)
    pledge_row = (
        Pledge.objects.filter(subscriber=found.subscriber).first() if found.subscriber else None
    )
    if pledge_row is None:
        problem = found.problem if found.problem != "ok" else "invalid"
        return render(request, "mailings/link_invalid.html", {"problem": problem}, status=400)
    if request.method == "POST" or pledge_row.is_confirmed:
        pledges.pledge_confirm(subscriber=found.subscriber)
        return render(
            request,
            "comments/pledge_confirmed.html",
            {
                "manage_token": make_token(found.subscriber, MANAGE),
                "notice": current_notice_cached(),
            },
        )
    return render(request, "comments/pledge_confirm.html", {"email": found.subscriber.email})
