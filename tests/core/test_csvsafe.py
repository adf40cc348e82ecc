"""Spreadsheet formula injection (apps/core/csvsafe.py). Runs without the database, so
`make mutation` can run it against every mutant of the module."""

import pytest

from apps.core.csvsafe import neutralize


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("   =1", "'   =1"),
        ("\t=1", "'\t=1"),
        (" \t@x", "' \t@x"),
        ("plain text", "plain text"),
        ("a=b", "a=b"),
        ("x\t", "x\t"),
        (" x\r", " x\r"),
        ("", ""),
        ("'=1", "'=1"),
        ("1-2", "1-2"),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
        (True, True),
    ],
)
def test_neutralize(value, expected):
    assert neutralize(value) == expected
