"""An attacker with every figure the dashboards, their CSVs and the proposal blocks show tries
the seven derivations of issue 12 on generated responses. None may give a count of 1..K-1
exactly.

The attacker sees the figures as shown (with the cell-key noise). The truth is read with the
noise switched off (suppression unchanged), only to score the attacker.
"""

from collections import Counter
from datetime import timedelta
from itertools import combinations

import pytest
from django.utils import timezone

from apps.insights import cube, sources
from apps.insights import selectors as insights
from apps.insights.crosstab import DIMENSIONS
from apps.insights.disclosure import MAX_NOISE
from apps.surveys.models import Question, Response
from devtools.synthetic import synthetic_responses_generate

pytestmark = pytest.mark.django_db

K = 5


@pytest.fixture
def generated(survey, settings):
    settings.SUPPRESSION_MIN_N = K
    # The noise is keyed on the respondents' ids. PostgreSQL does not roll its sequences back
    # with each test, so the ids (and the attacker's score) followed whichever tests ran
    # before: start them at 1, as on SQLite, so the attack meets the same sample every run.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)",
                [Response._meta.db_table],
            )
    synthetic_responses_generate(survey=survey, count=240, seed=23)
    # Spread the submissions over eight weeks, and flag a few, so that views differ by few.
    now = timezone.now()
    for i, pk in enumerate(Response.objects.order_by("pk").values_list("pk", flat=True)):
        Response.objects.filter(pk=pk).update(
            submitted_at=now - timedelta(days=(i * 7) % 56), is_too_fast=i % 61 == 0
        )
    cube.rebuild()
    return survey


def _shown_and_true(settings, function, *args, **kwargs):
    settings.INSIGHTS_NOISE = True
    shown = function(*args, **kwargs)
    settings.INSIGHTS_NOISE = False
    true = function(*args, **kwargs)
    settings.INSIGHTS_NOISE = True
    return shown, true


def _cells(data: dict) -> dict:
    """Every count the overview, workforce and crosswalk pages show, by (table, category)."""
    cells = {}
    for key in ("by_role", "by_state", "by_setting", "by_employer", "by_collector"):
        for row in data["overview"][key].rows:
            cells[(key, row.key)] = None if row.hidden else row.n
    for table in data["workforce"]["tables"] + data["workforce"]["demographics"]:
        for row in table.rows:
            cells[(table.key, row.key)] = None if row.hidden else row.n
    for row in data["crosswalk"]["pooled"].rows:
        cells[("crosswalk", row.key)] = None if row.hidden else row.n
    cells[("total", "")] = None if data["overview"]["total_hidden"] else data["overview"]["total"]
    return cells


def _view(params):
    return {
        "overview": insights.overview(params),
        "workforce": insights.workforce_profile(params),
        "crosswalk": insights.crosswalk(params),
    }


def test_1_relevance_times_n_never_gives_a_hidden_yes_or_no_count(generated, settings):
    for params in ({}, {"role": "frontline"}, {"state": "CA"}):
        shown, true = _shown_and_true(settings, insights.task_table, params)
        truth = {t.task.code: t for t in true}
        settings.INSIGHTS_NOISE = False
        exact_rows = sources.source_for(params).tasks()
        for t in shown:
            row = exact_rows[t.task.pk]
            yes, no = row["yes"], row["n"] - row["yes"]
            if 0 < yes < K or 0 < no < K:
                assert t.relevance_pct is None, (params, t.task.code)
                assert t.relevant is None
                assert truth[t.task.code].relevance_pct is None


def _lines_ok(hidden_flags_by_line):
    """No line (a total and its parts) with exactly one hidden non-zero part."""
    return all(sum(flags) != 1 for flags in hidden_flags_by_line)


