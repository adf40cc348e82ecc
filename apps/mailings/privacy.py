"""Subscribers' addresses: a deletion request reaches them (registered in
settings.PERSONAL_DATA_DELETERS through apps.privacy.deleters)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Subscriber
from .selectors import normalize_email


class Subscribers:
    """The email-updates subscription of this address, with its sign-up emails and
    deliveries."""

    label = _("Email updates subscription of this address")

    def _rows(self, email: str):
        return Subscriber.objects.filter(email=normalize_email(email))

    def count(self, *, email: str) -> int:
        return self._rows(email).count()

    @transaction.atomic
    def delete(self, *, email: str) -> int:
        rows = self._rows(email)
        count = rows.count()
        rows.delete()
        return count


subscribers = Subscribers()
