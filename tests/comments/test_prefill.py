import re
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.surveys.models import Response, ResumeToken, Task
from apps.surveys.ownership import OWNED_COOKIE, remember_response

from .helpers import builder_data, make_survey_response

pytestmark = pytest.mark.django_db
BUILDER = "/comment/"


def _checked(html: str, name: str, value) -> bool:
    for tag in html.split("<input")[1:]:
        tag = tag.split(">")[0]
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return "checked" in tag
    raise AssertionError(f"no input {name}={value}")


def _selected(html: str, name: str) -> str:
    select = html.split(f'name="{name}"')[1].split("</select>")[0]
    if " selected" not in select:
        return ""
    return select.split(" selected")[0].rsplit('value="', 1)[1].split('"')[0]


def _owning_client(response: Response) -> Client:
    """A browser whose signed survey cookie lists this response, as the survey sets it."""
    request = RequestFactory().get("/")
    reply = HttpResponse()
    remember_response(request, reply, response.public_id)
    browser = Client()
    browser.cookies[OWNED_COOKIE] = reply.cookies[OWNED_COOKIE].value
    return browser


def test_private_link_prefills_from_the_own_completed_response(client, survey):
    response, token = make_survey_response(survey)
    html = client.get(f"{BUILDER}?token={token}").content.decode()
    assert "We filled in some answers from your own survey response" in html
    assert _selected(html, "role") == "tutor"
    assert _selected(html, "state") == "TX"
    assert _selected(html, "setting") == "library_museum"
    # The survey asked for the closest occupation and how well it fits, never the employer's
    # code: that question stays at "I don't know".
    assert _selected(html, "employer_code") == ""
    assert _selected(html, "closest_code") == "25-3041"
    assert _checked(html, "closest_fit", "3")
    assert 'value="Homework helper"' in html and 'value="7"' in html
    assert "I help kids catch up on reading after school." in html
    for code in ("T03", "T39"):
        assert _checked(html, "tasks", Task.objects.get(code=code).pk)
    # A task the person said is not part of the job is not ticked.
    assert not _checked(html, "tasks", Task.objects.get(code="T13").pk)
    assert response.status == Response.Status.IN_PROGRESS  # the object from before: untouched


def test_in_progress_response_prefills_too(client, survey):
    _response, token = make_survey_response(survey, status=Response.Status.IN_PROGRESS)
    assert _selected(client.get(f"{BUILDER}?token={token}").content.decode(), "role") == "tutor"


def test_bad_expired_or_screened_out_links_give_a_polite_message_and_nothing(client, survey):
    _response, token = make_survey_response(survey)
    for bad in ["nope", token[:-2] + "xx", "x" * 500]:
        reply = client.get(f"{BUILDER}?token={bad}")
        assert reply.status_code == 200
        html = reply.content.decode()
        assert "This survey link has expired or is not valid" in html
        assert "Homework helper" not in html
    ResumeToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    html = client.get(f"{BUILDER}?token={token}").content.decode()
    assert "This survey link has expired or is not valid" in html
    assert "Homework helper" not in html
    other, other_token = make_survey_response(
        survey, job_title="Screened", status=Response.Status.SCREENED_OUT
    )
    html = client.get(f"{BUILDER}?token={other_token}").content.decode()
    assert "Screened" not in html and "expired or is not valid" in html


def test_each_link_opens_only_its_own_response(client, survey):
    _mine, my_token = make_survey_response(survey, job_title="Mine title")
    _theirs, _their_token = make_survey_response(survey, job_title="Their title", role="coach")
    html = client.get(f"{BUILDER}?token={my_token}").content.decode()
    assert "Mine title" in html and "Their title" not in html


def test_this_browser_prefills_only_from_responses_it_holds(survey):
    mine, _token = make_survey_response(survey, job_title="Mine title")
    make_survey_response(survey, job_title="Their title", role="coach")
    browser = _owning_client(mine)
    page = browser.get(BUILDER).content.decode()
    assert "Fill in from my survey answers" in page
    html = browser.get(f"{BUILDER}?from=survey").content.decode()
    assert "Mine title" in html and "Their title" not in html
    stranger = Client().get(f"{BUILDER}?from=survey").content.decode()
    assert "We found no survey answers saved in this browser" in stranger
    assert "Mine title" not in stranger and "Their title" not in stranger
    assert "Fill in from my survey answers" not in Client().get(BUILDER).content.decode()


