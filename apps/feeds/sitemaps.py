"""sitemap.xml of the public pages (django.contrib.sitemaps), with absolute addresses from
the portal's address (apps.core.siteurl) rather than whatever host the request named."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.core.siteurl import site_url
from apps.notices.selectors import notice_published_queryset
from apps.pages.selectors import page_published_list

if TYPE_CHECKING:  # annotations only, not a runtime import (see .importlinter)
    from apps.notices.models import Notice
    from apps.pages.models import Page


class PortalSitemap(Sitemap):
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

    def location(self, notice: Notice) -> str:
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

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "notices": NoticeSitemap, "more": FixedPagesSitemap}
