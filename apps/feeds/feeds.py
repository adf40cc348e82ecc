"""Atom and RSS feeds of announcements and notices (Django's syndication framework).

The language is the visitor's (`?lang=es` picks Spanish, as on every page); links in the feed
carry it, so a reader opens the pages in the feed's language. Links are absolute from the
portal's address (apps.core.siteurl), not from whatever host the request named.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.siteurl import absolute

from .selectors import NewsItem, news_items


def _language() -> str:
    return (get_language() or "en")[:2]


def with_language(path: str, language: str) -> str:
    base, _hash, anchor = path.partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}lang={language}" + (f"#{anchor}" if anchor else "")


class UpdatesRss(Feed):
    feed_type = Rss201rev2Feed
    route = "feeds:rss"

    def get_object(self, request, *args, **kwargs) -> str:
        return _language()

    def title(self, language: str) -> str:
        return _("OST SOC Portal: news and comment windows")

    def description(self, language: str) -> str:
        return _(
            "Announcements from the campaign for an out-of-school-time occupation code, and "
            "the federal notices that open public comment windows."
        )

    def link(self, language: str) -> str:
        return absolute(with_language(reverse("feeds:news"), language))

    def feed_url(self, language: str) -> str:
        return absolute(with_language(reverse(self.route), language))

    def items(self, language: str) -> list[NewsItem]:
        return news_items()

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.body_html

    def item_link(self, item: NewsItem) -> str:
        return absolute(with_language(item.path, _language()))

    def item_guid(self, item: NewsItem) -> str:
        # The same item in both languages is one item: the id carries no language.
        return absolute(reverse("feeds:news") + f"#{item.anchor}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewsItem):
        return item.published

    def item_updateddate(self, item: NewsItem):
        return item.updated


class UpdatesAtom(UpdatesRss):
    feed_type = Atom1Feed
    route = "feeds:atom"

    def subtitle(self, language: str) -> str:
        return self.description(language)
