from django import template
from django.utils.safestring import SafeString

from apps.core.text import render_markdown

register = template.Library()


@register.filter
def tr(obj, name: str) -> str:
    """`{{ page|tr:"title" }}`: the field in the active language, English as fallback."""
    return obj.tr(name) if obj is not None else ""


@register.filter(name="markdown")
def markdown_filter(text: str, live=None) -> SafeString:
    """Render staff Markdown as sanitized HTML; `{{ body|markdown:live }}` reuses the view's
    live state for `[[survey-status]]`-style tokens (looked up when not given)."""
    return render_markdown(text, live=live or None)
