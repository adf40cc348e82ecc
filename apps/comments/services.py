import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from apps.notices.models import Notice

from . import similarity
from .models import DraftBand, DraftFingerprint, SubmissionRecord

_FINGERPRINT_SALT = "ostportal.comments.fingerprint"


def fingerprint_token(fingerprint: DraftFingerprint) -> str:
    """A signed reference to a fingerprint, carried in the draft form (no session needed)."""
    return signing.dumps(fingerprint.pk, salt=_FINGERPRINT_SALT)


def fingerprint_from_token(token: str) -> DraftFingerprint | None:
    try:
        pk = signing.loads(token, salt=_FINGERPRINT_SALT, max_age=60 * 60 * 24 * 30)
    except signing.BadSignature:
        return None
    return DraftFingerprint.objects.filter(pk=pk).first() if isinstance(pk, int) else None


def draft_fingerprint_start(*, notice: Notice | None, language: str) -> DraftFingerprint:
    """An empty fingerprint for a new draft; it gets a signature when the draft is checked
    or downloaded, and only then takes part in comparisons."""
    return DraftFingerprint.objects.create(notice=notice, language=language[:5])


@transaction.atomic
def draft_fingerprint_update(*, fingerprint: DraftFingerprint, text: str) -> DraftFingerprint:
    """Replace the fingerprint's signature and bands with those of the draft's current text.
    The text itself is never stored."""
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
