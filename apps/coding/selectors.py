"""Reads for coding: codebook, answers to code, agreement, frequencies, co-occurrence, quotes.

Every function issues a fixed number of queries whatever the number of answers.
"""

import re
from dataclasses import dataclass

from apps.insights.selectors import labels
from apps.surveys.models import Response
from apps.surveys.models import Role as SurveyRole

from .models import Quote

# --- Quotes ---

# Contact details a respondent may have typed into an answer; a quote never carries them.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
REDACTED = "[…]"


def redact_contact_details(text: str) -> str:
    """Replace e-mail addresses, US phone numbers and web addresses by an ellipsis mark."""
    for pattern in (_EMAIL, _URL, _PHONE):
        text = pattern.sub(REDACTED, text)
    return text


@dataclass(frozen=True)
class UsableQuote:
    """A quote as other apps may use it: the excerpt and the respondent's role and setting
    labels, nothing else about the respondent (no response id, no contact details)."""

    id: int
    text: str
    role_label: str
    setting_label: str
    question_label: str
    use: str  # "public" (quoted anonymously) or "internal" (internal use only)
    status: str
    note: str


PUBLIC = "public"
INTERNAL = "internal"
CONSENT_USE = {
    Response.QuoteConsent.ANONYMOUS: PUBLIC,
    Response.QuoteConsent.INTERNAL: INTERNAL,
}


def allowed_consents(*, public: bool) -> list[str]:
    """Consent values that allow public use (anonymous quoting) or internal use."""
    if public:
        return [Response.QuoteConsent.ANONYMOUS]
    return [Response.QuoteConsent.ANONYMOUS, Response.QuoteConsent.INTERNAL]


def usable_quotes(
    *, public: bool, role=None, ids=None, include_candidates: bool = True
) -> list[UsableQuote]:
    """Quotes that may be used publicly (respondent agreed to anonymous quoting) or
    internally (anonymous or internal-only consent); never from a respondent who gave no
    consent, nor from an excluded or incomplete response, nor rejected ones.

    `role` is a survey Role or its slug; `ids` limits to chosen quotes. Approved quotes come
    first. Contact details typed into an answer are redacted from the excerpt. Two queries.
    """
    statuses = [Quote.Status.APPROVED]
    if include_candidates:
        statuses.append(Quote.Status.CANDIDATE)
    qs = (
        Quote.objects.filter(
            status__in=statuses,
            answer__response__in=Response.objects.included(),
            answer__response__quote_consent__in=allowed_consents(public=public),
        )
        .select_related("answer__question", "answer__response__role")
        .only(
            "text",
            "status",
            "note",
            "answer__question__key",
            "answer__question__text_en",
            "answer__question__text_es",
            "answer__response__setting",
            "answer__response__quote_consent",
            "answer__response__role__label_en",
            "answer__response__role__label_es",
        )
        .order_by("status", "-created_at", "-id")  # "approved" sorts before "candidate"
    )
    if role is not None:
        slug = role.slug if isinstance(role, SurveyRole) else str(role)
        qs = qs.filter(answer__response__role__slug=slug)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    setting_labels = labels().choices.get("setting", {})
    result = []
    for quote in qs:
        response = quote.answer.response
        result.append(
            UsableQuote(
                id=quote.pk,
                text=redact_contact_details(quote.text),
                role_label=response.role.tr("label") if response.role else "",
                setting_label=setting_labels.get(response.setting, response.setting),
                question_label=quote.answer.question.tr("text"),
                use=CONSENT_USE[response.quote_consent],
                status=quote.status,
                note=quote.note,
            )
        )
    return result


def quote_use_label(consent: str) -> str:
    """How far a respondent's consent lets a quote be used, for staff pages."""
    from django.utils.translation import gettext as _

    return {
        Response.QuoteConsent.ANONYMOUS: _("May be quoted anonymously"),
        Response.QuoteConsent.INTERNAL: _("Internal use only"),
    }.get(consent, _("Not to be used (no consent)"))
