"""Subscribers' addresses: a deletion request reaches them (registered in
settings.PERSONAL_DATA_DELETERS through apps.privacy.deleters)."""

from django.utils.translation import gettext_lazy as _

from apps.core.deleters import RowsByEmail

from .models import Subscriber
from .selectors import normalize_email


class Subscribers(RowsByEmail):
    """The email-updates subscription of this address, with its sign-up emails and
    deliveries."""

    label = _("Email updates subscription of this address")

    def _rows(self, email: str):
        return Subscriber.objects.filter(email=normalize_email(email))


subscribers = Subscribers()
