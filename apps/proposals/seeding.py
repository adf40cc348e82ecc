"""Seed the proposal and its sections. Creates what is missing; never changes what exists."""

import json
from pathlib import Path

from django.db import transaction

from apps.core.models import SeedRecord

from .models import Proposal, ProposalSection

SEED_FILE = Path(__file__).resolve().parent / "seed" / "proposal.json"


@transaction.atomic
def seed_proposal(path: Path = SEED_FILE) -> dict[str, int]:
    """Create the proposal and each section not loaded before. Idempotent: editors' text and
    headings are never overwritten, and a section they deleted is not brought back."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = {"proposal": 0, "proposal_sections": 0}
    spec = data["proposal"]
    proposal = Proposal.objects.filter(key=spec["key"]).first()
    if proposal is None:
        proposal = Proposal(**spec)
        proposal.full_clean()
        proposal.save()
        created["proposal"] = 1
    done = set(SeedRecord.objects.filter(kind="proposal_sections").values_list("key", flat=True))
    existing = set(proposal.sections.values_list("key", flat=True))
    for order, item in enumerate(data["sections"], start=1):
        natural_key = f"{proposal.key}:{item['key']}"
        if natural_key in done:
            continue
        if item["key"] not in existing:
            section = ProposalSection(proposal=proposal, order=order, **item)
            section.full_clean()
            section.save()
            created["proposal_sections"] += 1
        SeedRecord.objects.create(kind="proposal_sections", key=natural_key)
    return created
