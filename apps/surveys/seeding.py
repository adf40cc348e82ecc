"""Load the seeded survey, its roles and the task bank. Creates what is missing; never edits."""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from apps.core.models import SeedRecord

from .conditions import validate_condition
from .models import Choice, Question, Role, Survey, SurveyPage, SurveyVersion, Task
from .qtypes import qtype

SEED_FILE = Path(__file__).resolve().parent / "seed" / "survey.json"


class SeedError(Exception):
    pass


def _once(kind: str, key: str) -> bool:
    """True the first time a seeded item is seen; remembers it so deletions stay deleted."""
    _record, created = SeedRecord.objects.get_or_create(kind=kind, key=key)
    return created


def _fields(item: dict, names: list[str]) -> dict:
    return {name: item[name] for name in names if name in item}


@transaction.atomic
def seed_survey(path: Path = SEED_FILE) -> dict[str, int]:
    """Create the seeded roles, tasks and survey (version 1, published). Idempotent."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = {"roles": 0, "tasks": 0, "surveys": 0}
    for item in data["roles"]:
        if _once("roles", item["slug"]) and not Role.objects.filter(slug=item["slug"]).exists():
            Role.objects.create(**item)
            created["roles"] += 1
    roles = {role.slug: role for role in Role.objects.all()}
    for item in data["tasks"]:
        if _once("tasks", item["code"]) and not Task.objects.filter(code=item["code"]).exists():
            task = Task.objects.create(
                for_all_roles=item["roles"] == ["all"],
                **_fields(
                    item,
                    [
                        "code",
                        "order",
                        "text_en",
                        "text_es",
                        "area_en",
                        "area_es",
                        "label_en",
                        "label_es",
                    ],
                ),
            )
            task.roles.set([roles[slug] for slug in item["roles"] if slug in roles])
            created["tasks"] += 1
    spec = data["survey"]
    if _once("surveys", spec["slug"]) and not Survey.objects.filter(slug=spec["slug"]).exists():
        survey = Survey.objects.create(**spec)
        version = SurveyVersion.objects.create(survey=survey, number=1)
        build_version(version, data["pages"])
        version.status = SurveyVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save()
        created["surveys"] += 1
    return created


def build_version(version: SurveyVersion, pages: list[dict]) -> None:
    """Create a version's pages, questions and choices from seed JSON, checking conditions."""
    known: dict[str, set[str] | None] = {}
    for page_spec in pages:
        problems = validate_condition(page_spec.get("condition"), known)
        if problems:
            raise SeedError(f"page {page_spec['key']}: {problems}")
        page = SurveyPage.objects.create(
            version=version,
            condition=page_spec.get("condition"),
            **_fields(page_spec, ["key", "order", "title_en", "title_es", "intro_en", "intro_es"]),
        )
        for order, q_spec in enumerate(page_spec["questions"], start=1):
            problems = validate_condition(q_spec.get("condition"), known)
            if problems:
                raise SeedError(f"question {q_spec['key']}: {problems}")
            question = Question.objects.create(
                version=version,
                page=page,
                order=order * 10,
                key=q_spec["key"],
                type=q_spec["type"],
                is_required=q_spec.get("required", False),
                condition=q_spec.get("condition"),
                min_value=q_spec.get("min"),
                max_value=q_spec.get("max"),
                step=q_spec.get("step"),
                **_fields(q_spec, ["text_en", "text_es", "help_en", "help_es"]),
            )
            choices = q_spec.get("choices") or []
            Choice.objects.bulk_create(
                Choice(
                    question=question,
                    order=i * 10,
                    **_fields(c, ["value", "label_en", "label_es", "is_other", "is_exclusive"]),
                )
                for i, c in enumerate(choices, start=1)
            )
            known[question.key] = qtype(question).known_values(
                question, {c["value"] for c in choices}
            )
