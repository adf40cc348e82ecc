"""Contact messages keep the sender's address: a deletion request reaches them
(registered in settings.PERSONAL_DATA_DELETERS through apps.privacy.deleters)."""

from django.utils.translation import gettext_lazy as _

from apps.core.deleters import RowsByEmail

from .models import ContactMessage


class ContactMessages(RowsByEmail):
    """Messages sent through the contact form from this address."""

    label = _("Contact form messages from this address")

    def _rows(self, email: str):
        return ContactMessage.objects.filter(email__iexact=email.strip())


contact_messages = ContactMessages()
