"""sitemap.xml of the public pages (django.contrib.sitemaps), with absolute addresses from
the portal's address (apps.core.siteurl) rather than whatever host the request named.

Every page is listed in English (its plain address) and in Spanish (`?lang=es`, which the
portal's language middleware honours on any address), each entry naming the other as its
alternate (`xhtml:link hreflang`)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.translation import get_language

from apps.core.siteurl import site_url
from apps.notices.selectors import notice_published_queryset
from apps.pages.selectors import page_published_list
from apps.proposals.selectors import version_published_of_first_proposal
from apps.surveys.selectors import survey_open_list

if TYPE_CHECKING:  # annotations only, not a runtime import (see .importlinter)
    from apps.notices.models import Notice
    from apps.pages.models import Page


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True

    def path(self, item) -> str:
        return item.get_absolute_url()

    def location(self, item) -> str:
        """The item's address in the language being listed (the default language plain)."""
        path = self.path(item)
        language = get_language()
        if language == settings.LANGUAGE_CODE:
            return path
        return f"{path}{'&' if '?' in path else '?'}lang={language}"

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(site_url()).netloc


class PageSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return page_published_list()

    def lastmod(self, page: Page):
        return page.updated_at


class NoticeSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):
        return notice_published_queryset().order_by("-opens_at", "pk")

    def path(self, notice: Notice) -> str:
        return reverse("notices:detail", kwargs={"pk": notice.pk})

    def lastmod(self, notice: Notice):
        return notice.updated_at


class FixedPagesSitemap(PortalSitemap):
    """Public pages that are views rather than content pages."""

    changefreq = "weekly"
    names = [
        "notices:list",
        "notices:toolkit",
        "comments:builder",
        "comments:pledge",
        "mailings:signup",
        "feeds:news",
    ]

    def items(self) -> list[str]:
        return self.names

    def path(self, name: str) -> str:
        return reverse(name)


class OpenSurveySitemap(PortalSitemap):
    """The landing page of each survey with a published version (the home page's first
    button), and the proposal draft once one is published."""

    changefreq = "daily"

    def items(self) -> list:
        draft = version_published_of_first_proposal()
        return list(survey_open_list().order_by("pk")) + ([draft] if draft else [])

    def path(self, item) -> str:
        return item.get_public_url() if hasattr(item, "get_public_url") else item.get_absolute_url()


SITEMAPS = {
    "pages": PageSitemap,
    "notices": NoticeSitemap,
    "more": FixedPagesSitemap,
    "survey": OpenSurveySitemap,
}
