"""The disclosure-control layer on its own (apps/insights/disclosure.py): every rule at K-1 and
K, the cell-key noise, and complementary suppression over linked tables.

No database, no pytest plugins: these are the tests `make mutation` runs against the module
(with test_disclosure_unit.py)."""

from collections import Counter
from fractions import Fraction

import pytest

from apps.insights import disclosure as d
from apps.insights.disclosure import Row, Tally

from .plain_settings import settings_fixture  # noqa: F401 (the `settings` fixture)

K = 5


@pytest.fixture(autouse=True)
def _k(settings):
    settings.SUPPRESSION_MIN_N = K
    settings.INSIGHTS_NOISE = True
    settings.SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def quiet(n: int) -> Tally:
    """A tally whose cell key gives no noise (found by search, not assumed)."""
    key = next(key for key in range(100_000) if d.noise(key) == 0)
    return Tally(n, key)


def loud(n: int, want: int) -> Tally:
    key = next(key for key in range(100_000) if d.noise(key) == want)
    return Tally(n, key)


# --- counts ---


def test_k_comes_from_the_settings(settings):
    assert d.k() == K
    settings.SUPPRESSION_MIN_N = 11
    assert d.k() == 11


@pytest.mark.parametrize(
    ("n", "small"), [(None, False), (0, False), (1, True), (K - 1, True), (K, False)]
)
def test_is_small_at_the_boundaries(n, small):
    assert d.is_small(n) is small


def test_shown_count_at_k_minus_1_and_k():
    assert d.shown_count(quiet(K - 1)) is None
    assert d.shown_count(quiet(1)) is None
    assert d.shown_count(quiet(K)) == K
    assert d.shown_count(quiet(0)) == 0
    assert d.shown_count(None) is None


def test_noise_is_added_but_a_shown_count_never_drops_below_k():
    assert d.shown_count(loud(20, 2)) == 22
    assert d.shown_count(loud(20, -2)) == 18
    assert d.shown_count(loud(20, 1)) == 21
    assert d.shown_count(loud(K, -2)) == K  # would be K-2: a small count is never shown
    assert d.shown_count(loud(K + 1, -2)) == K


def test_plain_ints_and_the_setting_switch_the_noise_off(settings):
    assert d.shown_count(20) == 20 and isinstance(d.shown_count(20), int)
    assert d.shown_count(3) is None  # still suppressed
    settings.INSIGHTS_NOISE = False
    assert d.shown_count(loud(20, 2)) == 20


def test_the_noise_table_has_the_stated_spread_and_bound():
    counts = Counter(d.noise_of_cell_key(key) for key in range(d.CELL_KEYS))
    assert Counter(d.noise_of_cell_key(key) for key in range(d.CELL_KEYS)) == Counter(
        d.NOISE_SPREAD
    )
    assert max(abs(v) for v in counts) == d.MAX_NOISE
    assert d.noise_of_cell_key(3) == d.noise_of_cell_key(3 + d.CELL_KEYS)  # modulo 256
    assert d.noise(77) == d.noise_of_cell_key(d.cell_key(77))


def test_the_noise_table_depends_on_the_secret(settings):
    before = [d.noise_of_cell_key(key) for key in range(d.CELL_KEYS)]
    settings.SECRET_KEY = "another-secret"
    after = [d.noise_of_cell_key(key) for key in range(d.CELL_KEYS)]
    assert before != after and sorted(before) == sorted(after)


def test_cell_keys_are_secret_and_spread_over_the_table(settings):
    keys = Counter(d.cell_key(total) for total in range(1, 25601))
    assert set(keys) == set(range(d.CELL_KEYS))  # every cell key in use
    assert max(keys.values()) < 3 * 25600 / d.CELL_KEYS  # and none much more than others
    assert d.record_key_of(1234) == 1234  # the database sums response ids
    assert 1 <= d.key_multiplier() < d.KEY_PRIME
    before = [d.cell_key(total) for total in range(1, 50)]
    settings.SECRET_KEY = "another-secret"
    assert [d.cell_key(total) for total in range(1, 50)] != before