def test_a_forged_ownership_cookie_gives_nothing(survey):
    mine, _token = make_survey_response(survey, job_title="Mine title")
    browser = Client()
    browser.cookies[OWNED_COOKIE] = f'["{mine.public_id}"]'
    html = browser.get(f"{BUILDER}?from=survey").content.decode()
    assert "Mine title" not in html
    assert "We found no survey answers saved in this browser" in html


def test_survey_thanks_page_offers_a_comment_from_the_answers(survey):
    from django.urls import reverse

    mine, _token = make_survey_response(survey, job_title="Mine title")
    browser = _owning_client(mine)
    thanks = browser.get(reverse("surveys:thanks", kwargs={"public_id": mine.public_id}))
    html = thanks.content.decode()
    # The link keeps the respondent's language (?lang=) when the response has one.
    link = re.search(r'href="(/comment/\?from=survey(?:&amp;lang=[a-z]{2})?)"', html).group(1)
    assert "Mine title" in browser.get(link.replace("&amp;", "&")).content.decode()


def test_dont_know_and_none_of_these_prefill_no_fit_and_no_employer_code(client, survey):
    _response, token = make_survey_response(survey, crosswalk="dont_know", fit="")
    html = client.get(f"{BUILDER}?token={token}").content.decode()
    assert _selected(html, "closest_code") == "" and _selected(html, "employer_code") == ""
    _response, token = make_survey_response(survey, crosswalk="none", fit="")
    html = client.get(f"{BUILDER}?token={token}").content.decode()
    assert _selected(html, "closest_code") == "none" and _selected(html, "employer_code") == ""
    assert not _checked(html, "closest_fit", "4")


def test_a_long_description_comes_whole_into_its_own_field_not_the_story(client, survey):
    """The survey's "How would you describe your work" answer (up to 5,000 characters) was
    cut at 2,500 into the story box, and the draft printed it mid-word as "An example from my
    work" (found by a practitioner walk): it is a description, kept whole."""
    from apps.surveys.models import Answer

    response, token = make_survey_response(survey)
    long = ("I read with small groups every afternoon and plan the week. " * 70).strip()
    assert 4000 < len(long) <= 5000
    Answer.objects.filter(response=response, question__key="describe_work").update(text_value=long)
    html = client.get(f"{BUILDER}?token={token}").content.decode()
    description = html.split('id="id_description"')[1].split("</textarea>")[0]
    assert description.split(">", 1)[1].strip() == long
    story = html.split('id="id_story"')[1].split("</textarea>")[0]
    assert story.split(">", 1)[1].strip() == ""


def test_a_volunteer_is_prefilled_and_drafted_as_a_volunteer(client, survey):
    """A volunteer's draft said "I work in out-of-school-time programs ... tasks I actually do
    in my job", words they never said (they chose "Yes, only as a volunteer")."""

    response, token = make_survey_response(survey)
    Response.objects.filter(pk=response.pk).update(is_eligible_paid=False)
    html = client.get(f"{BUILDER}?token={token}").content.decode()
    box = re.search(r'<input[^>]*name="volunteer"[^>]*>', html).group(0)
    assert " checked" in box
    data = builder_data(volunteer="on")
    text = client.post(BUILDER, data).content.decode().split("</textarea>")[0]
    assert "I volunteer in out-of-school-time programs." in text
    assert "I work in out-of-school-time programs." not in text
    assert "as a volunteer:" in text and "in my job" not in text
    paid = client.post(BUILDER, builder_data()).content.decode().split("</textarea>")[0]
    assert "I work in out-of-school-time programs." in paid and "volunteer" not in paid


def test_somewhere_else_is_not_written_into_the_draft(client, survey):
    """Setting "Other" became "Where my program takes place: Somewhere else." in a draft: a
    sentence that says nothing; a named setting reads in lower case after the colon."""
    other = client.post(BUILDER, builder_data(setting="other")).content.decode()
    assert "Where my program takes place" not in other.split("</textarea>")[0]
    school = client.post(BUILDER, builder_data(setting="school_campus")).content.decode()
    assert "Where my program takes place: at a school." in school.split("</textarea>")[0]
