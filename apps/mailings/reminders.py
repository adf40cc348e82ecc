"""The text of a comment-deadline reminder, written from the notice in both languages."""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from apps.core.siteurl import absolute


def _notice_url(notice) -> str:
    """The portal page about the notice, else the get-involved page."""
    path = ""
    if hasattr(notice, "get_absolute_url"):
        try:
            path = notice.get_absolute_url()
        except NoReverseMatch:
            path = ""
    if not path:
        path = reverse("pages:detail", kwargs={"slug": "get-involved"})
    return absolute(path)


def _days_phrase(days_left: int) -> str:
    if days_left == 0:
        return gettext("Today is the last day to comment.")
    return ngettext(
        "There is %(days)d day left to comment.",
        "There are %(days)d days left to comment.",
        days_left,
    ) % {"days": days_left}


def _subject(days_left: int) -> str:
    if days_left == 0:
        return gettext("Last day to comment on the federal occupation codes")
    return ngettext(
        "%(days)d day left to comment on the federal occupation codes",
        "%(days)d days left to comment on the federal occupation codes",
        days_left,
    ) % {"days": days_left}


def reminder_texts(notice, status) -> dict[str, str]:
    """subject_en/es and body_en/es (Markdown) for a reminder sent at `status`."""
    texts: dict[str, str] = {}
    for language in ("en", "es"):
        with translation.override(language):
            closes = date_format(status.closes_at_et, "DATETIME_FORMAT")
            lines = [
                gettext(
                    "The public comment window on **%(title)s** closes on %(closes)s "
                    "(Eastern Time)."
                )
                % {"title": notice.tr("title"), "closes": closes},
                "",
                _days_phrase(status.days_left),
                "",
            ]
            summary = notice.tr("summary").strip()
            if summary:
                lines += [summary, ""]
            if notice.docket_id:
                lines += [gettext("Docket: %(docket)s") % {"docket": notice.docket_id}, ""]
            lines.append(
                gettext(
                    "[Get ready to comment](%(url)s): a specific comment about the work you "
                    "actually do counts more than a copied letter."
                )
                % {"url": _notice_url(notice)}
            )
            if notice.submission_url:
                lines += [
                    "",
                    gettext("[Where to send your comment](%(url)s)")
                    % {"url": notice.submission_url},
                ]
            texts[f"subject_{language}"] = _subject(status.days_left)[:150]
            texts[f"body_{language}"] = "\n".join(lines)
    return texts