def test_2_task_detail_by_role_cannot_be_subtracted_from_the_pooled_figure(generated, settings):
    from apps.surveys.models import Task

    settings.INSIGHTS_NOISE = False  # the strongest attacker: exact shown figures
    checked = 0
    for task in Task.objects.order_by("order")[:12]:
        detail = insights.task_detail({}, task)
        pooled = detail["pooled"]
        roles = [stats for _label, stats in detail["by_role"]]
        if not pooled.hidden:
            hidden = [s.hidden for s in roles if s.n != 0]
            assert sum(hidden) != 1, task.code  # n column: pooled n minus the others
        if pooled.relevance_pct is not None:
            hidden_relevance = [s.relevance_pct is None for s in roles if not s.hidden]
            hidden_relevance += [True for s in roles if s.hidden]
            assert sum(hidden_relevance) != 1 or len(roles) == 1, task.code
        checked += 1
    assert checked == 12


def test_3_crosswalk_role_tables_cannot_be_subtracted_from_the_pooled_table(generated, settings):
    settings.INSIGHTS_NOISE = False
    for params in ({}, {"state": "CA"}, {"setting": "school_campus"}):
        data = insights.crosswalk(params)
        pooled = {row.key: row for row in data["pooled"].rows}
        for code, row in pooled.items():
            if row.hidden:
                continue
            hidden = [
                next(r for r in table.rows if r.key == code).hidden
                for table in data["by_role"]
                if any(r.key == code and (r.n or r.hidden) for r in table.rows)
            ]
            assert sum(hidden) != 1, (params, code)
        for table in data["by_role"]:
            if not table.total_hidden:
                assert sum(r.hidden for r in table.rows) != 1, (params, table.key)


def test_4_representativeness_hides_what_the_setting_table_hides(generated, settings):
    from apps.insights.models import RepresentationTarget

    for value in ("school_campus", "community_center", "faith_based", "home_based"):
        RepresentationTarget.objects.create(dimension="setting", value=value, target_percent=10)
    for params in ({}, {"state": "CA"}, {"role": "frontline"}):
        data = insights.overview(params)
        settings_rows = {row.key: row for row in data["by_setting"].rows}
        for target in data["representativeness"]:
            key = next(
                (k for k, r in settings_rows.items() if r.label == target["value"]),
                None,
            )
            if key is not None and settings_rows[key].hidden:
                assert target["hidden"] and target["sample_percent"] is None


def _neighbours():
    """Pairs of views one filter apart."""
    today = timezone.localdate()
    views = [{}, {"flagged": True}]
    for state in ("CA", "TX", "NY"):
        views += [{"state": state}, {"state": state, "flagged": True}]
    for weeks in (4, 5, 8):
        views.append({"date_from": (today - timedelta(weeks=weeks)).isoformat()})
    pairs = []
    for a, b in combinations(views, 2):
        differ = set(a.items()) ^ set(b.items())
        if len({key for key, _value in differ}) == 1:
            pairs.append((a, b))
    return pairs


def test_5_differencing_views_one_filter_apart_gives_noise_not_people(generated, settings):
    pairs = _neighbours()
    assert len(pairs) >= 8
    tallies = Counter()
    for a, b in pairs:
        shown_a, true_a = _shown_and_true(settings, _view, a)
        shown_b, true_b = _shown_and_true(settings, _view, b)
        sa, sb, ta, tb = _cells(shown_a), _cells(shown_b), _cells(true_a), _cells(true_b)
        for cell in sa.keys() & sb.keys():
            if sa[cell] is None or sb[cell] is None:
                continue
            true_difference = abs(ta[cell] - tb[cell])
            if not 0 < true_difference < K:
                continue
            guess = abs(sa[cell] - sb[cell])
            tallies["small differences"] += 1
            tallies["guessed right"] += guess == true_difference
            assert abs(guess - true_difference) <= 2 * MAX_NOISE
    # Plenty of one-to-four-person differences exist between these views...
    assert tallies["small differences"] >= 30, tallies
    # ...and the shown figures give them away no better than a coin: the attacker cannot
    # tell a right guess from a wrong one.
    assert tallies["guessed right"] < 0.6 * tallies["small differences"], tallies


def test_5_asking_the_same_people_again_gives_the_same_figures(generated, settings):
    """Averaging repeated or rephrased queries gets nothing: the same respondents, however
    the view is phrased, give the same noisy figures."""
    today = timezone.localdate()
    wide = {"date_from": (today - timedelta(weeks=30)).isoformat()}
    assert _cells(_view({})) == _cells(_view({}))
    assert _cells(_view({})) == _cells(_view(wide))  # every response is in both views


