from django import template

register = template.Library()

BAR_HEIGHT = 22


@register.inclusion_tag("insights/includes/_bar_chart.html")
def bar_chart(table) -> dict:
    """A horizontal bar chart drawn as SVG on the server (no script, print friendly).

    Hidden (suppressed) rows get no bar. The table beside it carries the numbers.
    """
    shown = [r for r in table.rows if not r.hidden and r.share is not None]
    top = max((r.share for r in shown), default=0) or 1
    bars = []
    for i, row in enumerate(table.rows):
        width = 0 if row.hidden or row.share is None else round(300 * row.share / top, 1)
        bars.append(
            {
                "rect_y": i * BAR_HEIGHT + 3,
                "text_y": i * BAR_HEIGHT + 15,
                "width": width,
                "text_x": width + 6,
                "label": row.label,
                "value": None if row.hidden or row.share is None else row.share,
            }
        )
    return {"bars": bars, "height": max(1, len(bars)) * BAR_HEIGHT, "title": table.title}
