"""Who can find and delete personal data by email address (one per inventory entry that
stores an address; see apps/privacy/inventory.py)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.surveys.models import RespondentContact, Response
from apps.surveys.services import digest


def _digest(email: str) -> str:
    return digest(email.strip().lower())


class SurveyResponses:
    """A response with this contact address is deleted whole (answers, ratings, contact):
    the person asked for their data to go, and the answers are theirs too."""

    label = _("Survey responses with this contact address")

    def count(self, *, email: str) -> int:
        return RespondentContact.objects.filter(email_digest=_digest(email)).count()

    @transaction.atomic
    def delete(self, *, email: str) -> int:
        ids = list(
            RespondentContact.objects.filter(email_digest=_digest(email)).values_list(
                "response_id", flat=True
            )
        )
        Response.objects.filter(pk__in=ids).delete()
        return len(ids)


survey_responses = SurveyResponses()


class _RowsByEmail:
    """A deleter whose rows for an address are one queryset (`_rows`): counted, then deleted
    in one transaction."""

    def _rows(self, email: str):
        raise NotImplementedError

    def count(self, *, email: str) -> int:
        return self._rows(email).count()

    @transaction.atomic
    def delete(self, *, email: str) -> int:
        rows = self._rows(email)
        count = rows.count()
        rows.delete()
        return count


class ContactMessages(_RowsByEmail):
    """Messages sent through the contact form from this address."""

    label = _("Contact form messages from this address")

    def _rows(self, email: str):
        from apps.pages.models import ContactMessage

        return ContactMessage.objects.filter(email__iexact=email.strip())


class Subscribers(_RowsByEmail):
    """The email-updates subscription of this address, with its sign-up emails and
    deliveries."""

    label = _("Email updates subscription of this address")

    def _rows(self, email: str):
        from apps.mailings.models import Subscriber
        from apps.mailings.selectors import normalize_email

        return Subscriber.objects.filter(email=normalize_email(email))


contact_messages = ContactMessages()
subscribers = Subscribers()
