from datetime import timedelta

import pytest
from django.utils import timezone

from apps.surveys.models import Answer, Response, Role, Survey, Task, TaskRating
from apps.surveys.seeding import seed_survey
from apps.surveys.selectors import version_structure


@pytest.fixture
def survey(db):
    seed_survey()
    return Survey.objects.get(slug="ost-roles-duties")


@pytest.fixture
def build(survey):
    """build(role=..., state=..., answers={key: value}, ratings={code: (rel, imp, freq)})"""
    version = survey.versions.get()
    structure = version_structure(version)
    roles = {r.slug: r for r in Role.objects.all()}
    tasks = {t.code: t for t in Task.objects.all()}

    def make(
        *,
        role="frontline",
        state="CA",
        setting="school_campus",
        answers=None,
        ratings=None,
        language="en",
        days_ago=1,
        **flags,
    ) -> Response:
        now = timezone.now() - timedelta(days=days_ago)
        response = Response.objects.create(
            version=version,
            status=Response.Status.COMPLETE,
            language=language,
            started_at=now - timedelta(minutes=15),
            submitted_at=now,
            duration_seconds=900,
            role=roles[role],
            state=state,
            setting=setting,
            is_eligible_paid=True,
            last_page_key="follow_up",
            **flags,
        )
        rows = []
        for key, value in {"role": role, "setting": setting, **(answers or {})}.items():
            q = structure.questions[key]
            choices = {c.value: c for c in q.choice_list}
            values = value if isinstance(value, list) else [value]
            for v in values:
                if isinstance(v, str) and v in choices:
                    number = int(v) if v.isdigit() and q.type == "scale" else None
                    rows.append(
                        Answer(
                            response=response, question=q, choice=choices[v], number_value=number
                        )
                    )
                elif isinstance(v, bool):  # a yes/no answer
                    rows.append(Answer(response=response, question=q, bool_value=v))
                elif isinstance(v, int | float):
                    rows.append(Answer(response=response, question=q, number_value=v))
                else:
                    rows.append(Answer(response=response, question=q, text_value=v))
        Answer.objects.bulk_create(rows)
        TaskRating.objects.bulk_create(
            TaskRating(
                response=response,
                task=tasks[code],
                is_relevant=rel,
                importance=imp if rel else None,
                frequency=freq if rel else None,
            )
            for code, (rel, imp, freq) in (ratings or {}).items()
        )
        return response

    return make


@pytest.fixture
def exact(settings):
    """Figures without the cell-key noise, for tests of the arithmetic (suppression stays)."""
    settings.INSIGHTS_NOISE = False
