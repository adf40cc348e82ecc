"""Sign-up with double opt-in, signed links, preferences and one-click unsubscribe."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.mailings.models import MailingSettings, SignupEmail, Subscriber
from apps.mailings.services import signup_emails_pending_ids
from apps.mailings.tasks import signup_emails_send_pending
from apps.mailings.tokens import CONFIRM, MANAGE, make_token, read_token

from .factories import make_subscriber

pytestmark = pytest.mark.django_db

GOOD = {"email": "Ana.Perez@Example.org ", "language": "es", "topics": ["comment_window"]}


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(data=None, c=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return (c or client).post(reverse("mailings:signup"), {**(data or GOOD), **overrides})

    return _post


def _link(message, name: str) -> str:
    path = reverse(f"mailings:{name}", kwargs={"token": "TOKEN"}).replace("TOKEN/", "")
    found = re.search(re.escape(path) + r"[^\s/]+/", message.body)
    assert found, message.body
    return found.group(0)


def test_sign_up_stores_a_pending_subscriber_and_sends_one_confirmation(post):
    response = post()
    assert response.status_code == 302
    assert response.url == reverse("mailings:signup_sent")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ana.perez@example.org"  # normalized
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_at is None
    assert subscriber.topics == ["comment_window"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana.perez@example.org"]
    assert "Confirme" in message.subject  # in the language chosen
    assert reverse("mailings:confirm", kwargs={"token": "x"})[:-2] in message.body


def test_confirming_from_the_email_needs_a_button_press_and_stores_the_consent_time(client, post):
    post()
    url = _link(mail.outbox[0], "confirm")
    page = client.get(url)
    assert page.status_code == 200
    assert "ana.perez@example.org" in page.content.decode()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # GET changes nothing
    before = timezone.now()
    done = client.post(url)
    assert done.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert before <= subscriber.consent_at <= timezone.now()
    assert reverse("mailings:manage", kwargs={"token": "x"})[:-2] in done.content.decode()


def test_confirm_needs_the_csrf_token(post):
    post()
    url = _link(mail.outbox[0], "confirm")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url).status_code == 403
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_repeated_sign_ups_make_one_subscriber_and_no_repeated_confirmations(post):
    first = post()
    second = post(email="ana.perez@example.org")
    third = post(email="ANA.PEREZ@EXAMPLE.ORG")
    assert first.url == second.url == third.url  # the same neutral answer every time
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 1
    assert SignupEmail.objects.count() == 1


def test_a_new_confirmation_after_the_resend_interval_but_at_most_three_a_day(post, settings):
    post()
    for _ in range(5):
        SignupEmail.objects.update(
            created_at=timezone.now() - timedelta(minutes=settings.MAILINGS_RESEND_MINUTES + 1)
        )
        post()
    assert len(mail.outbox) == settings.MAILINGS_SIGNUP_EMAILS_PER_DAY == 3


def test_sign_up_of_a_confirmed_address_changes_nothing_and_sends_a_preferences_link(post):
    subscriber = make_subscriber(
        email="ana.perez@example.org", language="en", wants_proposal_drafts=True
    )
    response = post(topics=["survey_news"], language="es")
    assert response.url == reverse("mailings:signup_sent")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.language == "en"  # not changed without the signed link
    assert subscriber.wants_proposal_drafts
    assert len(mail.outbox) == 1
    assert "already signed up" in mail.outbox[0].body
    assert "/updates/manage/" in mail.outbox[0].body
    assert "/updates/confirm/" not in mail.outbox[0].body


def test_the_page_says_the_same_for_new_and_known_addresses(client, post):
    make_subscriber(email="known@example.org")

    def page(email):
        html = client.get(post(email=email).url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert page("new@example.org") == page("known@example.org")


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "ana@@example.org", ""])
def test_invalid_addresses_get_a_clear_message_and_keep_the_choices(post, email):
    response = post(email=email, topics=["proposal_drafts"])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Escriba una dirección de correo como nombre@ejemplo.org." in html or (
        "Enter an email address like name@example.org." in html
    )
    assert 'value="proposal_drafts" checked' in html or "checked" in html
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "email", ["x@mailinator.com", "x@YOPMAIL.com", "x@eu.mailinator.com", "x@sub.trashmail.com"]
)
def test_disposable_addresses_are_refused_with_a_clear_message(post, email):
    response = post(email=email)
    assert response.status_code == 400
    assert "throwaway email services" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_disposable_message_is_in_spanish_for_spanish_visitors(spanish_client, post):
    response = post(c=spanish_client, email="x@mailinator.com")
    assert "servicios de correo desechable" in response.content.decode()


def test_editors_can_add_disposable_domains_in_the_settings(post):
    MailingSettings.objects.create(pk=1, blocked_domains="throwaway.example\nother.example")
    assert post(email="x@throwaway.example").status_code == 400
    assert post(email="x@fine.example").status_code == 302


def test_topics_are_required(post):
    response = post(topics=[])
    assert response.status_code == 400
    assert "Choose at least one topic." in response.content.decode()


def test_bot_filling_the_honeypot_is_thanked_but_nothing_is_stored(post):
    response = post(website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_sign_ups_are_rate_limited_per_client_and_keep_the_typed_text(post, settings):
    settings.MAILINGS_SIGNUP_RATE_LIMIT = "2/h"
    assert post(email="a@example.org").status_code == 302
    assert post(email="b@example.org").status_code == 302
    response = post(email="third@example.org")
    assert response.status_code == 429
    assert "third@example.org" in response.content.decode()
    assert Subscriber.objects.count() == 2


def test_broker_outage_keeps_the_email_and_the_sweep_sends_it(post):
    with mock.patch("apps.mailings.tasks.signup_email_send.delay", side_effect=OSError("down")):
        assert post().status_code == 302
    assert not mail.outbox
    outgoing = SignupEmail.objects.get()
    assert outgoing.status == SignupEmail.Status.PENDING
    assert signup_emails_pending_ids() == []  # still within the grace period
    SignupEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert signup_emails_send_pending.apply().get() == 1
    assert len(mail.outbox) == 1
    assert SignupEmail.objects.get().status == SignupEmail.Status.SENT
    assert signup_emails_send_pending.apply().get() == 0


# --- Tokens ---------------------------------------------------------------------------------


def test_tokens_round_trip_and_are_bound_to_their_purpose():
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    confirm = make_token(subscriber, CONFIRM)
    assert read_token(confirm, CONFIRM).subscriber == subscriber
    assert read_token(confirm, MANAGE).problem == "invalid"
    assert read_token(make_token(subscriber, MANAGE), CONFIRM).problem == "invalid"


def test_a_tampered_token_is_refused(client):
    subscriber = make_subscriber()
    token = make_token(subscriber, MANAGE)
    payload, stamp, signature = token.split(":")
    other = make_subscriber()
    forged_payload = signing.b64_encode(f'{{"s":{other.pk},"k":"{other.key}"}}'.encode()).decode()
    for bad in [
        f"{forged_payload}:{stamp}:{signature}",  # someone else's id under my signature
        f"{payload}:{stamp}:{signature[:-2]}AA",
        token[:-1],
        "x" * 400,
    ]:
        assert read_token(bad, MANAGE).problem == "invalid"
        response = client.get(reverse("mailings:manage", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()


def test_tokens_are_not_guessable_from_the_subscriber_id():
    subscriber = make_subscriber()
    # Signing the same payload without the server's secret key gives a token that is refused.
    guessed = signing.dumps(
        {"s": subscriber.pk, "k": subscriber.key}, key="not-the-secret", salt=MANAGE
    )
    assert read_token(guessed, MANAGE).problem == "invalid"
    # Without the private key the payload does not name the subscriber.
    wrong_key = signing.dumps({"s": subscriber.pk, "k": "0" * 32}, salt=MANAGE)
    assert read_token(wrong_key, MANAGE).problem == "invalid"
    # And two subscribers' tokens share nothing predictable.
    assert make_token(subscriber, MANAGE) != make_token(make_subscriber(), MANAGE)


def test_confirmation_links_expire_and_get_a_polite_page(client, settings):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        token = make_token(subscriber, CONFIRM)
    response = client.get(reverse("mailings:confirm", kwargs={"token": token}))
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert client.post(reverse("mailings:confirm", kwargs={"token": token})).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_a_confirmation_link_works_until_its_last_day(settings):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    token = make_token(subscriber, CONFIRM)
    later = timezone.now() + timedelta(days=settings.MAILINGS_CONFIRM_DAYS) - timedelta(minutes=5)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert read_token(token, CONFIRM).subscriber == subscriber
    after = later + timedelta(minutes=10)
    with mock.patch("django.core.signing.time.time", return_value=after.timestamp()):
        assert read_token(token, CONFIRM).problem == "expired"


def test_expired_link_page_is_in_spanish(spanish_client):
    subscriber = make_subscriber()
    with mock.patch("django.core.signing.time.time", return_value=1_000_000_000):
        token = make_token(subscriber, MANAGE)
    response = spanish_client.get(reverse("mailings:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 400
    assert "Este enlace ha caducado" in response.content.decode()


def test_changing_the_key_voids_old_links():
    subscriber = make_subscriber()
    token = make_token(subscriber, MANAGE)
    Subscriber.objects.filter(pk=subscriber.pk).update(key="f" * 32)
    assert read_token(token, MANAGE).problem == "invalid"


# --- Preferences and unsubscribe ------------------------------------------------------------


def test_preferences_change_through_the_signed_link(client):
    subscriber = make_subscriber(language="en")
    url = reverse("mailings:manage", kwargs={"token": make_token(subscriber, MANAGE)})
    page = client.get(url)
    assert page.status_code == 200
    assert (
        'value="survey_news" checked'
        in page.content.decode().replace('class="form-check-input" ', "")
        or "checked" in page.content.decode()
    )
    response = client.post(url, {"language": "es", "topics": ["proposal_drafts"]})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.language == "es"
    assert subscriber.topics == ["proposal_drafts"]
    assert client.post(url, {"language": "es"}).status_code == 400  # no topic at all


def test_unsubscribe_get_asks_and_changes_nothing(client):
    subscriber = make_subscriber()
    url = reverse("mailings:unsubscribe", kwargs={"token": make_token(subscriber, MANAGE)})
    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, unsubscribe me" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_one_click_unsubscribe_works_without_a_csrf_token(client):
    subscriber = make_subscriber()
    url = reverse("mailings:unsubscribe", kwargs={"token": make_token(subscriber, MANAGE)})
    strict = Client(enforce_csrf_checks=True)
    # What a mail program sends for the List-Unsubscribe-Post header (RFC 8058).
    response = strict.post(
        url,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert strict.post(url).status_code == 200  # idempotent


def test_unsubscribed_address_signing_up_again_gets_a_new_confirmation(post):
    make_subscriber(email="ana.perez@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    post()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1
    assert "/updates/confirm/" in mail.outbox[0].body


def test_every_signup_email_carries_the_unsubscribe_headers(post):
    post()
    make_subscriber(email="known@example.org")
    post(email="known@example.org")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        header = message.extra_headers["List-Unsubscribe"]
        assert re.fullmatch(r"<http://[^>]+/updates/unsubscribe/[^>]+/>", header)
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert header.strip("<>") in message.body


def test_duplicate_email_rows_are_impossible():
    from django.db import IntegrityError, transaction

    make_subscriber(email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="same@example.org", language="en", key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscriber.objects.create(email="Same@example.org", language="en", key="k")


def test_public_pages_use_few_queries(client, django_assert_max_num_queries):
    subscriber = make_subscriber()
    token = make_token(subscriber, MANAGE)
    for url in [
        reverse("mailings:signup"),
        reverse("mailings:manage", kwargs={"token": token}),
        reverse("mailings:unsubscribe", kwargs={"token": token}),
    ]:
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_spanish_subscribers_get_the_links_explained_in_spanish(post):
    post()
    body = mail.outbox[0].body
    assert "Alguien, probablemente usted" in body
    assert "¿No quiere recibir ningún correo nuestro" in body


def test_opening_the_confirmation_link_again_after_confirming_says_so(client):
    subscriber = make_subscriber()
    consent = subscriber.consent_at
    url = reverse("mailings:confirm", kwargs={"token": make_token(subscriber, CONFIRM)})
    page = client.get(url).content.decode()
    assert "You are signed up" in page
    subscriber.refresh_from_db()
    assert subscriber.consent_at == consent  # the first consent time is kept
