"""Rendering helpers for survey pages: initial values from saved answers, question partials."""

import json

from django import template
from django.utils.translation import gettext_lazy as _

from apps.surveys.forms import SurveyPageForm, task_field
from apps.surveys.models import Question
from apps.surveys.qtypes import Storage, qtype
from apps.surveys.qtypes.base import form_errors, form_value

register = template.Library()


def initial_from_answers(page, answers, structure, ratings, contact, step=None) -> dict:
    """Form initial values for a page from the answers saved before (AnswerRow tuples)."""
    initial: dict = {}
    on_page = {q.pk: q for q in page.question_list}
    choice = structure.choice_by_id
    for answer in answers:
        q = on_page.get(answer.question_id)
        if q is None:
            continue
        qtype(q).initial(initial, q, answer, choice)
    matrix = next((q for q in page.question_list if q.type == Question.Type.TASK_MATRIX), None)
    if matrix is not None and step == 0:
        codes = {r.task_id: r for r in ratings if r.is_relevant}
        initial[matrix.key] = [r.task.code for r in codes.values()]
    for rating in ratings:
        task = rating.task
        initial[task_field(task, "rel")] = "yes" if rating.is_relevant else "no"
        if rating.is_relevant:
            initial[task_field(task, "imp")] = rating.importance
            initial[task_field(task, "freq")] = rating.frequency
    if contact is not None:
        for q in page.question_list:
            if qtype(q).storage is Storage.CONTACT:
                initial[q.key] = contact.email
    return initial


def _shown_here(condition: dict | None, form: SurveyPageForm, depth: int = 0) -> bool:
    """The page script's skip logic (static/js/survey.js, met()) on the values the page is
    rendered with: a part about a question on an earlier page counts as met (the server
    decided), one about a question on this page that is itself hidden as not met. The page
    then opens as the script would leave it, so nothing moves when the script runs."""
    if not condition or depth > 10:
        return True
    if "all" in condition:
        return all(_shown_here(part, form, depth + 1) for part in condition["all"])
    if "any" in condition:
        return any(_shown_here(part, form, depth + 1) for part in condition["any"])
    key = condition.get("question", "")
    if key not in form.fields:
        return True
    target = next((q for q in form.page.question_list if q.key == key), None)
    if target is not None and not _shown_here(target.condition, form, depth + 1):
        return False
    value = form_value(form, key)
    values = value if isinstance(value, list | tuple) else [value]
    have = {str(v) for v in values if v not in (None, "")}
    if "in" in condition:
        return bool(have & {str(v) for v in condition["in"]})
    if "not_in" in condition:
        return bool(have) and not (have & {str(v) for v in condition["not_in"]})
    return True


@register.inclusion_tag("surveys/includes/_question.html")
def survey_question(form: SurveyPageForm, question: Question) -> dict:
    ctx = {
        "q": question,
        "key": question.key,
        "type": question.type,
        "text": question.tr("text"),
        "help": question.tr("help"),
        "required": question.is_required,
        "condition": json.dumps(question.condition) if question.condition else "",
        # Hidden from the start when the answers on the page rule it out (no layout shift when
        # the script runs); the noscript stylesheet shows it again without the script.
        "hidden": bool(question.condition) and not _shown_here(question.condition, form),
        "errors": [],
    }
    # The multiple-choice hint is printed once: not again when the help text says it.
    hint = str(_("Choose all that apply.")).rstrip(".").lower()
    ctx["help_says_all"] = hint in (ctx["help"] or "").lower()
    handler = qtype(question)
    ctx["template"] = handler.template
    handler.render_context(form, question, ctx)
    return ctx


@register.filter
def first_error_id(form: SurveyPageForm) -> str:
    """The id of the first field with an error, for the error summary's link."""
    for name in form.errors:
        return "survey-form" if name == "__all__" else f"field-{name}"
    return ""


@register.simple_tag
def error_summary(form: SurveyPageForm) -> list[dict]:
    """Each error on the page with the anchor of its field and what the field asks."""
    if not form.is_bound:
        return []
    labels = {}
    for q in form.step_questions:
        text = q.tr("text")
        for name in form.question_fields(q):
            labels[name] = text
    for task in list(form.role_tasks) + list(form.other_tasks) + list(form.rate_tasks):
        short = task.tr("text")
        short = short if len(short) <= 70 else short[:67].rsplit(" ", 1)[0] + "…"
        labels[task_field(task, "rel")] = short
        # A rating card is titled by the task's short label: its errors name it the same way
        # (they quoted the statement's first words beside a card titled otherwise).
        for part in ("imp", "freq"):
            labels[task_field(task, part)] = task.rating_label() or short
    items = []
    for name, messages in form.errors.items():
        for message in messages:
            items.append(
                {
                    "anchor": "survey-form" if name == "__all__" else f"field-{name}",
                    "label": labels.get(name, ""),
                    "message": message,
                }
            )
    return items


@register.simple_tag
def page_parts(form: SurveyPageForm) -> dict:
    """The questions a page shows, split for the duties checklist: the checklist itself, then
    the optional write-in tasks folded under one summary (open once one is typed or wrong).
    A rating screen shows only its ratings; any other page shows every question."""
    questions = list(form.step_questions)
    if form.duties_step != 0:
        return {"main": questions, "extra": [], "extra_open": False}
    main = [q for q in questions if q.type == Question.Type.TASK_MATRIX]
    extra = [q for q in questions if q.type != Question.Type.TASK_MATRIX]
    names = [name for q in extra for name in form.question_fields(q)]
    is_open = any(form_value(form, name) for name in names) or any(
        form_errors(form, name) for name in names
    )
    return {"main": main, "extra": extra, "extra_open": is_open}
