"""Spreadsheet formula injection: text that a spreadsheet would run as a formula is defused."""

_FORMULA_START = ("=", "+", "-", "@")


def neutralize(value):
    """Keep a spreadsheet from reading a text cell as a formula (CSV/formula injection):
    text starting with = + - @ (after any leading spaces), a tab or a carriage return
    gets a leading apostrophe. Numbers and other types pass unchanged."""
    if isinstance(value, str) and (
        value.startswith(("\t", "\r")) or value.lstrip().startswith(_FORMULA_START)
    ):
        return "'" + value
    return value
