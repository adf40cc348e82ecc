"""Row claims for outbox tables (emails waiting to be sent, deliveries of an announcement).

A worker claims rows before it acts on them, so two workers never act on one row:
- `claim_batch`: up to `size` rows in one state, with SELECT ... FOR UPDATE SKIP LOCKED where
  the database has it (PostgreSQL: concurrent workers take different rows without waiting),
  then a conditional UPDATE that names the claim (the lock on SQLite);
- `claim_one`: one row by id, a conditional UPDATE (the row is the caller's when it returns
  True);
- `release`: give a claim's untouched rows back.
"""

import secrets

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone


def new_claim() -> str:
    return secrets.token_hex(8)


def claim_batch(
    rows: QuerySet,
    *,
    size: int,
    claimed_status: str,
    claim_field: str = "claim",
    claimed_at_field: str = "claimed_at",
) -> tuple[str, list[int]]:
    """Claim up to `size` of `rows` (already filtered to the claimable state) in id order:
    they move to `claimed_status` with this claim. Returns the claim and the ids it holds."""
    claim = new_claim()
    model = rows.model
    with transaction.atomic():
        candidates = rows.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:size])
        if ids:
            # The conditional part: the rows must still be claimable (no lock on SQLite).
            rows.filter(pk__in=ids).update(
                status=claimed_status,
                **{claim_field: claim, claimed_at_field: timezone.now()},
            )
    if not ids:
        return claim, []
    mine = model.objects.filter(**{claim_field: claim, "status": claimed_status})
    return claim, sorted(mine.values_list("pk", flat=True))


def claim_one(
    model, pk: int, *, claimable: Q, claimed_status: str, count_attempt: bool = True, **fields
) -> bool:
    """Claim one row if it is `claimable`: one conditional UPDATE. True when it is ours."""
    updates = {"status": claimed_status, **fields}
    if count_attempt:
        updates["attempts"] = F("attempts") + 1
    return bool(model.objects.filter(claimable, pk=pk).update(**updates))


def release(
    model,
    claim: str,
    *,
    claimed_status: str,
    to_status: str,
    claim_field: str = "claim",
    claimed_at_field: str = "claimed_at",
) -> int:
    """Give back the rows of a claim still in `claimed_status` (never acted on)."""
    return model.objects.filter(**{claim_field: claim, "status": claimed_status}).update(
        status=to_status, **{claim_field: "", claimed_at_field: None}
    )
