"""Rendering helpers for survey pages: initial values from saved answers, question partials."""

import json

from django import template
from django.utils.translation import gettext_lazy as _

from apps.surveys.forms import SurveyPageForm, task_field
from apps.surveys.models import Question
from apps.surveys.scales import (
    FREQUENCY_CHOICES,
    IMPORTANCE_CHOICES,
    YES_NO_CHOICES,
    state_choices,
)

register = template.Library()


def _num(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


def initial_from_answers(page, answers, structure, ratings, contact, step=None) -> dict:
    """Form initial values for a page from the answers saved before (AnswerRow tuples)."""
    initial: dict = {}
    on_page = {q.pk: q for q in page.question_list}
    choice = structure.choice_by_id
    for answer in answers:
        q = on_page.get(answer.question_id)
        if q is None:
            continue
        key, t = q.key, q.type
        if t in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
            initial[key] = answer.text_value
        elif t in (Question.Type.SINGLE_CHOICE, Question.Type.SCALE):
            initial[key] = choice[answer.choice_id].value
            if answer.text_value:
                initial[f"{key}__other"] = answer.text_value
        elif t == Question.Type.MULTI_CHOICE:
            initial.setdefault(key, []).append(choice[answer.choice_id].value)
            if answer.text_value:
                initial[f"{key}__other"] = answer.text_value
        elif t == Question.Type.YES_NO:
            initial[key] = "yes" if answer.bool_value else "no"
        elif t == Question.Type.NUMBER:
            initial[key] = _num(answer.number_value)
        elif t == Question.Type.STATE_ZIP:
            initial[f"{key}__{answer.part}"] = answer.text_value
        elif t == Question.Type.TIME_USE:
            initial[f"{key}__{choice[answer.choice_id].value}"] = _num(answer.number_value)
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
            if q.type == Question.Type.EMAIL:
                initial[q.key] = contact.email
    return initial


def _value(form: SurveyPageForm, name: str):
    if name not in form.fields:
        return None
    return form[name].value()


def _errors(form: SurveyPageForm, name: str) -> list[str]:
    return list(form.errors.get(name, [])) if form.is_bound else []


def _options(choices, selected) -> list[dict]:
    selected = selected if isinstance(selected, list | tuple) else [selected]
    selected = {str(s) for s in selected if s not in (None, "")}
    return [
        {"value": str(value), "label": label, "checked": str(value) in selected}
        for value, label in choices
    ]


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
    value = _value(form, key)
    values = value if isinstance(value, list | tuple) else [value]
    have = {str(v) for v in values if v not in (None, "")}
    if "in" in condition:
        return bool(have & {str(v) for v in condition["in"]})
    if "not_in" in condition:
        return bool(have) and not (have & {str(v) for v in condition["not_in"]})
    return True


@register.inclusion_tag("surveys/includes/_question.html")
def survey_question(form: SurveyPageForm, question: Question) -> dict:
    key, t = question.key, question.type
    ctx = {
        "q": question,
        "key": key,
        "type": t,
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
    if t in (Question.Type.SINGLE_CHOICE, Question.Type.MULTI_CHOICE, Question.Type.SCALE):
        chosen = _value(form, key)
        ctx["options"] = [
            {**o, "is_other": c.is_other, "is_exclusive": c.is_exclusive}
            for o, c in zip(
                _options([(c.value, c.tr("label")) for c in question.choice_list], chosen),
                question.choice_list,
                strict=True,
            )
        ]
        ctx["input_type"] = "checkbox" if t == Question.Type.MULTI_CHOICE else "radio"
        ctx["other_name"] = f"{key}__other" if f"{key}__other" in form.fields else ""
        ctx["other_value"] = _value(form, f"{key}__other") or ""
        ctx["other_errors"] = _errors(form, f"{key}__other")
        # As the page script leaves it: the box only for the "other" choice, a value or an error.
        ctx["other_hidden"] = not (
            ctx["other_value"]
            or ctx["other_errors"]
            or any(o["checked"] and o["is_other"] for o in ctx["options"])
        )
        ctx["errors"] = _errors(form, key)
    elif t == Question.Type.YES_NO:
        ctx["options"] = _options(YES_NO_CHOICES, _value(form, key))
        ctx["input_type"] = "radio"
        ctx["errors"] = _errors(form, key)
    elif t == Question.Type.STATE_ZIP:
        ctx["states"] = _options([("", "—")] + state_choices(), _value(form, f"{key}__state"))
        ctx["zip3"] = _value(form, f"{key}__zip3") or ""
        ctx["state_errors"] = _errors(form, f"{key}__state")
        ctx["zip3_errors"] = _errors(form, f"{key}__zip3")
        ctx["errors"] = ctx["state_errors"] + ctx["zip3_errors"]
    elif t == Question.Type.TIME_USE:
        ctx["parts"] = [
            {
                "name": f"{key}__{c.value}",
                "label": c.tr("label"),
                "value": _value(form, f"{key}__{c.value}") or "",
            }
            for c in question.choice_list
        ]
        ctx["errors"] = [e for p in ctx["parts"] for e in _errors(form, p["name"])]
    elif t == Question.Type.TASK_MATRIX and form.duties_step == 0:
        chosen = {str(v) for v in (_value(form, key) or [])}
        rows = [
            {"code": task.code, "text": task.tr("text"), "checked": task.code in chosen}
            for task in form.role_tasks + form.other_tasks
        ]
        ctx["mode"] = "checklist"
        ctx["role_rows"] = rows[: len(form.role_tasks)] if form.role_tasks else rows
        ctx["other_rows"] = rows[len(form.role_tasks) :] if form.role_tasks else []
        ctx["other_open"] = any(row["checked"] for row in ctx["other_rows"])
        ctx["errors"] = _errors(form, key)
    elif t == Question.Type.TASK_MATRIX and form.duties_step:
        ctx["mode"] = "rate"
        ctx["rate_rows"] = [_rate_row(form, task) for task in form.rate_tasks]
        ctx["importance_scale"] = [(v, label) for v, label in IMPORTANCE_CHOICES]
        ctx["frequency_scale"] = [(v, label) for v, label in FREQUENCY_CHOICES]
    elif t == Question.Type.TASK_MATRIX:
        ctx["role_tasks"] = [_task(form, task) for task in form.role_tasks]
        ctx["other_tasks"] = [_task(form, task) for task in form.other_tasks]
        ctx["other_open"] = any(row["relevant"] for row in ctx["other_tasks"]) or any(
            row["errors"] for row in ctx["other_tasks"]
        )
    else:
        value = _value(form, key)
        ctx["value"] = "" if value is None else value
        ctx["errors"] = _errors(form, key)
        if t == Question.Type.NUMBER:
            ctx["min"] = _num(question.min_value)
            ctx["max"] = _num(question.max_value)
            ctx["step"] = _num(question.step) or "any"
            ctx["decimal"] = bool(question.step) and question.step != question.step.to_integral()
    return ctx


def _task(form: SurveyPageForm, task) -> dict:
    rel = _value(form, task_field(task, "rel"))
    return {
        "task": task,
        "code": task.code,
        "text": task.tr("text"),
        "rel_name": task_field(task, "rel"),
        "imp_name": task_field(task, "imp"),
        "freq_name": task_field(task, "freq"),
        "relevant": rel == "yes",
        "rel_options": _options(YES_NO_CHOICES, rel),
        "imp_options": _options(IMPORTANCE_CHOICES, _value(form, task_field(task, "imp"))),
        "freq_options": _options(FREQUENCY_CHOICES, _value(form, task_field(task, "freq"))),
        "errors": _errors(form, task_field(task, "rel")) + _errors(form, task_field(task, "imp")),
    }


def _rate_row(form: SurveyPageForm, task) -> dict:
    scales = []
    for part, choices, legend in (
        ("imp", IMPORTANCE_CHOICES, _("How important is it to your job?")),
        ("freq", FREQUENCY_CHOICES, _("How often do you do it?")),
    ):
        name = task_field(task, part)
        scales.append(
            {
                "name": name,
                "part": part,
                "legend": legend,
                "options": _options(choices, _value(form, name)),
                "low": choices[0][1],
                "high": choices[-1][1],
                "errors": _errors(form, name),
            }
        )
    return {"code": task.code, "text": task.tr("text"), "scales": scales}


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
        for part in ("rel", "imp", "freq"):
            labels[task_field(task, part)] = short
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
