"""Email that would go nowhere: contact messages with no recipient configured (shown on the
staff landing page, the status page and in the readiness answer; see apps.pages.apps)."""

from dataclasses import dataclass

from .models import ContactMessage
from .services import contact_recipients


@dataclass(frozen=True)
class ContactDelivery:
    recipients: int  # addresses configured (site settings, else CONTACT_EMAIL_RECIPIENTS)
    waiting: int  # messages stored and not yet emailed

    @property
    def undeliverable(self) -> bool:
        return self.recipients == 0


def contact_delivery(*, waiting: int | None = None) -> ContactDelivery:
    """The site settings row, and the count of messages waiting unless the caller has it."""
    if waiting is None:
        waiting = ContactMessage.objects.filter(status__in=["pending", "sending"]).count()
    return ContactDelivery(recipients=len(contact_recipients()), waiting=waiting)


def contact_delivery_for_staff_home(request) -> dict:
    """The staff landing page's warning (registered in PagesConfig.ready)."""
    return {"contact_delivery": contact_delivery()}
