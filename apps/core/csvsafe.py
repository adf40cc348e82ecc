"""Spreadsheet formula injection: text that a spreadsheet would run as a formula is defused."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """Prefix an apostrophe to text a spreadsheet would read as a formula; other values as is."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value
