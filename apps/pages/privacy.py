"""Contact messages keep the sender's address: a deletion request reaches them
(registered in settings.PERSONAL_DATA_DELETERS through apps.privacy.deleters)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import ContactMessage


class ContactMessages:
    """Messages sent through the contact form from this address."""

    label = _("Contact form messages from this address")

    def _rows(self, email: str):
        return ContactMessage.objects.filter(email__iexact=email.strip())

    def count(self, *, email: str) -> int:
        return self._rows(email).count()

    @transaction.atomic
    def delete(self, *, email: str) -> int:
        rows = self._rows(email)
        count = rows.count()
        rows.delete()
        return count


contact_messages = ContactMessages()
