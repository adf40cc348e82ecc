import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.surveys.models import (
    Answer,
    Collector,
    RespondentContact,
    Response,
    ResumeToken,
    Role,
    Task,
    TaskRating,
)
from apps.surveys.selectors import version_structure

from .helpers import complete, page_data, page_url, start

pytestmark = pytest.mark.django_db


def test_landing_states_the_time_it_takes_in_both_languages(client, survey):
    """Before the role is known, the shortest and the longest role's path: one average said
    8 minutes to frontline staff, the largest group, whose path the model puts at 10."""
    from apps.surveys import timing
    from apps.surveys.selectors import expected_pages, tasks_for_role
    from apps.surveys.stated_time import mean_task_words, survey_minutes_range

    structure = version_structure(survey.versions.get())
    pages = expected_pages(structure, {})
    for language, said in (
        ("en", "{low} to {high} minutes, depending on your role"),
        ("es", "De {low} a {high} minutos, según su función"),
    ):
        with translation.override(language):
            low, high = survey_minutes_range(structure)
            # Recomputed here from each role's own checklist.
            per_role = []
            for role in Role.objects.all():
                tasks = tasks_for_role(role.slug)[0] or list(Task.objects.filter(is_active=True))
                per_role.append(
                    timing.path_minutes(
                        structure,
                        pages,
                        {},
                        task_count=len(tasks),
                        task_words=mean_task_words(tasks),
                        label_words=mean_task_words(tasks, label=True),
                    )["total"]
                )
        assert (low, high) == (min(per_role), max(per_role)) and 5 <= low < high <= 20
        client.cookies["django_language"] = language
        html = client.get(survey.get_absolute_url()).content.decode()
        assert said.format(low=low, high=high) in html, language
    assert survey.title_es in html


def test_the_time_left_is_a_range_until_the_role_is_known_then_the_roles_own(client, survey):
    from apps.surveys.stated_time import survey_minutes_range

    low, high = survey_minutes_range(version_structure(survey.versions.get()))
    response = start(client, survey)
    html = client.get(page_url(response, "eligibility")).content.decode()
    assert f"{low} to {high} minutes left" in html
    structure = version_structure(response.version)
    for key in ("eligibility", "role"):
        data = page_data(structure.page(key), {"role": "site_lead"})
        assert client.post(page_url(response, key), data).status_code == 302
    html = client.get(page_url(response, "time_use")).content.decode()
    left = int(re.search(r"about (\d+) minutes? left", html).group(1))
    assert low < left <= high  # the site coordinator's own path, one of the longest
    assert " to " not in html.split('id="progress-label">', 1)[1].split("</p>", 1)[0]


def test_a_paid_frontline_worker_completes_every_page(client, survey):
    response, seen = complete(client, survey)
    assert response.status == Response.Status.COMPLETE
    assert len(seen) == 11
    assert response.role.slug == "frontline"
    assert response.state == "TX"
    assert response.is_eligible_paid is True
    assert response.quote_consent == "anonymous"
    assert TaskRating.objects.filter(response=response, is_relevant=True).count() == 20
    assert response.language == "en"
    assert response.version.number == 1


def test_the_thank_you_page_offers_the_comment_builder_once_from_the_answers(client, survey):
    response, _seen = complete(client, survey)
    html = client.get(reverse("surveys:thanks", kwargs={"public_id": response.public_id}))
    links = re.findall(r'href="(/comment/[^"]*)"', html.content.decode())
    assert links == ["/comment/?from=survey&amp;lang=en"], links


def test_volunteers_take_the_short_path(client, survey):
    response, seen = complete(client, survey, {"eligibility": "volunteer"})
    assert response.status == Response.Status.COMPLETE
    assert "duties" not in seen and "hours_pay" not in seen and "time_use" not in seen
    assert "open_questions" in seen
    assert not TaskRating.objects.filter(response=response).exists()
    assert response.is_eligible_paid is False


def test_declining_consent_ends_the_survey_politely(client, survey):
    response, seen = complete(client, survey, {"consent": "no"})
    assert seen == ["eligibility"]
    assert response.status == Response.Status.SCREENED_OUT
    html = client.get(reverse("surveys:thanks", kwargs={"public_id": response.public_id}))
    assert "Thank you for your interest" in html.content.decode()


def test_supervision_questions_only_for_those_who_supervise(client, survey):
    response, _seen = complete(client, survey, {"supervises": "no"})
    assert not Answer.objects.filter(response=response, question__key="supervise_count").exists()
    response, _seen = complete(Client(), survey, {"supervises": "yes"})
    assert Answer.objects.filter(response=response, question__key="supervise_count").exists()


def test_another_browser_can_never_open_a_response(client, survey):
    response = start(client, survey)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    stranger = Client()
    for url in [
        page_url(response, "eligibility"),
        page_url(response, "role"),
        reverse("surveys:thanks", kwargs={"public_id": response.public_id}),
    ]:
        reply = stranger.get(url)
        assert reply.status_code == 404
        assert "We could not open this survey response" in reply.content.decode()
    assert stranger.post(page_url(response, "role"), {"role": "tutor"}).status_code == 404


