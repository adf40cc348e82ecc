from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .ics import calendar_bytes
from .selectors import news_items


def news(request: HttpRequest) -> HttpResponse:
    """The feed as a page: announcements and notices, newest first."""
    return render(request, "feeds/news.html", {"items": news_items()})


def calendar(request: HttpRequest) -> HttpResponse:
    reply = HttpResponse(
        calendar_bytes((get_language() or "en")[:2]), content_type="text/calendar; charset=utf-8"
    )
    reply["Content-Disposition"] = 'attachment; filename="ost-soc-calendar.ics"'
    return reply
