"""The comment builder states only what the person said: every sentence comes from the answers
that produced it, every answer given appears, and the fit of the closest occupation is said
as the person rated it. Checked over random answers in both languages (Hypothesis)."""

import re

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.comments.drafting import ANSWER_KEYS, answered, compose
from apps.comments.forms import FIT_CHOICES, SETTING_CHOICES, BuilderForm
from apps.notices.models import TalkingPoint
from apps.pages.models import Occupation
from apps.surveys.models import Role, Task
from apps.surveys.scales import US_STATES

from .helpers import builder_data, open_notice

pytestmark = pytest.mark.django_db
BUILDER = "/comment/"

# What each fit rating may say, and the wording that would claim a poor fit.
FIT_WORDS = {
    "en": {
        "1": "does not describe my work",
        "2": "describes my work poorly",
        "3": "describes my work only partly",
        "4": "describes my work very well",
    },
    "es": {
        "1": "no describe mi trabajo",
        "2": "describe mal mi trabajo",
        "3": "describe mi trabajo solo en parte",
        "4": "describe muy bien mi trabajo",
    },
}
POOR_FIT = {"en": ("does not describe", "poorly"), "es": ("no describe", "describe mal")}


@pytest.fixture
def choices(survey):
    return {
        "roles": list(Role.objects.values_list("slug", flat=True)),
        "tasks": list(Task.objects.filter(is_active=True).values_list("pk", flat=True)),
        "points": list(TalkingPoint.objects.published().values_list("pk", flat=True)),
        "codes": sorted(
            set(Occupation.objects.filter(is_soc_code=True).values_list("code", flat=True))
        ),
    }


free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=0, max_size=60
)


@st.composite
def answers(draw, choices):
    """Form input as a browser would send it: every optional question may be left out."""
    maybe = st.booleans()
    data = {
        "role": draw(st.sampled_from(choices["roles"])),
        "tasks": draw(
            st.lists(st.sampled_from(choices["tasks"]), min_size=1, max_size=8, unique=True)
        ),
        "draft_language": draw(st.sampled_from(["en", "es"])),
    }
    optional = {
        "ask": st.sampled_from(["", "new_code", "definition", "titles"]),
        "job_title": free_text,
        "years_in_field": st.integers(0, 60).map(str),
        "setting": st.sampled_from([value for value, _label in SETTING_CHOICES]),
        "state": st.sampled_from([""] + [code for code, _name in US_STATES]),
        "story": st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
            max_size=200,
        ),
        "volunteer": st.sampled_from(["", "on"]),
        "description": st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
            max_size=200,
        ),
        "employer_code": st.sampled_from([""] + choices["codes"]),
        "closest_code": st.sampled_from(["", "none"] + choices["codes"]),
        "closest_fit": st.sampled_from(["", "1", "2", "3", "4"]),
        "ask_detail": free_text,
        "talking_points": st.lists(st.sampled_from(choices["points"]), max_size=3, unique=True),
    }
    for key, strategy in optional.items():
        if draw(maybe):
            data[key] = draw(strategy)
    return data


def _check_draft(data: dict, cleaned: dict, notice) -> None:
    draft = compose(data=cleaned, notice=notice)
    language = cleaned["draft_language"]
    given_keys = answered(cleaned)
    said = set()
    for sentence in draft.sentences:
        assert sentence.text.strip(), sentence
        # No sentence without its answer.
        assert set(sentence.keys) <= given_keys, (sentence, given_keys)
        said |= set(sentence.keys)
        if not sentence.keys:
            assert sentence.source in ("notice", "closing"), sentence
            if sentence.source == "notice":
                assert notice is not None
    # Every answer given with content appears.
    assert said == given_keys
    # The text is exactly the sentences: nothing else is written.
    rest = draft.text
    for sentence in draft.sentences:
        assert sentence.text in rest
        rest = rest.replace(sentence.text, "", 1)
    assert not rest.strip(), repr(rest)
    by_key = {key: [s.text for s in draft.sentences if key in s.keys] for key in ANSWER_KEYS}
    # Free text appears as typed (trimmed), in the sentence that carries it.
    for key in ("job_title", "story", "description", "ask_detail"):
        if key in given_keys:
            assert any(cleaned[key].strip() in text for text in by_key[key])
    # The closest occupation is said with exactly the fit given, and nothing claims a poor
    # fit unless the person rated it poor.
    fit = cleaned.get("closest_fit") or ""
    fit_text = " ".join(by_key["closest_code"])
    for rating, words in FIT_WORDS[language].items():
        assert (words in fit_text) == (rating == fit), (rating, fit, fit_text)
    if fit not in ("1", "2"):
        assert not any(w in fit_text for w in POOR_FIT[language])
    if cleaned.get("closest_code") and cleaned["closest_code"] != "none":
        assert cleaned["closest_code"] in fit_text
    # The employer's code is its own sentence and says nothing about fit.
    for text in by_key["employer_code"]:
        assert cleaned["employer_code"] in text
        assert not any(w in text for words in FIT_WORDS.values() for w in words.values())


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_sentence_without_its_answer_and_every_answer_appears(choices, data):
    raw = data.draw(answers(choices))
    with_notice = data.draw(st.booleans())
    notice = open_notice() if with_notice else None
    form = BuilderForm(raw, language=raw["draft_language"])
    if not form.is_valid():
        # Only the fit-without-occupation rule (and over-long free text) may refuse input.
        assert set(form.errors) <= {"closest_fit", "job_title", "ask_detail"}, form.errors
        if "closest_fit" in form.errors:
            assert raw.get("closest_fit") and raw.get("closest_code", "") in ("", "none")
        return
    _check_draft(raw, form.cleaned_data, notice)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("fit", ["1", "2", "3", "4", ""])
