"""Shorter questions, help texts and choice labels (issue 13, the ten-minute goal): the data
migration 0012 brings a database seeded with the 0008 words to the new seed, the way surveys are
versioned, and reversing it puts the old words back."""

import importlib
import json
import re

import pytest

from apps.surveys.models import Question, Response, Survey, SurveyVersion
from apps.surveys.seeding import build_version, seed_survey

from .helpers import migrate_surveys_to_latest, migrate_to, seed_as_of, version_texts

MIGRATION = importlib.import_module("apps.surveys.migrations.0012_shorter_survey_questions")
BEFORE = ("surveys", "0011_drop_redundant_fk_indexes")
AFTER = ("surveys", "0012_shorter_survey_questions")
WORD = re.compile(r"[^\W\d_]+")  # as apps/surveys/timing.py and bench/ux_bench.py count


def _seed_data(*, old: bool) -> dict:
    """The seed as this migration left it, or (old) as it was before."""
    return seed_as_of(BEFORE[1] if old else AFTER[1])


def _fresh(*, old: bool) -> dict:
    """What a fresh database seeded from the new (or the old) seed holds."""
    survey = Survey.objects.create(slug=f"reference-{old}", title_en="Reference")
    version = SurveyVersion.objects.create(survey=survey, number=1)
    build_version(version, _seed_data(old=old)["pages"])
    texts = version_texts(version)
    survey.delete()
    return texts


@pytest.fixture
def seeded_before(transactional_db, tmp_path):
    path = tmp_path / "survey_before_0012.json"
    path.write_text(json.dumps(_seed_data(old=True), ensure_ascii=False), encoding="utf-8")
    seed_survey(path)
    migrate_to(BEFORE)
    yield Survey.objects.get(slug="ost-roles-duties")
    migrate_surveys_to_latest()


def test_an_unanswered_version_gets_the_new_words_in_place_and_back(seeded_before):
    version = seeded_before.versions.get()
    old = version_texts(version)
    assert old == _fresh(old=True)
    before = version.updated_at
    migrate_to(AFTER)
    assert seeded_before.versions.count() == 1
    # Changed in place: the version's time moves, so cached structures are dropped.
    assert seeded_before.versions.get().updated_at > before
    new = version_texts(version)
    assert new == _fresh(old=False)
    changed = {
        ("question", key) if kind == "question" else ("choice", key, name)
        for kind, key, name, _lang, _old, _new in MIGRATION.CHANGES
    }
    assert {k for k in new if new[k] != old[k]} == changed
    # Reversed: the old words again, except where staff reworded after the migration.
    staff = "Where is your program, mostly?"
    Question.objects.filter(version=version, key="setting").update(text_en=staff)
    migrate_to(BEFORE)
    back = version_texts(version)
    assert back[("question", "setting")][0] == staff
    assert [k for k in old if old[k] != back[k]] == [("question", "setting")]


def test_an_answered_version_is_kept_and_a_new_version_is_published(seeded_before):
    version = seeded_before.versions.get()
    Response.objects.create(version=version, language="en")
    staff = "Where do you work? (State and ZIP)"
    Question.objects.filter(version=version, key="state_zip").update(text_en=staff)
    old = version_texts(version)
    migrate_to(AFTER)
    version.refresh_from_db()
    assert version.status == SurveyVersion.Status.RETIRED
    assert version_texts(version) == old  # the answers keep the words they answered
    copy = seeded_before.versions.get(status=SurveyVersion.Status.PUBLISHED)
    assert copy.number == 2 and copy.published_at is not None
    new, reference = version_texts(copy), _fresh(old=False)
    assert new[("question", "state_zip")][0] == staff  # staff's own words are kept
    assert [k for k in reference if reference[k] != new[k]] == [("question", "state_zip")]
    # Reversed before anyone answered the copy: it goes, and the old version is published again.
    migrate_to(BEFORE)
    assert list(seeded_before.versions.values_list("number", "status")) == [(1, "published")]
    assert version_texts(version) == old


def test_reversing_keeps_a_copy_that_was_answered(seeded_before):
    version = seeded_before.versions.get()
    Response.objects.create(version=version, language="en")
    migrate_to(AFTER)
    copy = seeded_before.versions.get(status=SurveyVersion.Status.PUBLISHED)
    Response.objects.create(version=copy, language="es")
    answered = version_texts(copy)
    migrate_to(BEFORE)
    copy.refresh_from_db()
    version.refresh_from_db()
    assert (copy.status, version.status) == ("published", "retired")
    assert version_texts(copy) == answered


def test_a_database_without_the_seeded_survey_is_untouched(transactional_db):
    migrate_to(BEFORE)
    try:
        migrate_to(AFTER)
        assert not Survey.objects.exists()
    finally:
        migrate_surveys_to_latest()


def test_only_words_change_not_questions_choices_or_what_is_stored():
    old, new = _seed_data(old=True), _seed_data(old=False)

    def shape(data):
        return [
            (
                p["key"],
                [
                    (
                        q["key"],
                        q["type"],
                        q.get("required"),
                        q.get("condition"),
                        [c["value"] for c in q.get("choices", [])],
                    )
                    for q in p["questions"]
                ],
            )
            for p in data["pages"]
        ]

    assert shape(old) == shape(new)
    assert old["tasks"] == new["tasks"]  # the duties checklist's task statements
    for kind, _key, name, _lang, _before, now in MIGRATION.CHANGES:
        assert kind in ("question", "choice")
        if kind == "choice" or name == "text":
            assert now.strip(), (kind, _key, name)  # no question or choice left without words


def test_the_new_words_are_fewer_in_both_languages():
    def count(lang, column):
        return sum(len(WORD.findall(row[column])) for row in MIGRATION.CHANGES if row[3] == lang)

    for lang in ("en", "es"):
        assert count(lang, 5) < 0.75 * count(lang, 4), lang
    for row in MIGRATION.CHANGES:
        assert len(WORD.findall(row[5])) <= len(WORD.findall(row[4])), row
