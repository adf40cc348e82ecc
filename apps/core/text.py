"""Staff-written Markdown turned into safe HTML."""

import markdown as markdown_lib
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "code",
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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
PROVISIONAL_MARKER = "[provisional]"


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitized: staff-entered scripts and raw HTML never run.

    A `# heading` becomes h2 (the page title is the only h1), and a `[provisional]`
    marker becomes a visible badge on facts still to be verified.
    """
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    badge = f'<span class="badge-provisional">{escape(_("Provisional, to be verified"))}</span>'
    # nh3 output is inert HTML; the only markup added here is the fixed badge above.
    return mark_safe(clean.replace(PROVISIONAL_MARKER, badge))  # noqa: S308