def test_5_dates_are_widened_to_whole_weeks():
    from apps.surveys.filters import filter_params

    params = filter_params({"date_from": "2026-11-04", "date_to": "2026-11-18"})
    assert params == {"date_from": "2026-11-02", "date_to": "2026-11-22"}
    one_day_shorter = filter_params({"date_from": "2026-11-04", "date_to": "2026-11-17"})
    assert one_day_shorter == params  # one day shorter: the very same view


def test_7_open_answers_of_a_small_group_are_not_listed(generated):
    """A list is narrowed by role only (insights.OPEN_ANSWER_FILTERS): a state, a setting or
    a date range would let two lists be compared; its group is the role's respondents."""
    for role, _n in sources.source_for({}).profile("role"):
        group = insights.open_answer_group({"role": role, "state": "WY"})
        assert group["allowed"] is (sources.source_for({"role": role}).total() >= K)
        assert group == insights.open_answer_group({"role": role})


# --- 8. Cross-tabs: a hidden cell from the grid's margins and the other dashboards ---

CROSSTAB_PAIRS = [
    ("role", "full_time"),
    ("state", "education"),
    ("split_shift", "benefits"),
    ("race_ethnicity", "setting"),
    ("collector", "salary_band"),
    ("age_band", "gender"),
]


def _crosstab_equations(table, other_pages: dict):
    """The attacker's linear system for one cross-tab: every figure shown on the cross-tab
    page or on the other dashboards (`other_pages`: {variable: shown value}) is known; the
    relations are those of the grid (rows, columns, grand total, answered + no answer)."""
    from apps.insights.crosstab import NO_ANSWER

    rows = [line.key for line in table.rows]
    columns = [key for key, _label in table.columns]
    known = dict(other_pages)
    for line in table.rows:
        if not line.total.hidden:
            known[("row", line.key)] = line.total.n
        for column, cell in zip(columns, line.cells, strict=True):
            if not cell.hidden:
                known[("cell", line.key, column)] = cell.n
    for column, cell in zip(columns, table.column_totals, strict=True):
        if not cell.hidden:
            known[("col", column)] = cell.n
    if not table.grand.hidden:
        known["grand"] = table.grand.n
    relations = []
    if not table.multi_columns:
        relations += [(("row", r), [("cell", r, c) for c in columns]) for r in rows]
    if not table.multi_rows:
        relations += [(("col", c), [("cell", r, c) for r in rows]) for c in columns]
    for side, keys, multi, question in (
        ("row", rows, table.multi_rows, table.row_axis not in DIMENSIONS),
        ("col", columns, table.multi_columns, table.column_axis not in DIMENSIONS),
    ):
        real = [(side, key) for key in keys if key != NO_ANSWER]
        if question:
            relations.append(("grand", [(side, "answered"), (side, NO_ANSWER)]))
            if not multi:
                relations.append(((side, "answered"), real))
        elif not multi:
            relations.append(("grand", real))
    return known, relations


def _derivable(known: dict, relations: list) -> set:
    """Unknowns that the relations fix exactly, given the known figures."""
    from fractions import Fraction

    from apps.insights.disclosure import _rref

    unknown = sorted(
        {v for total, members in relations for v in (total, *members) if v not in known}, key=str
    )
    index = {v: i for i, v in enumerate(unknown)}
    equations = []
    for total, members in relations:
        row = [Fraction(0)] * len(unknown)
        for sign, v in [(1, total)] + [(-1, m) for m in members]:
            if v in index:
                row[index[v]] += sign
        if any(row):
            equations.append(row)
    pivots = _rref(equations, len(unknown))
    free = [j for j in range(len(unknown)) if j not in pivots]
    return {unknown[c] for c, row in pivots.items() if all(row[j] == 0 for j in free)}


