"""Parsing of the settings Editors type in (pure: imports no model)."""

import re

MAX_REMINDER_DAYS = 60


def parse_reminder_days(text: str, *, strict: bool = False) -> list[int]:
    """ "7,1" -> [7, 1] (largest first, no repeats). With strict, anything else raises
    ValueError; otherwise bad parts are ignored."""
    days: set[int] = set()
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        if part.isdigit() and int(part) <= MAX_REMINDER_DAYS:
            days.add(int(part))
        elif strict:
            raise ValueError(part)
    return sorted(days, reverse=True)
