"""What `manage.py check_content` checks in the published public text (both languages).

- no placeholder ("to be added", "TBD", "lorem"...) and no provisional marker without a reason;
- every statistic (a percentage, a number in the thousands, "N million") has a source in the
  same paragraph or list item: a citation `[^key]`, or a `[provisional: reason]` marker;
- every citation has its source line and every source line is cited;
- every internal link opens (HTTP 200 after redirects) and every #anchor exists on its page;
- no text states as a fact that a comment window is open (or that now is the time to comment):
  that changes with the notices' dates, so it belongs to the [[notice-status]] token, which
  follows the live state (a toolkit post once said "the window is open" beside a status box
  saying no window was open);
- the English and Spanish texts of a pair are in step: Spanish not empty, and the same number
  of paragraphs, links, citations, live-state tokens and provisional markers.
"""

import re
from dataclasses import dataclass
from urllib.parse import urldefrag

from django.conf import settings
from django.test import Client
from django.utils import translation

from .models import FAQEntry, GlossaryTerm, Milestone, Occupation, Organization, Page

PLACEHOLDER_RE = re.compile(
    r"\b(?:link to be added|to be added|will be added|lorem|ipsum|"
    r"se agregará próximamente|se añadirá|por agregar|por añadir|pendiente de agregar)\b",
    re.IGNORECASE,
)
# Upper case only: "todo" is Spanish for "all".
PLACEHOLDER_CASED_RE = re.compile(r"\b(?:TBD|TODO|XXX)\b")
BARE_PROVISIONAL_RE = re.compile(r"\[provisional(?::\s*)?\]")
PROVISIONAL_RE = re.compile(r"\[provisional:\s*[^\]]+\]")
# 62%, 62 %, 1,050, 10.000, 2 million, 2 millones
STATISTIC_RE = re.compile(
    r"\d+(?:[.,]\d+)?\s?%|\b\d{1,3}(?:[,.]\d{3})+\b|\b\d+(?:[.,]\d+)?\s+(?:million|millones|billion)",
    re.IGNORECASE,
)
# "The federal comment window ... is open", "This is the moment practitioners can comment",
# "Está abierto el periodo de comentarios", "el periodo de comentarios ... está abierto".
WINDOW_OPEN_RE = re.compile(
    r"\bcomment (?:window|period)\b[^.\n]*\bis (?:now )?open\b"
    r"|\bthis is the (?:moment|time) (?:practitioners|you|people) can comment\b"
    r"|\b(?:you|practitioners) can comment now\b"
    # "The window is open now." on the home page, read as the comment window by visitors
    # beside pages saying none is open.
    r"|\bthe window is (?:now )?open\b"
    r"|\best[áa] abierto el periodo de comentarios\b"
    r"|\bperiodo de comentarios\b[^.\n]*\best[áa] abierto\b",
    re.IGNORECASE,
)
# "When the comment window is open", "when a federal comment period is open": a condition.
CONDITION_RE = re.compile(
    r"\b(?:when|while|once|if|until|whether|cuando|mientras|si)\s+(?:[\w'’]+\s+){0,2}$",
    re.IGNORECASE,
)
CITATION_RE = re.compile(r"\[\^([\w-]+)\](?!:)")
SOURCE_LINE_RE = re.compile(r"^\[\^([\w-]+)\]:", re.MULTILINE)
LINK_RE = re.compile(r"\]\(([^)\s]+)\)")
TOKEN_RE = re.compile(r"\[\[[a-z-]+\]\]")


@dataclass(frozen=True)
class Text:
    where: str  # "pages.Page what-is-ost body"
    en: str
    es: str
    statistics: bool = True  # glossary definitions state the portal's own thresholds


def _texts():
    def pair(obj, label, name, statistics=True):
        return Text(
            f"{label} {name}",
            getattr(obj, f"{name}_en") or "",
            getattr(obj, f"{name}_es") or "",
            statistics,
        )

    for page in Page.objects.published():
        for name in ("title", "summary", "body"):
            yield pair(page, f"page {page.slug}", name)
    for entry in FAQEntry.objects.filter(is_published=True):
        for name in ("question", "answer"):
            yield pair(entry, f"faq {entry.key}", name)
    for term in GlossaryTerm.objects.all():
        for name in ("term", "definition"):
            yield pair(term, f"glossary {term.key}", name, statistics=False)
    for milestone in Milestone.objects.all():
        for name in ("date_label", "title", "description", "provisional_reason"):
            yield pair(milestone, f"milestone {milestone.key}", name)
        if milestone.is_provisional and not milestone.provisional_reason_en.strip():
            yield Text(f"milestone {milestone.key} provisional_reason", "[provisional]", "")
    for org in Organization.objects.filter(is_published=True):
        yield pair(org, f"organization {org.key}", "role")
    for occupation in Occupation.objects.all():
        for name in ("title", "definition", "ost_roles", "note"):
            yield pair(occupation, f"occupation {occupation.code}", name)
    # The comment toolkit and the notices are public pages too.
    from apps.notices.selectors import notice_published_queryset, public_content_models

    for notice in notice_published_queryset():
        for name in ("title", "summary", "how_to_submit"):
            yield pair(notice, f"notice {notice.document_number or notice.pk}", name)
    for model, names in public_content_models():
        for obj in model.objects.published():
            for name in names:
                yield pair(obj, f"{model._meta.model_name} {obj.key}", name)