def _other_pages(params: dict, table) -> dict:
    """What the overview and the workforce profile show of the cross-tab's margins."""
    from apps.insights.crosstab import NO_ANSWER

    overview = insights.overview(params)
    workforce = insights.workforce_profile(params)
    tables = {t.key: t for t in workforce["tables"] + workforce["demographics"]}
    dimension_tables = {
        "role": overview["by_role"],
        "state": overview["by_state"],
        "setting": overview["by_setting"],
    }
    shown = {}
    grand = None if overview["total_hidden"] else overview["total"]
    if grand is not None:
        shown["grand"] = grand
    for side, axis in (("row", table.row_axis), ("col", table.column_axis)):
        source = dimension_tables.get(axis) or tables.get(axis)
        if source is None:
            continue
        for row in source.rows:
            if not row.hidden:
                shown[(side, row.key)] = row.n
        if axis not in DIMENSIONS and not source.total_hidden:
            shown[(side, "answered")] = source.total
            if grand is not None:
                shown[(side, NO_ANSWER)] = grand - source.total
    return shown


def test_8_a_hidden_crosstab_cell_follows_neither_from_its_margins_nor_other_dashboards(
    generated, settings
):
    from apps.insights import crosstab as ct

    settings.INSIGHTS_NOISE = False  # the strongest attacker: exact shown figures
    hidden_small = 0
    for params in ({}, {"state": "CA"}, {"role": "frontline"}, {"setting": "school_campus"}):
        for row_axis, column_axis in CROSSTAB_PAIRS:
            table = ct.crosstab(params, row_axis, column_axis)
            ids = {}
            for key in (row_axis, column_axis):
                if key not in DIMENSIONS:
                    ids[key] = list(Question.objects.filter(key=key).values_list("pk", flat=True))
            truth = ct.grid_counts(params, row_axis, column_axis, ids)
            known, relations = _crosstab_equations(table, _other_pages(params, table))
            for variable in _derivable(known, relations):
                if variable[0] == "cell":
                    n = truth.get((variable[1], variable[2]), 0)
                    assert not 0 < n < K, (params, row_axis, column_axis, variable, n)
            for line in table.rows:
                for (key, _label), cell in zip(table.columns, line.cells, strict=True):
                    n = truth.get((line.key, key), 0)
                    if 0 < n < K:
                        assert cell.hidden, (params, row_axis, column_axis, line.key, key)
                        hidden_small += 1
    assert hidden_small >= 30  # the data has small cells to protect


def test_8_differencing_crosstabs_one_filter_apart_gives_noise_not_people(generated, settings):
    from apps.insights import crosstab as ct

    def cells(params):
        table = ct.crosstab(params, "role", "full_time")
        result = {}
        for line in table.rows:
            for (key, _label), cell in zip(table.columns, line.cells, strict=True):
                result[(line.key, key)] = None if cell.hidden else cell.n
        return result

    tallies = Counter()
    for a, b in _neighbours():
        shown_a, true_a = _shown_and_true(settings, cells, a)
        shown_b, true_b = _shown_and_true(settings, cells, b)
        for cell in shown_a.keys() & shown_b.keys():
            if shown_a[cell] is None or shown_b[cell] is None:
                continue
            true_difference = abs(true_a[cell] - true_b[cell])
            if not 0 < true_difference < K:
                continue
            guess = abs(shown_a[cell] - shown_b[cell])
            tallies["small differences"] += 1
            tallies["guessed right"] += guess == true_difference
            assert abs(guess - true_difference) <= 2 * MAX_NOISE
    assert tallies["small differences"] >= 10, tallies
    assert tallies["guessed right"] < 0.6 * tallies["small differences"], tallies


