"""The practitioner survey: landing, one page at a time, save and resume, thank-you."""

import math
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role
from apps.core.exceptions import ApplicationError

from . import duties, services, timing
from .forms import SurveyPageForm
from .models import Collector, Question, Response, Survey, SurveyVersion, Task
from .models import Role as RoleModel
from .ownership import collector_id, owned_ids, remember_collector, remember_response
from .selectors import (
    answer_values,
    expected_pages,
    response_answers,
    response_for_session,
    response_page_state,
    survey_published_version,
    tasks_for_role,
    version_structure,
    visible_pages,
)
from .templatetags.survey_tags import initial_from_answers

BROWSER_COOKIE = "ost_browser"
DUTIES_STEP_GONE = gettext_noop(
    "That part of the duties section is not on your path (your list of tasks may have "
    "changed). Here is where you left off."
)
DUTIES_STRAY = gettext_noop(
    "Ratings were sent for tasks you did not check or were not asked to rate (%(codes)s). "
    "They were not saved; your other answers were."
)


def _owned(request) -> list[str]:
    return owned_ids(request)


def _draft_for(request, survey: Survey) -> Response | None:
    ids = _owned(request)
    if not ids:
        return None
    return (
        Response.objects.filter(
            public_id__in=ids, version__survey=survey, status=Response.Status.IN_PROGRESS
        )
        .order_by("-updated_at")
        .first()
    )


def survey_home(request: HttpRequest) -> HttpResponse:
    """/survey/: the survey that is published (the newest), else a polite page."""
    survey = Survey.objects.filter(versions__status=SurveyVersion.Status.PUBLISHED).first()
    if survey is None:
        return render(request, "surveys/unavailable.html", {"survey": None})
    return redirect(survey)


