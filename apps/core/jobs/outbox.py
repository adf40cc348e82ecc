"""Row claims for outbox tables (emails waiting to be sent, deliveries of an announcement).

A worker claims rows before it acts on them, so two workers never act on one row:
- `claim_batch`: up to `size` rows in one state, with SELECT ... FOR UPDATE SKIP LOCKED where
  the database has it (PostgreSQL: concurrent workers take different rows without waiting),
  then a conditional UPDATE that names the claim (the lock on SQLite);
- `claim_one`: one row by id, a conditional UPDATE (the row is the caller's when it returns
  True); used by every one-email outbox (contact messages, survey confirmations, sign-up
  emails, pledge reminders);
- `pending_or_stale`: the rows a claim or a sweep may take: waiting, or held by a claim
  whose worker died (claimed before `stale_before`);
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


def pending_or_stale(
    *,
    pending: str,
    claimed: str,
    stale_before,
    pending_before=None,
    claimed_at_field: str = "claimed_at",
    created_at_field: str = "created_at",
) -> Q:
    """Rows in `pending` (created before `pending_before`, when given: a sweep leaves new rows
    to their on-commit send), or in `claimed` with a claim older than `stale_before`."""
    waiting = Q(status=pending)
    if pending_before is not None:
        waiting &= Q(**{f"{created_at_field}__lt": pending_before})
    return waiting | Q(status=claimed, **{f"{claimed_at_field}__lt": stale_before})


def claim_one(
    model,
    pk: int,
    *,
    claimable: Q,
    claimed_status: str | None,
    count_attempt: bool = True,
    **fields,
) -> bool:
    """Claim one row if it is `claimable`: one conditional UPDATE. True when it is ours.
    `claimed_status` None: the row has no status field, `fields` mark the claim."""
    updates = dict(fields)
    if claimed_status is not None:
        updates["status"] = claimed_status
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
