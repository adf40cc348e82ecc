import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.surveys.models import Question, Response, SurveyVersion
from apps.surveys.services import response_set_excluded
from apps.surveys.versioning import version_copy_as_draft, version_publish

from .helpers import complete

pytestmark = pytest.mark.django_db
ADMIN = "/" + settings.ADMIN_URL


def test_overview_counts_responses_per_collector(client, survey, reviewer, administrator):
    from apps.surveys.models import Collector

    collector = Collector.objects.create(
        survey=survey, slug="p1", name="Partner one", channel="email"
    )
    visitor = type(client)()
    visitor.get(collector.get_absolute_url())
    complete(visitor, survey)
    client.force_login(reviewer)
    html = client.get(reverse("surveys:staff_overview")).content.decode()
    assert "Partner one" in html
    # One response: an exact count of 1 is for administrators; reviewers are sent to the
    # dashboards, where it is hidden.
    assert "complete responses of" not in html and ">Started<" not in html
    assert "exact counts are for administrators" in html
    assert "Enter paper responses" not in html  # import is for Administrators
    client.force_login(administrator)
    html = client.get(reverse("surveys:staff_overview")).content.decode()
    assert "1 complete responses of 1 started." in html
    assert '<td class="text-end">1</td><td class="text-end">1</td>' in html


def test_preview_shows_every_page_without_saving(client, survey, editor):
    client.force_login(editor)
    version = survey.versions.get()
    html = client.get(
        reverse("surveys:preview", kwargs={"version_id": version.pk})
    ).content.decode()
    assert "Preview of version 1. Nothing is saved." in html
    reply = client.get(
        reverse("surveys:preview_page", kwargs={"version_id": version.pk, "page_key": "duties"}),
        {"role": "site_lead"},
    )
    assert reply.status_code == 200
    assert "Schedule staff, volunteers" in reply.content.decode()
    assert not Response.objects.exists()


def test_a_published_version_with_responses_cannot_change(client, survey, administrator):
    complete(type(client)(), survey)
    version = survey.versions.get()
    assert version.is_frozen
    question = version.questions.get(key="job_title")
    client.force_login(administrator)
    change = client.post(
        f"{ADMIN}surveys/question/{question.pk}/change/",
        {"text_en": "Changed", "key": "job_title", "type": "short_text"},
    )
    assert change.status_code == 403
    question.refresh_from_db()
    assert question.text_en != "Changed"
    add = client.post(
        f"{ADMIN}surveys/surveypage/add/",
        {
            "version": version.pk,
            "key": "extra",
            "order": 999,
            "title_en": "Extra",
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
        },
    )
    assert add.status_code == 200
    assert "cannot change" in add.content.decode()


def test_changes_go_to_a_new_draft_version_that_can_be_published(survey, administrator):
    old = survey.versions.get()
    draft = version_copy_as_draft(version=old, by=administrator)
    assert draft.number == 2 and draft.status == SurveyVersion.Status.DRAFT
    assert draft.questions.count() == old.questions.count()
    assert sum(q.choices.count() for q in draft.questions.all()) == sum(
        q.choices.count() for q in old.questions.all()
    )
    Question.objects.filter(version=draft, key="job_title").update(text_en="Your job title")
    version_publish(version=draft, by=administrator)
    old.refresh_from_db()
    assert old.status == SurveyVersion.Status.RETIRED
    assert old.questions.get(key="job_title").text_en != "Your job title"
    assert AuditEvent.objects.filter(action="published", object_id=str(draft.pk)).exists()


def test_new_responses_use_the_published_version_and_record_it(client, survey, administrator):
    draft = version_copy_as_draft(version=survey.versions.get(number=1), by=administrator)
    version_publish(version=draft, by=administrator)
    response, _ = complete(client, survey)
    assert response.version == draft


def test_exclude_and_restore_are_audited(survey, administrator):
    from django.test import Client

    response, _ = complete(Client(), survey)
    response_set_excluded(response=response, by=administrator, excluded=True, reason="Test entry")
    assert Response.objects.included().count() == 0
    response_set_excluded(response=response, by=administrator, excluded=False)
    assert Response.objects.included().count() == 1
    assert AuditEvent.objects.filter(object_type="surveys.response").count() == 2


def test_contacts_are_for_administrators_only(client, survey, editor, administrator):
    url = f"{ADMIN}surveys/respondentcontact/"
    client.force_login(editor)
    assert client.get(url).status_code == 403
    client.force_login(administrator)
    assert client.get(url).status_code == 200


def _upload(rows: list[str], name="paper.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(rows).encode(), content_type="text/csv")


def _paper_row(template_header: list[str], **values) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out).writerow([values.get(col, "") for col in template_header])
    return out.getvalue().strip()


def test_paper_import_validates_row_by_row(client, survey, administrator):
    client.force_login(administrator)
    header = client.get(reverse("surveys:paper_template", kwargs={"slug": survey.slug}))
    columns = header.content.decode().strip().split(",")
    assert columns[0] == "language" and "task_T01_rel" in columns
    good = _paper_row(
        columns,
        language="es",
        consent="yes",
        eligibility="volunteer",
        role="tutor",
        job_title="Tutora",
        supervises="no",
        quote_consent="internal",
    )
    bad = _paper_row(
        columns,
        language="en",
        consent="yes",
        eligibility="paid",
        role="astronaut",
        job_title="x",
        supervises="no",
    )
    reply = client.post(
        reverse("surveys:paper_import", kwargs={"slug": survey.slug}),
        {"file": _upload([",".join(columns), good, bad])},
    )
    html = reply.content.decode()
    assert "1 rows imported, 1 rows refused." in html
    assert "role:" in html
    imported = Response.objects.get()
    assert imported.is_staff_entered and imported.entered_by == administrator
    assert imported.status == Response.Status.COMPLETE and imported.language == "es"
    assert not imported.is_too_fast


def test_paper_import_refuses_wrong_files_with_a_message(client, survey, administrator, settings):
    client.force_login(administrator)
    url = reverse("surveys:paper_import", kwargs={"slug": survey.slug})
    html = client.post(url, {"file": _upload(["a,b", "1,2"])}).content.decode()
    assert "The first line must be the template" in html
    html = client.post(url, {"file": SimpleUploadedFile("x.csv", b"\xff\xfebad")}).content
    assert "not UTF-8" in html.decode()
    settings.SURVEY_IMPORT_MAX_BYTES = 10
    html = client.post(url, {"file": _upload(["language,consent", "en,yes"])}).content.decode()
    assert "larger than" in html
    assert not Response.objects.exists()


def test_paper_import_is_for_administrators_only(client, survey, editor):
    client.force_login(editor)
    url = reverse("surveys:paper_import", kwargs={"slug": survey.slug})
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("surveys:paper_template", kwargs={"slug": survey.slug})).status_code
        == 403
    )


def test_reviewers_see_no_preview_link_they_cannot_open(client, survey, reviewer, editor):
    client.force_login(reviewer)
    preview = reverse("surveys:preview", kwargs={"version_id": survey.versions.get().pk})
    assert client.get(preview).status_code == 403
    assert preview not in client.get("/staff/surveys/").content.decode()
    client.force_login(editor)
    assert preview in client.get("/staff/surveys/").content.decode()
