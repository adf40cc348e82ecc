"""The older names of the disclosure layer (apps/insights/suppression.py) still do what the
layer does: `suppressed_value` hides a statistic of fewer than K people, `suppress_table`
honours a table's explicit total. No database or plugins (`make mutation`)."""

from apps.insights import disclosure, suppression
from apps.insights.disclosure import Row, Tally

from .plain_settings import settings_fixture  # noqa: F401 (the `settings` fixture)

K = 5


def test_the_old_names_are_the_layer(settings):
    settings.SUPPRESSION_MIN_N = K
    assert suppression.suppressed_value is disclosure.protect_stat
    assert suppression.suppress_table is disclosure.protect_table
    assert suppression.k is disclosure.k and suppression.is_small is disclosure.is_small
    assert suppression.Row is Row
    names = {"Row", "is_small", "k", "suppress_table", "suppressed_value"}
    assert set(suppression.__all__) == names


def test_suppressed_value_hides_a_statistic_of_k_minus_1_people(settings):
    settings.SUPPRESSION_MIN_N = K
    settings.INSIGHTS_NOISE = False
    assert suppression.suppressed_value(3.5, K - 1) is None
    assert suppression.suppressed_value(3.5, Tally(K, 77)) == 3.5


def test_suppress_table_uses_the_explicit_total(settings):
    settings.SUPPRESSION_MIN_N = K
    settings.INSIGHTS_NOISE = False
    rows, total_hidden = suppression.suppress_table([Row("a", "A", 3), Row("b", "B", 1)], K)
    assert not total_hidden  # five answered, their choices overlap
    rows, total_hidden = suppression.suppress_table([Row("a", "A", 3), Row("b", "B", 1)], K - 1)
    assert total_hidden
    rows, total_hidden = suppression.suppress_table([Row("a", "A", 3), Row("b", "B", 2)])
    assert not total_hidden and [r.hidden for r in rows] == [True, True]
