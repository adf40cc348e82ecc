"""The survey's personal data: responses whose contact details carry an address."""

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
