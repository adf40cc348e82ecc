"""Load the seeded toolkit and the first notice. Creates what is missing; never changes
what exists, and never brings back a seeded row that staff deleted (SeedRecord)."""

import json
from pathlib import Path

from django.db import transaction
from django.utils.dateparse import parse_datetime

from apps.core.models import SeedRecord

from .models import Notice, SampleComment, SocialPost, TalkingPoint, ToolkitSection

SEED_FILE = Path(__file__).resolve().parent / "seed" / "toolkit.json"

# (section of the JSON file, SeedRecord kind, model, natural key)
_SPECS = [
    ("notices", "notices", Notice, "document_number"),
    ("sections", "toolkit_sections", ToolkitSection, "key"),
    ("talking_points", "talking_points", TalkingPoint, "key"),
    ("sample_comments", "sample_comments", SampleComment, "key"),
    ("social_posts", "social_posts", SocialPost, "key"),
]


@transaction.atomic
def seed_toolkit(path: Path = SEED_FILE) -> dict[str, int]:
    """Create every seeded row whose key is not in the database yet. Idempotent.

    Returns how many rows of each kind were created.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    created = {}
    for section, kind, model, key in _SPECS:
        created[section] = 0
        done = set(SeedRecord.objects.filter(kind=kind).values_list("key", flat=True))
        existing = {str(v) for v in model.objects.values_list(key, flat=True)}
        for item in data.get(section, []):
            natural_key = str(item[key])
            if natural_key not in done and natural_key not in existing:
                values = dict(item)
                for field in ("opens_at", "closes_at"):
                    if field in values:
                        values[field] = parse_datetime(values[field])
                obj = model(**values)
                obj.full_clean()
                obj.save()
                created[section] += 1
            if natural_key not in done:
                SeedRecord.objects.create(kind=kind, key=natural_key)
    return created
