import logging

from django import template
from django.db import DatabaseError

from apps.notices.selectors import current_notice_cached, notice_display

register = template.Library()


@register.inclusion_tag("notices/tags/banner.html", takes_context=True)
def notice_banner(context) -> dict:
    """The site-wide banner while a comment window is open (cached: no query on most pages)."""
    request = context.get("request")
    if request is not None and request.path.startswith("/staff/"):
        return {"display": None}
    try:
        notice = current_notice_cached()
    except DatabaseError:  # a banner must never take a page down with it
        logging.getLogger(__name__).warning("Comment window banner skipped", exc_info=True)
        return {"display": None}
    display = notice_display(notice) if notice is not None else None
    return {"display": display if display and display.status.is_open else None}


@register.inclusion_tag("notices/tags/status_panel.html")
def notice_status_panel(heading_level: int = 2) -> dict:
    """Where the current comment window stands: open, not open yet, or closed."""
    notice = current_notice_cached()
    return {
        "display": notice_display(notice) if notice is not None else None,
        "heading_level": heading_level,
    }