def test_next_and_back_keep_answers(client, survey):
    response = start(client, survey)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    reply = client.post(
        page_url(response, "role"),
        {"action": "back", "job_title": "Site lead", "role": "site_lead"},
    )
    assert reply.url.endswith("/page/eligibility/")
    html = client.get(page_url(response, "role")).content.decode()
    assert 'value="Site lead"' in html
    assert 'value="site_lead" checked' in html


def test_an_error_keeps_everything_typed_and_says_what_to_fix(client, survey):
    response = start(client, survey)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    reply = client.post(page_url(response, "role"), {"job_title": "Activity leader"})
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "Please answer this question." in html
    assert 'value="Activity leader"' in html
    assert 'aria-invalid="true"' not in html or 'id="err-role"' in html


def test_errors_are_in_spanish_for_spanish_respondents(client, survey):
    client.cookies["django_language"] = "es"
    response = start(client, survey)
    reply = client.post(page_url(response, "eligibility"), {})
    assert reply.status_code == 400
    assert "Por favor responda esta pregunta." in reply.content.decode()
    assert response.language == "es"


def test_double_submit_creates_one_completion(client, survey):
    response, _seen = complete(client, survey)
    structure = version_structure(response.version)
    last = structure.pages[-1]
    again = client.post(page_url(response, last.key), page_data(last))
    assert again.status_code == 302 and "/thanks/" in again.url
    assert Response.objects.filter(status=Response.Status.COMPLETE).count() == 1
    assert RespondentContact.objects.count() == 0


def test_jumping_to_the_last_page_cannot_skip_required_pages(client, survey):
    response = start(client, survey)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    last = version_structure(response.version).pages[-1]
    reply = client.post(page_url(response, last.key), page_data(last))
    assert reply.status_code == 302
    assert reply.url.endswith("/page/role/")
    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS


def test_resume_link_reopens_the_draft_in_a_fresh_browser(client, survey):
    response = start(client, survey)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    reply = client.post(
        page_url(response, "role"), {"action": "save", "job_title": "Tutor", "role": "tutor"}
    )
    html = reply.content.decode()
    assert "Your answers are saved" in html
    link = html.split('id="resume-link" type="text" value="')[1].split('"')[0]
    token = link.rstrip("/").split("/")[-1]
    assert not ResumeToken.objects.filter(token_hash=token).exists()  # only the hash is stored
    other_device = Client()
    reopened = other_device.get(link.replace("http://testserver", ""))
    assert reopened.status_code == 302
    page = other_device.get(reopened.url).content.decode()
    assert 'value="Tutor"' in page or "Tutor" in page


def test_tampered_or_expired_resume_links_get_a_polite_page(client, survey):
    response = start(client, survey)
    reply = client.post(page_url(response, "eligibility"), {"action": "save"})
    link = reply.content.decode().split('id="resume-link" type="text" value="')[1].split('"')[0]
    path = link.replace("http://testserver", "").split("?")[0]  # without ?lang=
    tampered = Client().get(path[:-3] + "abc/")
    assert tampered.status_code == 404
    assert "This link does not work" in tampered.content.decode()
    ResumeToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = Client().get(path)
    assert expired.status_code == 404
    assert Client().get("/survey/resume/" + "x" * 500 + "/").status_code == 404


def test_resume_link_by_email_is_sent_after_commit_and_works(
    client, survey, django_capture_on_commit_callbacks
):
    response = start(client, survey)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            reverse("surveys:resume_email", kwargs={"public_id": response.public_id}),
            {"email": "Lupe@Example.org"},
        )
    assert reply.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lupe@example.org"]
    link = [line for line in mail.outbox[0].body.splitlines() if "/survey/resume/" in line][0]
    path = link.strip().split("8000")[-1]
    assert Client().get(path).status_code == 302
    assert not Answer.objects.filter(text_value__icontains="lupe").exists()


def test_partner_link_records_collector_and_channel(client, survey):
    collector = Collector.objects.create(
        survey=survey, slug="eastside-news", name="Eastside newsletter", channel="email"
    )
    client.get(collector.get_absolute_url())
    response = start(client, survey)
    assert response.collector == collector
    assert response.channel == "email"


def test_closed_and_not_yet_open_surveys_show_dates(client, survey):
    survey.closes_at = timezone.now() - timedelta(days=1)
    survey.save()
    html = client.get(survey.get_absolute_url()).content.decode()
    assert "This survey closed on" in html
    assert client.post(survey.get_absolute_url()).status_code == 200
    assert not Response.objects.exists()
    survey.opens_at, survey.closes_at = timezone.now() + timedelta(days=3), None
    survey.save()
    assert "This survey opens on" in client.get(survey.get_absolute_url()).content.decode()


def test_bots_filling_the_honeypot_start_nothing(client, survey):
    client.post(survey.get_absolute_url(), {"website": "http://spam"})
    assert not Response.objects.exists()


