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
