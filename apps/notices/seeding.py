"""Load the seeded toolkit and the first notice. Creates what is missing, brings rows nobody
edited up to the current seed (apps.core.seed_revisions), never changes what staff edited,
and never brings back a seeded row that staff deleted (SeedRecord)."""

import json
from pathlib import Path

from django.db import transaction
from django.utils.dateparse import parse_datetime

from apps.core.models import SeedRecord
from apps.core.seed_revisions import load_history, revise

from .models import Notice, SampleComment, SocialPost, TalkingPoint, ToolkitSection

SEED_FILE = Path(__file__).resolve().parent / "seed" / "toolkit.json"
HISTORY_FILE = Path(__file__).resolve().parent / "seed" / "history.json"

# (section of the JSON file, SeedRecord kind, model, natural key)
_SPECS = [
    ("notices", "notices", Notice, "document_number"),
    ("sections", "toolkit_sections", ToolkitSection, "key"),
    ("talking_points", "talking_points", TalkingPoint, "key"),
    ("sample_comments", "sample_comments", SampleComment, "key"),
    ("social_posts", "social_posts", SocialPost, "key"),
]


def _values(item: dict) -> dict:
    values = dict(item)
    for field in ("opens_at", "closes_at"):
        if field in values:
            values[field] = parse_datetime(values[field])
    return values


@transaction.atomic
def seed_toolkit(path: Path = SEED_FILE, history_path: Path = HISTORY_FILE) -> dict[str, int]:
    """Create every seeded row whose key is not in the database yet, and update seeded rows
    nobody has edited to the current seed text. Idempotent.

    Returns how many rows of each kind were created or updated.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    history = load_history(history_path)
    created = {}
    for section, kind, model, key in _SPECS:
        created[section] = 0
        done = set(SeedRecord.objects.filter(kind=kind).values_list("key", flat=True))
        existing = {str(getattr(obj, key)): obj for obj in model.objects.all()}
        previous = history.get(section, {})
        for item in data.get(section, []):
            natural_key = str(item[key])
            obj = existing.get(natural_key)
            if natural_key not in done and obj is None:
                obj = model(**_values(item))
                obj.full_clean()
                obj.save()
                created[section] += 1
            elif obj is not None and revise(
                obj, item, previous.get(natural_key, []), key=key, build=_values
            ):
                created[section] += 1
            if natural_key not in done:
                SeedRecord.objects.create(kind=kind, key=natural_key)
    return created