@require_http_methods(["GET", "POST"])
def survey_landing(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    version = survey_published_version(survey)
    if version is None or not survey.is_open():
        return render(request, "surveys/unavailable.html", {"survey": survey}, status=200)
    draft = _draft_for(request, survey)
    if request.method == "POST":
        if request.POST.get("website"):  # honeypot: bots get the landing page again
            return redirect(survey)
        if is_ratelimited(
            request,
            group="survey-start",
            key="ip",
            rate=settings.SURVEY_START_RATE_LIMIT,
            method="POST",
            increment=True,
        ):
            return render(request, "429.html", status=429)
        collector = Collector.objects.filter(
            pk=collector_id(request), survey=survey, is_active=True
        ).first()
        browser_token = request.COOKIES.get(BROWSER_COOKIE) or secrets.token_urlsafe(24)
        response = services.response_start(
            version=version,
            language=get_language() or settings.LANGUAGE_CODE,
            collector=collector,
            browser_token=browser_token,
        )
        structure = version_structure(version)
        first = visible_pages(structure, {})[0]
        reply = redirect("surveys:page", public_id=response.public_id, page_key=first.key)
        remember_response(request, reply, response.public_id)
        reply.set_cookie(
            BROWSER_COOKIE,
            browser_token,
            max_age=60 * 60 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return reply
    structure = version_structure(version)
    return render(
        request,
        "surveys/landing.html",
        {
            "survey": survey,
            "draft": draft,
            "draft_url": _continue_url(draft) if draft else "",
            "page_count": len(structure.pages),
            "minutes": survey_minutes(structure),
        },
    )


def collector_entry(request: HttpRequest, slug: str) -> HttpResponse:
    """/s/<code>/: a partner's link. Remembers the collector, then opens the survey."""
    collector = get_object_or_404(Collector.objects.select_related("survey"), slug=slug)
    reply = redirect(collector.survey)
    if collector.is_active:
        remember_collector(request, reply, collector.pk)
    return reply


def _progress(structure, shown, page, *, path=None, plan=None, step=None) -> dict:
    """Page number, total and minutes left along the path the respondent is expected to take
    (a model of their own path: question types, the tasks of their role and how many they
    checked; scaled to the real median once enough responses exist)."""
    path = path or {"values": {}, "task_count": _typical_task_count(), "rated": None}
    index = shown.index(page)
    minutes = timing.path_minutes(
        structure,
        shown,
        path["values"],
        task_count=path["task_count"],
        rated=path["rated"],
        from_page=page,
    )
    left = minutes["left"]
    if plan is not None and step:
        # On a rating screen, the tasks of the screens before are done.
        done = plan.rated_before(step) * timing.RATE_SECONDS
        left = max(1, math.ceil((minutes["left_seconds"] - done) / 60))
    return {
        "number": index + 1,
        "total": len(shown),
        "percent": round(100 * index / max(1, len(shown))),
        "minutes_left": left,
        "is_first": index == 0,
        "is_last": index == len(shown) - 1,
    }


def _path(response, values, plan) -> dict:
    """What the time model needs about this respondent: their answers, the size of their
    role's checklist and, once it is answered, how many tasks they rate."""
    if plan is not None:
        count = len(plan.role_tasks) or len(plan.all_tasks)
        rated = len(plan.assigned) if plan.checklist_saved else None
        return {"values": values, "task_count": count, "rated": rated}
    role = next(iter(values.get("role", set())), None)
    if role is None:
        return {"values": values, "task_count": _typical_task_count(), "rated": None}
    count = (
        Task.objects.filter(Q(for_all_roles=True) | Q(roles__slug=role), is_active=True)
        .distinct()
        .count()
    )
    if not count:
        count = Task.objects.filter(is_active=True).count()
    found = response.task_ratings.aggregate(
        rows=Count("pk"), rated=Count("pk", filter=Q(is_relevant=True, is_assigned=True))
    )
    return {
        "values": values,
        "task_count": count,
        "rated": found["rated"] if found["rows"] else None,
    }


def _typical_task_count() -> int:
    """Tasks a role's checklist holds on average (before the role is known); cached."""
    found = cache.get("survey-typical-task-count")
    if found is None:
        shared = Task.objects.filter(is_active=True, for_all_roles=True).count()
        counts = [
            n + shared
            for n in RoleModel.objects.annotate(
                n=Count("tasks", filter=Q(tasks__is_active=True, tasks__for_all_roles=False))
            ).values_list("n", flat=True)
        ]
        found = round(sum(counts) / len(counts)) if counts else 0
        cache.set("survey-typical-task-count", found, 600)
    return found


def survey_minutes(structure) -> int:
    """The time the landing page states: the model of a typical paid path, or the median of
    real completion times once enough responses exist."""
    pages = expected_pages(structure, {})
    return timing.path_minutes(structure, pages, {}, task_count=_typical_task_count())["total"]


def _page_tasks(structure, page, answers) -> tuple[list, list]:
    if not any(q.type == Question.Type.TASK_MATRIX for q in page.question_list):
        return [], []
    role_slug = next(iter(answer_values(answers, structure).get("role", set())), None)
    return tasks_for_role(role_slug)


def _build_form(
    request, response, structure, page, answers, *, data=None, lenient=False, plan=None, step=None
):
    values = answer_values(answers, structure, exclude_page=page)
    if plan is not None:
        role_tasks, other_tasks = plan.role_tasks, plan.other_tasks
        ratings = list(plan.ratings.values())
    else:
        role_tasks, other_tasks = _page_tasks(structure, page, answers)
        ratings = list(response.task_ratings.all()) if role_tasks or other_tasks else []
    contact = (
        getattr(response, "contact", None)
        if any(q.type == Question.Type.EMAIL for q in page.question_list)
        else None
    )
    return SurveyPageForm(
        data,
        page=page,
        saved_values=values,
        role_tasks=role_tasks,
        other_tasks=other_tasks,
        lenient=lenient,
        duties_step=step,
        rate_tasks=plan.screen(step) if plan is not None and step else [],
        allowed_rating_codes={t.code for t in plan.assigned} if plan is not None else None,
        initial=None
        if data is not None
        else initial_from_answers(page, answers, structure, ratings, contact, step=step),
    )


@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, public_id, page_key: str) -> HttpResponse:
    state = response_page_state(public_id, _owned(request))
    if state is None:
        return render(request, "surveys/not_yours.html", status=404)
    response, structure, answers = state
    if response.status != Response.Status.IN_PROGRESS:
        return redirect("surveys:thanks", public_id=response.public_id)
    page = structure.page(page_key)
    if page is None:
        raise Http404
    values = answer_values(answers, structure)
    shown = visible_pages(structure, values)
    if page not in shown:
        return redirect("surveys:page", public_id=response.public_id, page_key=shown[0].key)

    expected = expected_pages(structure, values)
    if page not in expected:
        expected = shown
    # The duties page is walked in steps (?step=0 the checklist, 1..k the rating screens).
    plan, step = None, None
    role_tasks, other_tasks = _page_tasks(structure, page, answers)
    plan = duties.duties_plan(response, page, role_tasks, other_tasks)
    if plan is not None:
        raw_step = request.GET.get("step")
        step = plan.parse_step(raw_step)
        if step is None:
            messages.warning(request, _(DUTIES_STEP_GONE))
            return redirect(_step_url(response, page, plan.resume_step()))
        if request.method == "GET" and raw_step in (None, "") and plan.resume_step():
            return redirect(_step_url(response, page, plan.resume_step()))
    if request.method == "GET":
        form = _build_form(request, response, structure, page, answers, plan=plan, step=step)
        return _render_page(request, response, structure, expected, page, form, plan=plan)

    action = request.POST.get("action", "next")
    is_final = action == "next" and page == expected[-1]
    # Submissions are rate limited per client address; saving pages inside a response is not.
    if is_final and is_ratelimited(
        request,
        group="survey-submit",
        key="ip",
        rate=settings.SURVEY_SUBMIT_RATE_LIMIT,
        method="POST",
        increment=True,
    ):
        form = _build_form(
            request, response, structure, page, answers, data=request.POST, plan=plan, step=step
        )
        form.is_valid()
        return _render_page(
            request, response, structure, expected, page, form, status=429, limited=True, plan=plan
        )
    lenient = action in ("back", "save")
    form = _build_form(
        request,
        response,
        structure,
        page,
        answers,
        data=request.POST,
        lenient=lenient,
        plan=plan,
        step=step,
    )
    if not form.is_valid():
        return _render_page(
            request, response, structure, expected, page, form, status=400, plan=plan
        )
    if form.stray_tasks:
        messages.warning(request, _(DUTIES_STRAY) % {"codes": ", ".join(form.stray_tasks)})
    # The answers now stored: the other pages' (unchanged) and this page's.
    shown = visible_pages(structure, {**form.saved_values, **form.page_values()})
    position = shown.index(page) if page in shown else 0
    # A duties step followed by another records the page before as the last one saved.
    steps_follow = plan is not None and (
        bool(form.cleaned_data.get(plan.question.key)) if step == 0 else step < plan.last_step
    )
    try:
        on_page = {q.pk for q in page.question_list}
        response = services.response_page_save(
            response=response,
            form=form,
            role_ids=structure.role_ids,
            page_had_answers=any(row.question_id in on_page for row in answers),
            last_page_key=(shown[position - 1].key if position else "") if steps_follow else None,
        )
    except ApplicationError:
        return redirect("surveys:thanks", public_id=response.public_id)
    if action == "save":
        token = services.resume_token_create(response=response)
        return _render_resume(request, response, token)
    if plan is not None and action == "back" and step:
        return redirect(_step_url(response, page, step - 1))
    if plan is not None and action != "back" and steps_follow:
        return redirect(_step_url(response, page, step + 1))
    if action == "back":
        target = shown[max(0, position - 1)]
        if duties.matrix_question(target) is not None:
            return redirect(_step_url(response, target, "last"))
        return redirect("surveys:page", public_id=response.public_id, page_key=target.key)
    if position + 1 < len(shown):
        target = shown[position + 1]
        if duties.matrix_question(target) is not None:
            return redirect(_step_url(response, target, "0"))
        return redirect("surveys:page", public_id=response.public_id, page_key=target.key)
    try:
        services.response_submit(response=response, structure=structure)
    except ApplicationError as error:
        missing = services.first_unanswered_page(structure, response)
        messages.error(request, error.message)
        return redirect("surveys:page", public_id=response.public_id, page_key=missing.key)
    return redirect("surveys:thanks", public_id=response.public_id)


def _step_url(response, page, step) -> str:
    url = reverse("surveys:page", kwargs={"public_id": response.public_id, "page_key": page.key})
    return f"{url}?step={step}"


def _render_page(
    request, response, structure, shown, page, form, status=200, limited=False, plan=None
):
    path = _path(response, answer_values(response_answers(response), structure), plan)
    return render(
        request,
        "surveys/page.html",
        {
            "survey": structure.version.survey,
            "response": response,
            "page": page,
            "form": form,
            "progress": _progress(
                structure, shown, page, path=path, plan=plan, step=form.duties_step
            ),
            "duties": _duties_progress(plan, form.duties_step),
            "limited": limited,
            "is_preview": False,
        },
        status=status,
    )


def _duties_progress(plan, step) -> dict | None:
    """Where the respondent is within the duties section, for the page heading."""
    if plan is None or step is None:
        return None
    screen = plan.screen(step)
    first = plan.rated_before(step) + 1
    return {
        "step": step,
        "steps": plan.last_step + 1 if step or plan.checklist_saved else None,
        "first": first,
        "last": first + len(screen) - 1,
        "rated_total": len(plan.assigned),
        "checked_total": len(plan.checked),
        "percent": round(100 * (first - 1) / max(1, len(plan.assigned))) if step else 0,
    }


def _render_resume(request, response, token: str) -> HttpResponse:
    link = request.build_absolute_uri(reverse("surveys:resume", kwargs={"token": token}))
    return render(
        request,
        "surveys/resume_link.html",
        {
            "survey": response.version.survey,
            "response": response,
            "link": link,
            "days": settings.SURVEY_RESUME_DAYS,
            "continue_url": _continue_url(response),
        },
    )


def _continue_url(response: Response) -> str:
    """Where a returning respondent picks up: the first page still missing a required answer,
    else the page after the last one saved."""
    structure = version_structure(response.version)
    target = services.first_unanswered_page(structure, response)
    if target is None:
        shown = visible_pages(structure, answer_values(response_answers(response), structure))
        keys = [p.key for p in shown]
        index = keys.index(response.last_page_key) + 1 if response.last_page_key in keys else 0
        target = shown[min(index, len(shown) - 1)]
    return reverse("surveys:page", kwargs={"public_id": response.public_id, "page_key": target.key})


@require_POST
def resume_email(request: HttpRequest, public_id) -> HttpResponse:
    """Email the resume link to an address the respondent types (kept apart from answers)."""
    from django import forms as django_forms

    response = response_for_session(public_id, _owned(request))
    if response is None or response.status != Response.Status.IN_PROGRESS:
        return render(request, "surveys/not_yours.html", status=404)
    if is_ratelimited(
        request,
        group="survey-email",
        key="ip",
        rate=settings.SURVEY_EMAIL_RATE_LIMIT,
        method="POST",
        increment=True,
    ):
        # Nobody can use the portal to send many emails to addresses of their choosing.
        messages.error(request, _("Too many emails were requested. Please copy the link instead."))
        return redirect(_continue_url(response))
    field = django_forms.EmailField(max_length=254)
    try:
        email = field.clean(request.POST.get("email", ""))
    except django_forms.ValidationError:
        messages.error(request, _("Enter an email address like name@example.org."))
        return redirect(_continue_url(response))
    services.resume_link_email_request(response=response, email=email)
    messages.success(request, _("We are emailing you a link to continue. Check your inbox."))
    return redirect(_continue_url(response))


def resume_open(request: HttpRequest, token: str) -> HttpResponse:
    """A private resume link: reopens the draft in this browser, on any device."""
    response = services.resume_token_redeem(token=token)
    if response is None:
        return render(request, "surveys/resume_invalid.html", status=404)
    reply = redirect(_continue_url(response))
    remember_response(request, reply, response.public_id)
    return reply


def survey_thanks(request: HttpRequest, public_id) -> HttpResponse:
    response = response_for_session(public_id, _owned(request))
    if response is None:
        return render(request, "surveys/not_yours.html", status=404)
    if response.status == Response.Status.IN_PROGRESS:
        return redirect(_continue_url(response))
    share_url = request.build_absolute_uri(response.version.survey.get_absolute_url())
    return render(
        request,
        "surveys/thanks.html",
        {"survey": response.version.survey, "response": response, "share_url": share_url},
    )


@role_required(Role.EDITOR)
def survey_preview(request: HttpRequest, version_id: int, page_key: str = "") -> HttpResponse:
    """Staff preview of any version, draft included: every page, nothing saved."""
    version = get_object_or_404(SurveyVersion.objects.select_related("survey"), pk=version_id)
    structure = version_structure(version)
    if not structure.pages:
        raise Http404
    page = structure.page(page_key) if page_key else structure.pages[0]
    if page is None:
        raise Http404
    role_tasks, other_tasks = tasks_for_role(request.GET.get("role"))
    form = SurveyPageForm(
        request.GET if request.GET.get("check") else None,
        page=page,
        saved_values={},
        role_tasks=role_tasks,
        other_tasks=other_tasks,
    )
    if form.is_bound:
        form.is_valid()
    index = structure.pages.index(page)
    return render(
        request,
        "surveys/page.html",
        {
            "survey": version.survey,
            "version": version,
            "page": page,
            "form": form,
            "progress": _progress(structure, structure.pages, page),
            "is_preview": True,
            "previous_page": structure.pages[index - 1] if index else None,
            "next_page": structure.pages[index + 1] if index + 1 < len(structure.pages) else None,
        },
    )
