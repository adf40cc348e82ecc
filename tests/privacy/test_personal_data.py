"""Personal data: retention purge, a respondent deleting their own response, deletion requests."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.privacy import services
from apps.privacy.tokens import response_delete_token
from apps.surveys.models import Answer, RespondentContact, Response, Survey
from apps.surveys.seeding import seed_survey
from apps.surveys.services import digest

from ..surveys.helpers import complete, page_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(db):
    seed_survey()
    return Survey.objects.get(slug="ost-roles-duties")


def _with_contact(response: Response, email: str) -> RespondentContact:
    normalized = email.strip().lower()
    return RespondentContact.objects.create(
        response=response, email=normalized, email_digest=digest(normalized)
    )


def _completed(survey, email: str | None = None) -> Response:
    response, _seen = complete(Client(), survey)
    if email:
        _with_contact(response, email)
    return response


def _no_personal_data_in(event: AuditEvent, *emails: str) -> None:
    text = f"{event.details} {event.object_repr} {event.actor_label}".lower()
    for email in emails:
        assert email.lower() not in text
    assert event.ip_address is None or event.actor is not None


# --- Retention ---


def test_contacts_are_purged_a_set_time_after_the_survey_closes(survey, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    kept_response = _completed(survey, "ana@example.org")
    other = _completed(survey, "ben@example.org")
    no_contact = _completed(survey)
    answers_before = Answer.objects.count()
    now = timezone.now()
    # Closed 89 days ago: still inside the retention period.
    Survey.objects.filter(pk=survey.pk).update(closes_at=now - timedelta(days=89))
    assert services.personal_data_purge_expired(now=now) == {"contacts": 0}
    assert RespondentContact.objects.count() == 2
    Survey.objects.filter(pk=survey.pk).update(closes_at=now - timedelta(days=91))
    assert services.personal_data_purge_expired(now=now) == {"contacts": 2}
    assert not RespondentContact.objects.exists()
    # The answers hold nothing that identifies anyone: they stay and still count.
    assert Answer.objects.count() == answers_before
    assert Response.objects.filter(pk__in=[kept_response.pk, other.pk, no_contact.pk]).count() == 3
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETED)
    assert event.details == {"retention": True, "contacts": 2, "surveys": 1, "retention_days": 90}
    _no_personal_data_in(event, "ana@example.org", "ben@example.org")
    # Idempotent: nothing left, nothing more in the log.
    assert services.personal_data_purge_expired(now=now) == {"contacts": 0}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETED).count() == 1


def test_a_survey_without_a_closing_date_keeps_its_contacts(survey):
    _completed(survey, "ana@example.org")
    later = timezone.now() + timedelta(days=10_000)
    assert services.personal_data_purge_expired(now=later) == {"contacts": 0}
    assert RespondentContact.objects.count() == 1


def test_the_purge_is_a_nightly_beat_task_that_runs(survey):
    from apps.privacy.tasks import personal_data_purge_expired

    entry = settings.CELERY_BEAT_SCHEDULE["personal-data-purge-expired"]
    assert entry["task"] == "apps.privacy.tasks.personal_data_purge_expired"
    assert personal_data_purge_expired.name == entry["task"]
    _completed(survey, "ana@example.org")
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(days=400))
    assert personal_data_purge_expired.delay().get() == {"contacts": 1}
    assert not RespondentContact.objects.exists()


# --- The respondent deletes their own response ---


def test_respondent_deletes_their_response_from_the_thank_you_page(client, survey, administrator):
    response, _seen = complete(client, survey)
    _with_contact(response, "lupe@example.org")
    _completed(survey)  # someone else's, which stays
    staff = Client()
    staff.force_login(administrator)
    overview = reverse("surveys:staff_overview")
    assert "2 complete responses of 2 started." in staff.get(overview).content.decode()
    thanks = client.get(reverse("surveys:thanks", kwargs={"public_id": response.public_id}))
    link = re.search(r'href="(/privacy/delete/[^"]+/)"', thanks.content.decode()).group(1)
    confirm = client.get(link)
    assert confirm.status_code == 200
    assert "Delete my answers for good" in confirm.content.decode()
    assert Response.objects.filter(pk=response.pk).exists()  # a GET deletes nothing
    reply = client.post(link)
    assert reply.status_code == 302 and reply.url == reverse("privacy:deleted")
    assert "Your answers are deleted" in client.get(reply.url).content.decode()
    assert not Response.objects.filter(pk=response.pk).exists()
    assert not Answer.objects.filter(response_id=response.pk).exists()
    assert not RespondentContact.objects.filter(email="lupe@example.org").exists()
    assert Response.objects.complete().count() == 1
    assert "1 complete responses of 1 started." in staff.get(overview).content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETED)
    assert event.details["respondent_request"] is True
    assert event.details["contacts"] == 1 and event.details["responses"] == 1
    assert event.ip_address is None and event.actor is None
    _no_personal_data_in(event, "lupe@example.org")
    assert str(response.public_id) not in str(event.details)
    # The link does nothing more, and the browser no longer holds the response.
    assert client.get(link).status_code == 404
    gone = client.get(reverse("surveys:thanks", kwargs={"public_id": response.public_id}))
    assert gone.status_code == 404


def test_a_draft_can_be_deleted_from_the_survey_page(client, survey):
    response = start(client, survey)
    first = response.version.pages.order_by("order").first()
    html = client.get(page_url(response, first.key)).content.decode()
    link = re.search(r'href="(/privacy/delete/[^"]+/)"', html).group(1)
    client.post(link)
    assert not Response.objects.exists()


def test_a_forged_or_mangled_deletion_link_deletes_nothing(client, survey):
    response = _completed(survey)
    token = response_delete_token(response)
    for bad in [token[:-2] + "xx", "abc", "x" * 300]:
        assert client.post(reverse("privacy:respondent_delete", args=[bad])).status_code == 404
    assert Response.objects.filter(pk=response.pk).exists()


def test_the_confirmation_email_carries_the_private_deletion_link(
    client, survey, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, _seen = complete(client, survey, {"follow_up": "yes"})
    body = mail.outbox[0].body
    link = re.search(r"http://127\.0\.0\.1:8000(/privacy/delete/\S+/)", body).group(1)
    other_browser = Client()
    assert other_browser.post(link).status_code == 302
    assert not Response.objects.filter(pk=response.pk).exists()


def test_the_deletion_page_is_spanish_for_spanish_speakers(spanish_client, survey):
    response = _completed(survey)
    html = spanish_client.get(
        reverse("privacy:respondent_delete", args=[response_delete_token(response)])
    ).content.decode()
    assert "Borrar sus respuestas" in html


# --- An Administrator answers a deletion request ---


def test_administrator_finds_counts_then_deletes_everything_linked_to_an_address(
    client, survey, administrator
):
    first = _completed(survey, "Maria@Example.org")
    second = _completed(survey, "maria@example.org ")
    kept = _completed(survey, "someone-else@example.org")
    client.force_login(administrator)
    url = reverse("privacy:deletion_request")
    found = client.post(url, {"email": " MARIA@example.org"})
    html = found.content.decode()
    assert found.status_code == 200
    assert re.search(r"Survey responses with this contact address</td><td[^>]*>2<", html)
    assert "Delete these records" in html
    assert Response.objects.filter(pk__in=[first.pk, second.pk]).count() == 2  # not yet
    done = client.post(url, {"email": "maria@example.org", "confirm": "on"}, follow=True)
    assert "Deleted 2 records linked to that address." in done.content.decode()
    assert not Response.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert Response.objects.filter(pk=kept.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETED)
    assert event.actor == administrator
    assert event.details == {
        "deletion_request": True,
        "counts": {
            "apps.privacy.deleters.survey_responses": 2,
            "apps.privacy.deleters.contact_messages": 0,
            "apps.privacy.deleters.subscribers": 0,
            "apps.partners.privacy.partner_invitations": 0,
        },
    }
    _no_personal_data_in(event, "maria@example.org")


def test_nothing_linked_says_so_and_offers_no_delete(client, survey, administrator):
    client.force_login(administrator)
    html = client.post(
        reverse("privacy:deletion_request"), {"email": "nobody@example.org"}
    ).content.decode()
    assert "Nothing on the portal is linked to this address." in html
    assert "Delete these records" not in html


def test_a_bad_address_gets_a_message_not_an_error(client, administrator):
    client.force_login(administrator)
    reply = client.post(reverse("privacy:deletion_request"), {"email": "not an address"})
    assert reply.status_code == 400
    assert "Enter a valid email address." in reply.content.decode()


class _MailingList:
    """What a later app (a mailing list) registers."""

    label = "Mailing list subscriptions"
    deleted: list[str] = []

    def count(self, *, email):
        return 3 if email == "maria@example.org" else 0

    def delete(self, *, email):
        self.deleted.append(email)
        return 3


mailing_list = _MailingList()


def test_other_apps_register_their_own_deleters(client, survey, administrator, settings):
    settings.PERSONAL_DATA_DELETERS = [
        *settings.PERSONAL_DATA_DELETERS,
        "tests.privacy.test_personal_data.mailing_list",
    ]
    _completed(survey, "maria@example.org")
    client.force_login(administrator)
    url = reverse("privacy:deletion_request")
    html = client.post(url, {"email": "maria@example.org"}).content.decode()
    assert re.search(r"Mailing list subscriptions</td><td[^>]*>3<", html)
    client.post(url, {"email": "maria@example.org", "confirm": "on"})
    assert mailing_list.deleted == ["maria@example.org"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETED)
    assert event.details["counts"]["tests.privacy.test_personal_data.mailing_list"] == 3


def test_deletion_request_page_keeps_queries_constant(
    client, survey, administrator, django_assert_max_num_queries
):
    for _ in range(3):
        _completed(survey, "maria@example.org")
    client.force_login(administrator)
    # One count query per registered deleter (survey responses, contact messages,
    # subscribers, partner invitations), whatever the number of records.
    with django_assert_max_num_queries(10 + len(settings.PERSONAL_DATA_DELETERS)):
        client.post(reverse("privacy:deletion_request"), {"email": "maria@example.org"})
