from django import template

from apps.pages.selectors import page_nav

register = template.Library()


@register.inclusion_tag("pages/tags/site_nav.html", takes_context=True)
def site_nav(context) -> dict:
    """The header menu, built from the published pages (one query)."""
    request = context.get("request")
    groups = page_nav()
    return {
        "main_pages": groups["main"],
        "learn_pages": groups["learn"],
        "current_path": request.path if request else "",
    }
