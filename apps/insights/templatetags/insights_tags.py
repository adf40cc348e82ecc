from django import template

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