def test_the_fit_sentence_matches_the_rating_given(client, survey, language, fit):
    data = builder_data(
        employer_code="", closest_code="39-9032", closest_fit=fit, draft_language=language
    )
    html = client.post(BUILDER, data).content.decode()
    text = html.split("</textarea>")[0].split(">")[-1]
    with translation.override(language):
        title = Occupation.objects.filter(code="39-9032").first().tr("title")
    assert f"{title} (39-9032)" in text
    for rating, words in FIT_WORDS[language].items():
        assert (words in text) == (rating == fit)
    # No employer code was given, so the draft says nothing about one.
    assert "employer" not in text.lower() and "empleador" not in text.lower()


def test_good_fit_never_says_the_occupation_does_not_describe_the_work(client, survey):
    text = client.post(
        BUILDER, builder_data(employer_code="39-9011", closest_code="39-9011", closest_fit="4")
    ).content.decode()
    assert "describes my work very well" in text
    assert "does not describe" not in text and "No existing occupation" not in text
    assert "My employer reports my job under the occupation" in text


def test_a_fit_without_an_occupation_is_refused_with_a_clear_message(
    client, spanish_client, survey
):
    for code in ("", "none"):
        reply = client.post(BUILDER, builder_data(closest_code=code, closest_fit="2"))
        assert reply.status_code == 400
        html = reply.content.decode()
        assert "Choose the occupation that comes closest first" in html
        assert "Last week a boy who never speaks up" in html  # nothing typed is lost
    reply = spanish_client.post(BUILDER, builder_data(closest_code="none", closest_fit="2"))
    assert reply.status_code == 400
    assert "Primero elija la ocupación que más se parece" in reply.content.decode()


def test_fit_choices_follow_the_surveys_scale(survey):
    """The builder's fit ratings are the survey's crosswalk_fit values, so a prefill lands."""
    from apps.surveys.models import Choice

    survey_values = set(
        Choice.objects.filter(question__key="crosswalk_fit").values_list("value", flat=True)
    )
    assert survey_values == {value for value, _label in FIT_CHOICES}


def test_a_fit_chosen_by_mistake_can_be_taken_back(client, survey):
    html = client.get(BUILDER).content.decode()
    assert 'name="closest_fit" value=""' in html  # "Skip this question" is a radio too
    reply = client.post(BUILDER, builder_data(closest_code="", closest_fit=""))
    assert reply.status_code == 200
    text = reply.content.decode().split("</textarea>")[0]
    assert "closest existing occupation" not in text


def test_no_request_is_chosen_for_the_person(client, survey):
    """Nothing is picked beforehand ("Skip this question" is): a draft made without touching
    the question asks the committee nothing (a preselected "create a new detailed
    occupation" once put that request in drafts of people who never chose it)."""
    html = client.get(BUILDER).content.decode()
    assert re.search(r'name="ask" value=""\s+id="id_ask_0" checked', html)
    assert not re.search(r'name="ask" value="new_code"[^>]*checked', html)
    reply = client.post(BUILDER, builder_data(ask=""))
    text = reply.content.decode().split("</textarea>")[0]
    assert reply.status_code == 200 and "I ask the SOC Policy Committee" not in text
    reply = client.post(BUILDER, builder_data(ask="titles"))
    text = reply.content.decode().split("</textarea>")[0]
    assert "I ask the SOC Policy Committee to do the following: list my job title" in text
