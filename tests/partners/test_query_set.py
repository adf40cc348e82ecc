"""Minimum query-set size on the partner dashboard, duties page and API: a filter selecting
fewer than K of the partner's responses shows no figures, only the message."""

import pytest
from django.urls import reverse

from apps.partners import services

pytestmark = pytest.mark.django_db

K = 5
MESSAGE = "This selection has fewer than 5 responses, so no figures are shown. Widen the filters."


@pytest.fixture(autouse=True)
def k(settings):
    settings.SUPPRESSION_MIN_N = K


def _respond_group(respond, partner, n):
    link = partner.links.first().collector
    respond(link, 8, state="CA")
    respond(link, n, state="NV", role="site_lead", setting="tribal")


@pytest.mark.parametrize("n,gated", [(K - 1, True), (K, False)])
@pytest.mark.parametrize("section", ["dashboard", "duties"])
def test_partner_pages_under_k_show_the_message_only(
    client, respond, partner_a, user_a, n, gated, section
):
    _respond_group(respond, partner_a, n)
    client.force_login(user_a)
    page = client.get(reverse(f"partners:{section}"), {"state": "NV"})
    html = page.content.decode()
    assert page.status_code == 200
    assert (MESSAGE in html) is gated
    assert ("<table" in html) is not gated
    assert 'name="state"' in html  # the filter form stays
    if section == "dashboard" and not gated:  # hand-counted, noise off
        assert page.context["data"]["overview"]["total"] == K


@pytest.mark.parametrize("n,gated", [(K - 1, True), (K, False)])
def test_partner_api_under_k_returns_no_figures(client, respond, partner_a, n, gated):
    _respond_group(respond, partner_a, n)
    token = services.api_token_issue(partner=partner_a, by=None)
    reply = client.get(
        "/api/partners/v1/scope", {"state": "NV"}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    body = reply.json()
    assert reply.status_code == 200
    assert body["query_set_too_small"] is gated
    if gated:
        assert body["message"] == MESSAGE and body["total"] is None and body["tasks"] == []
        assert all(body[t]["rows"] == [] for t in ("by_state", "by_role", "by_setting", "weekly"))
    else:
        assert body["total"] == K
        assert {row["key"]: row["n"] for row in body["by_state"]["rows"]} == {"NV": K}


def test_a_partner_whose_links_have_under_k_in_all_sees_the_message(
    client, respond, partner_a, user_a
):
    respond(partner_a.links.first().collector, K - 1)
    client.force_login(user_a)
    assert MESSAGE in client.get(reverse("partners:dashboard")).content.decode()
