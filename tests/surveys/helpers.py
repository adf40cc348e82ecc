"""Valid answers for any survey page, built from the page's questions (server side)."""

import re

from django.urls import reverse

from apps.surveys.models import Response
from apps.surveys.sample import PAID_FRONTLINE, sample_page_data


def page_data(page, choices: dict | None = None, *, role_tasks=(), action="next") -> dict:
    """POST data answering every question on the page validly."""
    return sample_page_data(page, choices, role_tasks=role_tasks, action=action)


def start(client, survey) -> Response:
    response = client.post(survey.get_absolute_url())
    assert response.status_code == 302, response.content[:500]
    public_id = re.search(r"/survey/r/([0-9a-f-]+)/", response.url).group(1)
    return Response.objects.get(public_id=public_id)


def page_url(response: Response, key: str) -> str:
    return reverse("surveys:page", kwargs={"public_id": response.public_id, "page_key": key})


BEFORE_DUTIES = ["eligibility", "role", "time_use", "setting", "hours_pay", "education_career"]


def to_duties(client, survey, role="site_lead") -> Response:
    """A paid respondent of `role` with every page before the duties answered."""
    from apps.surveys.selectors import version_structure

    response = start(client, survey)
    structure = version_structure(response.version)
    for key in BEFORE_DUTIES:
        data = sample_page_data(structure.page(key), {"role": role})
        reply = client.post(page_url(response, key), data)
        assert reply.status_code == 302, (key, reply.content.decode()[:2000])
    return response


def current_key(http_response) -> str:
    return http_response.url.split("?")[0].rstrip("/").split("/")[-1]


def complete(client, survey, choices: dict | None = None) -> tuple[Response, list[str]]:
    """Answer every page the respondent's path shows; returns the response and pages seen."""
    from apps.surveys.selectors import tasks_for_role, version_structure

    response = start(client, survey)
    structure = version_structure(response.version)
    key = structure.pages[0].key
    url = page_url(response, key)
    seen = []
    role = {**PAID_FRONTLINE, **(choices or {})}["role"]
    role_tasks, _others = tasks_for_role(role)
    for _ in range(len(structure.pages) + 8):
        if key not in seen:
            seen.append(key)
        page = structure.page(key)
        reply = client.post(url, page_data(page, choices, role_tasks=role_tasks))
        assert reply.status_code == 302, (key, reply.content.decode()[:3000])
        if "/thanks/" in reply.url:
            response.refresh_from_db()
            return response, seen
        key, url = current_key(reply), reply.url
    raise AssertionError(f"never reached the thank-you page: {seen}")


def migrate_to(target) -> None:
    """Migrate the test database to `target`, an (app, migration) pair."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def migrate_surveys_to_latest() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("surveys"))


def version_texts(version, *, pages: bool = False) -> dict:
    """Every question's and choice's words in a version (and its pages' with `pages`), keyed
    by what they belong to: what the wording migrations change."""
    from apps.surveys.models import Choice, Question, SurveyPage

    texts = {}
    if pages:
        for page in SurveyPage.objects.filter(version=version):
            texts[("page", page.key)] = (page.title_en, page.intro_en, page.title_es, page.intro_es)
    for q in Question.objects.filter(version=version):
        texts[("question", q.key)] = (q.text_en, q.help_en, q.text_es, q.help_es)
    for c in Choice.objects.filter(question__version=version).select_related("question"):
        texts[("choice", c.question.key, c.value)] = (c.label_en, c.label_es)
    return texts


# The data migrations that reword questions and choices, in order: each one's CHANGES rows are
# (kind, key, field or choice value, language, seeded before, now).
REWORDINGS = ("0012_shorter_survey_questions", "0013_clearer_spanish_hints")


def undo_rewording(data: dict, changes) -> dict:
    """`data` (a seed) with the words of `changes` put back as they were before; each changed
    text must hold the migration's words."""
    questions = {q["key"]: q for p in data["pages"] for q in p["questions"]}
    for kind, key, name, lang, before, now in changes:
        if kind == "question":
            target, field = questions[key], f"{name}_{lang}"
        else:
            target = next(c for c in questions[key]["choices"] if c["value"] == name)
            field = f"label_{lang}"
        assert target.get(field, "") == now, (kind, key, name, lang)
        target[field] = before
    return data


def seed_as_of(migration: str) -> dict:
    """Today's survey seed with the rewording of every migration after `migration` (a name
    such as "0012_shorter_survey_questions") undone, latest first."""
    import importlib
    import json

    from apps.surveys.seeding import SEED_FILE

    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    for name in reversed(REWORDINGS):
        if name <= migration:
            break
        module = importlib.import_module(f"apps.surveys.migrations.{name}")
        undo_rewording(data, module.CHANGES)
    return data
