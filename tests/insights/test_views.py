import csv
import io

import pytest
from django.urls import reverse

from apps.accounts.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URLS = [
    "insights:overview",
    "insights:duties",
    "insights:titles",
    "insights:crosswalk",
    "insights:workforce",
    "insights:open_answers",
    "insights:crosstab",
]


@pytest.mark.parametrize("name", URLS)
def test_dashboards_are_for_reviewers_and_above(client, survey, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    for role in (Role.REVIEWER, Role.EDITOR, Role.ADMINISTRATOR):
        client.force_login(make_user(role))
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"state": "TX", "role": "tutor"},
        {"state": "TX", "setting": "school_campus"},
        {"date_from": "2020-01-01", "state": "TX"},
        {"state": "TX", "role": "tutor", "setting": "school_campus", "flagged": "on"},
    ],
    ids=[
        "pre-aggregated",
        "pre-aggregated-one-filter",
        "from-responses",
        "two-filters-with-dates",
        "three-filters-and-flagged",
    ],
)
def test_queries_per_page_do_not_grow_with_the_data(
    client, build, name, query, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.insights import cube

    client.force_login(make_user(Role.REVIEWER))
    url = reverse(name)
    for i in range(5):  # K: a group large enough for every page to list what it lists
        build(
            state="TX",
            role="tutor",
            answers={"job_title": f"title {i}", "describe_work": "text"},
            ratings={"T01": (True, 4, 5)},
        )
    cube.rebuild()  # as the Celery beat task does after new responses
    client.get(url, query)  # warm the survey-structure cache
    with CaptureQueriesContext(connection) as few:
        client.get(url, query)
    for i in range(30):
        build(
            role="site_lead" if i % 2 else "tutor",
            state="TX",
            answers={"job_title": f"other title {i}", "describe_work": "more text"},
            ratings={"T01": (True, 3, 4), "T21": (False, None, None)},
        )
    cube.rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, query).status_code == 200