def test_8_the_grid_hides_what_the_dashboards_filtered_to_one_group_hide(generated, settings):
    """Row r of role x question is the question's table on the workforce profile filtered to
    role r: same respondents, same figures (noise included). A cell hidden there (primary or
    complementary) is hidden in the grid, else it would follow from the grid's row."""
    from apps.insights import crosstab as ct

    compared = hidden_there = 0
    for dimension, question in (
        ("role", "pay_type"),
        ("state", "education"),
        ("setting", "benefits"),
        ("collector", "salary_band"),
        ("role", "split_shift"),
    ):
        for row_axis, column_axis in ((dimension, question), (question, dimension)):
            table = ct.crosstab({}, row_axis, column_axis)
            grid = {}
            for line in table.rows:
                for (key, _label), cell in zip(table.columns, line.cells, strict=True):
                    pair = (line.key, key) if row_axis == dimension else (key, line.key)
                    grid[pair] = cell
            groups = {d for d, _x in grid if d != ""}
            for group in sorted(groups):
                filtered = insights.workforce_profile({dimension: group})
                tables = {t.key: t for t in filtered["tables"] + filtered["demographics"]}
                for row in tables[question].rows:
                    cell = grid[(group, row.key)]
                    compared += 1
                    if row.hidden:
                        hidden_there += 1
                        assert cell.hidden, (dimension, question, group, row.key)
                    elif not cell.hidden:
                        assert cell.n == row.n, (dimension, question, group, row.key)
    assert compared >= 100 and hidden_there >= 10, (compared, hidden_there)


def _numbers(params):
    return {n["key"]: n for n in insights.workforce_profile(params)["numbers"]}


def _number_answers(response) -> dict:
    from apps.surveys.models import Answer

    return {
        key: float(value)
        for key, value in Answer.objects.filter(
            response=response,
            question__key__in=insights.PROFILE_NUMBERS,
            number_value__isnull=False,
        ).values_list("question__key", "number_value")
    }


def _value_range(state, key) -> tuple[float, float]:
    """The smallest and largest answer to a number question in a state (the bounds the
    layer keeps a quartile within: a quartile at a bound is a value a quarter gave)."""
    from django.db.models import Max, Min

    from apps.surveys.models import Answer

    row = Answer.objects.filter(
        response__in=Response.objects.included().filter(state=state), question__key=key
    ).aggregate(low=Min("number_value"), high=Max("number_value"))
    return (float(row["low"]), float(row["high"]))


def test_5_means_and_quartiles_of_views_one_person_apart_do_not_give_the_person(
    generated, settings
):
    """A state with and without flagged responses, where exactly one response of the state is
    flagged: the two views differ by that person. mean * n differences give their pay,
    hours, years... exactly from the exact figures (checked: the attack works), and not from
    the shown ones; a quartile that is their value is never shown as that value (unless it
    is the smallest or largest value given, which a quarter of the group gave)."""
    settings.INSIGHTS_CUBE = False  # one person flagged at a time: no rebuild of the cube
    Response.objects.update(is_too_fast=False, is_duplicate=False)
    tried = exact_hits = shown_hits = quartile_checks = 0
    for state in ("CA", "TX", "NY", "FL"):
        people = list(Response.objects.included().filter(state=state).order_by("pk")[:5])
        for person in people:
            values = _number_answers(person)
            Response.objects.filter(pk=person.pk).update(is_too_fast=True)
            with_person, without = {"state": state, "flagged": True}, {"state": state}
            shown_a, true_a = _shown_and_true(settings, _numbers, with_person)
            shown_b, true_b = _shown_and_true(settings, _numbers, without)
            Response.objects.filter(pk=person.pk).update(is_too_fast=False)
            for key, x in values.items():
                a, b, ta, tb = shown_a[key], shown_b[key], true_a[key], true_b[key]
                if ta["mean"] is None or tb["mean"] is None:
                    continue
                assert ta["n"] == tb["n"] + 1  # the views differ by this one person
                digits = 2 if key == "hourly_rate" else 0  # how the answers are given
                exact = ta["mean"] * ta["n"] - tb["mean"] * tb["n"]
                guess = a["mean"] * ta["n"] - b["mean"] * tb["n"]  # true n: the strongest
                tried += 1
                exact_hits += abs(exact - x) < 0.5 * 10**-digits
                shown_hits += abs(guess - x) < 0.5 * 10**-digits
                if x in _value_range(state, key):
                    continue  # the smallest or largest value given: a quarter of the group
                for stat in ("p25", "median", "p75"):
                    if ta[stat] == x and x not in (tb["p25"], tb["median"], tb["p75"]):
                        quartile_checks += 1  # the exact quartile is this person's value
                        assert a[stat] != x, (state, person.pk, key, stat)
    assert tried >= 40, tried
    assert exact_hits == tried  # without the layer's perturbation the attack always works
    assert shown_hits <= 0.2 * tried, (shown_hits, tried)
    assert quartile_checks >= 1


