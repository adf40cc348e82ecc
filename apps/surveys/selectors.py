"""Reads of survey structure and responses. Insights and exports read survey data through here."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from .conditions import condition_met, condition_possible
from .models import Answer, Choice, Question, Response, Survey, SurveyPage, SurveyVersion, Task


@dataclass
class Structure:
    """A survey version's pages, questions and choices, loaded in three queries."""

    version: SurveyVersion
    pages: list[SurveyPage]
    questions: dict[str, Question] = field(default_factory=dict)

    def page(self, key: str) -> SurveyPage | None:
        return next((p for p in self.pages if p.key == key), None)

    def page_weight(self, page: SurveyPage) -> int:
        """Rough effort of a page, for the time estimate: a task matrix counts as 8 questions."""
        return sum(8 if q.type == Question.Type.TASK_MATRIX else 1 for q in page.question_list)


def survey_open_list():
    return Survey.objects.filter(versions__status=SurveyVersion.Status.PUBLISHED).distinct()


def survey_published_version(survey: Survey) -> SurveyVersion | None:
    return survey.versions.filter(status=SurveyVersion.Status.PUBLISHED).first()


def version_structure(version: SurveyVersion) -> Structure:
    questions = (
        Question.objects.filter(version=version)
        .order_by("order", "id")
        .prefetch_related(
            Prefetch(
                "choices", queryset=Choice.objects.order_by("order", "id"), to_attr="choice_list"
            )
        )
    )
    pages = list(
        SurveyPage.objects.filter(version=version)
        .order_by("order", "id")
        .prefetch_related(Prefetch("questions", queryset=questions, to_attr="question_list"))
    )
    structure = Structure(version=version, pages=pages)
    for page in pages:
        for question in page.question_list:
            structure.questions[question.key] = question
    return structure


def answer_values(answers) -> dict[str, set[str]]:
    """Condition values from Answer rows (with question and choice loaded)."""
    values: dict[str, set[str]] = {}
    for answer in answers:
        key = answer.question.key
        if answer.choice_id is not None and answer.question.type != Question.Type.TIME_USE:
            values.setdefault(key, set()).add(answer.choice.value)
        elif answer.bool_value is not None:
            values.setdefault(key, set()).add("yes" if answer.bool_value else "no")
        elif answer.part == "state":
            values.setdefault(key, set()).add(answer.text_value)
    return values


def response_answers(response: Response) -> list[Answer]:
    return list(response.answers.select_related("question", "choice"))


def visible_pages(structure: Structure, values) -> list[SurveyPage]:
    return [page for page in structure.pages if condition_met(page.condition, values)]


def expected_pages(structure: Structure, values) -> list[SurveyPage]:
    """Pages the respondent is still likely to see: the shown ones plus those whose
    conditions depend on questions not answered yet."""
    return [page for page in structure.pages if condition_possible(page.condition, values)]


def tasks_for_role(role_slug: str | None) -> tuple[list[Task], list[Task]]:
    """Tasks shown first to this role, and every other active task (any task can be rated)."""
    tasks = list(Task.objects.filter(is_active=True).prefetch_related("roles").order_by("order"))
    first_filter = [
        t for t in tasks if t.for_all_roles or any(r.slug == role_slug for r in t.roles.all())
    ]
    first_ids = {t.pk for t in first_filter}
    return first_filter, [t for t in tasks if t.pk not in first_ids]


def response_for_session(public_id, owned_ids) -> Response | None:
    """The response with this public id, only if this browser session owns it."""
    if str(public_id) not in owned_ids:
        return None
    return (
        Response.objects.filter(public_id=public_id)
        .select_related("version__survey", "collector")
        .first()
    )


def collector_counts(survey: Survey):
    """Responses per collector: started and complete (for staff)."""
    from django.db.models import Count

    return survey.collectors.annotate(
        started=Count("responses"),
        complete=Count("responses", filter=Q(responses__status=Response.Status.COMPLETE)),
    ).order_by("name")