def test_tallies_add_their_keys_so_a_total_has_the_key_of_the_whole():
    a, b = Tally(3, 10), Tally(4, 20)
    assert a + b == 7 and (a + b).key == 30
    assert sum([a, b]) == 7 and sum([a, b]).key == 30  # sum() starts from the int 0
    assert (a + 2) == 5 and (a + 2).key == 10
    assert (2 + a).key == 10
    assert Tally(None).key == 0 and Tally(None) == 0
    assert repr(a) == "Tally(3, key=10)"
    assert a.__add__("x") is NotImplemented


def test_the_same_respondents_get_the_same_noise_however_asked():
    # Two views made of the same responses, summed in different orders and groupings.
    ids = range(101, 131)
    one = sum((Tally(1, d.record_key_of(i)) for i in ids), Tally(0))
    halves = sum((Tally(1, d.record_key_of(i)) for i in ids if i % 2), Tally(0)) + sum(
        (Tally(1, d.record_key_of(i)) for i in ids if not i % 2), Tally(0)
    )
    assert d.shown_count(one) == d.shown_count(halves)


def test_differencing_views_one_person_apart_gives_noise_not_the_person():
    """Over many pairs of views that differ by one respondent, the difference of the shown
    counts is not 1 often (and never reliably): the attacker cannot tell."""
    differences = Counter()
    for start in range(1, 400):
        ids = list(range(start, start + 30))
        big = sum((Tally(1, d.record_key_of(i)) for i in ids), Tally(0))
        small = sum((Tally(1, d.record_key_of(i)) for i in ids[1:]), Tally(0))
        differences[d.shown_count(big) - d.shown_count(small)] += 1
    assert differences[1] < 0.5 * sum(differences.values())
    assert len(differences) >= 4  # several different answers to the same question
    assert all(abs(diff - 1) <= 2 * d.MAX_NOISE for diff in differences)


# --- statistics and shares ---


def test_protect_stat_at_k_minus_1_and_k():
    assert d.protect_stat(3.5, K - 1) is None
    assert d.protect_stat(3.5, K) == 3.5
    assert d.protect_stat(3.5, None) is None
    assert d.protect_stat(0.0, K) == 0.0


@pytest.mark.parametrize(
    ("yes", "n", "shown"),
    [
        (K - 1, 20, False),  # numerator small
        (K, 20, True),
        (20 - (K - 1), 20, False),  # complement (no) small
        (20 - K, 20, True),
        (0, 20, True),  # nobody: 0% identifies no one
        (20, 20, True),  # everybody: 100%
        (K - 1, K - 1, False),  # base small
        (K, K, True),
    ],
)
def test_protect_share_at_the_boundaries(yes, n, shown):
    share = d.protect_share(quiet(yes), quiet(n))
    assert (share is not None) is shown
    if shown:
        assert share == pytest.approx(100 * yes / n)


def test_protect_share_is_a_share_of_the_shown_counts():
    share = d.protect_share(loud(10, 2), quiet(40))
    assert share == pytest.approx(100 * 12 / 40)
    assert d.protect_share(None, 10) is None and d.protect_share(3, None) is None
    assert d.protect_share(loud(40, 2), loud(40, -2)) == 100  # never above 100%


# --- one table ---


def _table(*counts, total=None):
    rows = [Row(key=str(i), label=str(i), n=quiet(n)) for i, n in enumerate(counts)]
    return d.protect_table(rows, None if total is None else quiet(total))


def test_a_table_hides_a_small_cell_and_one_complement():
    rows, total_hidden = _table(20, 3, 8, 0)
    assert not total_hidden
    assert [r.hidden for r in rows] == [False, True, True, False]
    assert [r.n for r in rows] == [20, None, None, 0]
    total = d.shown_count(sum(quiet(n) for n in (20, 3, 8, 0)))  # the keys add up: noise
    assert rows[0].share == pytest.approx(100 * 20 / total) and rows[1].share is None
    assert rows[3].share == 0


