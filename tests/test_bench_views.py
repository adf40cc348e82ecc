"""bench/insights_bench.py measures every view up to 100,000 responses and a representative
subset above (unfiltered, every filter alone, six pairs, three triples), or BENCH_VIEWS_MAX."""

import os

import pytest


@pytest.fixture
def bench():
    saved = dict(os.environ)
    try:
        from bench import insights_bench
    finally:  # the script sets its own environment when imported: give ours back
        os.environ.clear()
        os.environ.update(saved)
    return insights_bench


def test_every_view_up_to_100000_and_the_representative_subset_above(bench, monkeypatch):
    monkeypatch.delenv("BENCH_VIEWS_MAX", raising=False)
    combos = bench.filter_combinations(3, 1)
    assert bench.views_for(100_000, combos) == combos
    subset = bench.views_for(1_000_000, combos)
    labels = [label for label, _params in subset]
    assert len(subset) == 1 + len(bench.FILTERS) + 6 + 3 < len(combos)
    assert labels[0] == "unfiltered" and set(bench.FILTERS) <= set(labels)
    assert sum(label.count("+") == 1 for label in labels) == 6
    assert sum(label.count("+") == 2 for label in labels) == 3
    assert all(item in combos for item in subset)


def test_bench_views_max_caps_the_views_at_any_size(bench, monkeypatch):
    combos = bench.filter_combinations(3, 1)
    monkeypatch.setenv("BENCH_VIEWS_MAX", "5")
    assert len(bench.views_for(10_000, combos)) == 5
    monkeypatch.setenv("BENCH_VIEWS_MAX", "1000")
    assert bench.views_for(1_000_000, combos) == combos
