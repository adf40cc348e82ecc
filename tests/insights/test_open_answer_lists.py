"""Open-answer lists cannot be compared to pick out a small group (outside differencing
audit): two lists under different filters differed by one flagged respondent's answer, a
state's list intersected with a role's list gave a hidden cell's answers, role and setting
printed side by side gave away a role x setting cell of one, and the coding page listed a
state of two. A list is now narrowed by main role only, holds counted responses only, and
prints the role alone (none when rare); the coding page follows the same rules."""

import re

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from apps.insights import cube
from apps.insights import selectors as insights
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _listed(html: str) -> list[str]:
    return re.findall(r'<p class="mb-1(?: coding-excerpt)?">([^<]+)</p>', html)


@pytest.fixture
def small_groups(build):
    """Six frontline answers in CA, one in WA flagged, two in ND, one executive in a tribal
    program (an executive x tribal cell of one)."""
    for i in range(6):
        build(state="CA", answers={"describe_work": f"I lead games {i}"})
    build(state="WA", answers={"describe_work": "Flagged one in WA"}, is_too_fast=True)
    for i in range(2):
        build(state="ND", answers={"describe_work": f"North Dakota answer {i}"})
    build(role="executive", setting="tribal", answers={"describe_work": "I run a tribal program"})
    cube.rebuild()


@pytest.mark.parametrize("page", ["insights:open_answers", "coding:answers"])
def test_lists_under_different_filters_are_the_same_list(client, small_groups, page):
    client.force_login(make_user(Role.REVIEWER))
    url = reverse(page)
    plain = _listed(client.get(url).content.decode())
    assert len(plain) == 9 and "Flagged one in WA" not in plain
    for query in (
        {"flagged": "on"},
        {"state": "ND"},
        {"state": "WA", "flagged": "on"},
        {"setting": "tribal"},
        {"date_from": "2020-01-06"},
    ):
        html = client.get(url, query).content.decode()
        assert sorted(_listed(html)) == sorted(plain), query
        assert "narrowed by main role only" in html, query


@pytest.mark.parametrize("page", ["insights:open_answers", "coding:answers"])
def test_a_role_too_rare_to_list_lists_nothing_and_prints_no_second_attribute(
    client, small_groups, page
):
    client.force_login(make_user(Role.REVIEWER))
    url = reverse(page)
    html = client.get(url, {"role": "executive"}).content.decode()
    assert "I run a tribal program" not in html
    assert "Fewer than 5 respondents" in html or "fewer than 5 responses" in html
    html = client.get(url).content.decode()
    line = html.split("I run a tribal program", 1)[1].split("</li>", 1)[0]
    # One executive: the role is not printed, and no setting or language at all.
    assert "Executive" not in line and "—" in line
    assert "ribal" not in line and "· en" not in line
    frontline = html.split("I lead games 0", 1)[1].split("</li>", 1)[0]
    assert "Frontline" in frontline and "school" not in frontline.lower()


def test_the_group_rules_read_the_role_only():
    params = {"state": "ND", "flagged": True, "role": "frontline", "date_from": "2026-01-05"}
    assert insights.open_answer_params(params) == {"role": "frontline"}
    assert sorted(insights.open_answer_ignored(params)) == ["date_from", "flagged", "state"]


def test_an_answer_page_opened_from_a_group_too_small_prints_no_role_and_no_next(
    client, small_groups
):
    from apps.surveys.models import Answer

    client.force_login(make_user(Role.REVIEWER))
    answer = Answer.objects.get(text_value="I run a tribal program")
    url = reverse("coding:answer", kwargs={"pk": answer.pk})
    for back in ("?role=executive", "", "?state=ND"):
        html = client.get(url, {"back": reverse("coding:answers") + back}).content.decode()
        head = html.split('id="answer-text"', 1)[0]
        assert "Executive" not in head and "ribal" not in head.split("<h1", 1)[1], back
    html = client.get(url, {"back": reverse("coding:answers") + "?role=executive"}).content
    assert b"Next answer you have not coded" not in html
    html = client.get(url, {"back": reverse("coding:answers")}).content
    assert b"Next answer you have not coded" in html