def test_a_table_with_k_in_every_cell_hides_nothing():
    rows, total_hidden = _table(K, K, 12)
    assert not total_hidden and not any(r.hidden for r in rows)
    rows, total_hidden = _table(K - 1, K, 12)
    assert [r.hidden for r in rows] == [True, True, False]


def test_two_small_cells_need_no_complement():
    rows, _ = _table(30, 2, 4, 9)
    assert [r.hidden for r in rows] == [False, True, True, False]


def test_a_total_under_k_hides_the_table():
    rows, total_hidden = _table(2, 2)
    assert total_hidden and all(r.hidden for r in rows)
    rows, total_hidden = _table(K - 1, 0)
    assert total_hidden and [r.hidden for r in rows] == [True, False]
    rows, total_hidden = _table(K, 0)
    assert not total_hidden and not rows[0].hidden


def test_a_multiple_choice_table_needs_no_complement():
    # Counts do not add up to the respondents: no cell follows from the others.
    rows, total_hidden = _table(20, 3, 12, total=25)
    assert not total_hidden and [r.hidden for r in rows] == [False, True, False]
    assert rows[0].share == pytest.approx(100 * 20 / 25)


def test_an_explicit_total_is_used():
    rows, total_hidden = _table(3, 1, total=K)
    assert not total_hidden  # 5 respondents answered; their choices overlap
    rows, total_hidden = _table(3, 1, total=K - 1)
    assert total_hidden


def test_apply_rows_shares_are_of_the_shown_total():
    rows = [Row("a", "A", loud(20, 2)), Row("b", "B", quiet(20))]
    d.apply_rows(rows, ["a", "b"], set(), quiet(40), False)
    assert rows[0].n == 22 and rows[0].share == pytest.approx(55.0)
    d.apply_rows(rows := [Row("a", "A", quiet(20))], ["a"], set(), quiet(20), True)
    assert rows[0].share is None and rows[0].n == 20


# --- linked tables ---


def _determined_by_algebra(values, relations, hidden):
    """Independent check: hidden cells that the shown cells and the relations fix (Gaussian
    elimination written here again, over the hidden non-zero cells)."""
    unknown = [c for c in hidden if values.get(c)]
    equations = []
    for total, members in relations:
        row = {c: Fraction(0) for c in unknown}
        for c in (total, *members):
            if c in row:
                row[c] += 1 if c == total else -1
        if any(row.values()):
            equations.append(row)
    fixed = set()
    for target in unknown:
        # target is fixed iff the unit vector lies in the row space: least squares by hand is
        # overkill; test by rank: rank(A) == rank(A + e_target).
        if _rank(equations, unknown) == _rank([*equations, {target: Fraction(1)}], unknown):
            fixed.add(target)
    return fixed


def _rank(equations, unknown):
    rows = [[eq.get(c, Fraction(0)) for c in unknown] for eq in equations]
    rank, column = 0, 0
    while rank < len(rows) and column < len(unknown):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            column += 1
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                f = rows[i][column] / rows[rank][column]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
        column += 1
    return rank


def test_a_grid_keeps_the_pooled_totals_and_hides_a_role_total_instead():
    # The proposal's crosswalk: frontline 10 x A and 2 x B, site leads 3 x B.
    cells = {("front", "A"): 10, ("front", "B"): 2, ("site", "B"): 3}
    hidden, rows, columns, grand = d.protect_grid(cells)
    assert ("front", "B") in hidden and ("site", "B") in hidden
    assert ("front", "A") not in hidden and not columns and not grand
    assert rows == {"front", "site"}  # 12 hidden, else 12 - 10 gives the 2


