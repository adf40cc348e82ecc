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


@register.simple_tag
def form_error_summary(form) -> list[dict]:
    """Each error of a bound form with the anchor of its field's wrapper (crispy's
    "div_id_<name>", radio and checkbox groups included) and the field's label: the error
    summary of templates/includes/_error_summary.html, as the survey pages have."""
    items = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        anchor = f"div_{form[name].auto_id}" if field is not None else ""
        label = str(field.label or "") if field is not None else ""
        for message in messages:
            items.append({"anchor": anchor, "label": label.rstrip(":"), "message": message})
    return items
