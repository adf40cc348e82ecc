"""Reads for the comment builder: prefill from one's own survey response, the similarity
report on a draft, and the staff counts of submitted comments."""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from apps.insights.disclosure import Row, Tally, is_small, key_sum, protect_table, shown_count
from apps.notices.models import SampleComment, TalkingPoint
from apps.surveys.models import Answer, Response, ResumeToken, Role, TaskRating
from apps.surveys.scales import US_STATES
from apps.surveys.services import token_hash

from . import similarity
from .models import DraftBand, DraftFingerprint, SubmissionRecord

# A draft is "nearly identical" to another at this estimated Jaccard similarity of shingles.
NEAR_DUPLICATE = 0.7
# ... and mostly copied when this share of its shingles comes from the library texts.
MOSTLY_COPIED = 0.5
PREFILL_TASKS = 5
_PREFILL_STATUSES = (Response.Status.IN_PROGRESS, Response.Status.COMPLETE)


def response_for_resume_token(token: str) -> Response | None:
    """The response a private resume link belongs to (draft or complete), or None for an
    unknown or expired link. Unlike the survey's own redeem, a submitted response counts:
    the person may come back after finishing the survey."""
    if not token or len(token) > 100:
        return None
    found = (
        ResumeToken.objects.filter(token_hash=token_hash(token), expires_at__gt=timezone.now())
        .select_related("response")
        .first()
    )
    if found is None or found.response.status not in _PREFILL_STATUSES:
        return None
    return found.response


def response_latest_owned(public_ids: list[str]) -> Response | None:
    """The newest response among those this browser holds in its signed survey cookie."""
    if not public_ids:
        return None
    return (
        Response.objects.filter(public_id__in=public_ids, status__in=_PREFILL_STATUSES)
        .order_by("-started_at")
        .first()
    )


def builder_prefill(response: Response) -> dict:
    """Initial builder values from one survey response (three queries)."""
    initial: dict = {}
    if response.role_id:
        slug = Role.objects.filter(pk=response.role_id).values_list("slug", flat=True).first()
        if slug:
            initial["role"] = slug
    if response.setting:
        initial["setting"] = response.setting
    if response.state:
        initial["state"] = response.state
    answers = Answer.objects.filter(
        response=response,
        question__key__in=["years_in_field", "job_title", "crosswalk_code", "describe_work"],
    ).values_list("question__key", "text_value", "number_value", "choice__value")
    for key, text, number, choice in answers:
        if key == "years_in_field" and number is not None:
            initial["years_in_field"] = int(number)
        elif key == "job_title" and text:
            initial["job_title"] = text[:120]
        elif key == "describe_work" and text:
            initial["story"] = text[:2500]
        elif key == "crosswalk_code" and choice:
            initial["employer_code"] = choice
    tasks = (
        TaskRating.objects.filter(response=response, is_relevant=True, task__is_active=True)
        .order_by("-importance", "-frequency", "task__order")
        .values_list("task_id", flat=True)[:PREFILL_TASKS]
    )
    if tasks:
        initial["tasks"] = list(tasks)
    return initial


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
    for point in TalkingPoint.objects.published():
        library |= similarity.shingles(point.text_en) | similarity.shingles(point.text_es)
    for sample in SampleComment.objects.published():
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
    counted = records.aggregate(n=Count("id"), ck=key_sum("id"))
    total = Tally(counted["n"], counted["ck"])
    states = dict(US_STATES)
    roles = {r.slug: r.tr("label") for r in Role.objects.all()}
    tables = {}
    for name, column, labels in (("state", "state", states), ("role", "role", roles)):
        counts = records.values(column).annotate(n=Count("id"), ck=key_sum("id")).order_by(column)
        rows = [
            Row(
                key=item[column] or "",
                label=labels.get(item[column], item[column]) if item[column] else "",
                n=Tally(item["n"], item["ck"]),
            )
            for item in counts
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
