"""The practitioner survey: landing, one page at a time, save and resume, thank-you."""

import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role
from apps.core.exceptions import ApplicationError

from . import duties, services, timing
from .forms import LONG_TEXT_MAX, SurveyPageForm
from .models import Collector, Question, Response, ResponsePage, Survey, SurveyVersion, Task
from .ownership import collector_id, owned_ids, remember_collector, remember_response
from .selectors import (
    answer_values,
    expected_pages,
    response_answers,
    response_copy,
    response_for_session,
    response_page_state,
    survey_published_version,
    tasks_for_role,
    version_structure,
    visible_pages,
)
from .stated_time import (
    mean_task_words,
    minutes_left_range,
    survey_minutes_range,
    typical_task_count,
    typical_task_words,
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
    low, high = survey_minutes_range(structure)
    return render(
        request,
        "surveys/landing.html",
        {
            "survey": survey,
            "draft": draft,
            "draft_url": _continue_url(draft) if draft else "",
            "page_count": len(structure.pages),
            "resume_days": settings.SURVEY_RESUME_DAYS,
            # The shortest and the longest role's path (one number once real times exist).
            "minutes_low": low,
            "minutes": high,
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
    path = path or {
        "values": {},
        "task_count": typical_task_count(),
        "rated": None,
        "role_known": False,
    }
    index = shown.index(page)
    low = high = None
    if not path.get("role_known", True):
        # The role is not known yet: the shortest and the longest role's path, as the
        # landing page states (one average understated the largest group's time).
        low, high = minutes_left_range(structure, shown, path["values"], page)
    task_words = path.get("task_words") or typical_task_words()
    label_words = path.get("label_words") or typical_task_words(label=True)
    minutes = timing.path_minutes(
        structure,
        shown,
        path["values"],
        task_count=path["task_count"],
        rated=path["rated"],
        from_page=page,
        task_words=task_words,
        label_words=label_words,
    )
    left = minutes["left"]
    if plan is not None and step:
        # On a rating screen, the tasks of the screens before are done.
        done = timing.rating_seconds(plan.rated_before(step), label_words, step - 1)
        left = timing.minutes(minutes["left_seconds"] - done)
    if low is not None:
        left = max(left, high)
        low = min(low, left)
    return {
        "number": index + 1,
        "total": len(shown),
        "percent": round(100 * index / max(1, len(shown))),
        "minutes_left": left,
        # Set while the role is not known: "7 to 11 minutes left" (None otherwise).
        "minutes_left_low": low if low is not None and low < left else None,
        "is_first": index == 0,
        "is_last": index == len(shown) - 1,
    }


def _path(response, values, plan) -> dict:
    """What the time model needs about this respondent: their answers, the size of their
    role's checklist and, once it is answered, how many tasks they rate."""
    if plan is not None:
        tasks = plan.role_tasks or plan.all_tasks
        rated = len(plan.assigned) if plan.checklist_saved else None
        return {
            "values": values,
            "task_count": len(tasks),
            "rated": rated,
            "task_words": mean_task_words(tasks),
            "label_words": mean_task_words(tasks, label=True),
        }
    role = next(iter(values.get("role", set())), None)
    if role is None:
        return {
            "values": values,
            "task_count": typical_task_count(),
            "rated": None,
            "role_known": False,
        }
    tasks = list(
        Task.objects.filter(Q(for_all_roles=True) | Q(roles__slug=role), is_active=True)
        .distinct()
        .only("text_en", "text_es", "label_en", "label_es")
    )
    if not tasks:
        tasks = list(
            Task.objects.filter(is_active=True).only("text_en", "text_es", "label_en", "label_es")
        )
    found = response.task_ratings.aggregate(
        rows=Count("pk"), rated=Count("pk", filter=Q(is_relevant=True, is_assigned=True))
    )
    return {
        "values": values,
        "task_count": len(tasks),
        "rated": found["rated"] if found["rows"] else None,
        "task_words": mean_task_words(tasks),
        "label_words": mean_task_words(tasks, label=True),
    }


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


PREFETCH_HEADER = "HTTP_X_SURVEY_PREFETCH"
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
ACTIONS = ("next", "back", "save")
UNREADABLE = _lazy(
    "This page reached us in a form we could not read, so nothing on it was saved. "
    "Your answers are still here: please check them and press the button again."
)
UNKNOWN_PAGE = _lazy("That page is not part of this survey. Here is where you left off.")


def _page_states(response) -> list[ResponsePage]:
    return list(ResponsePage.objects.filter(response_id=response.pk))


def _state_for(states, page_key) -> ResponsePage | None:
    return next((s for s in states if s.page_key == page_key), None)


def _draft_data(request, form, page, step=None) -> dict[str, list[str]]:
    """The page's own fields as typed (email addresses left out: they stay with the contact);
    on the duties page, with the step they were typed on."""
    emails = {q.key for q in page.question_list if q.type == Question.Type.EMAIL}
    data = {} if step is None else {"__step": [str(step)]}
    for name in form.fields:
        if name in emails:
            continue
        values = [v[:LONG_TEXT_MAX] for v in request.POST.getlist(name)][:20]
        if values:
            data[name] = values
    return data


# Pages that show a respondent's answers or private resume link are never kept in the
# browser's HTTP cache or back/forward cache: on a shared computer the next person cannot
# reopen them from history. (The service worker's offline copy of survey pages is separate;
# it lives in the survey's own cache storage.)
_not_stored = cache_control(private=True, no_store=True)


@require_http_methods(["GET", "POST"])
@_not_stored
def survey_page(request: HttpRequest, public_id, page_key: str) -> HttpResponse:
    # A POST locks the response row in the same query, so a double tap's twin (or another
    # tab's save) waits, and every statement after this one sees what the other committed:
    # its submission key (services.submission_find) and its answers (the save's DELETE).
    lock = request.method == "POST"
    state = response_page_state(public_id, _owned(request), lock=lock)
    if state is None:
        return render(request, "surveys/not_yours.html", status=404)
    response, structure, answers = state
    if response.status != Response.Status.IN_PROGRESS:
        return redirect("surveys:thanks", public_id=response.public_id)
    page = structure.page(page_key)
    if page is None:
        messages.error(request, UNKNOWN_PAGE)
        return redirect(_continue_url(response))
    values = answer_values(answers, structure)
    shown = visible_pages(structure, values)
    prefetch = request.method == "GET" and request.META.get(PREFETCH_HEADER) == "1"
    if page not in shown and not prefetch:
        return redirect(_continue_url(response))

    expected = expected_pages(structure, values)
    if page not in expected:
        expected = shown if page in shown else structure.pages
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
        if (
            request.method == "GET"
            and raw_step in (None, "")
            and plan.resume_step()
            and not prefetch
        ):
            return redirect(_step_url(response, page, plan.resume_step()))
    if request.method == "GET":
        states = _page_states(response)
        page_state = _state_for(states, page.key)
        render_extra = _render_extra(states, page, values, plan, step)
        if not prefetch and (page_state is None or page_state.seen_at is None):
            services.response_page_seen(response=response, page_key=page.key)
        form = _build_form(request, response, structure, page, answers, plan=plan, step=step)
        draft = page_state.draft if page_state is not None else None
        if draft and _draft_step(draft) == step:
            # What was typed here and not saved yet (on this device or another): shown as
            # typed, checked only when the page is sent.
            form = _build_form(
                request,
                response,
                structure,
                page,
                answers,
                data=_query(draft),
                plan=plan,
                step=step,
            )
            form.full_clean()
            form._errors = ErrorDict()
        return _render_page(request, response, structure, expected, page, form, **render_extra)

    return _page_post(
        request, response, structure, answers, page, values, shown, expected, plan, step
    )


def _render_extra(states, page, values, plan, step) -> dict:
    """What a rendered page needs beyond the form (the page states are read only to render)."""
    return {
        "page_state": _state_for(states, page.key),
        "values": values,
        "states": states,
        "plan": plan,
        "step": step,
    }


def _page_post(request, response, structure, answers, page, values, shown, expected, plan, step):
    """A page sent: validated, saved (or kept as a draft), then a redirect; the page states
    and the time estimate are read only when the page is shown again."""

    def extra() -> dict:
        return _render_extra(_page_states(response), page, values, plan, step)

    action = request.POST.get("action", "next")
    key = request.POST.get("submission_key", "")
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
    if action not in ACTIONS or (key and not SUBMISSION_KEY.match(key)):
        form.is_valid()
        form._errors = ErrorDict()
        return _render_page(
            request, response, structure, expected, page, form,
            status=400, notice=UNREADABLE, **extra(),
        )  # fmt: skip
    digest = services.submission_digest(request.POST)

    def replayed() -> HttpResponse | None:
        """The reply to a replay (this key with these answers was saved before), else None.
        The response row is locked (response_page_state), so a twin has committed by now."""
        earlier = services.submission_find(response=response, key=key)
        if earlier is not None and earlier[0] == digest:
            return redirect(earlier[1] or _continue_url(response))
        return None

    is_final = action == "next" and page == expected[-1]
    # A replay stores nothing. Next or Back on a page before the last is checked by the
    # save's own statement (services.response_page_save's `submission`), unless something
    # else happens first (a draft, a warning); the other POSTs are checked here.
    check_in_save = bool(key) and action in ("next", "back") and not is_final
    if key and not check_in_save and (reply := replayed()) is not None:
        return reply
    # Submissions are rate limited per client address; saving pages inside a response is not.
    if is_final and is_ratelimited(
        request,
        group="survey-submit",
        key="ip",
        rate=settings.SURVEY_SUBMIT_RATE_LIMIT,
        method="POST",
        increment=True,
    ):
        form.is_valid()
        return _render_page(
            request, response, structure, expected, page, form,
            status=429, limited=True, **extra(),
        )  # fmt: skip
    if not form.is_valid():
        if check_in_save and (reply := replayed()) is not None:
            return reply
        # Nothing typed is lost: the page's fields are kept as a draft. Back and "Save and
        # finish later" never stop on an error; Next shows what to fix.
        try:
            services.response_page_draft_save(
                response=response, page_key=page.key, data=_draft_data(request, form, page, step)
            )
        except ApplicationError:
            return redirect("surveys:thanks", public_id=response.public_id)
        if action == "back":
            if plan is not None and step:
                target_url = _step_url(response, page, step - 1)
            else:
                position = shown.index(page) if page in shown else 0
                target = shown[max(0, position - 1)]
                Response.objects.filter(pk=response.pk).update(resume_page_key=target.key)
                target_url = _page_url(response, target, "last")
            return redirect(target_url)
        if action == "save":
            token = services.resume_token_create(response=response)
            return _render_resume(request, response, token)
        return _render_page(
            request, response, structure, expected, page, form, status=400, **extra()
        )
    if form.stray_tasks and check_in_save:
        check_in_save = False
        if (reply := replayed()) is not None:
            return reply
    if form.stray_tasks:
        messages.warning(request, _(DUTIES_STRAY) % {"codes": ", ".join(form.stray_tasks)})
    # The answers about to be stored: the other pages' (unchanged) and this page's.
    shown = visible_pages(structure, {**form.saved_values, **form.page_values()})
    position = shown.index(page) if page in shown else 0
    # A duties step followed by another records the page before as the last one saved.
    steps_follow = plan is not None and (
        bool(form.cleaned_data.get(plan.question.key)) if step == 0 else step < plan.last_step
    )
    # Where this button leads: also where every way back in opens (resume_page_key).
    if action == "save" or (plan is not None and action == "back" and step):
        target = page
    elif action == "back":
        target = shown[max(0, position - 1)]
    elif plan is not None and steps_follow:
        target = page
    else:
        target = shown[min(position + 1, len(shown) - 1)]
    # Where the button leads, when that is known before the save (not for "save", whose
    # reply is the resume page, nor for the last page, which is submitted after the save).
    target_url = None
    if action != "save":
        if plan is not None and action == "back" and step:
            target_url = _step_url(response, page, step - 1)
        elif plan is not None and action != "back" and steps_follow:
            target_url = _step_url(response, page, step + 1)
        elif action == "back":
            target_url = _page_url(response, target, "last")
        elif position + 1 < len(shown):
            target_url = _page_url(response, target, "0")
    # An accepted submission is remembered with the save (in its first statement).
    submission = None
    if key and target_url is not None:
        submission = services.Submission(key, page.key, digest, target_url)
    elif check_in_save and (reply := replayed()) is not None:
        return reply
    try:
        on_page = {q.pk for q in page.question_list}
        response = services.response_page_save(
            response=response,
            form=form,
            role_ids=structure.role_ids,
            page_had_answers=any(row.question_id in on_page for row in answers),
            last_page_key=(shown[position - 1].key if position else "") if steps_follow else None,
            resume_page_key=target.key,
            language=get_language() or "",
            submission=submission,
            replay_check=check_in_save and submission is not None,
        )
    except services.SubmissionReplayed as replay:
        return redirect(replay.target or _continue_url(response))
    except ApplicationError:
        return redirect("surveys:thanks", public_id=response.public_id)
    if action == "save":
        token = services.resume_token_create(response=response)
        reply = _render_resume(request, response, token)
        target_url = _continue_url(response)
    else:
        if target_url is None:
            try:
                services.response_submit(response=response, structure=structure)
            except ApplicationError as error:
                missing = services.first_unanswered_page(structure, response)
                messages.error(request, error.message)
                Response.objects.filter(pk=response.pk).update(resume_page_key=missing.key)
                return redirect("surveys:page", public_id=response.public_id, page_key=missing.key)
            target_url = reverse("surveys:thanks", kwargs={"public_id": response.public_id})
        reply = redirect(target_url)
    if key and submission is None:
        services.submission_record(
            response=response, key=key, page_key=page.key, digest_=digest, target=target_url
        )
    return reply


def _step_url(response, page, step) -> str:
    url = reverse("surveys:page", kwargs={"public_id": response.public_id, "page_key": page.key})
    return f"{url}?step={step}"


def _page_url(response, page, duties_step: str) -> str:
    """A page's address; the duties page opens at the given step (checklist "0" or "last")."""
    if duties.matrix_question(page) is not None:
        return _step_url(response, page, duties_step)
    return reverse("surveys:page", kwargs={"public_id": response.public_id, "page_key": page.key})


def _draft_step(draft: dict):
    """The duties step a draft was typed on (None for other pages)."""
    raw = (draft.get("__step") or [""])[0]
    return int(raw) if str(raw).isdigit() else None


def _query(draft: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.items():
        if isinstance(name, str) and isinstance(values, list) and not name.startswith("__"):
            data.setlist(name, [str(v) for v in values])
    return data


def _render_page(
    request,
    response,
    structure,
    shown,
    page,
    form,
    page_state=None,
    status=200,
    limited=False,
    notice="",
    values=None,
    states=(),
    plan=None,
    step=None,
):
    path = _path(response, answer_values(response_answers(response), structure), plan)
    draft_url = reverse(
        "surveys:page_draft", kwargs={"public_id": response.public_id, "page_key": page.key}
    )
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
            "notice": notice,
            "is_preview": False,
            "submission_key": secrets.token_urlsafe(16),
            "page_revision": page_state.revision if page_state else "0",
            # Drafts of a duties step are kept apart from the other steps' (on the phone).
            "draft_key": page.key if step is None else f"{page.key}~{step}",
            "draft_url": draft_url if step is None else f"{draft_url}?step={step}",
            "offline": _offline_context(response, structure, page, values or {}, states),
            "background_drafts": settings.SURVEY_BACKGROUND_DRAFTS,
            "offline_prefetch": settings.SURVEY_OFFLINE_PREFETCH,
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


def _offline_context(response, structure, page, values, states) -> dict:
    """What the page script needs to keep working offline: every page's address and display
    condition (to find the next page from the answers typed), and the draft endpoint."""
    pages = [
        {
            "key": p.key,
            "url": reverse(
                "surveys:page", kwargs={"public_id": response.public_id, "page_key": p.key}
            ),
            "condition": p.condition or None,
            "rev": next((s.revision for s in states if s.page_key == p.key), "0"),
            # Named by its title (in the respondent's language) when a page sent from the
            # phone comes back refused.
            "title": p.tr("title"),
        }
        for p in structure.pages
    ]
    return {
        "data": {
            "pages": pages,
            "values": {key: sorted(chosen) for key, chosen in values.items()},
        },
        "response": str(response.public_id),
        "page": page.key,
        "pages": pages,
        "draft_url": reverse(
            "surveys:page_draft",
            kwargs={"public_id": response.public_id, "page_key": page.key},
        ),
        "thanks_url": reverse("surveys:thanks", kwargs={"public_id": response.public_id}),
    }


def _lang_query(response: Response) -> str:
    lang = (response.language or "")[:2]
    return f"?lang={lang}" if lang in dict(settings.LANGUAGES) else ""


def _render_resume(
    request, response, token: str, *, email: str = "", email_error: str = ""
) -> HttpResponse:
    link = request.build_absolute_uri(
        reverse("surveys:resume", kwargs={"token": token}) + _lang_query(response)
    )
    return render(
        request,
        "surveys/resume_link.html",
        {
            "survey": response.version.survey,
            "response": response,
            "link": link,
            "days": settings.SURVEY_RESUME_DAYS,
            "continue_url": _continue_url(response),
            "email": email,
            "email_error": email_error,
        },
        status=400 if email_error else 200,
    )


def _continue_url(response: Response) -> str:
    """Where a returning respondent picks up (services.response_resume_page)."""
    structure = version_structure(response.version)
    values = answer_values(response_answers(response), structure)
    fresh = Response.objects.filter(pk=response.pk).values_list("resume_page_key", flat=True)
    response.resume_page_key = fresh.first() or ""
    target = services.response_resume_page(structure, response, values, _page_states(response))
    return reverse("surveys:page", kwargs={"public_id": response.public_id, "page_key": target.key})


DRAFT_MAX_CHARS = 20_000


@require_POST
def page_draft(request: HttpRequest, public_id, page_key: str) -> HttpResponse:
    """Background save of what is typed on a page (the page script calls it while online), so
    the half-done page comes back on any device. Owner-checked, CSRF-protected, rate limited."""
    state = response_page_state(public_id, _owned(request))
    if state is None:
        return JsonResponse({"error": "not_found"}, status=404)
    response, structure, answers = state
    if response.status != Response.Status.IN_PROGRESS:
        return JsonResponse({"error": "submitted"}, status=409)
    page = structure.page(page_key)
    if page is None:
        return JsonResponse({"error": "unknown_page"}, status=404)
    if is_ratelimited(
        request,
        group="survey-draft",
        key="ip",
        rate=settings.SURVEY_DRAFT_RATE_LIMIT,
        method="POST",
        increment=True,
    ):
        return JsonResponse({"error": "rate_limited"}, status=429)
    form = _build_form(request, response, structure, page, answers)
    sizes = (len(v) for name in form.fields for v in request.POST.getlist(name))
    if sum(sizes) > DRAFT_MAX_CHARS:
        return JsonResponse({"error": "too_long"}, status=400)
    raw_step = request.GET.get("step", "")
    step = int(raw_step) if raw_step.isdigit() and len(raw_step) <= 3 else None
    data = _draft_data(request, form, page, step)
    base = request.POST.get("base")
    try:
        services.response_page_draft_save(
            response=response, page_key=page.key, data=data, base=base[:20] if base else None
        )
    except ApplicationError:
        return JsonResponse({"error": "stale"}, status=409)
    return JsonResponse({"saved": True})


@require_POST
@_not_stored
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
    typed = request.POST.get("email", "")
    try:
        email = field.clean(typed)
    except django_forms.ValidationError:
        # The page with the private link again (a fresh link: only its hash is stored), the
        # address as typed and what is wrong with it, beside the field.
        token = services.resume_token_create(response=response)
        return _render_resume(
            request,
            response,
            token,
            email=typed[:254],
            email_error=_("Enter an email address like name@example.org."),
        )
    services.resume_link_email_request(response=response, email=email)
    messages.success(request, _("We are emailing you a link to continue. Check your inbox."))
    return redirect(_continue_url(response))


def resume_open(request: HttpRequest, token: str) -> HttpResponse:
    """A private resume link: reopens the draft in this browser, on any device, in the
    language the response was started in."""
    response = services.resume_token_redeem(token=token)
    if response is None:
        return render(request, "surveys/resume_invalid.html", status=404)
    reply = redirect(_continue_url(response))
    remember_response(request, reply, response.public_id)
    _keep_language(request, reply, response)
    return reply


def _keep_language(request, reply: HttpResponse, response: Response) -> None:
    lang = (response.language or "")[:2]
    if lang in dict(settings.LANGUAGES) and request.GET.get("lang", lang) == lang:
        reply.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )


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
        {
            "survey": response.version.survey,
            "response": response,
            "share_url": share_url,
            "lang_query": _lang_query(response),
        },
    )


def _submitted_response(request, public_id) -> Response | None:
    response = response_for_session(public_id, _owned(request))
    if response is None or response.status == Response.Status.IN_PROGRESS:
        return None
    return response


@_not_stored
def answers_copy(request: HttpRequest, public_id) -> HttpResponse:
    """A printable copy of the respondent's own answers, in the response's language."""
    response = _submitted_response(request, public_id)
    if response is None:
        return render(request, "surveys/not_yours.html", status=404)
    with translation.override(response.language or settings.LANGUAGE_CODE):
        return render(
            request,
            "surveys/answers_copy.html",
            {
                "survey": response.version.survey,
                "response": response,
                "pages": response_copy(response),
                "lang_query": _lang_query(response),
            },
        )


def answers_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """The same copy as a PDF (reportlab), in the response's language."""
    from .copies import answers_pdf_bytes

    response = _submitted_response(request, public_id)
    if response is None:
        return render(request, "surveys/not_yours.html", status=404)
    with translation.override(response.language or settings.LANGUAGE_CODE):
        content = answers_pdf_bytes(response, response_copy(response))
        filename = _("my-survey-answers") + ".pdf"
    reply = HttpResponse(content, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    reply["Cache-Control"] = "private, no-store"
    return reply


def service_worker(request: HttpRequest) -> HttpResponse:
    """The survey's service worker, at the site root so its scope covers /survey/ and /s/.
    It loads Workbox from the npm packages served as static files (no CDN)."""
    reply = render(request, "surveys/sw.js", content_type="text/javascript")
    reply["Service-Worker-Allowed"] = "/"
    reply["Cache-Control"] = "no-cache"
    return reply


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
