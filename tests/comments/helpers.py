from datetime import timedelta

from django.utils import timezone

from apps.surveys.models import Answer, Question, Response, Role, Task, TaskRating
from apps.surveys.services import resume_token_create
from tests.notices.factories import make_notice


def open_notice(**kwargs):
    now = timezone.now()
    kwargs.setdefault("opens_at", now - timedelta(days=10))
    kwargs.setdefault("closes_at", now + timedelta(days=20))
    kwargs.setdefault("required_header", "BLS-2026-0042: Standard Occupational Classification")
    kwargs.setdefault("docket_id", "BLS-2026-0042")
    return make_notice(**kwargs)


def task_ids(n: int = 3) -> list[int]:
    return list(
        Task.objects.filter(is_active=True).order_by("order").values_list("pk", flat=True)[:n]
    )


def builder_data(**overrides) -> dict:
    data = {
        "role": "frontline",
        "job_title": "Group leader",
        "years_in_field": "4",
        "setting": "school_campus",
        "state": "CA",
        "tasks": task_ids(),
        "employer_code": "39-9011",
        "story": "Last week a boy who never speaks up led the robotics demo for his parents.",
        "ask": "new_code",
        "ask_detail": "",
        "draft_language": "en",
        "website": "",
    }
    data.update(overrides)
    return data


def make_survey_response(
    survey,
    *,
    role="tutor",
    job_title="Homework helper",
    years=7,
    status=Response.Status.COMPLETE,
    task_codes=("T03", "T39"),
    crosswalk="25-3041",
    fit="3",
):
    """A response with the answers the builder reads, and a private resume token for it."""
    version = survey.versions.get()
    response = Response.objects.create(
        version=version,
        language="en",
        role=Role.objects.get(slug=role),
        setting="library_museum",
        state="TX",
        status=Response.Status.IN_PROGRESS,
    )
    questions = {q.key: q for q in Question.objects.filter(version=version)}
    Answer.objects.create(response=response, question=questions["job_title"], text_value=job_title)
    Answer.objects.create(
        response=response, question=questions["years_in_field"], number_value=years
    )
    Answer.objects.create(
        response=response,
        question=questions["crosswalk_code"],
        choice=questions["crosswalk_code"].choices.get(value=crosswalk),
    )
    if fit:
        Answer.objects.create(
            response=response,
            question=questions["crosswalk_fit"],
            choice=questions["crosswalk_fit"].choices.get(value=fit),
        )
    Answer.objects.create(
        response=response,
        question=questions["describe_work"],
        text_value="I help kids catch up on reading after school.",
    )
    for code in task_codes:
        TaskRating.objects.create(
            response=response,
            task=Task.objects.get(code=code),
            is_relevant=True,
            importance=5,
            frequency=6,
        )
    TaskRating.objects.create(
        response=response, task=Task.objects.get(code="T13"), is_relevant=False
    )
    token = resume_token_create(response=response)
    if status != Response.Status.IN_PROGRESS:
        Response.objects.filter(pk=response.pk).update(status=status, submitted_at=timezone.now())
    return response, token
