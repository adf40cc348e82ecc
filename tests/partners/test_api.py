import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.partners import services

pytestmark = pytest.mark.django_db

BASE = "/api/partners/v1"


def _get(client, path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(BASE + path, params, **headers)


def test_the_openapi_description_is_served_and_lists_the_endpoints(client):
    reply = client.get(BASE + "/openapi.json")
    assert reply.status_code == 200
    spec = reply.json()
    assert spec["info"]["version"] == "1"
    assert {"/api/partners/v1/scope", "/api/partners/v1/public", "/api/partners/v1/links"} <= set(
        spec["paths"]
    )
    # every hidden count is a nullable number beside a boolean flag, tasks included
    schemas = spec["components"]["schemas"]
    for name, flag in (("RowOut", "hidden"), ("TaskOut", "hidden"), ("LinkOut", "hidden")):
        assert schemas[name]["properties"][flag]["type"] == "boolean"
        assert flag in schemas[name]["required"]


def test_without_or_with_a_guessed_token_no_data_and_the_call_is_audited(client):
    assert _get(client, "/scope").status_code == 401
    reply = _get(client, "/scope", token="ostp_guessed-token")
    assert reply.status_code == 401
    assert "total" not in reply.json()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SIGN_IN_FAILED, details__api="/api/partners/v1/scope"
    ).exists()


def test_scope_returns_the_partners_own_suppressed_figures(client, respond, partner_a, partner_b):
    respond(partner_a.links.first().collector, 6, state="CA")
    respond(partner_a.links.last().collector, 2, state="NV")
    respond(partner_b.links.get().collector, 9, state="TX")
    token = services.api_token_issue(partner=partner_a, by=None)
    reply = _get(client, "/scope", token=token)
    assert reply.status_code == 200, reply.content
    data = reply.json()
    assert data["partner"] == "Alpha Network" and data["total"] == 8
    states = {row["key"]: row for row in data["by_state"]["rows"]}
    assert set(states) == {"CA", "NV"}
    assert states["NV"]["n"] is None and states["NV"]["hidden"] is True
    # the only other cell is hidden too, so NV cannot be worked out from the total
    assert states["CA"]["n"] is None and states["CA"]["hidden"] is True  # 6 >= K: a complement
    assert "<" not in reply.content.decode()  # a hidden count is null + hidden, never "<5"
    for task in data["tasks"]:
        assert isinstance(task["hidden"], bool) and (task["n"] is None) == task["hidden"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, object_id=str(partner_a.pk), details__what="api"
    ).exists()


def test_a_filter_below_k_or_another_partners_link_returns_no_data(
    client, respond, partner_a, partner_b
):
    respond(partner_a.links.first().collector, 6, state="CA")
    respond(partner_a.links.first().collector, 3, state="NV")
    token = services.api_token_issue(partner=partner_a, by=None)
    narrow = _get(client, "/scope", token=token, state="NV").json()
    assert narrow["total"] is None and narrow["total_hidden"] is True
    assert all(row["n"] is None for row in narrow["by_role"]["rows"])
    other = _get(client, "/scope", token=token, collector=partner_b.links.get().collector_id)
    assert other.status_code == 400
    assert "not one of your organization" in other.json()["detail"]


def test_public_figures_only_once_published(client, respond, partner_a):
    respond(partner_a.links.first().collector, 6)
    token = services.api_token_issue(partner=partner_a, by=None)
    assert _get(client, "/public", token=token).status_code == 404
    services.results_set_published(published=True, by=None)
    reply = _get(client, "/public", token=token)
    assert reply.status_code == 200 and reply.json()["total"] == 6


def test_a_revoked_or_replaced_token_stops_working(client, partner_a):
    first = services.api_token_issue(partner=partner_a, by=None)
    second = services.api_token_issue(partner=partner_a, by=None)
    assert _get(client, "/links", token=first).status_code == 401
    assert _get(client, "/links", token=second).status_code == 200
    services.api_token_revoke(partner=partner_a, by=None)
    assert _get(client, "/links", token=second).status_code == 401


def test_only_a_hash_of_the_token_is_stored(partner_a):
    from apps.partners.models import ApiToken

    token = services.api_token_issue(partner=partner_a, by=None)
    row = ApiToken.objects.get(partner=partner_a)
    assert token not in (row.token_hash, row.prefix) and row.token_hash == services.token_hash(
        token
    )


def test_a_suspended_partners_token_is_refused(client, partner_a):
    token = services.api_token_issue(partner=partner_a, by=None)
    services.partner_set_suspended(partner=partner_a, suspended=True, by=None)
    reply = _get(client, "/links", token=token)
    assert reply.status_code == 403 and "suspended" in reply.json()["detail"]


def test_calls_past_the_rate_limit_get_429(client, partner_a, settings):
    from apps.partners.api import api

    token = services.api_token_issue(partner=partner_a, by=None)
    limit = int(settings.PARTNER_API_RATE.split("/")[0])
    codes = [_get(client, "/links", token=token).status_code for _i in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429
    assert api.throttle  # the limit is the API's own, not a per-view decorator


def test_the_partner_makes_and_revokes_its_token_in_the_partner_area(client, user_a, partner_a):
    client.force_login(user_a)
    page = client.post(reverse("partners:api_token"), {"action": "issue"})
    token = page.context["token"]
    assert token.startswith("ostp_") and token in page.content.decode()
    assert _get(client, "/links", token=token).status_code == 200
    client.post(reverse("partners:api_token"), {"action": "revoke"})
    assert _get(client, "/links", token=token).status_code == 401


def test_guessing_tokens_from_one_address_is_stopped(client, partner_a, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PARTNER_API_GUESS_RATE = "3/m"
    token = services.api_token_issue(partner=partner_a, by=None)
    codes = [_get(client, "/links", token=f"ostp_guess{i}").status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    # Even the right token waits until the minute is over: guessing cannot go on in between.
    assert _get(client, "/links", token=token).status_code == 429
