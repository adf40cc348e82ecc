"""Reads for the comment builder: prefill from one's own survey response, the similarity
report on a draft, and the staff counts of submitted comments."""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q

from apps.insights.disclosure import Row, Tally, is_small, key_sum, protect_table, shown_count
from apps.notices.selectors import sample_comment_published_list, talking_point_published_list
from apps.surveys.scales import US_STATES
from apps.surveys.selectors import (  # noqa: F401  (the builder's prefill reads the survey)
    builder_prefill,
    response_for_resume_token,
    response_latest_owned,
    role_list,
)

from . import similarity
from .models import DraftBand, DraftFingerprint, SubmissionRecord

# A draft is "nearly identical" to another at this estimated Jaccard similarity of shingles.
NEAR_DUPLICATE = 0.7
# ... and mostly copied when this share of its shingles comes from the library texts.
MOSTLY_COPIED = 0.5


@dataclass
class SimilarityReport:
    """What the draft check found; `warnings` is empty when the draft is the person's own."""

    similar_drafts: int = 0
    copied_share: float = 0.0
    similar_samples: list[str] = field(default_factory=list)

    @property
    def mostly_copied(self) -> bool:
        return self.copied_share >= MOSTLY_COPIED

    @property
    def has_warnings(self) -> bool:
        return bool(self.similar_drafts or self.mostly_copied or self.similar_samples)


def similarity_report(*, text: str, exclude_key=None) -> SimilarityReport:
    """Compare a draft with the talking points and sample comments (exactly) and with earlier
    drafts (by their stored MinHash signatures, candidates found through the LSH bands)."""
    report = SimilarityReport()
    draft = similarity.shingles(text)
    if not draft:
        return report
    library: set[str] = set()
    for point in talking_point_published_list():
        library |= similarity.shingles(point.text_en) | similarity.shingles(point.text_es)
    for sample in sample_comment_published_list():
        for body in (sample.body_en, sample.body_es):
            own = similarity.shingles(body)
            library |= own
            if similarity.jaccard(draft, own) >= NEAR_DUPLICATE:
                report.similar_samples.append(sample.tr("role"))
    report.copied_share = similarity.containment(draft, library)
    sig = similarity.signature(text)
    lookup = Q()
    for band, value in enumerate(similarity.bands(sig)):
        lookup |= Q(band=band, value=value)
    candidates = DraftBand.objects.filter(lookup)
    if exclude_key:
        candidates = candidates.exclude(fingerprint__key=exclude_key)
    ids = list(candidates.values_list("fingerprint_id", flat=True).distinct()[:1000])
    signatures = DraftFingerprint.objects.filter(pk__in=ids).values_list("signature", flat=True)
    report.similar_drafts = sum(
        1 for other in signatures if similarity.estimated_jaccard(sig, other) >= NEAR_DUPLICATE
    )
    return report


@dataclass
class CountTable:
    title: str
    rows: list[Row]
    total: int
    total_hidden: bool


def submission_counts(*, notice_id: int | None = None) -> dict:
    """Submitted comments by state and by role, small cells suppressed. No author, no text."""
    records = SubmissionRecord.objects.all()
    if notice_id:
        records = records.filter(notice_id=notice_id)
    return _counts_by_state_and_role(records)


def pledge_counts() -> dict:
    """Confirmed pledges to comment (whose address is still on the list) by state and by
    role, through the disclosure layer like the submitted comments. No address leaves here."""
    from apps.mailings.models import Subscriber

    from .models import Pledge

    pledges = Pledge.objects.filter(
        confirmed_at__isnull=False, subscriber__status=Subscriber.Status.CONFIRMED
    )
    return _counts_by_state_and_role(pledges)


def _counts_by_state_and_role(records) -> dict:
    """Two grouped queries (the total is the sum of the state groups, with its record keys)
    and the role labels; every count passes through the disclosure layer."""
    states = dict(US_STATES)
    roles = dict(_role_labels())
    grouped = {
        column: list(
            records.values(column).annotate(n=Count("id"), ck=key_sum("id")).order_by(column)
        )
        for column in ("state", "role")
    }
    total = sum((Tally(item["n"], item["ck"]) for item in grouped["state"]), Tally(0))
    tables = {}
    for name, column, labels in (("state", "state", states), ("role", "role", roles)):
        rows = [
            Row(
                key=item[column] or "",
                label=labels.get(item[column], item[column]) if item[column] else "",
                n=Tally(item["n"], item["ck"]),
            )
            for item in grouped[column]
        ]
        rows.sort(key=lambda r: (r.key == "", str(r.label)))
        rows, total_hidden = protect_table(rows, total)
        shown = None if total_hidden else shown_count(total)
        tables[name] = CountTable(title=name, rows=rows, total=shown, total_hidden=total_hidden)
    return {
        "total": shown_count(total),
        "total_hidden": is_small(total),
        "by_state": tables["state"],
        "by_role": tables["role"],
    }


def _role_labels() -> list[tuple[str, str]]:
    return [(r.slug, r.tr("label")) for r in role_list()]


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


@dataclass
class DraftNotes:
    """Other things worth telling the person about their draft (none of it is stored)."""

    has_contact_details: bool = False
    missing_header: str = ""


def draft_notes(*, text: str, notice=None) -> DraftNotes:
    """An email address or phone number in a comment that will be published, and a required
    header the person removed."""
    notes = DraftNotes(has_contact_details=bool(_EMAIL.search(text) or _PHONE.search(text)))
    header = getattr(notice, "required_header", "") if notice is not None else ""
    if header and header.casefold() not in text.casefold():
        notes.missing_header = header
    return notes
