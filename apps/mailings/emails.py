"""Building the emails sent to subscribers, each in the subscriber's language, each with a link
to the preferences and a one-click unsubscribe (link and List-Unsubscribe headers, RFC 8058)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString

from apps.core.siteurl import absolute
from apps.core.text import render_markdown

from .models import Announcement, Subscriber
from .tokens import CONFIRM, MANAGE, PLEDGE, make_token


def subscriber_links(subscriber: Subscriber) -> dict[str, str]:
    """Fresh signed links for one subscriber's messages."""
    token = make_token(subscriber, MANAGE)
    return {
        "manage_url": absolute(reverse("mailings:manage", kwargs={"token": token})),
        "unsubscribe_url": absolute(reverse("mailings:unsubscribe", kwargs={"token": token})),
    }


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058 headers: mail programs show an Unsubscribe button that POSTs."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _message(
    *, to: str, subject: str, text: str, html: str | None, headers: dict[str, str]
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[to], headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def signup_message(subscriber: Subscriber, kind: str) -> EmailMultiAlternatives:
    """The confirmation email (kind "confirm"), the already-subscribed email ("manage") or the
    confirmation of a pledge to comment ("pledge")."""
    links = subscriber_links(subscriber)
    context = {"site_name": settings.SITE_NAME, "subscriber": subscriber, **links}
    if kind == "confirm":
        token = make_token(subscriber, CONFIRM)
        context["confirm_url"] = absolute(reverse("mailings:confirm", kwargs={"token": token}))
        context["days"] = settings.MAILINGS_CONFIRM_DAYS
    elif kind == "pledge":  # a pledge to comment (apps.comments), confirmed by the same link
        token = make_token(subscriber, PLEDGE)
        context["confirm_url"] = absolute(
            reverse("comments:pledge_confirm", kwargs={"token": token})
        )
        context["days"] = settings.MAILINGS_CONFIRM_DAYS
    with translation.override(subscriber.language):
        subject = render_to_string(f"mailings/email/{kind}_subject.txt", context).strip()
        text = render_to_string(f"mailings/email/{kind}.txt", context)
    return _message(
        to=subscriber.email,
        subject=subject,
        text=text,
        html=None,
        headers=unsubscribe_headers(links["unsubscribe_url"]),
    )


@dataclass(frozen=True)
class Rendered:
    """An announcement's text in one language, rendered once per batch."""

    language: str
    subject: str
    body_text: str
    body_html: SafeString


def render_announcement(announcement: Announcement, language: str) -> Rendered:
    body = getattr(announcement, f"body_{language}") or announcement.body_en
    subject = getattr(announcement, f"subject_{language}") or announcement.subject_en
    with translation.override(language):
        html = render_markdown(body)
    return Rendered(language, subject, body.strip(), html)


def announcement_message(
    rendered: Rendered,
    *,
    to: str,
    manage_url: str,
    unsubscribe_url: str,
    headers: bool = True,
    subject_prefix: str = "",
) -> EmailMultiAlternatives:
    """One announcement email: plain text with an HTML alternative, both with the links."""
    context = {
        "site_name": settings.SITE_NAME,
        "subject": rendered.subject,
        "body_text": rendered.body_text,
        "body_html": rendered.body_html,
        "manage_url": manage_url,
        "unsubscribe_url": unsubscribe_url,
        "language": rendered.language,
    }
    with translation.override(rendered.language):
        text = render_to_string("mailings/email/announcement.txt", context)
        html = render_to_string("mailings/email/announcement.html", context)
    return _message(
        to=to,
        subject=subject_prefix + rendered.subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(unsubscribe_url) if headers else {},
    )