def _units(text: str) -> list[str]:
    """Paragraphs and list items, without the source lines."""
    units = []
    for block in re.split(r"\n\s*\n", text):
        if SOURCE_LINE_RE.match(block.strip()):
            continue
        lines = block.split("\n")
        if any(re.match(r"\s*(?:[-*+]|\d+\.)\s", line) for line in lines):
            units.extend(line for line in lines if line.strip())
        elif block.strip():
            units.append(block)
    return units


def _paragraph_count(text: str) -> int:
    return len([b for b in re.split(r"\n\s*\n", text) if b.strip()])


def _check_one(text: str, where: str, statistics: bool) -> list[str]:
    problems = []
    for regex in (PLACEHOLDER_RE, PLACEHOLDER_CASED_RE):
        for match in regex.finditer(text):
            problems.append(f"{where}: placeholder {match.group(0)!r}")
    for match in WINDOW_OPEN_RE.finditer(text):
        if CONDITION_RE.search(text[max(0, match.start() - 20) : match.start()]):
            continue
        problems.append(
            f"{where}: states that a comment window is open ({match.group(0)!r}); use the "
            "[[notice-status]] token, which follows the notices' dates"
        )
    if BARE_PROVISIONAL_RE.search(text):
        problems.append(f"{where}: [provisional] without a reason; write [provisional: why]")
    if statistics:
        for unit in _units(text):
            if STATISTIC_RE.search(unit) and not (
                CITATION_RE.search(unit) or PROVISIONAL_RE.search(unit)
            ):
                figure = STATISTIC_RE.search(unit).group(0)
                problems.append(f"{where}: statistic {figure!r} without a source: {unit[:80]!r}")
    cited = set(CITATION_RE.findall(SOURCE_LINE_RE.sub("", text)))
    defined = set(SOURCE_LINE_RE.findall(text))
    for key in sorted(cited - defined):
        problems.append(f"{where}: citation [^{key}] has no source line")
    for key in sorted(defined - cited):
        problems.append(f"{where}: source [^{key}] is never cited")
    return problems


def _pair_problems(item: Text) -> list[str]:
    en, es = item.en, item.es
    if not en.strip():
        return [f"{item.where}: English empty, Spanish not"] if es.strip() else []
    if not es.strip():
        return [f"{item.where}: Spanish empty"]
    problems = []
    checks = {
        "paragraphs": (_paragraph_count(en), _paragraph_count(es)),
        "links": (len(LINK_RE.findall(en)), len(LINK_RE.findall(es))),
        "citations": (
            sorted(set(CITATION_RE.findall(en))),
            sorted(set(CITATION_RE.findall(es))),
        ),
        "live-state tokens": (sorted(TOKEN_RE.findall(en)), sorted(TOKEN_RE.findall(es))),
        "provisional markers": (en.count("[provisional"), es.count("[provisional")),
    }
    for name, (a, b) in checks.items():
        if a != b:
            problems.append(f"{item.where}: English and Spanish differ in {name} ({a} vs {b})")
    return problems


def _host() -> str:
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")]
    return hosts[0] if hosts else "localhost"


class _LinkChecker:
    """Opens each internal address once (in process) and remembers the ids on the page."""

    def __init__(self):
        self.client = Client(HTTP_HOST=_host())
        self.pages: dict[tuple[str, str], tuple[int, str]] = {}

    def get(self, path: str, language: str) -> tuple[int, str]:
        key = (path, language)
        if key not in self.pages:
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = self.client.get(path, follow=True)
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            self.pages[key] = (response.status_code, body)
        return self.pages[key]

    def problems(self, text: str, where: str, language: str, own_path: str | None) -> list[str]:
        found = []
        for href in LINK_RE.findall(text):
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            path, anchor = urldefrag(href)
            if not path:
                if own_path is None:
                    continue  # an anchor inside a FAQ or glossary entry: checked on its page
                path = own_path
            if not path.startswith("/"):
                found.append(f"{where}: relative link {href!r}; start it with /")
                continue
            status, body = self.get(path, language)
            if status != 200:
                found.append(f"{where}: broken link {href!r} (HTTP {status})")
            elif anchor and f'id="{anchor}"' not in body:
                found.append(f"{where}: link {href!r} points to a missing anchor #{anchor}")
        return found


def content_problems(*, links: bool = True) -> list[str]:
    """Every problem found in the published content, one line each."""
    problems: list[str] = []
    checker = _LinkChecker() if links else None
    page_paths = {
        f"page {p.slug}": p.get_absolute_url() for p in Page.objects.published().only("slug")
    }
    for item in _texts():
        problems.extend(_pair_problems(item))
        for language, text in (("en", item.en), ("es", item.es)):
            where = f"{item.where} ({language})"
            problems.extend(_check_one(text, where, item.statistics))
            if checker is not None and text:
                own = page_paths.get(item.where.rsplit(" ", 1)[0])
                with translation.override(language):
                    problems.extend(checker.problems(text, where, language, own))
    return problems
