"""The survey's personal data for apps.privacy: the deletion-request deleter of responses with
a contact address, the retention purge of contact addresses, and a respondent's own deletion.
Here, beside the models, so privacy reaches the survey's rows only through this module."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .hashing import digest
from .models import RespondentContact, Response, Survey


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


def respondent_contacts_delete_closed_before(cutoff) -> tuple[int, int]:
    """Delete the contact details of surveys closed at or before `cutoff` (the answers stay).
    Returns (contacts deleted, surveys closed by then). Surveys with no closing date stay."""
    surveys = list(Survey.objects.filter(closes_at__lte=cutoff).values_list("slug", flat=True))
    contacts = RespondentContact.objects.filter(response__version__survey__slug__in=surveys)
    count = contacts.count()
    if count:
        contacts.delete()
    return count, len(surveys)


def response_delete_whole(response) -> tuple[dict, Survey]:
    """Delete one response with everything linked to it (in the caller's transaction).
    Returns the counts (no personal data) and the survey it belonged to."""
    locked = Response.objects.select_for_update().get(pk=response.pk)
    counts = {
        "responses": 1,
        "answers": locked.answers.count(),
        "contacts": RespondentContact.objects.filter(response=locked).count(),
    }
    survey = locked.version.survey
    locked.delete()
    return counts, survey
