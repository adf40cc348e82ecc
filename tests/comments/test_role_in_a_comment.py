"""The comment builder's first-person draft names the role as it reads in a sentence, and the
survey prefill puts forward the tasks the person rated important (issue 13, builder)."""

import importlib
import json

import pytest
from django.utils import translation

from apps.comments.drafting import compose_draft
from apps.comments.forms import BuilderForm
from apps.surveys.models import Role, Task, TaskRating
from apps.surveys.seeding import SEED_FILE
from apps.surveys.selectors import builder_prefill

from .helpers import builder_data, make_survey_response

pytestmark = pytest.mark.django_db
PHRASES = importlib.import_module("apps.surveys.migrations.0014_role_in_a_comment").PHRASES


def _draft(role: str, language: str) -> str:
    with translation.override(language):
        form = BuilderForm(builder_data(role=role, draft_language=language), language=language)
        assert form.is_valid(), form.errors
        return compose_draft(data=form.cleaned_data)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_role_reads_as_a_sentence_without_slashes_or_list_marks(survey, language):
    lead = {"en": "My main role: ", "es": "Mi función principal: "}[language]
    for role in Role.objects.all():
        draft = _draft(role.slug, language)
        line = next((s for s in draft.split(". ") if lead in s), "")
        assert "/" not in draft, (role.slug, draft)
        assert "write in" not in draft and "escriba" not in draft, (role.slug, draft)
        if role.slug == "other":
            assert not line, draft  # the job title says it; no "My main role: Other"
        else:
            assert line.split(lead, 1)[1].rstrip(".") == getattr(role, f"in_sentence_{language}")


def test_the_spanish_draft_names_the_function_not_a_gendered_title(survey):
    draft = _draft("site_lead", "es")
    assert "Mi función principal: coordinación o dirección de un sitio." in draft
    assert "Coordinador/a" not in draft


def test_a_fresh_install_and_a_migrated_database_read_the_same():
    seeded = {
        r["slug"]: (r["in_sentence_en"], r["in_sentence_es"])
        for r in json.loads(SEED_FILE.read_text(encoding="utf-8"))["roles"]
    }
    assert {slug: p for slug, p in seeded.items() if any(p)} == PHRASES
    assert seeded["other"] == ("", "")


def test_tasks_rated_not_important_are_not_put_forward_and_unrated_come_last(survey):
    response, _token = make_survey_response(survey, task_codes=())
    rated = {"T03": (2, 3), "T39": (1, 7), "T05": (None, None), "T01": (4, 2)}
    for code, (importance, frequency) in rated.items():
        TaskRating.objects.create(
            response=response,
            task=Task.objects.get(code=code),
            is_relevant=True,
            importance=importance,
            frequency=frequency,
        )
    codes = dict(Task.objects.values_list("pk", "code"))
    # Most important first; "Not important" (T39) left out; not rated (T05) after the rated.
    assert [codes[pk] for pk in builder_prefill(response)["tasks"]] == ["T01", "T03", "T05"]


def test_talking_points_are_shown_beside_the_draft_not_written_into_it(client, survey):
    """The builder pasted the portal's talking points word for word as the person's own
    sentences ("Today front-line staff are counted as ..." from a site coordinator)."""
    import re
    from html import unescape

    from apps.notices.models import TalkingPoint

    points = list(TalkingPoint.objects.all()[:2])
    data = builder_data(role="site_lead", talking_points=[p.pk for p in points])
    html = client.post("/comment/", data).content.decode()
    draft = unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1))
    beside = html.split('id="points-to-make"', 1)[1].split("</div>", 1)[0]
    for point in points:
        assert point.text_en not in draft
        assert unescape(point.text_en) in unescape(beside)
    # Checking the edited draft again keeps them beside it; in the draft's language.
    hidden = re.findall(r'name="points" value="(\d+)"', html)
    assert sorted(map(int, hidden)) == sorted(p.pk for p in points)
    fingerprint = re.search(r'name="fingerprint" value="([^"]*)"', html).group(1)
    again = client.post(
        "/comment/draft/",
        {
            "text": draft + " My own words.",
            "language": "es",
            "points": hidden,
            "fingerprint": fingerprint,
            "action": "check",
        },
    ).content.decode()
    assert unescape(points[0].text_es) in unescape(again.split('id="points-to-make"', 1)[1])
