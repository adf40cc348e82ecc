"""Email that would go nowhere: contact messages with no recipient configured."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ContactDelivery:
    recipients: int  # addresses configured (site settings, else CONTACT_EMAIL_RECIPIENTS)
    waiting: int  # messages stored and not yet emailed

    @property
    def undeliverable(self) -> bool:
        return self.recipients == 0


def contact_delivery(*, waiting: int | None = None) -> ContactDelivery:
    """The site settings row, and the count of messages waiting unless the caller has it."""
    from apps.pages.models import ContactMessage
    from apps.pages.services import contact_recipients

    if waiting is None:
        waiting = ContactMessage.objects.filter(status__in=["pending", "sending"]).count()
    return ContactDelivery(recipients=len(contact_recipients()), waiting=waiting)
