"""Reads for the proposal pages: sections with their blocks, versions, comparisons, comments."""

import difflib
import re

from django.db.models import Count, Prefetch, Q

from . import evidence
from .models import EvidenceBlock, Proposal, ProposalComment, ProposalSection, ProposalVersion
from .seeding import seed_proposal


def proposal_current() -> Proposal:
    """The proposal (seeded on first use, like `make setup` does)."""
    proposal = Proposal.objects.order_by("pk").first()
    if proposal is None:
        seed_proposal()
        proposal = Proposal.objects.order_by("pk").first()
    return proposal


def section_list(proposal: Proposal):
    """Sections in order with how many evidence blocks each has (one query)."""
    return proposal.sections.annotate(block_count=Count("blocks")).order_by("order", "pk")


def section_with_blocks(proposal: Proposal, key: str) -> ProposalSection | None:
    blocks = Prefetch("blocks", queryset=EvidenceBlock.objects.order_by("order", "pk"))
    return (
        proposal.sections.select_related("updated_by")
        .prefetch_related(blocks)
        .filter(key=key)
        .first()
    )


def blocks_staleness(blocks, *, force: bool = False) -> dict[int, bool]:
    """{block pk: stale?}. One data-stamp read, and selectors only for blocks taken from
    other data (or for every block when forced)."""
    blocks = list(blocks)
    if not blocks:
        return {}
    stamp = evidence.data_stamp()
    return {b.pk: evidence.block_is_stale(b, stamp=stamp, force=force) for b in blocks}


def version_list(proposal: Proposal):
    """Versions newest first with comment counts; the frozen content is not loaded."""
    return (
        proposal.versions.select_related("created_by")
        .defer("content")
        .annotate(
            comment_count=Count("comments"),
            pending_count=Count("comments", filter=Q(comments__status="pending")),
        )
        .order_by("-number")
    )


def version_get(proposal: Proposal, number: int) -> ProposalVersion | None:
    return proposal.versions.select_related("created_by").filter(number=number).first()


def version_published_latest(proposal: Proposal) -> ProposalVersion | None:
    return (
        proposal.versions.filter(status=ProposalVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


# --- Comparing versions ---

_TOKENS = re.compile(r"\s+|[^\s]+")


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences as (op, text) with op in equal/insert/delete (difflib)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    result: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            result.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            result.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            result.append(("insert", "".join(b[j1:j2])))
    return result


def _cells(block: dict) -> dict[tuple[str, str, str], str]:
    """Every figure of a frozen block keyed by (table, row label, column)."""
    cells = {}
    snapshot = block.get("snapshot") or {}
    for label, value in snapshot.get("facts", []):
        cells[("", label, "value")] = value
    for table in snapshot.get("tables", []):
        for row in table["rows"]:
            for column, value in zip(table["columns"][1:], row[1:], strict=False):
                cells[(table.get("title", ""), str(row[0]), column)] = value
        if table.get("total") is not None:
            cells[(table.get("title", ""), "total", "n")] = table["total"]
    return cells


def version_compare(old: ProposalVersion, new: ProposalVersion) -> dict:
    """Text differences per section, and every figure that changed, was added or removed."""
    old_sections = {s["key"]: s for s in old.sections}
    sections = []
    numbers = []
    for section in new.sections:
        before = old_sections.get(section["key"], {"body": "", "blocks": []})
        diff = text_diff(before["body"], section["body"])
        changed = any(op != "equal" for op, _text in diff)
        sections.append(
            {
                "key": section["key"],
                "heading_en": section["heading_en"],
                "heading_es": section["heading_es"],
                "diff": diff,
                "changed": changed,
            }
        )
        old_blocks = {b["id"]: b for b in before["blocks"]}
        new_blocks = {b["id"]: b for b in section["blocks"]}
        for block_id in list(old_blocks) + [i for i in new_blocks if i not in old_blocks]:
            a = _cells(old_blocks[block_id]) if block_id in old_blocks else {}
            b = _cells(new_blocks[block_id]) if block_id in new_blocks else {}
            kind = (new_blocks.get(block_id) or old_blocks[block_id])["kind"]
            for key in list(a) + [k for k in b if k not in a]:
                if a.get(key) != b.get(key):
                    numbers.append(
                        {
                            "section": section["heading_en"],
                            "section_es": section["heading_es"],
                            "kind": EvidenceBlock.Kind(kind).label,
                            "table": key[0],
                            "row": key[1],
                            "column": evidence.column_label(key[2]) if key[2] != "value" else "",
                            "old": a.get(key, "—"),
                            "new": b.get(key, "—"),
                        }
                    )
    return {"sections": sections, "numbers": numbers}


# --- Comments ---


def comment_tally(version: ProposalVersion) -> dict:
    """Counts of approved comments by disposition (one query)."""
    counts = version.comments.filter(status=ProposalComment.Status.APPROVED).aggregate(
        total=Count("pk"),
        adopted=Count("pk", filter=Q(disposition="adopted")),
        partly=Count("pk", filter=Q(disposition="partly")),
        not_adopted=Count("pk", filter=Q(disposition="not_adopted")),
        open=Count("pk", filter=Q(disposition="")),
    )
    return counts


def comments_by_section(version: ProposalVersion) -> dict[str, list[ProposalComment]]:
    """Approved comments of a version grouped by section key (one query)."""
    grouped: dict[str, list[ProposalComment]] = {}
    for comment in version.comments.filter(status=ProposalComment.Status.APPROVED).order_by(
        "created_at", "pk"
    ):
        grouped.setdefault(comment.section_key, []).append(comment)
    return grouped


def comment_queue(proposal: Proposal):
    """Comments waiting for moderation, then approved ones without a response yet."""
    base = ProposalComment.objects.filter(version__proposal=proposal).select_related("version")
    return {
        "pending": list(base.filter(status=ProposalComment.Status.PENDING).order_by("created_at")),
        "to_answer": list(
            base.filter(status=ProposalComment.Status.APPROVED, disposition="").order_by(
                "created_at"
            )
        ),
        "answered": list(
            base.filter(status=ProposalComment.Status.APPROVED)
            .exclude(disposition="")
            .order_by("-disposed_at")[:50]
        ),
    }


def version_published_of_first_proposal() -> ProposalVersion | None:
    """The newest published version of the portal's proposal (the first one made): what the
    public pages' live figures link to (apps.pages.live). One query."""
    return (
        ProposalVersion.objects.filter(
            status=ProposalVersion.Status.PUBLISHED,
            proposal=Proposal.objects.order_by("pk").values("pk")[:1],
        )
        .order_by("-number")
        .first()
    )
