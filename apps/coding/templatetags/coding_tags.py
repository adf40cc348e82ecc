from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def lookup(mapping: dict, key):
    """`{{ labels|lookup:value }}`: the mapping's entry for the key, else the key itself."""
    return mapping.get(key, key) if mapping else key


@register.filter
def marked_spans(text: str, applications) -> SafeString:
    """The answer text, escaped, with the passages the applications cover in <mark>.

    The text content is unchanged (marks only wrap it), so character offsets taken in the
    browser still count from the start of the answer."""
    covered = [False] * len(text)
    for app in applications or []:
        if app.start is not None:
            for i in range(max(app.start, 0), min(app.end, len(text))):
                covered[i] = True
    parts, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and covered[j] == covered[i]:
            j += 1
        chunk = escape(text[i:j])
        parts.append(f"<mark>{chunk}</mark>" if covered[i] else chunk)
        i = j
    return mark_safe("".join(parts))  # noqa: S308 - every chunk is escaped above
