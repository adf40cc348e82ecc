from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from . import similarity
from .models import DraftBand, DraftFingerprint, SubmissionRecord

if TYPE_CHECKING:  # annotations only, not a runtime import (see .importlinter)
    from apps.notices.models import Notice

_FINGERPRINT_SALT = "ostportal.comments.fingerprint"


def draft_token_new() -> str:
    """A signed random key for a new draft; no row exists until the draft is checked."""
    return signing.dumps(uuid.uuid4().hex, salt=_FINGERPRINT_SALT)


def draft_key_from_token(token: str) -> uuid.UUID | None:
    """The draft key a token carries, or None for a forged, expired or malformed one."""
    try:
        value = signing.loads(token, salt=_FINGERPRINT_SALT, max_age=60 * 60 * 24 * 30)
        return uuid.UUID(hex=value) if isinstance(value, str) else None
    except (signing.BadSignature, ValueError):
        return None


@transaction.atomic
def draft_fingerprint_save(
    *, key: uuid.UUID, text: str, notice: Notice | None, language: str
) -> DraftFingerprint:
    """Store (or replace) the MinHash signature and LSH bands of a draft's current text.
    Idempotent per key. The text itself is never stored."""
    fingerprint, _created = DraftFingerprint.objects.get_or_create(
        key=key, defaults={"notice": notice, "language": language[:5]}
    )
    sig = similarity.signature(text)
    fingerprint.signature = sig
    fingerprint.save(update_fields=["signature", "updated_at"])
    fingerprint.bands.all().delete()
    if sig:
        DraftBand.objects.bulk_create(
            DraftBand(fingerprint=fingerprint, band=i, value=value)
            for i, value in enumerate(similarity.bands(sig))
        )
    return fingerprint


def tracking_hash(number: str) -> str:
    key = (settings.SECRET_KEY + ":comments.tracking").encode()
    return hmac.new(key, number.strip().lower().encode(), hashlib.sha256).hexdigest()


def submission_record(
    *, notice: Notice | None, role: str, state: str, tracking_number: str, language: str
) -> SubmissionRecord | None:
    """Count one submitted comment. Idempotent per tracking number: the same number given
    twice is counted once (returns None the second time)."""
    record = SubmissionRecord(
        notice=notice,
        role=role[:50],
        state=state[:2],
        tracking_hash=tracking_hash(tracking_number) if tracking_number else "",
        language=language[:5],
    )
    if (
        record.tracking_hash
        and SubmissionRecord.objects.filter(tracking_hash=record.tracking_hash).exists()
    ):
        return None
    record.full_clean(exclude=["notice"])
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # the same number recorded at the same moment by another request
        return None
    return record
