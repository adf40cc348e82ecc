"""The seeded survey in plainer, shorter words (issue 13): the data migration brings a
database seeded with the old words to the new seed, the way surveys are versioned."""

import importlib
import json
import re

import pytest

from apps.surveys.models import (
    Question,
    Response,
    Survey,
    SurveyVersion,
    Task,
)
from apps.surveys.seeding import SEED_FILE, seed_survey

from .helpers import migrate_surveys_to_latest, migrate_to, seed_as_of, version_texts

MIGRATION = importlib.import_module("apps.surveys.migrations.0008_plainer_shorter_survey_text")
SPANISH = importlib.import_module("apps.surveys.migrations.0009_shorter_spanish_task_statements")
BEFORE = ("surveys", "0007_response_pages_and_submissions")
AFTER = ("surveys", "0008_plainer_shorter_survey_text")


def _seed_after() -> dict:
    """The seed as this migration left it: today's seed with the later rewordings undone."""
    return seed_as_of(AFTER[1])


def _old_seed(tmp_path):
    """The seed as it was before the migration: the new seed with each change undone."""
    data = _seed_after()
    pages = {p["key"]: p for p in data["pages"]}
    questions = {q["key"]: q for p in data["pages"] for q in p["questions"]}
    for kind, key, name, lang, old, new in MIGRATION.CHANGES:
        if kind == "survey":
            target, field = data["survey"], f"{name}_{lang}"
        elif kind == "page":
            target, field = pages[key], f"{name}_{lang}"
        elif kind == "question":
            target, field = questions[key], f"{name}_{lang}"
        else:
            target = next(c for c in questions[key]["choices"] if c["value"] == name)
            field = f"label_{lang}"
        assert target.get(field, "") == new, (kind, key, name, lang)
        target[field] = old
    tasks = {t["code"]: t for t in data["tasks"]}
    for code, old, new in SPANISH.SPANISH:
        assert tasks[code]["text_es"] == new
        tasks[code]["text_es"] = old
    path = tmp_path / "old_survey.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def seeded_before(transactional_db, tmp_path):
    # Seeded with today's models (they have fields later migrations add, such as the task
    # labels of 0010), then taken back to before the migration.
    seed_survey(_old_seed(tmp_path))
    migrate_to(BEFORE)
    yield Survey.objects.get(slug="ost-roles-duties")
    migrate_surveys_to_latest()


def _reference(tmp_path) -> dict:
    """What a fresh database seeded from the new seed holds."""
    survey = Survey.objects.create(slug="reference", title_en="Reference")
    version = SurveyVersion.objects.create(survey=survey, number=1)
    from apps.surveys.seeding import build_version

    build_version(version, _seed_after()["pages"])
    texts = version_texts(version, pages=True)
    survey.delete()
    return texts


def test_an_unanswered_version_gets_the_new_words_in_place(seeded_before, tmp_path):
    version = seeded_before.versions.get()
    old = version_texts(version, pages=True)
    migrate_to(AFTER)
    version.refresh_from_db()
    assert version.status == SurveyVersion.Status.PUBLISHED
    assert seeded_before.versions.count() == 1
    new = version_texts(version, pages=True)
    assert new != old
    assert new == _reference(tmp_path)
    seeded_before.refresh_from_db()
    assert "15 minutes" not in seeded_before.intro_en  # the landing page states the model's


def test_an_answered_version_is_kept_and_a_new_version_is_published(seeded_before, tmp_path):
    version = seeded_before.versions.get()
    Response.objects.create(version=version, language="en")
    staff_words = "Which best describes your main role, in your words?"
    Question.objects.filter(version=version, key="role").update(text_en=staff_words)
    old = version_texts(version, pages=True)
    migrate_to(AFTER)
    version.refresh_from_db()
    assert version.status == SurveyVersion.Status.RETIRED
    assert version_texts(version, pages=True) == old  # the answers keep the words they answered
    new_version = seeded_before.versions.get(status=SurveyVersion.Status.PUBLISHED)
    assert new_version.number == 2 and new_version.published_at is not None
    new = version_texts(new_version, pages=True)
    reference = _reference(tmp_path)
    assert new[("question", "role")][0] == staff_words  # staff's own words are kept
    differ = [k for k in reference if reference[k] != new[k]]
    assert differ == [("question", "role")]


def test_the_new_words_are_shorter_in_both_languages():
    def count(lang, which):
        return sum(
            len(re.findall(r"[^\W\d_]+", row[4 if which == "old" else 5]))
            for row in MIGRATION.CHANGES
            if row[3] == lang
        )

    for lang in ("en", "es"):
        assert count(lang, "new") < 0.6 * count(lang, "old"), lang
    # Spanish about as short as English.
    assert count("es", "new") < 1.3 * count("en", "new")


def test_the_spanish_task_statements_get_shorter_unless_staff_reworded_them(seeded_before):
    code, old, new = SPANISH.SPANISH[0]
    other_code, other_old, _other_new = SPANISH.SPANISH[1]
    Task.objects.filter(code=other_code).update(text_es="Redactado por el personal.")
    # Read one column: the model's later fields (0010's labels) are not in this schema yet.
    assert Task.objects.filter(code=code).values_list("text_es", flat=True).get() == old
    migrate_surveys_to_latest()
    assert Task.objects.get(code=code).text_es == new
    assert Task.objects.get(code=other_code).text_es == "Redactado por el personal."
    seeded = json.loads(SEED_FILE.read_text(encoding="utf-8"))["tasks"]
    words = {
        lang: sum(len(re.findall(r"[^\W\d_]+", t[f"text_{lang}"])) for t in seeded)
        for lang in ("en", "es")
    }
    assert words["es"] < 1.3 * words["en"]