@pytest.mark.parametrize("noise", [False, True])
def test_every_statistic_is_hidden_at_k_minus_1_and_shown_at_k(generated, settings, noise):
    """Number questions answered by exactly K-1 and K people (in a state), task ratings and
    crosswalk fit means: below K every statistic is hidden, at K each is shown (perturbed
    when the noise is on, exact when off)."""
    settings.INSIGHTS_CUBE = False
    settings.INSIGHTS_NOISE = noise
    from apps.surveys.models import Answer

    state = "CA"
    people = list(Response.objects.filter(state=state).order_by("pk"))
    assert len(people) > K + 2
    for key, wanted in (("hours_per_week", K - 1), ("years_in_field", K)):
        answers = Answer.objects.filter(
            response__state=state, question__key=key, number_value__isnull=False
        ).order_by("pk")
        assert answers.count() >= K, key
        answers.exclude(pk__in=list(answers.values_list("pk", flat=True)[:wanted])).delete()
    numbers = _numbers({"state": state})
    hours, years = numbers["hours_per_week"], numbers["years_in_field"]
    assert hours["n"] is None and hours["n_hidden"]
    assert [hours[s] for s in ("mean", "p25", "median", "p75")] == [None] * 4
    assert not years["n_hidden"] and years["n"] >= K
    assert all(years[s] is not None for s in ("mean", "p25", "median", "p75"))
    settings.INSIGHTS_NOISE = False
    exact = _numbers({"state": state})["years_in_field"]
    settings.INSIGHTS_NOISE = noise
    assert exact["n"] == K
    if noise:
        assert years["mean"] != exact["mean"]
        assert abs(years["mean"] - exact["mean"]) <= 0.5 * 60 / K + 0.05
    else:
        assert years["mean"] == exact["mean"] and years["median"] == exact["median"]

    # Task ratings: the importance mean, SD and interval at K-1 and K raters.
    tasks = {t.task.code: t for t in insights.task_table({"state": state})}
    rows = sources.source_for({"state": state}).tasks()
    seen = Counter()
    for stats in tasks.values():
        rated = sum(rows[stats.task.pk][f"f{c}"] for c in range(1, 8))
        stats_shown = [stats.importance_mean, stats.importance_sd, stats.ci_low, stats.ci_high]
        if rated < K:
            assert stats_shown == [None] * 4, stats.task.code
            seen["ratings hidden"] += 1
        else:
            assert all(v is not None for v in stats_shown), stats.task.code
            assert 1 <= stats.importance_mean <= 5
            seen["ratings shown"] += 1
        # Relevance: a derived percentage, hidden when yes or no is 1..K-1.
        yes, n = rows[stats.task.pk]["yes"], rows[stats.task.pk]["n"]
        if 0 < yes < K or 0 < n - yes < K:
            assert stats.relevance_pct is None, stats.task.code
            seen["relevance hidden"] += 1
        elif n >= K:
            assert stats.relevance_pct is not None, stats.task.code
            seen["relevance shown"] += 1
    # Crosswalk fit means: shown only beside a code chosen by at least K.
    for params in ({}, {"state": state}):
        fits = sources.source_for(params).fit_by_code()
        for row in insights.crosswalk(params)["pooled"].rows:
            n, _mean = fits.get(row.key, (0, None))
            if n < K or row.hidden:
                assert getattr(row, "fit_mean", None) is None, row.key
                seen["fit hidden"] += 1
            else:
                assert row.fit_mean is not None, row.key
                seen["fit shown"] += 1
    assert min(seen.values()) >= 1 and len(seen) == 6, seen


# --- 9. A filter that selects fewer than K people ---


