"""The invitation email, in English and Spanish (the invitee's language is not known)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Invitation
from .services import invitation_token


def partner_invitation_send(*, invitation_id: int) -> None:
    """Send the invitation with a fresh signed link (both languages in one message)."""
    invitation = Invitation.objects.select_related("partner").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return
    path = reverse("partners:accept", kwargs={"token": invitation_token(invitation)})
    context = {
        "invitation": invitation,
        "url": settings.PORTAL_BASE_URL + path,
        "site_name": settings.SITE_NAME,
    }
    parts = []
    for language in ("en", "es"):
        with translation.override(language):
            parts.append(render_to_string("partners/email/invitation.txt", context))
    with translation.override("en"):
        subject = render_to_string("partners/email/invitation_subject.txt", context).strip()
    send_mail(subject, "\n\n-----\n\n".join(parts), settings.DEFAULT_FROM_EMAIL, [invitation.email])
