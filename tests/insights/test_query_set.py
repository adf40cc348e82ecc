"""Minimum query-set size: when the filters in effect select fewer than K responses, every
dashboard page and its CSV shows no figures at all, only a message (the filter form stays).

The reviewer's finding: under a filter selecting one person, the cells a table lists as
hidden were that person's answers. These tests fail if the gate
(selectors.query_set_notice, called by every dashboard view) is removed.
"""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from apps.accounts.roles import Role
from apps.insights import selectors
from apps.surveys.models import Task
from tests.factories import make_user

pytestmark = pytest.mark.django_db

K = 5
MESSAGE = "This selection has fewer than 5 responses, so no figures are shown. Widen the filters."
MESSAGE_ES = "Esta selección tiene menos de 5 respuestas, por lo que no se muestran cifras."
# The small group's answers: none of these may appear when the group is under K.
GROUP = {
    "full_time": "part_time",
    "pay_type": "hourly",
    "gender": "nonbinary",
    "age_band": "18_24",
    "job_title": "Zebra keeper",
    "describe_work": "I feed the zebras",
}
GROUP_TEXTS = ("Zebra keeper", "zebra keeper", "I feed the zebras")
CSV_PAGES = ["overview", "duties", "titles", "crosswalk", "workforce", "crosstab"]
HTML_PAGES = [*CSV_PAGES, "open_answers", "task_detail"]
AXES = {"rows": "role", "columns": "gender"}


@pytest.fixture(autouse=True)
def exact(settings):
    settings.SUPPRESSION_MIN_N = K
    settings.INSIGHTS_NOISE = False


def _url(page: str) -> str:
    if page == "task_detail":
        return reverse("insights:task_detail", args=[Task.objects.order_by("order").first().code])
    return reverse(f"insights:{page}")


def _query(page: str, **filters) -> dict:
    return {**filters, **(AXES if page == "crosstab" else {})}


def _figures_part(html: str) -> str:
    """The page without its filter forms (whose option lists name every category)."""
    html = re.sub(r'<details class="filters.*?</details>', "", html, flags=re.S)
    return re.sub(r'<form method="get" class="[^"]*crosstab-form.*?</form>', "", html, flags=re.S)


def _code() -> str:
    """The group's crosswalk answer: the last occupation listed."""
    return list(selectors.labels().choices["crosswalk_code"])[-1]


def _group_labels() -> list[str]:
    lab = selectors.labels()
    answers = {**GROUP, "crosswalk_code": _code()}
    return [
        lab.choices[key][value]
        for key, value in answers.items()
        if value in lab.choices.get(key, {})
    ]


def _the_group(build, n: int) -> None:
    task = Task.objects.order_by("order").first().code
    for _ in range(n):
        build(
            setting="tribal",
            state="WY",
            role="site_lead",
            answers={**GROUP, "crosswalk_code": _code()},
            ratings={task: (True, 4, 5)},
        )


def _everyone_else(build, n: int = 8) -> None:
    for _ in range(n):
        build(
            setting="school_campus",
            answers={"full_time": "full_time", "pay_type": "salary", "gender": "woman"},
        )


def _reviewer(client):
    client.force_login(make_user(Role.REVIEWER))


def _assert_nothing_shown(html: str) -> None:
    assert MESSAGE in html
    part = _figures_part(html)
    assert "<table" not in part
    for text in (*GROUP_TEXTS, *_group_labels()):
        assert text not in part, text


@pytest.mark.parametrize("page", HTML_PAGES)
def test_a_filter_selecting_k_minus_1_shows_the_message_and_no_figures(client, build, page):
    _the_group(build, K - 1)
    _everyone_else(build)
    _reviewer(client)
    # Open-answer lists apply the role filter only (the group is all site coordinators).
    key, value = ("role", "site_lead") if page == "open_answers" else ("setting", "tribal")
    reply = client.get(_url(page), _query(page, **{key: value}))
    assert reply.status_code == 200
    _assert_nothing_shown(reply.content.decode())
    # The filter form stays usable, with the filter kept.
    assert f'name="{key}"' in reply.content.decode()
    assert re.search(rf"name=\"{key}\" value=\"{value}\"", reply.content.decode())


