"""Load the seeded public content. Creates what is missing; never changes what exists."""

import json
from pathlib import Path

from django.db import transaction

from apps.core.models import SeedRecord

from .models import FAQEntry, GlossaryTerm, Milestone, Occupation, Organization, Page, SiteSettings

SEED_FILE = Path(__file__).resolve().parent / "seed" / "content.json"

# (section of the JSON file, model, the natural key shared by both)
_SPECS = [
    ("pages", Page, "slug"),
    ("faq", FAQEntry, "key"),
    ("glossary", GlossaryTerm, "key"),
    ("milestones", Milestone, "key"),
    ("organizations", Organization, "key"),
    ("occupations", Occupation, "code"),
]


@transaction.atomic
def seed_content(path: Path = SEED_FILE) -> dict[str, int]:
    """Create every seeded row whose key is not in the database yet. Idempotent.

    Returns how many rows of each kind were created. Staff edits are never overwritten,
    and a seeded row that staff deleted is not brought back (SeedRecord remembers it).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    created = {}
    for section, model, key in _SPECS:
        created[section] = 0
        done = set(SeedRecord.objects.filter(kind=section).values_list("key", flat=True))
        existing = {str(v) for v in model.objects.values_list(key, flat=True)}
        for item in data.get(section, []):
            natural_key = str(item[key])
            if natural_key not in done and natural_key not in existing:
                obj = model(**item)
                obj.full_clean()  # a bad seed fails here on SQLite too, not only on PostgreSQL
                obj.save()
                created[section] += 1
            if natural_key not in done:
                SeedRecord.objects.create(kind=section, key=natural_key)
    SiteSettings.load()
    return created
