"""The staff cross-tab page: hand-counted figures, suppression at K-1 and K, complementary
suppression of the grid against its margins (its own totals and the other dashboards'
tables), the CSV against the page, queries per page, and bad input."""

import csv
import io
import re
from fractions import Fraction
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.accounts.roles import Role
from apps.insights import crosstab as ct
from apps.insights import selectors
from apps.insights.disclosure import _rref
from apps.surveys.versioning import version_copy_as_draft, version_publish
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "insights:crosstab"
K = 5


@pytest.fixture
def k5(settings):
    settings.SUPPRESSION_MIN_N = K


def _people(build, n, **kwargs):
    for _ in range(n):
        build(**kwargs)


def _page_table(html: str) -> dict:
    """{(row label, column label): (n text, percent text)} read from the page's table."""
    table = re.search(r'<table class="[^"]*crosstab[^"]*">(.*?)</table>', html, re.S).group(1)
    header = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
    columns = [_text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", header, re.S)][1:]
    result = {}
    for row in re.findall(
        r"<tr>(.*?)</tr>", re.sub(r"<thead>.*?</thead>", "", table, flags=re.S), re.S
    ):
        label = _text(re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
        for column, cell in zip(
            columns, re.findall(r"<td[^>]*>(.*?)</td>", row, re.S), strict=True
        ):
            parts = re.split(r"<br>", cell)
            n = _text(parts[0])
            share = _text(parts[1]).rstrip("%") if len(parts) > 1 else ""
            result[(label, column)] = (n, share)
    return result


def _text(fragment: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _csv(client, query) -> dict:
    reply = client.get(reverse(URL), {**query, "format": "csv"})
    assert reply["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))
    assert rows[1] == ["row", "column", "n", "row_percent"]
    return {(r[0], r[1]): (r[2], r[3]) for r in rows[2:] if r}


def test_hand_counted_role_by_full_time_page_and_csv(client, build, exact, k5):
    # frontline: 5 full time, 6 part time; tutor: 7 full time, 5 part time.
    _people(build, 5, role="frontline", answers={"full_time": "full_time"})
    _people(build, 6, role="frontline", answers={"full_time": "part_time"})
    _people(build, 7, role="tutor", answers={"full_time": "full_time"})
    _people(build, 5, role="tutor", answers={"full_time": "part_time"})
    client.force_login(make_user(Role.REVIEWER))
    reply = client.get(reverse(URL), {"rows": "role", "columns": "full_time"})
    assert reply.status_code == 200
    page = _page_table(reply.content.decode())
    lab = selectors.labels()
    front, tutor = lab.choices["role"]["frontline"], lab.choices["role"]["tutor"]
    full, part = lab.choices["full_time"]["full_time"], lab.choices["full_time"]["part_time"]
    expected = {
        (front, full): ("5", "45.5"),  # 5 / 11
        (front, part): ("6", "54.5"),
        (front, "Total"): ("11", ""),
        (tutor, full): ("7", "58.3"),  # 7 / 12
        (tutor, part): ("5", "41.7"),
        (tutor, "Total"): ("12", ""),
        ("Total", full): ("12", "52.2"),  # 12 / 23
        ("Total", part): ("11", "47.8"),
        ("Total", "Total"): ("23", ""),
    }
    assert page == expected
    assert _csv(client, {"rows": "role", "columns": "full_time"}) == expected
    html = reply.content.decode()
    assert "<caption>" in html and '<th scope="row"' in html and '<th scope="col"' in html


def test_yes_no_and_multiple_choice_are_counted(client, build, exact, k5):
    # split shift yes: 5 with health+paid leave, 6 with health only; no: 5 with no answer.
    _people(build, 5, answers={"split_shift": True, "benefits": ["health", "paid_leave"]})
    _people(build, 6, answers={"split_shift": True, "benefits": ["health"]})
    _people(build, 5, answers={"split_shift": False})
    table = ct.crosstab({}, "split_shift", "benefits")
    cells = {
        (line.key, key): cell.n
        for line in table.rows
        for (key, _label), cell in zip(table.columns, line.cells, strict=True)
    }
    assert cells == {
        ("yes", "health"): 11,
        ("yes", "paid_leave"): 5,
        ("yes", ct.NO_ANSWER): 0,
        ("no", "health"): 0,
        ("no", "paid_leave"): 0,
        ("no", ct.NO_ANSWER): 5,
    }
    assert [line.total.n for line in table.rows] == [11, 5]
    assert [c.n for c in table.column_totals] == [11, 5, 5]
    assert table.grand.n == 16
    yes = table.rows[0]
    assert [c.share for c in yes.cells][:2] == [100.0, pytest.approx(100 * 5 / 11)]
    assert table.notes  # several answers a respondent: said on the page


@pytest.mark.parametrize("small", [K - 1, K])
def test_a_cell_is_hidden_at_k_minus_1_and_shown_at_k(build, exact, k5, small):
    _people(build, small, role="frontline", answers={"full_time": "full_time"})
    _people(build, 9, role="frontline", answers={"full_time": "part_time"})
    _people(build, 8, role="tutor", answers={"full_time": "full_time"})
    _people(build, 7, role="tutor", answers={"full_time": "part_time"})
    table = ct.crosstab({}, "role", "full_time")
    cell = table.rows[0].cells[0]
    assert table.rows[0].key == "frontline" and table.columns[0][0] == "full_time"
    if small < K:
        assert cell.hidden and cell.n is None and cell.share is None
        # its row and column totals are shown (the overview and workforce pages show them),
        # so complements are hidden in its row and in its column: no subtraction gives it.
        assert table.rows[0].cells[1].hidden
        assert table.rows[1].cells[0].hidden
        assert not table.rows[0].total.hidden and not table.column_totals[0].hidden
    else:
        assert not cell.hidden and cell.n == K
        assert cell.share == pytest.approx(100 * K / (K + 9))
        assert not any(c.hidden for line in table.rows for c in line.cells)


def _unknowns_determined(table, known_margins: dict) -> set:
    """Hidden cells of the grid that the shown figures (and the margins other pages show,
    `known_margins`) fix exactly, by linear algebra over the hidden cells."""
    rows = [line.key for line in table.rows]
    columns = [key for key, _label in table.columns]
    unknown = []
    value = {}
    for line in table.rows:
        for column, cell in zip(columns, line.cells, strict=True):
            if cell.hidden:
                unknown.append(("cell", line.key, column))
            else:
                value[("cell", line.key, column)] = cell.n
        if line.total.hidden and ("row", line.key) not in known_margins:
            unknown.append(("row", line.key))
    for column, cell in zip(columns, table.column_totals, strict=True):
        if cell.hidden and ("col", column) not in known_margins:
            unknown.append(("col", column))
    index = {cell: i for i, cell in enumerate(unknown)}
    equations = []
    lines = [(("row", r), [("cell", r, c) for c in columns]) for r in rows]
    lines += [(("col", c), [("cell", r, c) for r in rows]) for c in columns]
    for total, members in lines:
        equation = [Fraction(0)] * len(unknown)
        for sign, cell in [(1, total)] + [(-1, m) for m in members]:
            if cell in index:
                equation[index[cell]] += sign
        if any(equation):
            equations.append(equation)
    pivots = _rref(equations, len(unknown))
    free = [j for j in range(len(unknown)) if j not in pivots]
    return {unknown[c] for c, row in pivots.items() if all(row[j] == 0 for j in free)}


def test_no_hidden_cell_follows_from_the_margins(build, exact, k5):
    # A grid with small cells scattered: 3 (k-2), 4 (k-1), 1.
    plan = {
        ("frontline", "full_time"): 3,
        ("frontline", "part_time"): 12,
        ("tutor", "full_time"): 9,
        ("tutor", "part_time"): 4,
        ("site_lead", "full_time"): 1,
        ("site_lead", "part_time"): 10,
    }
    for (role, answer), n in plan.items():
        _people(build, n, role=role, answers={"full_time": answer})
    table = ct.crosstab({}, "role", "full_time")
    hidden = {
        (line.key, key)
        for line in table.rows
        for (key, _label), cell in zip(table.columns, line.cells, strict=True)
        if cell.hidden
    }
    assert {cell for cell, n in plan.items() if 0 < n < K} <= hidden
    # The margins: the overview's role table and the workforce table of the question show
    # them; every one shown there counts as known to the attacker.
    overview = selectors.overview({})
    known = {("row", r.key) for r in overview["by_role"].rows if not r.hidden}
    workforce = {t.key: t for t in selectors.workforce_profile({})["tables"]}
    known |= {("col", r.key) for r in workforce["full_time"].rows if not r.hidden}
    determined = _unknowns_determined(table, known)
    assert not {cell for cell in determined if cell[0] == "cell"}, determined
    # The grid shows a margin exactly where the other page does.
    for line in table.rows:
        role_row = next(r for r in overview["by_role"].rows if r.key == line.key)
        assert line.total.hidden == role_row.hidden
        assert line.total.n == role_row.n


def test_margin_hidden_on_its_own_page_stays_hidden_here(build, exact, k5):
    _people(build, 3, role="coach", answers={"full_time": "full_time"})  # a role of 3: hidden
    _people(build, 8, role="tutor", answers={"full_time": "full_time"})
    _people(build, 9, role="tutor", answers={"full_time": "part_time"})
    _people(build, 6, role="frontline", answers={"full_time": "part_time"})
    overview = selectors.overview({})
    hidden_roles = {r.key for r in overview["by_role"].rows if r.hidden}
    assert "coach" in hidden_roles and len(hidden_roles) >= 2  # with its complement
    table = ct.crosstab({}, "role", "full_time")
    assert {line.key for line in table.rows if line.total.hidden} == hidden_roles
    assert not {c for c in _unknowns_determined(table, set()) if c[0] == "cell"}


def test_a_table_and_its_transpose_hide_the_same_cells(build, exact, k5):
    for i in range(40):
        build(
            role=("frontline", "tutor", "site_lead")[i % 3],
            answers={"pay_type": ("hourly", "salary", "prefer_not")[i % 7 % 3]},
        )
    a = ct.crosstab({}, "role", "pay_type")
    b = ct.crosstab({}, "pay_type", "role")
    hidden_a = {
        (line.key, key)
        for line in a.rows
        for (key, _l), c in zip(a.columns, line.cells, strict=True)
        if c.hidden
    }
    hidden_b = {
        (key, line.key)
        for line in b.rows
        for (key, _l), c in zip(b.columns, line.cells, strict=True)
        if c.hidden
    }
    assert hidden_a and hidden_a == hidden_b


def test_figures_are_noised_like_the_other_dashboards(build, k5):
    """With the cell-key noise on, a margin is the very figure the overview shows."""
    for i in range(60):
        build(
            role=("frontline", "tutor")[i % 2],
            answers={"full_time": ("full_time", "part_time")[i % 3 % 2]},
        )
    table = ct.crosstab({}, "role", "full_time")
    overview = selectors.overview({})
    shown = {r.key: r.n for r in overview["by_role"].rows}
    assert {line.key: line.total.n for line in table.rows} == shown
    assert table.grand.n == overview["total"]


@pytest.mark.parametrize(
    "query",
    [{"rows": "role", "columns": "full_time"}, {"rows": "benefits", "columns": "split_shift"}],
)
def test_queries_per_page_do_not_grow_with_the_data(
    client, build, query, django_assert_max_num_queries
):
    from apps.insights import cube

    client.force_login(make_user(Role.REVIEWER))
    answers = {"full_time": "full_time", "benefits": ["health"], "split_shift": True}
    _people(build, 6, role="tutor", answers=answers)
    cube.rebuild()
    client.get(reverse(URL), query)  # warm the survey-structure cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(URL), query).status_code == 200
    for i in range(60):
        build(
            role=("tutor", "frontline", "coach")[i % 3],
            state=("CA", "TX")[i % 2],
            answers={
                "full_time": ("full_time", "part_time")[i % 2],
                "benefits": [["health", "paid_leave"], ["none"], ["retirement"]][i % 3],
                "split_shift": i % 4 == 0,
            },
        )
    cube.rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(URL), query).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(URL), {**query, "format": "csv"}).status_code == 200


def test_a_question_by_role_reads_the_question_types_once(build):
    """The role cross-tab read from the figures uses the question types the page already
    holds, not a second query for them."""
    from apps.insights import cube
    from apps.insights.sources import CubeSource, source_for

    _people(build, 6, role="tutor", answers={"benefits": ["health"]})
    _people(build, 6, role="coach", answers={"benefits": ["none"]})
    cube.rebuild()
    assert isinstance(source_for({}), CubeSource)
    with CaptureQueriesContext(connection) as queries:
        table = ct.crosstab({}, "role", "benefits")
    assert {line.key for line in table.rows} >= {"tutor", "coach"}
    marks = ('"surveys_question"."type"', '"surveys_surveyversion"."number"')
    types_read = [q["sql"] for q in queries.captured_queries if all(m in q["sql"] for m in marks)]
    assert len(types_read) == 1, types_read


@pytest.mark.parametrize(
    "query,message",
    [
        ({"rows": "no_such_question", "columns": "role"}, "is not a question or grouping"),
        ({"rows": "hours_per_week", "columns": "role"}, "is not a question or grouping"),
        ({"rows": "describe_work", "columns": "role"}, "is not a question or grouping"),
        ({"rows": "full_time", "columns": "full_time"}, "Pick two different questions"),
        ({"rows": "full_time"}, "Pick a question for the rows and one for the columns."),
        ({"rows": "crosswalk_code", "columns": "role"}, "The crosswalk page shows"),
    ],
)
def test_bad_axes_get_a_clear_message(client, build, query, message):
    build()
    client.force_login(make_user(Role.REVIEWER))
    reply = client.get(reverse(URL), query)
    assert reply.status_code == 400
    assert message in unescape(reply.content.decode())
    csv_reply = client.get(reverse(URL), {**query, "format": "csv"})
    assert csv_reply.status_code == 400  # the page with the message, not a file


def test_messages_are_in_the_users_language(client, build):
    build()
    client.force_login(make_user(Role.REVIEWER))
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        page = client.get(reverse(URL), {"rows": "full_time", "columns": "full_time"})
    assert "Elija dos preguntas distintas" in unescape(page.content.decode())


def test_unknown_filters_empty_groups_and_a_version_without_responses(client, build, survey):
    _people(build, 6, state="CA", answers={"full_time": "full_time"})
    client.force_login(make_user(Role.REVIEWER))
    axes = {"rows": "role", "columns": "full_time"}
    page = client.get(reverse(URL), {**axes, "state": "ZZ"})
    assert page.status_code == 200
    assert "The filter “State” was not applied" in unescape(page.content.decode())
    page = client.get(reverse(URL), {**axes, "state": "WY"})
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "No complete responses match these filters." in html
    assert "This selection has fewer than 5 responses, so no figures are shown." in html
    version = version_publish(version=version_copy_as_draft(version=survey.versions.get()))
    page = client.get(reverse(URL), {**axes, "version": version.pk})
    assert page.status_code == 200
    assert f"Survey version {version.number} has no complete responses yet" in page.content.decode()
    assert (
        client.get(reverse(URL), {**axes, "version": version.pk, "format": "csv"}).status_code
        == 200
    )


def test_every_offered_axis_can_be_crossed(client, build, exact):
    _people(
        build, 6, answers={"full_time": "full_time", "split_shift": True, "benefits": ["health"]}
    )
    choices = ct.axis_choices()
    keys = [key for key, _label in choices]
    assert {"role", "setting", "state", "collector", "full_time", "split_shift", "benefits"} <= set(
        keys
    )
    assert "hours_per_week" not in keys and "describe_work" not in keys
    for key in keys:
        other = "state" if key != "state" else "role"
        ct.crosstab({}, key, other)  # no error for any offered axis


def test_a_grid_too_large_to_protect_is_refused_with_a_message(client, build, monkeypatch):
    _people(build, 6, answers={"full_time": "full_time"})
    monkeypatch.setattr(ct, "MAX_CELLS", 0)
    client.force_login(make_user(Role.REVIEWER))
    reply = client.get(reverse(URL), {"rows": "role", "columns": "full_time"})
    assert reply.status_code == 400
    assert "more than 0. Filter the responses" in unescape(reply.content.decode())


def test_a_saved_view_keeps_the_two_questions(client, build):
    from apps.insights.models import SavedView

    _people(build, 6, answers={"full_time": "full_time"})
    client.force_login(make_user(Role.REVIEWER))
    page = client.get(reverse(URL), {"rows": "role", "columns": "full_time", "state": "CA"})
    assert 'name="rows" value="role"' in page.content.decode()
    reply = client.post(
        reverse("insights:save_view"),
        {
            "name": "Roles by full time",
            "page": URL,
            "state": "CA",
            "rows": "role",
            "columns": "full_time",
        },
    )
    assert reply.status_code == 302
    view = SavedView.objects.get(name="Roles by full time")
    opened = client.get(reverse("insights:open_view", kwargs={"pk": view.pk}))
    assert "rows=role" in opened.url and "columns=full_time" in opened.url
    assert "state=CA" in opened.url
    assert client.get(opened.url).context["table"] is not None


def test_fewer_than_k_people_in_all_hide_every_figure_zeros_too(build, exact, k5):
    _people(build, 2, role="tutor", answers={"full_time": "full_time"})
    _people(build, 2, role="frontline", answers={"full_time": "part_time"})
    table = ct.crosstab({}, "role", "full_time")
    assert len(table.rows) == 2 and len(table.columns) == 2  # two zero cells among them
    assert table.grand.hidden and table.grand.n is None
    cells = [cell for line in table.rows for cell in line.cells]
    assert cells and all(c.hidden and c.n is None and c.share is None for c in cells)
    assert all(line.total.hidden for line in table.rows)
    assert all(c.hidden for c in table.column_totals)


def test_a_complementary_cell_of_k_or_more_shows_the_neutral_mark_never_under_k(
    client, build, exact, k5
):
    """A cell hidden as a complement may be large: it is "x" (claims no value), not "<5"."""
    _people(build, K - 1, role="frontline", answers={"full_time": "full_time"})
    _people(build, 9, role="frontline", answers={"full_time": "part_time"})
    _people(build, 8, role="tutor", answers={"full_time": "full_time"})
    _people(build, 7, role="tutor", answers={"full_time": "part_time"})
    table = ct.crosstab({}, "role", "full_time")
    # primary (4) and complements of 9, 8 and 7 people (K or more): all hidden
    assert [c.hidden for line in table.rows for c in line.cells] == [True] * 4
    client.force_login(make_user(Role.REVIEWER))
    query = {"rows": "role", "columns": "full_time"}
    html = client.get(reverse(URL), query).content.decode()
    lab = selectors.labels()
    front, tutor = lab.choices["role"]["frontline"], lab.choices["role"]["tutor"]
    full, part = lab.choices["full_time"]["full_time"], lab.choices["full_time"]["part_time"]
    cells = re.findall(
        r"<td[^>]*>(.*?)</td>",
        html.split('class="table table-sm table-bordered crosstab"')[1],
        re.S,
    )
    marks = [c for c in cells if 'aria-hidden="true">x</span>' in c]
    assert len(marks) == 4
    for cell in marks:  # the mark, its meaning as a tooltip, and "hidden" for screen readers
        assert 'title="hidden: fewer than 5 people, or hidden so that another' in cell
        assert '<span class="visually-hidden">hidden</span>' in cell
    page = _page_table(html)
    hidden = ((front, full), (front, part), (tutor, full), (tutor, part))
    for key in hidden:
        assert page[key] == ("xhidden", ""), key
    assert "&lt;5" not in html and "<5" not in _text(html)
    assert "x = hidden: fewer than 5 people, or hidden so that another hidden figure" in html
    figures = _csv(client, query)
    for key in hidden:
        assert figures[key] == ("x", ""), key
    assert figures[(front, "Total")] == ("13", "")
    assert not any(n.startswith("<") for n, _share in figures.values())


def test_the_cross_tab_says_no_answer_for_groupings_and_labels_its_region_apart(
    client, build, exact, k5
):
    _people(build, 6, setting="", answers={"full_time": "full_time"})
    _people(build, 6, answers={"full_time": "part_time"})
    client.force_login(make_user(Role.REVIEWER))
    html = client.get(reverse(URL), {"rows": "setting", "columns": "full_time"}).content.decode()
    rows = {label for label, _column in _page_table(html)}
    assert "No answer" in rows and "(blank)" not in html
    assert "need not add up to exactly 100%" in html
    region = re.search(r'<div class="table-responsive"[^>]*role="region"[^>]*>', html).group(0)
    assert 'aria-labelledby="crosstab-title"' not in region and 'aria-label="Table: ' in region


def test_the_spanish_cross_tab_shows_the_percentage_note_in_spanish(client, build, exact, k5):
    # Django looks a template string up with "%" doubled: the .po msgid must say "100%%".
    _people(build, 6, answers={"full_time": "full_time"})
    client.force_login(make_user(Role.REVIEWER))
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        reply = client.get(reverse(URL), {"rows": "role", "columns": "full_time"})
    html = unescape(reply.content.decode())
    note = re.search(r'<p[^>]*id="crosstab-percent-note"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert note == (
        "Los porcentajes de fila se calculan a partir de los recuentos perturbados y se "
        "redondean, así que los porcentajes de una fila no tienen por qué sumar exactamente 100%."
    )


def test_the_overview_says_no_answer_for_a_blank_setting_or_state_like_the_cross_tab(
    client, build, exact, k5
):
    _people(build, 6, setting="", state="")
    _people(build, 6, setting="school_campus", state="CA")
    client.force_login(make_user(Role.REVIEWER))
    html = unescape(client.get(reverse("insights:overview")).content.decode())
    assert "(blank)" not in html
    assert re.search(r'<th scope="row" class="fw-normal">No answer</th>', html)  # setting
    assert re.search(r'<span class="fw-semibold">No answer</span>', html)  # state tile
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("insights:overview"), {"format": "csv"})
                .content.decode()
                .lstrip("\ufeff")
            )
        )
    )
    labels = {row[1] for row in rows if len(row) > 1}
    assert "No answer" in labels and "(blank)" not in labels
    with translation.override("es"):
        client.cookies["django_language"] = "es"
        html = unescape(client.get(reverse("insights:overview")).content.decode())
    assert "Sin respuesta" in html and "(en blanco)" not in html
