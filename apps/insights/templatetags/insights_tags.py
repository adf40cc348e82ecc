from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from apps.insights import formatting

register = template.Library()

BAR_HEIGHT = 22


@register.filter
def figure(value, digits) -> str:
    """A figure for people: rounded as everywhere else (formatting.py), localized; "—" for
    None. `digits` is a number or a kind of figure ("share", "importance"...)."""
    if value is None or value == "":
        return formatting.SUPPRESSED_STAT
    places = formatting.DIGITS[digits] if isinstance(digits, str) else int(digits)
    return formatting.local(value, places)


@register.filter
def markup_number(value, digits=1) -> str:
    """A number for markup (attributes, JSON): rounded, never localized."""
    return formatting.plain(value, int(digits)) or "0"


@register.inclusion_tag("insights/includes/_bar_chart.html")
def bar_chart(table) -> dict:
    """A horizontal bar chart drawn as SVG on the server (no script, print friendly).

    Hidden (suppressed) rows get no bar. The table beside it carries the numbers. Numbers
    in the SVG's attributes are plain ("52.9" in every language: browsers reject "52,9")."""
    shown = [r for r in table.rows if not r.hidden and r.share is not None]
    top = max((r.share for r in shown), default=0) or 1
    bars = []
    for i, row in enumerate(table.rows):
        width = 0 if row.hidden or row.share is None else 300 * row.share / top
        bars.append(
            {
                "rect_y": str(i * BAR_HEIGHT + 3),
                "text_y": str(i * BAR_HEIGHT + 15),
                "width": formatting.plain(width, 1),
                "text_x": formatting.plain(width + 6, 1),
                "label": row.label,
                "value": None if row.hidden or row.share is None else row.share,
            }
        )
    return {"bars": bars, "height": str(max(1, len(bars)) * BAR_HEIGHT), "title": table.title}


@register.simple_tag
def hidden_mark(threshold=None) -> str:
    """A hidden count in HTML: the neutral mark (formatting.HIDDEN_COUNT), its meaning as a
    tooltip, and the word "hidden" for screen readers (the mark itself is not read out)."""
    return format_html(
        '<span class="suppressed" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        formatting.hidden_explanation(threshold),
        formatting.HIDDEN_COUNT,
        _("hidden"),
    )


@register.simple_tag
def hidden_legend(threshold=None) -> str:
    """The legend line for pages and blocks whose tables can hide a count."""
    return format_html(
        '<p class="small text-body-secondary hidden-legend">{}</p>',
        formatting.hidden_legend(threshold),
    )


@register.simple_tag
def hidden_symbol() -> str:
    """The mark as plain text, for a sentence that names it (`{% hidden_symbol as mark %}`)."""
    return formatting.HIDDEN_COUNT


@register.filter
def is_hidden_mark(cell) -> bool:
    """Whether a written cell (a frozen evidence snapshot's) is a hidden count."""
    return formatting.is_hidden_mark(cell)