def test_same_browser_twice_is_flagged_not_deleted(client, survey):
    first, _ = complete(client, survey)
    second, _ = complete(client, survey)
    assert not first.is_duplicate
    assert second.is_duplicate
    assert Response.objects.complete().count() == 2


def test_too_fast_completion_is_flagged(client, survey, settings):
    settings.SURVEY_MIN_SECONDS = 3600
    response, _ = complete(client, survey)
    assert response.is_too_fast


def test_confirmation_email_goes_once_and_contact_stays_apart(
    client, survey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = complete(client, survey, {"follow_up": "yes"})
    contact = RespondentContact.objects.get(response=response)
    assert contact.wants_follow_up
    assert contact.confirmation_sent_at is not None
    assert len(mail.outbox) == 1
    assert not Answer.objects.filter(text_value__icontains="@").exists()
    from apps.surveys.emails import response_confirmation_send

    assert response_confirmation_send(contact_id=contact.pk) is False
    assert len(mail.outbox) == 1


def test_broker_outage_never_fails_a_submission(client, survey, django_capture_on_commit_callbacks):
    from unittest import mock

    with (
        mock.patch(
            "apps.surveys.tasks.response_confirmation_send.delay", side_effect=OSError("down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response, _ = complete(client, survey, {"follow_up": "yes"})
    assert response.status == Response.Status.COMPLETE
    assert not mail.outbox


junk_text = st.one_of(st.text(max_size=60), st.sampled_from(["yes", "no", "paid", "1", "-5", ""]))


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page_key=st.sampled_from(["eligibility", "role", "time_use", "hours_pay", "duties"]),
    data=st.dictionaries(
        st.sampled_from(
            [
                "consent",
                "eligibility",
                "role",
                "job_title",
                "supervises",
                "supervise_count",
                "time_use__direct",
                "hours_per_week",
                "action",
                "task_T01_rel",
                "task_T01_imp",
                "csrfmiddlewaretoken",
            ]
        ),
        st.one_of(junk_text, st.lists(junk_text, max_size=3)),
    ),
)
def test_malformed_posts_never_cause_a_server_error(survey, page_key, data):
    from django.core.cache import cache

    cache.clear()  # each example starts a response; keep under the start rate limit
    client = Client(raise_request_exception=True)
    response = start(client, survey)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    reply = client.post(page_url(response, page_key), data)
    assert reply.status_code in (200, 302, 400, 429)


def test_the_landing_page_is_indexed_but_answer_pages_are_not(client, survey):
    landing = client.get(survey.get_absolute_url()).content.decode()
    assert 'name="robots" content="noindex"' not in landing
    response = start(client, survey)
    page = client.get(page_url(response, "eligibility")).content.decode()
    assert 'name="robots" content="noindex"' in page


def test_pages_with_answers_or_the_private_link_are_never_cached(client, survey):
    """On a shared computer, Back or the history must not bring back another person's
    answers or their private resume link from the browser's cache."""
    response = start(client, survey)
    page = client.get(page_url(response, "eligibility"))
    assert page["Cache-Control"] == "private, no-store"
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    saved = client.post(
        page_url(response, "role"), {"action": "save", "job_title": "Tutor", "role": "tutor"}
    )
    assert 'id="resume-link"' in saved.content.decode()
    assert saved["Cache-Control"] == "private, no-store"
    done, _pages = complete(client, survey)
    copy = client.get(reverse("surveys:answers_copy", kwargs={"public_id": done.public_id}))
    assert copy.status_code == 200 and copy["Cache-Control"] == "private, no-store"
    landing = client.get(survey.get_absolute_url())
    assert "no-store" not in landing.get("Cache-Control", "")


def test_emailing_resume_links_is_rate_limited(
    client, survey, settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_EMAIL_RATE_LIMIT = "2/h"
    response = start(client, survey)
    url = reverse("surveys:resume_email", kwargs={"public_id": response.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            client.post(url, {"email": "someone@example.org"})
    assert len(mail.outbox) == 2


def test_a_mistyped_email_keeps_the_private_link_page_and_the_address(client, survey):
    """ "no-es-correo" used to send the respondent back to the survey page: the page with the
    private link and the address typed were gone. Now the same page comes back, with a new
    link that works, the address as typed and the message beside the field, in Spanish."""
    response = start(client, survey)
    client.post(page_url(response, "eligibility"), {"consent": "yes", "eligibility": "paid"})
    url = reverse("surveys:resume_email", kwargs={"public_id": response.public_id})
    reply = client.post(url, {"email": "no-es-correo"}, HTTP_ACCEPT_LANGUAGE="es")
    html = reply.content.decode()
    assert reply.status_code == 400
    assert reply["Cache-Control"] == "private, no-store"
    assert 'value="no-es-correo"' in html and 'aria-invalid="true"' in html
    assert "Escriba una dirección de correo como nombre@ejemplo.org." in html
    link = html.split('id="resume-link" type="text" value="')[1].split('"')[0]
    other_device = Client()
    reopened = other_device.get(link.replace("http://testserver", ""))
    assert reopened.status_code == 302
    assert not mail.outbox