@pytest.mark.parametrize("name", URLS)
def test_queries_per_page_do_not_grow_with_the_filters(client, build, name):
    """Views combining two or three filters (read from the responses, or from the
    pre-aggregated figures) run no more queries than a view on one filter: a filter narrows
    the same statements, it never adds a statement per filter or per group."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.insights import cube

    client.force_login(make_user(Role.REVIEWER))
    url = reverse(name)
    extra = {"rows": "role", "columns": "full_time"} if name == "insights:crosstab" else {}
    for i in range(12):
        build(
            state=("TX", "CA")[i % 2],
            role=("tutor", "site_lead")[i % 3 == 0],
            setting="school_campus",
            answers={"job_title": f"title {i}", "describe_work": "text", "full_time": "full_time"},
            ratings={"T01": (True, 4, 5)},
        )
    cube.rebuild()
    client.get(url, extra)  # warm the survey-structure cache

    def queries(params: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {**extra, **params}).status_code == 200
        return len(captured.captured_queries)

    # A filtered view may run one statement more than the unfiltered one (the query-set
    # gate's count), never one more per filter.
    one_filter = max(queries({}), queries({"state": "TX"}))
    for params in (
        {"state": "TX", "setting": "school_campus"},
        {"date_from": "2020-01-01", "setting": "school_campus"},
        {"state": "TX", "setting": "school_campus", "flagged": "on"},
        {"date_from": "2020-01-01", "state": "CA", "setting": "school_campus"},
    ):
        assert queries(params) <= one_filter, params


def test_survey_text_shown_to_staff_is_escaped(client, build):
    for _ in range(4):
        build()
    build(answers={"describe_work": '<img src=x onerror="alert(1)">I lead the homework club'})
    client.force_login(make_user(Role.REVIEWER))
    html = client.get(reverse("insights:open_answers")).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html


def test_open_answers_are_listed_only_for_groups_of_at_least_k(client, build):
    client.force_login(make_user(Role.REVIEWER))
    url = reverse("insights:open_answers")
    for _ in range(4):
        build(state="WA", role="frontline", answers={"describe_work": "I run the art room"})
    html = client.get(url, {"state": "WA"}).content.decode()
    assert "I run the art room" not in html
    assert "This selection has fewer than 5 responses, so no figures are shown." in html
    build(state="WA", role="frontline", answers={"describe_work": "I run the art room"})
    build(state="WA", role="site_lead", answers={"describe_work": "I lead the site"})
    html = client.get(url, {"state": "WA"}).content.decode()
    assert "I run the art room" in html and "I lead the site" in html
    # One site lead among six: the role printed beside the answer would point to them.
    assert "Site" not in html.split("I lead the site")[1].split("</li>")[0]
    assert "Frontline" in html.split("I run the art room")[1].split("</li>")[0]


def test_open_answers_of_a_group_under_k_never_load(client, build):
    from apps.insights import selectors

    for _ in range(3):
        build(state="NV", answers={"describe_work": "alone"})
    assert selectors.open_answer_group({"state": "NV"})["allowed"] is False
    assert selectors.open_answer_group({})["allowed"] is False  # 3 in all
    for _ in range(2):
        build(state="NV")
    assert selectors.open_answer_group({"state": "NV"})["allowed"] is True


def test_filters_live_in_the_url_and_saved_views_reopen_them(client, build, exact):
    for _ in range(5):
        build(state="WA")
    client.force_login(make_user(Role.REVIEWER))
    html = client.get(reverse("insights:overview"), {"state": "WA"}).content.decode()
    assert "5 complete responses match these filters." in html
    client.post(
        reverse("insights:save_view"),
        {"name": "Washington", "page": "insights:overview", "state": "WA"},
    )
    from apps.insights.models import SavedView

    view = SavedView.objects.get(name="Washington")
    reply = client.get(reverse("insights:open_view", kwargs={"pk": view.pk}))
    assert reply.url.endswith("/staff/insights/?state=WA")
    other = make_user(Role.REVIEWER)
    client.force_login(other)
    assert client.get(reverse("insights:open_view", kwargs={"pk": view.pk})).status_code == 404


def test_bad_filter_values_are_ignored_not_errors(client, build):
    client.force_login(make_user(Role.REVIEWER))
    for name in URLS:
        reply = client.get(
            reverse(name),
            {
                "date_from": "not-a-date",
                "version": "abc",
                "role": "<script>",
                "state": "ZZ",
                "page": "x",
            },
        )
        assert reply.status_code == 200


def test_aggregate_csv_is_suppressed_and_neutralized(client, build):
    for _ in range(6):
        build(answers={"job_title": '=HYPERLINK("http://x")'})
    build(state="TX")
    client.force_login(make_user(Role.REVIEWER))
    content = client.get(reverse("insights:overview"), {"format": "csv"}).content.decode()
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    state_rows = [r for r in rows if r[0] == "Responses by state"]
    tx = next(r for r in state_rows if r[1] == "TX")
    assert tx[2] == "x"
    from apps.insights.models import TitleMapping

    TitleMapping.objects.create(normalized="hyperlink http x", canonical="=HYPERLINK(1)")
    titles = client.get(reverse("insights:titles"), {"format": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in titles
    assert "\n=HYPERLINK" not in titles


def test_merging_titles_is_remembered(client, build):
    for title in ["Youth worker"] * 5 + ["Youth-Worker"] * 5:
        build(answers={"job_title": title})
    client.force_login(make_user(Role.REVIEWER))
    client.post(
        reverse("insights:titles"),
        {"titles": ["youth worker"], "canonical": "Youth development worker"},
    )
    build(answers={"job_title": "youth worker!"})
    html = client.get(reverse("insights:titles")).content.decode()
    assert "Youth development worker" in html


@pytest.mark.parametrize(
    "language, legend",
    [
        (
            "en",
            "x = hidden: fewer than 5 people, or hidden so that another hidden figure "
            "cannot be worked out",
        ),
        (
            "es",
            "x = oculto: menos de 5 personas, u oculto para que no se pueda deducir otra "
            "cifra oculta",
        ),
    ],
)
@pytest.mark.parametrize("page", ["insights:overview", "insights:crosstab", "insights:duties"])
def test_every_dashboard_explains_the_hidden_mark_in_the_users_language(
    client, build, settings, language, legend, page
):
    from django.utils import translation

    settings.SUPPRESSION_MIN_N = 5
    build()
    client.force_login(make_user(Role.REVIEWER))
    with translation.override(language):
        client.cookies["django_language"] = language
        html = client.get(reverse(page)).content.decode()
    assert legend in html
    assert "&lt;5" not in html


@pytest.mark.parametrize("name", URLS)
def test_dashboards_run_without_postgresql_jit(client, build, name):
    """JIT compiled a two-filter view's aggregations for longer than they ran (2.7 s for a
    2.4 s query at 1,000,000 responses): each dashboard turns it off for its request."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    build()
    client.force_login(make_user(Role.REVIEWER))
    # The test's transaction is the request's (ATOMIC_REQUESTS nests in it), so the setting
    # the request left is readable here.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = on")
        assert client.get(reverse(name)).status_code == 200
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_only_administrators_are_offered_the_record_level_export(client, build):
    """Reviewers and Editors saw 'Export these responses' on the overview, and a click
    ended on a 403 (a staff walk): record-level exports are for Administrators."""
    for _ in range(6):
        build(state="WA", role="frontline")
    url = reverse("insights:overview")
    for role, offered in (
        (Role.REVIEWER, False),
        (Role.EDITOR, False),
        (Role.ADMINISTRATOR, True),
    ):
        client.force_login(make_user(role))
        html = client.get(url).content.decode()
        assert ("Export these responses" in html) is offered, role


@pytest.mark.parametrize("name", [u for u in URLS if u != "insights:open_answers"])
def test_a_table_download_with_a_filter_not_applied_is_refused(client, build, name):
    """The page says "The filter “Submitted from” was not applied"; the CSV of the same
    address came back unfiltered with no such line (a staff walk)."""
    for _ in range(6):
        build(state="WA")
    client.force_login(make_user(Role.REVIEWER))
    url = reverse(name)
    extra = {"rows": "role", "columns": "full_time"} if name == "insights:crosstab" else {}
    reply = client.get(url, {"date_from": "2026-02-30", "format": "csv", **extra})
    assert reply.status_code == 400
    assert reply["Content-Type"].startswith("text/plain")
    assert "was not applied" in reply.content.decode()
    good = client.get(url, {"date_from": "2026-02-02", "format": "csv", **extra})
    assert good.status_code == 200 and good["Content-Type"].startswith("text/csv")
