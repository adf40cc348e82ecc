"""Roles are named as the survey names them, everywhere: the builder, the pledge and the staff
counts showed the taxonomy's list labels ("Site coordinator / site director") and "Other
(write in)" with nowhere to write."""

import importlib

import pytest

from apps.surveys.models import Role, Survey

from .helpers import migrate_surveys_to_latest, migrate_to

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("apps.surveys.migrations.0015_role_labels_as_in_the_survey")


def test_each_role_label_is_the_surveys_choice_in_both_languages(survey):
    question = survey.versions.get().questions.get(key="role")
    choices = {c.value: (c.label_en, c.label_es) for c in question.choices.all()}
    roles = {r.slug: (r.label_en, r.label_es) for r in Role.objects.all()}
    assert roles == choices
    assert not any("write in" in en or "escriba" in es for en, es in roles.values())


@pytest.mark.parametrize("url", ["/comment/", "/comment/pledge/"])
def test_public_forms_offer_no_write_in_they_cannot_take(client, survey, url):
    html = client.get(url).content.decode()
    assert "Site coordinator or director" in html
    assert "write in" not in html and "/ site director" not in html


def test_the_migration_relabels_only_untouched_roles_and_back(transactional_db):
    from apps.surveys.seeding import seed_survey

    seed_survey()
    migrate_to(("surveys", "0014_role_in_a_comment"))
    try:
        for slug, ((en, es), _now) in MIGRATION.LABELS.items():
            Role.objects.filter(slug=slug).update(label_en=en, label_es=es)
        Role.objects.filter(slug="tutor").update(label_en="Tutor (staff wording)")
        migrate_to(("surveys", "0015_role_labels_as_in_the_survey"))
        assert Role.objects.get(slug="site_lead").label_en == "Site coordinator or director"
        assert Role.objects.get(slug="other").label_es == "Otra"
        tutor = Role.objects.get(slug="tutor")
        assert (tutor.label_en, tutor.label_es) == (
            "Tutor (staff wording)",
            "Tutor/a o ayuda con tareas",
        )
        migrate_to(("surveys", "0014_role_in_a_comment"))
        assert Role.objects.get(slug="site_lead").label_en == "Site coordinator / site director"
        assert Role.objects.get(slug="tutor").label_en == "Tutor (staff wording)"
    finally:
        migrate_surveys_to_latest()
        assert Survey.objects.exists()
