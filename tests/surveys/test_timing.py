"""The stated time comes from the keystroke-level model bench-ux measures with, applied to the
survey's own words in the respondent's language."""

import pytest
from django.utils import translation

from apps.surveys import timing
from apps.surveys.models import Question
from apps.surveys.selectors import expected_pages, version_structure

pytestmark = pytest.mark.django_db


def _minutes(structure, **kw):
    pages = expected_pages(structure, {})
    return timing.path_minutes(structure, pages, {}, task_count=24, **kw)["total_seconds"]


def test_fewer_words_make_a_shorter_estimate(survey):
    structure = version_structure(survey.versions.get())
    before = _minutes(structure)
    q = Question.objects.get(version=structure.version, key="consent")
    extra = " word" * 230  # one more minute of reading at 230 words a minute
    q.text_en += extra
    q.save()  # bumps the version, so its cached structure is reloaded
    after = _minutes(version_structure(survey.versions.get()))
    assert after - before == pytest.approx(60, abs=0.5)


def test_the_estimate_reads_the_respondents_language(survey):
    structure = version_structure(survey.versions.get())
    page = next(p for p in structure.pages if p.key == "role")
    role = next(q for q in page.question_list if q.key == "role")
    with translation.override("en"):
        english = timing.question_cost(role)[0]
    with translation.override("es"):
        spanish = timing.question_cost(role)[0]
    words_en = timing.words(role.text_en) + sum(timing.words(c.label_en) for c in role.choice_list)
    words_es = timing.words(role.text_es) + sum(timing.words(c.label_es) for c in role.choice_list)
    assert spanish - english == pytest.approx(timing.read_seconds(words_es - words_en))


def test_a_cap_on_rated_tasks_shortens_the_estimate_before_the_checklist(survey):
    version = survey.versions.get()
    uncapped = _minutes(version_structure(version))
    version.max_rated_tasks = 8
    version.save()
    capped = _minutes(version_structure(version))
    # 16 expected ratings (two thirds of 24) become 8: 8 tasks and one screen fewer.
    fewer = timing.rating_seconds(16, timing.TASK_WORDS) - timing.rating_seconds(
        8, timing.TASK_WORDS
    )
    assert uncapped - capped == pytest.approx(fewer + timing.LOAD + timing.TAP)
