"""Every public page, in every state the portal can be in and in both languages, says only
what is true: nothing claims the survey, the sign-up, the comment window or the draft is in a
state it is not in, and no form or link works against what the page says.

States: survey open / opening later / closed / none published; email sign-up on / off;
comment window none / upcoming / open / closed; a draft proposal published or not.
"""

import itertools
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.notices.models import Notice
from apps.notices.seeding import seed_toolkit
from apps.notices.selectors import notice_cache_clear
from apps.pages.models import Page, SiteSettings
from apps.pages.selectors import site_settings_cache_clear
from apps.proposals import services as proposal_services
from apps.proposals.models import ProposalVersion
from apps.proposals.selectors import proposal_current
from apps.surveys.models import Survey, SurveyVersion
from apps.surveys.seeding import seed_survey
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SURVEY_STATES = ("open", "upcoming", "closed", "none")
SIGNUP_STATES = (True, False)
NOTICE_STATES = ("none", "upcoming", "open", "closed")
DRAFT_STATES = (True, False)

# Phrases that are false in a given state (lower case, tags stripped), in both languages.
FALSE_WHEN = {
    ("survey", "open"): [
        "survey is being prepared",
        "survey is not open yet",
        "survey opens on",
        "survey is closed",
        "la encuesta para el personal se está preparando",
        "la encuesta todavía no está abierta",
        "cuando se abra la encuesta",
        "la encuesta para el personal abre el",
        "la encuesta para el personal está cerrada",
    ],
    ("survey", "not-open"): [
        "the practitioner survey is open now",
        "take the survey",
        "la encuesta para el personal está abierta",
        "responda la encuesta",
    ],
    ("signup", "off"): [
        "sign up for email updates to",
        "suscríbase a las novedades por correo para",
    ],
    ("signup", "on"): ["sign-up is paused", "la suscripción por correo está en pausa"],
    ("notice", "open"): [
        "no federal comment window is open",
        "no hay ningún periodo federal de comentarios abierto",
    ],
    ("notice", "not-open"): [
        "federal comment window is open now",
        "hay un periodo federal de comentarios abierto hasta",
    ],
    ("draft", "published"): [
        "draft of the proposal has not been published",
        "borrador de la propuesta aún no se ha publicado",
    ],
    ("draft", "none"): ["read the draft proposal and", "lea el borrador de la propuesta y"],
}
# Wording written before the survey and the sign-up existed: false in every state.
STALE = [
    "the survey is not open yet",
    "when the practitioner survey opens",
    "when sign-up for updates opens",
    "la encuesta todavía no está abierta",
    "cuando se abra la suscripción",
    "to be added",
    "se agregará",
]


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).lower()


@pytest.fixture
def world(seeded):
    seed_survey()
    seed_toolkit()
    editor = make_user(__import__("apps.accounts.roles", fromlist=["Role"]).Role.EDITOR)
    proposal = proposal_current()
    version = proposal_services.version_save(proposal=proposal, note="", by=editor)
    proposal_services.version_publish(version=version, by=editor)
    return {
        "survey": Survey.objects.get(),
        "notice": Notice.objects.get(),
        "draft": ProposalVersion.objects.get(status=ProposalVersion.Status.PUBLISHED),
    }


def _set_state(world, survey_state, signup_on, notice_state, draft_published):
    now = timezone.now()
    day = timedelta(days=1)
    survey = world["survey"]
    opens, closes = {
        "open": (None, None),
        "upcoming": (now + 10 * day, None),
        "closed": (now - 30 * day, now - day),
        "none": (None, None),
    }[survey_state]
    Survey.objects.filter(pk=survey.pk).update(opens_at=opens, closes_at=closes)
    SurveyVersion.objects.filter(survey=survey).update(
        status=SurveyVersion.Status.DRAFT
        if survey_state == "none"
        else SurveyVersion.Status.PUBLISHED
    )
    SiteSettings.objects.filter(pk=1).update(updates_signup_enabled=signup_on)
    site_settings_cache_clear()
    window = {
        "none": (now - 60 * day, now - 30 * day),
        "upcoming": (now + 5 * day, now + 65 * day),
        "open": (now - 5 * day, now + 25 * day),
        "closed": (now - 90 * day, now - 30 * day),
    }[notice_state]
    Notice.objects.filter(pk=world["notice"].pk).update(
        opens_at=window[0], closes_at=window[1], is_published=notice_state != "none"
    )
    notice_cache_clear()
    ProposalVersion.objects.filter(pk=world["draft"].pk).update(
        status=ProposalVersion.Status.PUBLISHED
        if draft_published
        else ProposalVersion.Status.WITHDRAWN
    )


def _public_urls() -> list[str]:
    urls = [page.get_absolute_url() for page in Page.objects.published()]
    return sorted(set(urls)) + ["/updates/", "/toolkit/", "/proposal/draft/"]


def _contradictions(html: str, expected: dict[str, str], signup_on: bool) -> list[str]:
    found = []
    text = _text(html)
    for marker, state in re.findall(r'data-live="([a-z-]+):([a-z]+)"', html):
        if expected[marker] != state:
            found.append(f"says {marker}={state}, but it is {expected[marker]}")
    survey_key = "open" if expected["survey-status"] == "open" else "not-open"
    notice_key = "open" if expected["notice-status"] == "open" else "not-open"
    keys = [
        ("survey", survey_key),
        ("signup", "on" if signup_on else "off"),
        ("notice", notice_key),
        ("draft", expected["draft-status"]),
    ]
    for key in keys:
        for phrase in FALSE_WHEN[key]:
            if phrase in text:
                found.append(f"says {phrase!r} while {key[0]} is {key[1]}")
    for phrase in STALE:
        if phrase in text:
            found.append(f"stale wording {phrase!r}")
    # Forms and links must agree with the state too.
    if 'action="/updates/"' in html and not signup_on:
        found.append("shows a sign-up form while sign-up is paused")
    survey_link = re.search(r'href="/survey/ost-roles-duties/"', html)
    if survey_link and expected["survey-status"] != "open":
        found.append("links to the survey while it is not open")
    if re.search(r'href="/proposal/draft/\d+/"', html) and expected["draft-status"] != "published":
        found.append("links to a draft while none is published")
    return found


