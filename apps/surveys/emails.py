"""Emails to respondents, rendered in the respondent's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.jobs.outbox import claim_one
from apps.core.siteurl import absolute, site_url

from .models import RespondentContact, Response


def resume_link_email_send(*, contact_id: int) -> bool:
    """Send a new resume link to the contact. Returns False when there is nothing to do."""
    from .services import resume_token_create

    contact = (
        RespondentContact.objects.select_related("response__version__survey")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None or contact.response.status != Response.Status.IN_PROGRESS:
        return False
    token = resume_token_create(response=contact.response)
    link = absolute(reverse("surveys:resume", kwargs={"token": token}))
    lang = (contact.response.language or "")[:2]
    if lang in dict(settings.LANGUAGES):
        link += f"?lang={lang}"  # the link reopens the survey in the respondent's language
    _send(contact, "surveys/email/resume_link", {"link": link, "days": settings.SURVEY_RESUME_DAYS})
    return True


def response_confirmation_send(*, contact_id: int) -> bool:
    """Confirm a submission by email, once: the contact row is claimed before sending."""
    if not claim_one(
        RespondentContact,
        contact_id,
        claimable=Q(confirmation_sent_at__isnull=True, response__status=Response.Status.COMPLETE),
        claimed_status=None,  # the contact row has no status: the sent time is the claim
        count_attempt=False,
        confirmation_sent_at=timezone.now(),
    ):
        return False
    contact = RespondentContact.objects.select_related("response__version__survey").get(
        pk=contact_id
    )
    try:
        _send(contact, "surveys/email/confirmation", {})
    except Exception:
        RespondentContact.objects.filter(pk=contact_id).update(confirmation_sent_at=None)
        raise
    return True


def _send(contact: RespondentContact, template: str, context: dict) -> None:
    response = contact.response
    with translation.override(response.language or settings.LANGUAGE_CODE):
        context = {
            "survey": response.version.survey,
            "response": response,
            "site_name": settings.SITE_NAME,
            "portal_base_url": site_url(),
            **context,
        }
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=[contact.email]).send()


# A confirmation gets this long for its on-commit attempt before the sweep takes it; the sweep
# looks back this far (older misses are left alone rather than mailed days late).
CONFIRMATION_SWEEP_GRACE_MINUTES = 2
CONFIRMATION_SWEEP_WINDOW_DAYS = 2


def confirmations_pending_ids(limit: int = 500) -> list[int]:
    """Contacts of submitted responses whose confirmation was never sent (broker down at
    submit time, or the sending worker died): what the periodic sweep queues again."""
    from datetime import timedelta

    now = timezone.now()
    return list(
        RespondentContact.objects.filter(
            confirmation_sent_at__isnull=True,
            response__status=Response.Status.COMPLETE,
            response__submitted_at__lt=now - timedelta(minutes=CONFIRMATION_SWEEP_GRACE_MINUTES),
            response__submitted_at__gte=now - timedelta(days=CONFIRMATION_SWEEP_WINDOW_DAYS),
        ).values_list("pk", flat=True)[:limit]
    )
