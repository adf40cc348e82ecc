import re
from decimal import Decimal

from django import template

from apps.proposals import evidence
from apps.proposals.models import EvidenceBlock

register = template.Library()


@register.filter
def column_label(key: str, table: dict | None = None) -> str:
    return evidence.column_label(key, table)


_DECIMAL = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])")


@register.filter
def localized_figures(text) -> str:
    """A snapshot cell (plain figures such as "3.93 (3.80–4.06)") with its decimal numbers in
    the active language's format ("3,93 (3,80–4,06)" in Spanish); other text unchanged."""
    from django.utils import formats

    def one(match: re.Match) -> str:
        digits = len(match.group(2))
        return formats.number_format(Decimal(match.group(0)), digits, use_l10n=True)

    return _DECIMAL.sub(one, str(text))


@register.filter
def kind_label(kind: str) -> str:
    return str(EvidenceBlock.Kind(kind).label) if kind in EvidenceBlock.Kind.values else kind


@register.filter
def filters_text(filters: dict) -> str:
    return "; ".join(
        f"{label}: {value}" for label, value in evidence.filters_description(filters or {})
    )


@register.filter
def get_item(mapping: dict, key):
    return (mapping or {}).get(key)


@register.filter
def get_comments(grouped: dict, key: str) -> list:
    return (grouped or {}).get(key, [])


@register.filter
def heading(section: dict) -> str:
    """A frozen section's heading in the active language (English when not translated)."""
    from django.utils.translation import get_language

    if (get_language() or "en").startswith("es") and section.get("heading_es"):
        return section["heading_es"]
    return section.get("heading_en", "")


@register.inclusion_tag("proposals/includes/_block_source.html")
def block_source(kind: str, filters: dict, taken_at=None, stamp: str = "") -> dict:
    """Where a block's figures come from: the dashboard view with the same filters, when
    they were computed and the data stamp they were computed from."""
    from django.utils.dateparse import parse_datetime

    if isinstance(taken_at, str):
        taken_at = parse_datetime(taken_at) if taken_at else None
    return {
        "url": evidence.dashboard_url(kind, filters or {}),
        "taken_at": taken_at,
        "stamp": evidence.short_stamp(stamp),
    }
