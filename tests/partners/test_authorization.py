"""Every partner URL and API endpoint, walked as each role and as another partner.

The lists come from tests/test_authorization.py's classification, so a partner URL added
later is walked here without editing this file."""

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.partners import services
from tests.factories import make_user
from tests.test_authorization import PARTNER_API, PARTNER_AREA

from .conftest import make_partner, make_partner_user

pytestmark = pytest.mark.django_db

STAFF_ROLES = [Role.REVIEWER, Role.EDITOR, Role.ADMINISTRATOR]


@pytest.fixture
def world(survey, respond):
    """Partners A and B with links and responses; C suspended; results published."""
    a = make_partner(survey, "Alpha", links=2)
    b = make_partner(survey, "Beta", links=1)
    c = make_partner(survey, "Gamma", links=1)
    for partner in (a, b, c):
        respond(partner.links.first().collector, 6)
    services.partner_set_suspended(partner=c, suspended=True, by=None)
    services.results_set_published(published=True, by=None)
    return {
        "a": a,
        "b": b,
        "c": c,
        "user_a": make_partner_user(a),
        "user_b": make_partner_user(b),
        "user_c": make_partner_user(c),
        "token_a": services.api_token_issue(partner=a, by=None),
        "token_b": services.api_token_issue(partner=b, by=None),
        "token_c": services.api_token_issue(partner=c, by=None),
    }


def _url(name: str, partner) -> str:
    """The URL of a partner page, with partner's own link where it takes one."""
    if name in ("partners:link_qr", "partners:link_flyer"):
        return reverse(name, kwargs={"pk": partner.links.first().pk})
    return reverse(name)


def test_the_walk_covers_the_partner_urls():
    assert {"partners:dashboard", "partners:link_flyer"} <= PARTNER_AREA
    assert {"partners_api:scope", "partners_api:public"} <= PARTNER_API


@pytest.mark.parametrize("name", sorted(PARTNER_AREA))
def test_anonymous_visitors_are_sent_to_the_partner_sign_in(client, world, name):
    for method in (client.get, client.post):
        reply = method(_url(name, world["a"]))
        assert reply.status_code == 302, (name, reply.status_code)
        assert reply.url.startswith(reverse("partners:sign_in")), reply.url


@pytest.mark.parametrize("name", sorted(PARTNER_AREA))
@pytest.mark.parametrize("role", STAFF_ROLES + [None], ids=lambda r: r.name if r else "no-role")
def test_accounts_that_are_not_a_partners_get_403(client, world, name, role):
    client.force_login(make_user(role))
    for method in (client.get, client.post):
        reply = method(_url(name, world["a"]))
        assert reply.status_code == 403, (name, role, reply.status_code)
        assert b"Alpha" not in reply.content


@pytest.mark.parametrize("name", sorted(PARTNER_AREA))
def test_a_suspended_partners_people_get_403_with_the_reason(client, world, name):
    client.force_login(world["user_c"])
    reply = client.get(_url(name, world["c"]))
    assert reply.status_code == 403
    assert "suspended" in reply.content.decode()


@pytest.mark.parametrize("name", sorted(PARTNER_AREA))
def test_a_partner_opens_its_own_pages(client, world, name):
    client.force_login(world["user_a"])
    reply = client.get(_url(name, world["a"]))
    assert reply.status_code == 200, (name, reply.status_code)
    if reply["Content-Type"].startswith("text/html"):
        html = reply.content.decode()
        assert "Alpha" in html and "Beta" not in html


@pytest.mark.parametrize("name", sorted(PARTNER_AREA))
def test_another_partner_never_reaches_partner_as_pages(client, world, name):
    """B asking for A's link (page or document) gets 404; B's own pages show only B."""
    client.force_login(world["user_b"])
    reply = client.get(_url(name, world["a"]))
    if name in ("partners:link_qr", "partners:link_flyer"):
        assert reply.status_code == 404
    else:
        assert reply.status_code == 200
        assert "Alpha" not in reply.content.decode()
    if name == "partners:dashboard":
        other = world["a"].links.first().collector_id
        reply = client.get(reverse(name), {"collector": other})
        assert reply.context["data"]["overview"] is None
        assert reply.context["data"]["query_set_too_small"]


def _api(client, name, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(reverse(name), params, **headers)


@pytest.mark.parametrize("name", sorted(PARTNER_API))
@pytest.mark.parametrize("role", [None] + STAFF_ROLES, ids=lambda r: r.name if r else "anonymous")
def test_the_api_needs_a_token_whatever_the_session(client, world, name, role):
    if role is not None:
        client.force_login(make_user(role))
    reply = _api(client, name)
    assert reply.status_code == 401, (name, reply.status_code)
    client.force_login(world["user_a"])  # a partner's session is not a token either
    assert _api(client, name).status_code == 401


@pytest.mark.parametrize("name", sorted(PARTNER_API))
def test_a_guessed_token_gets_nothing(client, world, name):
    guessed = world["token_a"][:-2] + ("xx" if not world["token_a"].endswith("xx") else "yy")
    reply = _api(client, name, guessed)
    assert reply.status_code == 401 and "Alpha" not in reply.content.decode()


@pytest.mark.parametrize("name", sorted(PARTNER_API))
def test_a_suspended_partners_token_gets_403(client, world, name):
    assert _api(client, name, world["token_c"]).status_code == 403


@pytest.mark.parametrize("name", sorted(PARTNER_API))
def test_each_partners_token_returns_its_own_figures_only(client, world, name):
    for own, other in (("a", "b"), ("b", "a")):
        reply = _api(client, name, world[f"token_{own}"])
        assert reply.status_code == 200, (name, own, reply.content)
        body = reply.content.decode()
        assert world[other].name not in body
    if name == "partners_api:scope":
        a_link = world["a"].links.first().collector_id
        reply = _api(client, name, world["token_b"], collector=a_link)
        assert reply.status_code == 400 and "total" not in reply.json()


def test_a_huge_target_gets_a_realistic_limit_in_the_message(client, administrator):
    """'Ensure this value is less than or equal to 9223372036854775807' (a staff probe): the
    database's limit, not one a person can act on."""
    from django.urls import reverse

    from apps.partners.forms import TARGET_MAX
    from apps.partners.models import Partner

    client.force_login(administrator)
    url = reverse("partners:staff_list")
    reply = client.post(url, {"name": "Big", "target_responses": "99999999999999999999999"})
    html = reply.content.decode()
    assert "9223372036854775807" not in html
    assert f"{TARGET_MAX:,}" in html or str(TARGET_MAX) in html
    assert not Partner.objects.filter(name="Big").exists()
    ok = client.post(url, {"name": "Fine", "target_responses": "250"})
    assert ok.status_code == 302 and Partner.objects.get(name="Fine").target_responses == 250
