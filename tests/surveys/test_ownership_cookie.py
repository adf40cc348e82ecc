"""The survey ownership cookie (apps/surveys/ownership.py): which responses this browser may
open. Runs without the database, so `make mutation` can run it against every mutant.

Production sets SESSION_COOKIE_SECURE = True, so the cookie is Secure there; the deploy check
in tests/core/test_security.py fails if production stops setting it."""

import uuid

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from apps.surveys import ownership
from apps.surveys.ownership import COLLECTOR_COOKIE, MAX_OWNED, OWNED_COOKIE

DAYS = 30
# Load the settings before override_settings wraps them (the mutation runner has no
# pytest-django to do it).
assert settings.SECRET_KEY


def _request(cookies=None, secure=False):
    request = RequestFactory().get("/survey/", secure=secure)
    request.COOKIES.update(cookies or {})
    return request


def _remember(request, public_id):
    reply = HttpResponse()
    ownership.remember_response(request, reply, public_id)
    return reply.cookies[OWNED_COOKIE]


def _carry(morsel):
    return _request({OWNED_COOKIE: morsel.value})


@override_settings(SURVEY_RESUME_DAYS=DAYS, SESSION_COOKIE_SECURE=False)
def test_the_cookie_is_http_only_same_site_lax_and_lasts_the_resume_period():
    morsel = _remember(_request(), uuid.uuid4())
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["max-age"] == DAYS * 24 * 60 * 60
    assert morsel["path"] == "/"
    assert not morsel["secure"]  # plain http in development


@override_settings(SESSION_COOKIE_SECURE=False)
def test_the_cookie_is_secure_over_https():
    assert _remember(_request(secure=True), uuid.uuid4())["secure"] is True


@override_settings(SESSION_COOKIE_SECURE=True)  # as in production, even behind a proxy on http
def test_the_cookie_is_secure_where_session_cookies_are():
    assert _remember(_request(), uuid.uuid4())["secure"] is True


@override_settings(SURVEY_RESUME_DAYS=7)
def test_the_expiry_follows_the_setting():
    assert _remember(_request(), uuid.uuid4())["max-age"] == 7 * 24 * 60 * 60


def test_responses_started_here_are_remembered_newest_last_without_repeats():
    first, second = uuid.uuid4(), uuid.uuid4()
    morsel = _remember(_request(), first)
    morsel = _remember(_carry(morsel), second)
    morsel = _remember(_carry(morsel), first)  # reopened: moves to the end, once
    assert ownership.owned_ids(_carry(morsel)) == [str(second), str(first)]


def test_at_most_max_owned_are_kept_the_oldest_dropped():
    ids = [uuid.uuid4() for _ in range(MAX_OWNED + 2)]
    morsel = _remember(_request(), ids[0])
    for public_id in ids[1:]:
        morsel = _remember(_carry(morsel), public_id)
    owned = ownership.owned_ids(_carry(morsel))
    assert owned == [str(i) for i in ids[2:]]
    assert len(owned) == MAX_OWNED == 20
    # Compressed: twenty ids stay far below the 4 KB cookie limit.
    assert morsel.value.startswith(".")
    assert len(morsel.value) < 900


def test_no_cookie_or_an_empty_one_owns_nothing():
    assert ownership.owned_ids(_request()) == []
    assert ownership.owned_ids(_request({OWNED_COOKIE: ""})) == []
    assert ownership.collector_id(_request()) is None


def test_a_forged_or_tampered_cookie_owns_nothing():
    morsel = _remember(_request(), uuid.uuid4())
    assert ownership.owned_ids(_request({OWNED_COOKIE: morsel.value[:-2] + "xx"})) == []
    forged = signing.dumps([str(uuid.uuid4())], salt="another-salt")
    assert ownership.owned_ids(_request({OWNED_COOKIE: forged})) == []
    unsigned = signing.dumps([str(uuid.uuid4())])
    assert ownership.owned_ids(_request({OWNED_COOKIE: unsigned})) == []


def test_each_cookie_has_its_own_salt():
    """A collector cookie copied into the ownership cookie is refused, and the other way."""
    reply = HttpResponse()
    ownership.remember_collector(_request(), reply, 5)
    collector = reply.cookies[COLLECTOR_COOKIE].value
    assert ownership.collector_id(_request({COLLECTOR_COOKIE: collector})) == 5
    assert ownership.owned_ids(_request({OWNED_COOKIE: collector})) == []
    owned = _remember(_request(), uuid.uuid4()).value
    assert ownership.collector_id(_request({COLLECTOR_COOKIE: owned})) is None


def test_a_signed_value_of_the_wrong_shape_owns_nothing():
    wrong = signing.dumps({"a": 1}, salt=f"ostportal.surveys.owned.{OWNED_COOKIE}")
    assert ownership.owned_ids(_request({OWNED_COOKIE: wrong})) == []
    text = signing.dumps("5", salt=f"ostportal.surveys.owned.{COLLECTOR_COOKIE}")
    assert ownership.collector_id(_request({COLLECTOR_COOKIE: text})) is None


def test_the_collector_cookie_has_the_same_attributes():
    reply = HttpResponse()
    with override_settings(SESSION_COOKIE_SECURE=True, SURVEY_RESUME_DAYS=DAYS):
        ownership.remember_collector(_request(), reply, 9)
    morsel = reply.cookies[COLLECTOR_COOKIE]
    assert (morsel["httponly"], morsel["samesite"], morsel["secure"]) == (True, "Lax", True)
    assert morsel["max-age"] == DAYS * 24 * 60 * 60


@override_settings(SURVEY_RESUME_DAYS=DAYS)
def test_a_cookie_older_than_the_resume_period_owns_nothing(monkeypatch):
    public_id = uuid.uuid4()
    written_at = 1_900_000_000.0
    monkeypatch.setattr(signing.time, "time", lambda: written_at)
    morsel = _remember(_request(), public_id)
    reply = HttpResponse()
    ownership.remember_collector(_request(), reply, 3)
    collector = reply.cookies[COLLECTOR_COOKIE].value
    period = DAYS * 24 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: written_at + period - 60)
    assert ownership.owned_ids(_carry(morsel)) == [str(public_id)]
    assert ownership.collector_id(_request({COLLECTOR_COOKIE: collector})) == 3
    monkeypatch.setattr(signing.time, "time", lambda: written_at + period + 60)
    assert ownership.owned_ids(_carry(morsel)) == []
    assert ownership.collector_id(_request({COLLECTOR_COOKIE: collector})) is None


def test_a_fresh_cookie_reads_back_on_the_real_clock():
    public_id = uuid.uuid4()
    assert ownership.owned_ids(_carry(_remember(_request(), public_id))) == [str(public_id)]


def test_cookie_names_are_stable():
    """Renaming a cookie would orphan every survey in progress."""
    assert (OWNED_COOKIE, COLLECTOR_COOKIE) == ("ost_survey", "ost_collector")


def test_the_signing_salt_is_stable():
    """Cookies already in browsers were signed with this salt: changing it would orphan
    every survey in progress."""
    public_id = str(uuid.uuid4())
    signed = signing.dumps([public_id], salt="ostportal.surveys.owned.ost_survey")
    assert ownership.owned_ids(_request({OWNED_COOKIE: signed})) == [public_id]
    signed = signing.dumps(4, salt="ostportal.surveys.owned.ost_collector")
    assert ownership.collector_id(_request({COLLECTOR_COOKIE: signed})) == 4
