import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.accounts.roles import Role
from apps.partners.models import ResultsPublication
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_the_results_page_waits_until_staff_publish(client, respond, partner_a):
    respond(partner_a.links.first().collector, 12, state="CA")
    page = client.get(reverse("partners:public_results"))
    assert page.status_code == 200
    assert "not public yet" in page.content.decode()
    assert "data" not in page.context


def test_editors_publish_and_the_page_shows_suppressed_headline_figures(client, respond, partner_a):
    respond(partner_a.links.first().collector, 12, state="CA")
    respond(partner_a.links.first().collector, 2, state="NV")
    editor = make_user(Role.EDITOR)
    client.force_login(editor)
    assert client.post(reverse("partners:results_publish"), {"publish": "1"}).status_code == 302
    assert ResultsPublication.objects.get().is_published
    client.logout()
    page = client.get(reverse("partners:public_results"))
    data = page.context["data"]
    assert data["total"] == 14
    states = {row.key: row for row in data["by_state"].rows}
    assert states["NV"].hidden and states["CA"].hidden  # complementary suppression
    assert [t.task.code for t in data["core_tasks"]]  # the one rated task is core
    html = page.content.decode()
    assert "Data as of" in html and "How these figures are made" in html
    assert "Alpha Network" not in html  # no partner link names on the public page


def test_public_core_tasks_are_the_front_line_roles_not_all_pooled(client, respond, partner_a):
    """12 program managers who all do T01 do not make it a core task of the front-line
    occupation; 12 frontline youth workers do (a reviewer found manager and coach tasks listed
    as core of the field: each task's share is among those asked, mostly its own roles)."""
    ResultsPublication.objects.create(pk=1, is_published=True)
    respond(partner_a.links.first().collector, 12, role="program_manager")
    data = client.get(reverse("partners:public_results")).context["data"]
    assert data["core_tasks"] == []
    assert data["core_role"].slug == "frontline"
    cache.clear()
    respond(partner_a.links.first().collector, 12, role="frontline")
    page = client.get(reverse("partners:public_results"))
    assert [t.task.code for t in page.context["data"]["core_tasks"]] == ["T01"]
    assert "Frontline youth worker" in page.content.decode()


def test_reviewers_cannot_publish(client):
    client.force_login(make_user(Role.REVIEWER))
    assert client.post(reverse("partners:results_publish"), {"publish": "1"}).status_code == 403
    assert not ResultsPublication.objects.exists()


def test_the_results_page_in_spanish(client, respond, partner_a):
    respond(partner_a.links.first().collector, 6)
    ResultsPublication.objects.create(pk=1, is_published=True)
    page = client.get(reverse("partners:public_results"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Resultados de la encuesta hasta ahora" in page.content.decode()


def test_the_codebook_lists_questions_answer_codes_and_scales(client, survey):
    reply = client.get(reverse("partners:codebook"))
    assert reply["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(reply.streaming_content).decode())))
    assert rows[0][:3] == ["question_key", "page", "type"]
    role_codes = {r[5] for r in rows if r[0] == "role" and r[5]}
    assert "frontline" in role_codes
    importance = [r for r in rows if r[0] == "task_importance" and r[5]]
    assert [r[5] for r in importance] == ["1", "2", "3", "4", "5"]
    assert all(r[6] and r[7] for r in importance)  # English and Spanish labels


def test_new_responses_show_at_once_despite_the_cache(client, respond, partner_a):
    ResultsPublication.objects.create(pk=1, is_published=True)
    respond(partner_a.links.first().collector, 6)
    assert client.get(reverse("partners:public_results")).context["data"]["total"] == 6
    respond(partner_a.links.first().collector, 3)
    assert client.get(reverse("partners:public_results")).context["data"]["total"] == 9


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_stamp_and_method_read_cleanly_in_both_languages(language):
    """A morning time ends in "a.m." in English: the stamp adds no second period after it,
    and the hiding rule names the counts hidden (1 to k - 1), not "1 to k minus one"."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    when = datetime(2026, 12, 7, 9, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with translation.override(language):
        stamp = render_to_string("partners/_stamp.html", {"as_of": when})
        legend = render_to_string(
            "partners/links.html", {"suppression_k": 5, "links": [], "rows": []}
        )
    assert ".." not in stamp
    assert ("a.m." in stamp) if language == "en" else ("09:01" in stamp)
    assert "minus one" not in legend and "menos uno" not in legend
    assert (
        ("1 to 4 (fewer than 5)" in legend)
        if language == "en"
        else ("1 a 4 (menos de 5)" in legend)
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_core_task_whose_share_is_hidden_says_67_percent_or_more(rf, language):
    """A task can be known to be core while its exact relevance share is hidden (every value
    the hidden count could take gives core): the table says what is known, "67% or more",
    instead of a bare dash a reader cannot check against the 67% rule in the heading."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from apps.surveys.models import Role, Task

    task = Task(code="T99", text_en="Plan the week", text_es="Planear la semana")
    core = [
        SimpleNamespace(
            task=task, relevance_pct=None, relevance_digits=0, importance_mean=3.8,
            importance_digits=1,
        ),
        SimpleNamespace(
            task=task, relevance_pct=91.0, relevance_digits=0, importance_mean=4.1,
            importance_digits=1,
        ),
    ]  # fmt: skip
    role = Role(slug="frontline", label_en="Frontline youth worker", label_es="Personal de base")
    data = SimpleNamespace(
        as_of=timezone.now(), by_role=[], by_state=[], core_tasks=core, core_role=role,
        crosswalk=[], k=5, titles=[], total=120, total_hidden=False,
    )  # fmt: skip
    with translation.override(language):
        html = render_to_string("partners/results.html", {"data": data}, request=rf.get("/"))
    assert ("67% or more" if language == "en" else "67 % o más") in html
    assert "91" in html
    assert ("Frontline youth worker" if language == "en" else "Personal de base") in html