def test_9_a_filter_that_selects_fewer_than_k_people_reveals_nothing(generated, client):
    """The attacker narrows the filters until a handful of people remain (a state and a
    setting, a state and a role): under K, no page and no CSV shows a figure, so the
    categories a table would list (even as hidden) cannot be read as those people's answers.
    At K or more the figures come back."""
    import csv
    import io
    import re

    from django.urls import reverse

    from apps.accounts.roles import Role
    from tests.factories import make_user

    message = f"This selection has fewer than {K} responses, so no figures are shown."
    combos = Counter()
    for state, setting, role in Response.objects.filter(
        pk__in=sources.scoped_responses({}).values("pk")
    ).values_list("state", "setting", "role__slug"):
        combos[("state", state, "setting", setting)] += 1
        combos[("state", state, "role", role)] += 1
    combos = Counter({c: n for c, n in combos.items() if all(c)})  # a value for each filter
    small = sorted(c for c, n in combos.items() if 0 < n < K)[:3]
    large = sorted(c for c, n in combos.items() if n >= K)[:1]
    assert small and large
    client.force_login(make_user(Role.REVIEWER, username="attacker-9"))
    pages = ["overview", "duties", "titles", "crosswalk", "workforce", "crosstab"]
    for a, va, b, vb in small + large:
        params = {a: va, b: vb}
        assert insights.query_set_size(params) == combos[(a, va, b, vb)]
        gated = combos[(a, va, b, vb)] < K
        for page in [*pages, "open_answers"]:
            axes = {"rows": "gender", "columns": "age_band"} if page == "crosstab" else {}
            query = {**params, **axes}
            html = client.get(reverse(f"insights:{page}"), query).content.decode()
            figures = re.sub(r'<details class="filters.*?</details>', "", html, flags=re.S)
            if page == "open_answers":
                # Lists apply the role filter only: gated when the role alone is under K.
                role = params.get("role")
                gated_here = bool(role) and insights.query_set_size({"role": role}) < K
                assert (message in html) is gated_here, (page, params)
                continue
            assert (message in html) is gated, (page, params)
            if gated:
                assert "<table" not in figures and "<li" not in figures.split("query-set")[1]
                if page in pages:
                    reply = client.get(reverse(f"insights:{page}"), {**query, "format": "csv"})
                    rows = list(csv.reader(io.StringIO(reply.content.decode().lstrip("\ufeff"))))
                    assert rows[0] == ["message"] and len(rows) == 2, (page, params)


def test_10_the_titles_page_does_not_count_the_titles_it_leaves_out(generated, client):
    """A title written by fewer than K people is not listed, and neither is how many such
    titles there are: that count was exact (no noise), about one per person in a small
    group, and moved by exactly one between views one flagged person apart."""
    from django.urls import reverse

    from apps.accounts.roles import Role
    from tests.factories import make_user

    titles = Counter(
        Response.objects.filter(pk__in=sources.scoped_responses({}).values("pk"))
        .filter(answers__question__key="job_title")
        .values_list("answers__text_value", flat=True)
    )
    assert any(n < K for n in titles.values())  # there are titles left out
    data = insights.job_titles({})
    assert set(data) == {"canonical", "variants", "total", "total_hidden"}
    client.force_login(make_user(Role.REVIEWER, username="attacker-10"))
    for params in ({}, {"flagged": "on"}):
        html = client.get(reverse("insights:titles"), params).content.decode()
        assert "are not listed." in html and "such titles" not in html


def test_11_hidden_crosswalk_role_tables_do_not_come_in_order_of_size(generated):
    """The by-role crosswalk tables come largest shown total first; those whose total is
    hidden come last in the order of their keys (ordered by their true totals, two hidden
    tables told which of them was larger)."""
    seen = 0
    for state in Response.objects.values_list("state", flat=True).distinct():
        tables = insights.crosswalk({"state": state})["by_role"]
        hidden = [t.key for t in tables if t.total_hidden]
        shown = [t.total for t in tables if not t.total_hidden]
        assert [t.total_hidden for t in tables] == sorted(t.total_hidden for t in tables)
        assert hidden == sorted(hidden) and shown == sorted(shown, reverse=True)
        seen += len(hidden) > 1
    assert seen  # views with two hidden role tables or more were looked at
