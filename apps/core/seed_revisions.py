"""Seeded content that improves reaches databases seeded earlier, without overwriting staff.

A seed file holds the current text of each seeded row; a history file next to it holds every
earlier version of the rows that changed ({section: {key: [older item, ...]}}). When seeding:

- a row whose seeded fields still equal an earlier version (nobody edited it) is updated to
  the current version;
- a row that equals the current version is left alone (already up to date);
- any other row was edited by staff and is never touched.

When you change a seeded item, append its previous version (as released) to the history
file, or databases seeded with that version keep the old text.
"""

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from django.db import models
from django.utils.dateparse import parse_date, parse_datetime


def load_history(path: Path) -> dict:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _normalize(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        return parse_datetime(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        return parse_date(value)
    if isinstance(value, datetime | date):
        return value
    return value


def matches(obj: models.Model, item: dict, *, key: str) -> bool:
    """Does the row hold exactly the item's values (fields the model still has)?"""
    for name, value in item.items():
        if name == key:
            continue
        try:
            field = obj._meta.get_field(name)
        except Exception:  # noqa: BLE001  (a field the model no longer has)
            continue
        if _normalize(field, getattr(obj, name)) != _normalize(field, value):
            return False
    return True


def revise(
    obj: models.Model,
    item: dict,
    previous: list[dict],
    *,
    key: str,
    build: Callable[[dict], dict] = dict,
    upgrade: Callable[[dict], dict] = dict,
) -> bool:
    """Update an unedited seeded row to the current item. Returns True when it changed.

    `build` turns a seed item into model values (parsing dates); `upgrade` brings an old
    item to the shape the data migrations gave old rows."""
    if matches(obj, item, key=key):
        return False
    if not any(matches(obj, upgrade(dict(old)), key=key) for old in previous):
        return False  # edited by staff: theirs
    for name, value in build(item).items():
        if name != key:
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return True
