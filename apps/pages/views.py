from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from apps.core.siteurl import absolute

from .forms import ContactForm
from .live import live_state
from .models import Page
from .selectors import milestone_list_with_current, page_block_context
from .services import contact_message_submit


def home(request: HttpRequest) -> HttpResponse:
    page = Page.objects.published().filter(slug="home").first()
    _milestones, current = milestone_list_with_current()
    live = live_state()
    return render(
        request,
        "pages/home.html",
        {
            "page": page,
            "current_milestone": current,
            "open_survey": live.survey if live.survey_open else None,
            "live": live,
        },
    )


def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page.objects.published(), slug=slug)
    if page.slug == "home" or page.block == Page.Block.CONTACT:
        return redirect(page.get_absolute_url())
    context = {"page": page, "live": live_state(), **page_block_context(page)}
    return render(request, "pages/page_detail.html", context)


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    page = Page.objects.published().filter(block=Page.Block.CONTACT).first()
    if page is None:
        raise Http404
    form = ContactForm(request.POST or None)
    limited = False
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="contact",
            key="ip",
            rate=settings.CONTACT_RATE_LIMIT,
            method="POST",
            increment=True,
        )
        if not limited and form.is_valid():
            if not form.is_bot:
                data = form.cleaned_data
                contact_message_submit(
                    name=data["name"],
                    email=data["email"],
                    organization=data["organization"],
                    topic=data["topic"],
                    message=data["message"],
                    language=get_language() or settings.LANGUAGE_CODE,
                )
            return redirect("pages:contact_thanks")
    status = 429 if limited else (200 if not form.is_bound or form.is_valid() else 400)
    return render(
        request,
        "pages/contact.html",
        {"page": page, "form": form, "limited": limited},
        status=status,
    )


def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/contact_thanks.html")


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /staff/",
        "Disallow: /accounts/",
        f"Disallow: /{settings.ADMIN_URL}",
        "Sitemap: " + absolute(reverse("feeds:sitemap")),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