@pytest.mark.parametrize("page", CSV_PAGES)
def test_its_csv_under_k_is_a_message_line_only(client, build, page):
    _the_group(build, K - 1)
    _everyone_else(build)
    _reviewer(client)
    reply = client.get(_url(page), _query(page, setting="tribal", format="csv"))
    assert reply.status_code == 200
    rows = list(csv.reader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))
    assert rows == [["message"], [MESSAGE]]


@pytest.mark.parametrize("page", HTML_PAGES)
def test_a_filter_selecting_k_shows_the_figures(client, build, page):
    _the_group(build, K)
    _everyone_else(build)
    _reviewer(client)
    html = client.get(_url(page), _query(page, setting="tribal")).content.decode()
    assert MESSAGE not in html
    part = _figures_part(html)
    if page == "open_answers":
        assert "I feed the zebras" in part
    else:
        assert "<table" in part
    if page == "overview":  # hand-counted, noise off
        assert f"{K} complete responses match these filters." in part


@pytest.mark.parametrize("page", CSV_PAGES)
def test_its_csv_at_k_has_figures(client, build, page):
    _the_group(build, K)
    _everyone_else(build)
    _reviewer(client)
    reply = client.get(_url(page), _query(page, setting="tribal", format="csv"))
    rows = list(csv.reader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))
    assert rows[0] != ["message"] and len(rows) >= 2 and MESSAGE not in str(rows)
    if page == "workforce":  # the group's part-time count, hand-counted
        part_time = selectors.labels().choices["full_time"]["part_time"]
        assert [row[2] for row in rows if len(row) > 2 and row[1] == part_time] == [str(K)]


@pytest.mark.parametrize("page", HTML_PAGES)
def test_the_unfiltered_view_of_a_survey_under_k_shows_no_figures(client, build, page):
    _the_group(build, K - 1)
    _reviewer(client)
    html = client.get(_url(page), _query(page)).content.decode()
    _assert_nothing_shown(html)
    if page in CSV_PAGES:
        reply = client.get(_url(page), _query(page, format="csv"))
        rows = list(csv.reader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))
        assert rows == [["message"], [MESSAGE]]


def test_the_message_is_in_the_users_language(client, build):
    _the_group(build, K - 1)
    _reviewer(client)
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        html = client.get(reverse("insights:workforce"), HTTP_ACCEPT_LANGUAGE="es")
    assert MESSAGE_ES in html.content.decode()


def test_the_gate_counts_the_true_number_in_one_query(build, django_assert_num_queries):
    _the_group(build, K - 1)
    _everyone_else(build, 3)
    with django_assert_num_queries(1):
        assert selectors.query_set_size({"setting": "tribal"}) == K - 1
    assert selectors.query_set_notice({"setting": "tribal"}) == MESSAGE
    assert selectors.query_set_notice({}) == ""


def test_the_gate_counts_up_to_k_and_no_further(build):
    """The gate reads at most K rows: the count it uses is min(true count, K), exact below
    K, so the same selections pass and fail as with the full count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _the_group(build, K - 1)
    _everyone_else(build, 3)
    for params, true in (({"setting": "tribal"}, K - 1), ({}, K + 2)):
        assert selectors.query_set_size(params) == true
        for limit in (1, K - 1, K, true, true + 5):
            assert selectors.query_set_reaches(params, limit) == min(true, limit)
    assert selectors.query_set_notice({"setting": "tribal"}) == MESSAGE
    assert selectors.query_set_notice({}) == ""
    with CaptureQueriesContext(connection) as captured:
        selectors.query_set_reaches({}, K)
    (query,) = captured.captured_queries
    assert f"LIMIT {K}" in query["sql"]


def test_workforce_lists_the_same_categories_whatever_the_filter(build):
    """A category nobody in the selection chose is listed with 0, so its presence or
    absence says nothing about who is in the selection."""
    _the_group(build, K)
    _everyone_else(build)
    lab = selectors.labels()

    def tables(params):
        data = selectors.workforce_profile(params)
        return {t.key: t for t in data["tables"] + data["demographics"]}

    everyone, tribal = tables({}), tables({"setting": "tribal"})
    for key, table in tribal.items():
        assert [r.key for r in table.rows] == [r.key for r in everyone[key].rows], key
        assert set(lab.choices[key]) <= {r.key for r in table.rows}, key
    gender = {r.key: r for r in tribal["gender"].rows}
    assert gender["woman"].n == 0 and not gender["woman"].hidden  # nobody: shown as 0
    assert gender["nonbinary"].n == K
