"""Help texts that read two ways or as a fragment (issue 13): migration 0013 rewords them the way
surveys are versioned (an answered version is kept, a copy is published), a fresh database
gets them from the seed, and reversing puts the old words back."""

import importlib
import json

import pytest

from apps.surveys.models import Question, Response, Survey, SurveyVersion
from apps.surveys.seeding import build_version, seed_survey

from .helpers import migrate_surveys_to_latest, migrate_to, seed_as_of, version_texts

MIGRATION = importlib.import_module("apps.surveys.migrations.0013_clearer_spanish_hints")
BEFORE = ("surveys", "0012_shorter_survey_questions")
AFTER = ("surveys", "0013_clearer_spanish_hints")


def _help_es(version) -> dict:
    return dict(
        Question.objects.filter(version=version, key__in=["consent", "supervises"]).values_list(
            "key", "help_es"
        )
    )


SPANISH = [row for row in MIGRATION.CHANGES if row[1] in ("consent", "supervises")]


@pytest.fixture
def seeded_before(transactional_db, tmp_path):
    path = tmp_path / "survey_before_0013.json"
    path.write_text(json.dumps(seed_as_of(BEFORE[1]), ensure_ascii=False), encoding="utf-8")
    seed_survey(path)
    migrate_to(BEFORE)
    yield Survey.objects.get(slug="ost-roles-duties")
    migrate_surveys_to_latest()


def test_the_seed_has_the_clear_words_and_no_ambiguous_ones(db):
    survey = Survey.objects.create(slug="reference", title_en="Reference")
    version = SurveyVersion.objects.create(survey=survey, number=1)
    build_version(version, seed_as_of(AFTER[1])["pages"])
    assert _help_es(version) == {
        "consent": "Si responde «No», la encuesta termina.",
        "supervises": "Incluya a las personas cuyo trabajo dirige a diario.",
    }
    texts = " ".join(str(t) for t in version_texts(version).values())
    assert "Responder No termina" not in texts and "Cuente a quien" not in texts


def test_an_unanswered_version_is_reworded_in_place_and_back(seeded_before):
    version = seeded_before.versions.get()
    assert _help_es(version) == {
        "consent": "Responder No termina la encuesta.",
        "supervises": "Cuente a quien dirige en el día a día.",
    }
    migrate_to(AFTER)
    assert seeded_before.versions.count() == 1
    assert _help_es(version) == {row[1]: row[5] for row in SPANISH}
    follow_up = Question.objects.get(version=version, key="follow_up")
    assert follow_up.help_en.startswith("That is when") and follow_up.help_es.startswith("Es ")
    migrate_to(BEFORE)
    assert _help_es(version) == {row[1]: row[4] for row in SPANISH}


def test_an_answered_version_keeps_its_words_and_a_copy_is_published(seeded_before):
    version = seeded_before.versions.get()
    Response.objects.create(version=version, language="es")
    old = version_texts(version)
    migrate_to(AFTER)
    version.refresh_from_db()
    assert version.status == SurveyVersion.Status.RETIRED
    assert version_texts(version) == old
    copy = seeded_before.versions.get(status=SurveyVersion.Status.PUBLISHED)
    assert "clearer help texts" in copy.notes
    new = version_texts(copy)
    assert sorted(k for k in old if old[k] != new[k]) == [
        ("question", "consent"),
        ("question", "follow_up"),
        ("question", "supervises"),
    ]
    migrate_to(BEFORE)  # nobody answered the copy: it goes, the old version is published again
    assert list(seeded_before.versions.values_list("number", "status")) == [(1, "published")]