def test_every_grid_leaves_no_hidden_cell_determined():
    import random

    rng = random.Random(7)
    for _ in range(60):
        cells = {
            (f"r{r}", f"c{c}"): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20])
            for r in range(rng.randint(2, 5))
            for c in range(rng.randint(2, 5))
        }
        hidden, rows, columns, grand = d.protect_grid(cells)
        values = {("cell", r, c): n for (r, c), n in cells.items()}
        row_keys = {r for r, _c in cells}
        column_keys = {c for _r, c in cells}
        for r in row_keys:
            values[("row", r)] = sum(n for (rr, _c), n in cells.items() if rr == r)
        for c in column_keys:
            values[("column", c)] = sum(n for (_r, cc), n in cells.items() if cc == c)
        values["grand"] = sum(cells.values())
        relations = [(("row", r), [("cell", r, c) for c in column_keys]) for r in row_keys]
        relations += [(("column", c), [("cell", r, c) for r in row_keys]) for c in column_keys]
        relations += [("grand", [("row", r) for r in row_keys])]
        relations += [("grand", [("column", c) for c in column_keys])]
        all_hidden = {("cell", r, c) for r, c in hidden}
        all_hidden |= {("row", r) for r in rows} | {("column", c) for c in columns}
        all_hidden |= {"grand"} if grand else set()
        for cell, n in values.items():
            if 0 < n < K:
                assert cell in all_hidden, (cells, cell)
        assert not _determined_by_algebra(values, relations, all_hidden), cells


def test_protect_linked_closes_a_bridge_that_the_line_rule_leaves_open():
    # Two 2x2 blocks of hidden cells joined by one more hidden cell would be determined.
    values = {"a": 1, "b": 1, "t": 2, "c": 9, "u": 9}
    relations = [("t", ["a", "b"]), ("u", ["c"])]
    hidden = d.protect_linked(values, relations)
    assert {"a", "b"} <= hidden
    assert not _determined_by_algebra(values, relations, hidden)


def test_zero_cells_are_never_hidden_and_never_hide_others():
    values = {"t": 7, "a": 7, "b": 0, "z": 0}
    relations = [("t", ["a", "b", "z"])]
    assert d.protect_linked(values, relations) == set()
    values = {"t": 3, "a": 3, "b": 0}
    assert d.protect_linked(values, [("t", ["a", "b"])]) == {"t", "a"}


def test_the_determined_check_finds_a_lone_hidden_cell():
    values = {"t": 20, "a": 3, "b": 17}
    assert d._determined(values, [("t", ["a", "b"])], {"a"}) == {"a"}
    assert d._determined(values, [("t", ["a", "b"])], {"a", "b"}) == set()
    assert d._determined(values, [("t", ["a", "b"])], set()) == set()


def test_weights_choose_which_cell_is_the_complement():
    values = {"t": 30, "a": 3, "b": 10, "c": 17}
    relations = [("t", ["a", "b", "c"])]
    assert d.protect_linked(values, relations) == {"a", "b"}
    heavy_b = d.protect_linked(values, relations, lambda cell: 10 if cell == "b" else 1)
    assert heavy_b == {"a", "c"}


def test_grid_weights_rank_grand_then_pooled_then_cells_then_role_totals():
    assert d._grid_weight("grand") == 1000
    assert d._grid_weight(("column", "A")) == 100
    assert d._grid_weight(("cell", "r", "A")) == 2
    assert d._grid_weight(("row", "r")) == 1


def test_grid_with_explicit_totals_that_do_not_add_up_links_only_what_adds_up():
    cells = {("r1", "A"): 10, ("r1", "B"): 3}
    hidden, rows, columns, _grand = d.protect_grid(cells, {"r1": 20}, {"A": 10, "B": 3})
    assert ("r1", "B") in hidden and "B" in columns
    # The row does not add up (20 != 13): only the columns and the grand total link cells.
    assert ("r1", "A") not in hidden


def test_the_noise_is_stable_for_a_given_secret():
    """Known answers: the figures already published (proposal versions, CSVs) keep their
    values across releases as long as SECRET_KEY is the same. A change to the key mixing or
    the noise table would re-noise every figure, and must be deliberate."""
    assert d.key_multiplier() == 1167147787
    assert [d.cell_key(t) for t in (1, 2, 12345, 10**12)] == [11, 23, 168, 233]
    assert [d.noise_of_cell_key(i) for i in range(16)] == [
        1, 0, -1, 1, -2, 1, 0, 1, -1, 1, 0, 1, 2, 0, -1, 0
    ]  # fmt: skip
