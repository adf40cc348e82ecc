"""With the disclosure layer's noise on (as in production): a partner sees exactly the figure
staff see for the same links, perturbed the same way, never the exact count behind it."""

import pytest
from django.urls import reverse

from apps.insights import selectors as insights
from apps.partners import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def noisy(settings):
    settings.INSIGHTS_NOISE = True


def test_partner_staff_and_api_show_the_same_protected_figures(
    client, noisy, respond, partner_a, user_a, settings
):
    link = partner_a.links.first().collector
    respond(link, 23, state="CA")
    respond(link, 9, state="TX")
    staff = insights.overview({"collector": link.pk})
    client.force_login(user_a)
    page = client.get(reverse("partners:dashboard"), {"collector": link.pk})
    partner = page.context["data"]["overview"]
    assert partner["total"] == staff["total"]
    assert {r.key: r.n for r in partner["by_state"].rows} == {
        r.key: r.n for r in staff["by_state"].rows
    }
    assert abs(partner["total"] - 32) <= 2 and partner["total"] >= settings.SUPPRESSION_MIN_N
    token = services.api_token_issue(partner=partner_a, by=None)
    body = client.get(
        "/api/partners/v1/scope", {"collector": link.pk}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["total"] == staff["total"]


def test_asking_again_in_other_words_gives_the_same_noise(noisy, respond, partner_a):
    """The whole scope asked as 'all links' and as the set of its link ids: one figure."""
    for link in partner_a.links.all():
        respond(link.collector, 11)
    ids = [link.collector_id for link in partner_a.links.all()]
    first = insights.overview({"collectors": ids})["total"]
    again = insights.overview({"collectors": list(reversed(ids))})["total"]
    assert first == again
    assert abs(first - 22) <= 2
