"""Load the seeded public content. Creates what is missing, brings rows nobody edited up to
the current seed (apps.core.seed_revisions), and never changes what staff edited."""

import json
from pathlib import Path

from django.db import transaction

from apps.core.models import SeedRecord
from apps.core.seed_revisions import load_history, revise

from .models import FAQEntry, GlossaryTerm, Milestone, Occupation, Organization, Page, SiteSettings

SEED_FILE = Path(__file__).resolve().parent / "seed" / "content.json"
HISTORY_FILE = Path(__file__).resolve().parent / "seed" / "history.json"

# (section of the JSON file, model, the natural key shared by both)
_SPECS = [
    ("pages", Page, "slug"),
    ("faq", FAQEntry, "key"),
    ("glossary", GlossaryTerm, "key"),
    ("milestones", Milestone, "key"),
    ("organizations", Organization, "key"),
    ("occupations", Occupation, "code"),
]


def _upgrade_milestone(item: dict) -> dict:
    """An old milestone as migration pages 0002 left it: a done one-day event got its end."""
    if item.get("status") == "done" and item.get("starts_on") and not item.get("ends_on"):
        item["ends_on"] = item["starts_on"]
    item.pop("status", None)
    return item


_UPGRADES = {"milestones": _upgrade_milestone}


@transaction.atomic
def seed_content(path: Path = SEED_FILE, history_path: Path = HISTORY_FILE) -> dict[str, int]:
    """Create every seeded row whose key is not in the database yet, and update seeded rows
    nobody has edited to the current seed text. Idempotent.

    Returns how many rows of each kind were created or updated. Staff edits are never
    overwritten, and a seeded row that staff deleted is not brought back (SeedRecord).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    history = load_history(history_path)
    changed = {}
    for section, model, key in _SPECS:
        changed[section] = 0
        done = set(SeedRecord.objects.filter(kind=section).values_list("key", flat=True))
        existing = {str(getattr(obj, key)): obj for obj in model.objects.all()}
        previous = history.get(section, {})
        upgrade = _UPGRADES.get(section, dict)
        for item in data.get(section, []):
            natural_key = str(item[key])
            obj = existing.get(natural_key)
            if natural_key not in done and obj is None:
                obj = model(**item)
                obj.full_clean()  # a bad seed fails here on SQLite too, not only on PostgreSQL
                obj.save()
                changed[section] += 1
            elif obj is not None and revise(
                obj, item, previous.get(natural_key, []), key=key, upgrade=upgrade
            ):
                changed[section] += 1
            if natural_key not in done:
                SeedRecord.objects.create(kind=section, key=natural_key)
    SiteSettings.load()
    return changed
