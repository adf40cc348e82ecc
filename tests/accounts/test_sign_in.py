import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.core.models import AuditEvent

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_staff_sign_in_lands_in_the_staff_area_and_is_audited(client, reviewer):
    response = _sign_in(client, reviewer.username)
    assert response.status_code == 302
    assert response.url == reverse("accounts:staff_home")
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.actor == reviewer
    assert event.ip_address == "127.0.0.1"


def test_wrong_password_gets_a_clear_message_and_is_audited_without_the_password(client, reviewer):
    response = _sign_in(client, reviewer.username, "wrong-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert event.actor_label == reviewer.username
    assert "wrong-password" not in str(event.details)


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_password(
    client, reviewer, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, reviewer.username, "wrong-password")
    response = _sign_in(client, reviewer.username)
    assert response.status_code == 429
    assert "too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_is_audited(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, actor=reviewer).exists()


def test_password_reset_by_email_lets_staff_choose_a_new_password(client, editor):
    response = client.post(reverse("accounts:password_reset"), {"email": editor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-fresh-passphrase-77", "new_password2": "a-fresh-passphrase-77"},
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password("a-fresh-passphrase-77")


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not mail.outbox


def test_tampered_reset_link_gets_a_polite_page(client, editor):
    response = client.get("/accounts/password/reset/MQ/bad-token/", follow=True)
    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_audit_log_page_lists_events_and_filters_them(client, administrator, reviewer):
    _sign_in(client, reviewer.username, "nope")
    client.force_login(administrator)
    html = client.get(reverse("accounts:audit_log"), {"action": "sign_in_failed"}).content.decode()
    assert reviewer.username in html
    assert administrator.username not in html.split("<tbody>")[1]
    html = client.get(reverse("accounts:audit_log"), {"action": "exported"}).content.decode()
    assert "No events match." in html
