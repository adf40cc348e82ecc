from collections.abc import Callable

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from .models import (  # noqa: F401  (the cache key and its clearing live beside the model)
    SIGNUP_CACHE_KEY,
    FAQEntry,
    GlossaryTerm,
    Milestone,
    Occupation,
    Organization,
    Page,
    SiteSettings,
    site_settings_cache_clear,
)

# Blocks whose content another app provides: {block: provider(page) -> context}. The privacy
# notice's block shows apps.privacy's inventory; privacy registers it (PrivacyConfig.ready)
# because privacy reads pages' data to delete it, so pages must not import privacy.
_BLOCK_CONTEXTS: dict[str, Callable[[Page], dict]] = {}


# The kinds of structured block a page can show (Page.Block), for register_block_context.
PageBlock = Page.Block


def register_block_context(block: str, provider: Callable[[Page], dict]) -> None:
    _BLOCK_CONTEXTS[block] = provider


def page_nav() -> dict[str, list[Page]]:
    """Published pages for the menus, grouped as the header shows them (one query)."""
    groups: dict[str, list[Page]] = {Page.NavGroup.MAIN: [], Page.NavGroup.LEARN: []}
    pages = Page.objects.published().exclude(nav_group=Page.NavGroup.NONE)
    for page in pages.only("slug", "nav_group", "nav_order", "block", "title_en", "title_es"):
        groups[page.nav_group].append(page)
    return groups


def milestone_list_with_current(today=None) -> tuple[list[Milestone], Milestone | None]:
    """All milestones in order, and the current stage: the first in progress, else the first
    upcoming one. Every status is computed from the dates (Milestone.status_on)."""
    today = today or timezone.localdate()
    milestones = list(Milestone.objects.all())
    statuses = [m.status_on(today) for m in milestones]
    current = next(
        (m for m, s in zip(milestones, statuses, strict=True) if s == Milestone.Status.IN_PROGRESS),
        None,
    ) or next(
        (m for m, s in zip(milestones, statuses, strict=True) if s == Milestone.Status.UPCOMING),
        None,
    )
    return milestones, current


def page_block_context(page: Page) -> dict:
    """The structured content shown under a page's text, by the page's block type."""
    block = page.block
    if block == Page.Block.CROSSWALK:
        return {"occupations": list(Occupation.objects.all())}
    if block == Page.Block.TIMELINE:
        milestones, current = milestone_list_with_current()
        return {"milestones": milestones, "current_milestone": current}
    if block == Page.Block.WORKGROUP:
        organizations = list(Organization.objects.filter(is_published=True))
        return {
            "organizations": organizations,
            "members": [org for org in organizations if not org.is_lead],
        }
    if block == Page.Block.FAQ:
        return {"faq_entries": list(FAQEntry.objects.filter(is_published=True))}
    if block == Page.Block.GLOSSARY:
        return {"glossary_terms": glossary_sorted()}
    provider = _BLOCK_CONTEXTS.get(block)
    return provider(page) if provider is not None else {}


def glossary_sorted() -> list[GlossaryTerm]:
    """Glossary terms in alphabetical order of the active language."""
    return sorted(GlossaryTerm.objects.all(), key=lambda t: t.tr("term").casefold())


def faq_published() -> QuerySet[FAQEntry]:
    return FAQEntry.objects.filter(is_published=True)


def updates_signup_enabled() -> bool:
    """Whether staff have email sign-up open (Site settings); cached, cleared on save."""
    found = cache.get(SIGNUP_CACHE_KEY)
    if found is None:
        value = (
            SiteSettings.objects.filter(pk=1)
            .values_list("updates_signup_enabled", flat=True)
            .first()
        )
        found = True if value is None else value
        cache.set(SIGNUP_CACHE_KEY, found, 60)
    return found


# --- What other apps read of the public pages (instead of apps.pages.models) ---


def occupation_soc_list():
    """Occupations that are Standard Occupational Classification codes, in order."""
    return Occupation.objects.filter(is_soc_code=True).order_by("order", "code")


def milestone_dated_list():
    """Milestones with a start date, in timeline order (the calendar feed)."""
    return Milestone.objects.exclude(starts_on=None).order_by("order", "pk")


def page_published_list():
    """Published pages in menu order (the sitemap)."""
    return Page.objects.published().order_by("nav_order", "slug")


def occupation_by_code(code: str):
    """The newest edition's occupation with this code (None when unknown)."""
    return Occupation.objects.filter(code=code).order_by("-soc_edition").first()
