"""Kept for older imports: small-cell suppression now lives in apps/insights/disclosure.py,
the one disclosure-control layer (perturbation, primary and complementary suppression,
derived quantities). New code imports from there."""

from .disclosure import Row, is_small, k, protect_stat, protect_table

suppress_table = protect_table
suppressed_value = protect_stat

__all__ = ["Row", "is_small", "k", "suppress_table", "suppressed_value"]
