from django import template

from apps.proposals import evidence
from apps.proposals.models import EvidenceBlock

register = template.Library()


@register.filter
def column_label(key: str) -> str:
    return evidence.column_label(key)


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