def test_no_public_page_contradicts_the_live_state_in_any_state_or_language(world):
    clients = {"en": Client(), "es": Client()}
    clients["es"].cookies["django_language"] = "es"
    urls = _public_urls()
    problems = []
    renders = 0
    markers_seen = set()
    for survey_state, signup_on, notice_state, draft in itertools.product(
        SURVEY_STATES, SIGNUP_STATES, NOTICE_STATES, DRAFT_STATES
    ):
        _set_state(world, survey_state, signup_on, notice_state, draft)
        expected = {
            "survey-status": survey_state,
            "signup-status": "on" if signup_on else "off",
            "notice-status": notice_state,
            "draft-status": "published" if draft else "none",
        }
        for language, client in clients.items():
            for url in urls:
                response = client.get(url, follow=True)
                assert response.status_code == 200, (url, response.status_code)
                html = response.content.decode()
                renders += 1
                markers_seen.update(re.findall(r'data-live="([a-z-]+:[a-z]+)"', html))
                for problem in _contradictions(html, expected, signup_on):
                    problems.append(
                        f"{url} [{language}] survey={survey_state} signup={signup_on} "
                        f"notice={notice_state} draft={draft}: {problem}"
                    )
    assert not problems, "\n".join(problems[:40])
    # The sentences really follow the state: every state of every token was rendered.
    for marker in ("survey-status", "notice-status"):
        for state in SURVEY_STATES if marker == "survey-status" else NOTICE_STATES:
            assert f"{marker}:{state}" in markers_seen
    assert {"signup-status:on", "signup-status:off"} <= markers_seen
    assert {"draft-status:published", "draft-status:none"} <= markers_seen
    assert renders == 64 * 2 * len(urls)


def test_the_checker_catches_a_page_that_contradicts_the_state(world):
    """The contradiction rules themselves fail on wrong pages (the test above can fail)."""
    expected = {
        "survey-status": "open",
        "signup-status": "off",
        "notice-status": "none",
        "draft-status": "none",
    }
    assert _contradictions(
        '<p data-live="survey-status:none">The survey is not open yet.</p>', expected, False
    )
    assert _contradictions('<form action="/updates/"></form>', expected, False)
    assert _contradictions('<a href="/proposal/draft/3/">read</a>', expected, False)
    assert _contradictions("<p>When sign-up for updates opens, ...</p>", expected, True)
    assert not _contradictions('<p data-live="survey-status:open">x</p>', expected, False)


def test_a_paused_sign_up_takes_no_address_and_says_so(seeded, client, editor):
    """Staff pause sign-up in Site settings: /updates/ explains it, offers no form, and a form
    posted from a page opened earlier stores nothing."""
    from apps.mailings.models import Subscriber

    settings_row = SiteSettings.load()
    settings_row.updates_signup_enabled = False
    settings_row.save()  # the admin's save: clears the cached switch
    page = client.get("/updates/").content.decode()
    assert 'data-live="signup-status:off"' in page
    assert 'action="/updates/"' not in page
    reply = client.post("/updates/", {"email": "ana@example.org", "language": "en"})
    assert reply.status_code == 200
    assert not Subscriber.objects.exists()
    es = Client()
    es.cookies["django_language"] = "es"
    assert "La suscripción por correo está en pausa" in es.get("/updates/").content.decode()


def test_every_page_states_the_survey_time_its_landing_page_states(world):
    """The public pages' survey sentence and the partner flyer state the time the survey's
    own landing page states, in each language (they said "about 15 minutes" beside a
    landing page saying 8 in English and 9 in Spanish)."""
    from apps.partners import documents

    _set_state(world, "open", True, "none", False)
    survey = world["survey"]
    # "about 8 minutes" once real times exist; before, the shortest and the longest role's
    # path: "7 to 11 minutes" ("de 7 a 12 minutos").
    said = {
        "en": r"(?:about|takes|[Tt]akes about|^|\s)\s*(\d+(?: to \d+)?) minutes?",
        "es": r"(?:unos|aproximadamente|[Dd]e)\s+(\d+(?: a \d+)?) minutos?",
    }
    stated = {}
    for language in ("en", "es"):
        client = Client()
        client.cookies["django_language"] = language
        landing = _text(client.get(survey.get_absolute_url()).content.decode())
        stated[language] = set(re.findall(said[language], landing))
        assert len(stated[language]) == 1, (language, stated[language])
        seen = 0
        for url in _public_urls():
            text = _text(client.get(url, follow=True).content.decode())
            found = set(re.findall(said[language], text))
            assert found <= stated[language], (url, language, found, stated[language])
            seen += bool(found)
        assert seen >= 3  # the home page and the pages about taking part say it
        minutes = stated[language].pop()
        assert " to " in minutes or " a " in minutes  # no real times yet: a range
        flyer = documents._texts(language, "Partner", None, survey)["body"]
        assert f"({minutes} minutes)" in flyer or f"(de {minutes} minutos)" in flyer
