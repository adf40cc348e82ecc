from django import template
from django.utils.safestring import SafeString

from apps.core.text import render_markdown

register = template.Library()


@register.filter
def tr(obj, name: str) -> str:
    """`{{ page|tr:"title" }}`: the field in the active language, English as fallback."""
    # Anything without bilingual fields (None, or the empty string a missing variable
    # becomes) renders as nothing rather than failing the whole page.
    return obj.tr(name) if hasattr(obj, "tr") else ""


@register.filter(name="markdown")
def markdown_filter(text: str, live=None) -> SafeString:
    """Render staff Markdown as sanitized HTML; `{{ body|markdown:live }}` reuses the view's
    live state for `[[survey-status]]`-style tokens (looked up when not given)."""
    return render_markdown(text, live=live or None)


@register.simple_tag
def form_error_summary(form) -> list[dict]:
    """Each error of a bound form with the anchor of its field's wrapper (crispy's
    "div_id_<name>", radio and checkbox groups included) and the field's label: the error
    summary of templates/includes/_error_summary.html, as the survey pages have."""
    items = []
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        anchor = f"div_{form[name].auto_id}" if field is not None else ""
        label = str(field.label or "") if field is not None else ""
        for message in messages:
            items.append({"anchor": anchor, "label": label.rstrip(":"), "message": message})
    return items


# Paths robots.txt keeps out of search engines: their pages name no language alternates.
_NOT_LISTED = ("/staff/", "/accounts/")


@register.simple_tag(takes_context=True)
def language_alternates(context) -> str:
    """`<link rel="alternate" hreflang>` for the page in English (its plain address, also the
    x-default) and in Spanish (`?lang=es`), as sitemap.xml lists them; other query
    parameters are kept. Nothing for staff pages or a request that is not a GET."""
    from django.conf import settings
    from django.utils.html import format_html_join

    from apps.core import siteurl

    request = context.get("request")
    if request is None or request.method != "GET":
        return ""
    path = request.path
    if path.startswith((*_NOT_LISTED, "/" + settings.ADMIN_URL)):
        return ""
    params = request.GET.copy()
    params.pop("lang", None)
    plain = path + (f"?{params.urlencode()}" if params else "")
    params["lang"] = "es"
    spanish = f"{path}?{params.urlencode()}"
    base = siteurl.site_url()
    links = [("en", base + plain), ("es", base + spanish), ("x-default", base + plain)]
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links)


@register.simple_tag(takes_context=True)
def path_without_lang(context) -> str:
    """The request's path and query without `lang`: where the language switcher returns, so
    that a `?lang=es` in the address (a partner's link, the thank-you page's) does not
    switch the page straight back."""
    request = context.get("request")
    if request is None:
        return "/"
    params = request.GET.copy()
    params.pop("lang", None)
    return request.path + (f"?{params.urlencode()}" if params else "")
