"""Staff-written Markdown turned into safe HTML."""

import hashlib
import re

import markdown as markdown_lib
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "code",
    "div",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope"},
    # Heading ids (anchors such as /page/faq/#how-to-comment) and the numbered sources.
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "sup": {"id"},
    "li": {"id"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"references"},
    "p": {"references-title"},
}
PROVISIONAL_MARKER = "[provisional]"
# `[provisional: why it is not confirmed yet]`; the bare marker is still shown as a badge,
# but `manage.py check_content` reports it until an editor gives the reason.
PROVISIONAL_RE = re.compile(r"\[provisional(?::\s*([^\]]*))?\]")
# `[[survey-status]]` and friends: replaced by the sentence for the live state (apps.pages.live).
LIVE_TOKEN_RE = re.compile(r"(<p>)?\[\[([a-z-]+)\]\](</p>)?")
# `text[^cdc]` with `[^cdc]: [Source title](https://...)` below: a numbered list of sources.
_FOOTNOTE_ID_RE = re.compile(r'(id="|href="#)(fn|fnref):')


# Ids the page templates use themselves; a heading slug never takes one of them.
_RESERVED_IDS = {"main", "site-nav", "hero-title", "stage-title", "form-errors", "content"}


def _slugify(value: str, separator: str) -> str:
    slug = slugify(value).replace("-", separator) or "section"
    return f"{slug}{separator}section" if slug in _RESERVED_IDS else slug


# <a ...>text</a> with neither an href nor an id (nh3's output: attributes in double quotes).
_HREFLESS_LINK_RE = re.compile(r'<a(?:\s(?!href=|id=)[\w-]+="[^"]*")*>(.*?)</a>', re.S)


def render_markdown(text: str, live=None) -> SafeString:
    """Markdown to HTML, then sanitized: staff-entered scripts and raw HTML never run.

    A `# heading` becomes h2 (the page title is the only h1) and headings get ids for
    anchors; citations (`[^key]`) become numbered links to a list of sources under the text;
    a `[provisional: reason]` marker becomes a visible badge with its reason; a live-state
    token (`[[survey-status]]`...) becomes the sentence for the current state, computed from
    `live` (an apps.pages.live.LiveState) or looked up when not given.
    """
    text = text or ""
    html = markdown_lib.markdown(
        text,
        extensions=["tables", "sane_lists", "footnotes", "toc"],
        extension_configs={
            "footnotes": {
                "BACKLINK_TEXT": "\u21a9",
                "BACKLINK_TITLE": _("Back to the text of source %d"),
            },
            "toc": {"slugify": _slugify, "toc_depth": "2-4"},
        },
    )
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    # Source ids unique per text, so two rendered texts on one page never share an id.
    uid = hashlib.sha256(text.encode()).hexdigest()[:6]
    html = _FOOTNOTE_ID_RE.sub(
        lambda m: f"{m.group(1)}{'src' if m.group(2) == 'fn' else 'srcref'}-{uid}-", html
    )
    sources_title = escape(_("Sources"))
    html = html.replace(
        '<div class="footnote">\n<hr />',
        f'<div class="references">\n<p class="references-title">{sources_title}</p>',
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    # A link whose address nh3 dropped (javascript:, data:) would stay as an <a> without
    # href, invalid HTML that reads as a link: only its text is kept.
    clean = _HREFLESS_LINK_RE.sub(r"\1", clean)
    badge = escape(_("Provisional, to be verified"))

    def provisional(match: re.Match) -> str:
        reason = (match.group(1) or "").strip()
        html = f'<span class="badge-provisional">{badge}</span>'
        if reason:
            # The reason is text nh3 has already escaped.
            html += f' <span class="provisional-reason">({reason})</span>'
        return html

    clean = PROVISIONAL_RE.sub(provisional, clean)
    if "[[" in clean:
        clean = _replace_live_tokens(clean, live)
    # nh3 output is inert HTML; the only markup added here comes from fixed templates.
    return mark_safe(clean)  # noqa: S308


# The app that knows the live state (apps.pages) registers how a token is rendered, so core
# imports no feature app (the layer contract in .importlinter).
_live_tokens = None


def register_live_tokens(*, tokens, state_lookup, render) -> None:
    """Called by apps.pages at start-up: the token names, a function giving the current live
    state (or None), and one rendering a token for a state (inline or as a block)."""
    global _live_tokens
    _live_tokens = (frozenset(tokens), state_lookup, render)


def _replace_live_tokens(html: str, live) -> str:
    if _live_tokens is None:
        return html
    tokens, state_lookup, render_token = _live_tokens
    state = live

    def replace(match: re.Match) -> str:
        nonlocal state
        token = match.group(2)
        if token not in tokens:
            return match.group(0)
        if state is None:
            state = state_lookup()
        block = bool(match.group(1) and match.group(3))
        sentence = render_token(token, state, inline=not block)
        if block:
            return sentence
        return (match.group(1) or "") + sentence + (match.group(3) or "")

    return LIVE_TOKEN_RE.sub(replace, html)
