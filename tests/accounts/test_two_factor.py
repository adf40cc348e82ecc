"""Two-factor sign-in, the Administrator requirement, idle staff sessions, the admin's address."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import middleware as staff_middleware
from apps.accounts.roles import Role
from apps.core.models import AuditEvent

from ..factories import PASSWORD, add_totp_device, make_user, totp_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:sign_in_code")
SETUP = reverse("accounts:two_factor_setup")
STAFF = reverse("accounts:staff_home")


def _password(client, user, password=PASSWORD, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_member_turns_on_two_factor_with_a_first_code_and_gets_recovery_codes(client):
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    assert secret.replace(" ", "")  # the key to type by hand is shown
    assert client.post(SETUP, {"code": "000000"}).status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    reply = client.post(SETUP, {"code": totp_code(device)})
    assert reply.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", reply.content.decode())
    assert len(codes) == settings.TWO_FACTOR_RECOVERY_CODES
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=reviewer).count() == len(codes)
    event = AuditEvent.objects.get(actor=reviewer, action=AuditEvent.Action.CHANGED)
    assert event.details == {"two_factor": "turned on"}
    # The session that set it up counts as confirmed: the staff area stays open.
    assert client.get(STAFF).status_code == 200


def test_with_two_factor_on_the_password_alone_does_not_sign_in(client):
    editor = make_user(Role.EDITOR)
    device = add_totp_device(editor)
    reply = _password(client, editor, next_url="/staff/insights/")
    assert reply.status_code == 302
    assert reply.url.startswith(CODE)
    assert not _signed_in(client)
    assert client.get(STAFF).status_code == 302
    reply = client.post(reply.url, {"code": totp_code(device), "next": "/staff/insights/"})
    assert reply.status_code == 302
    assert reply.url == "/staff/insights/"
    assert _signed_in(client)
    assert client.get(STAFF).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, actor=editor).count() == 1


def test_code_step_ignores_a_next_address_on_another_site(client):
    editor = make_user(Role.EDITOR)
    device = add_totp_device(editor)
    _password(client, editor)
    reply = client.post(CODE, {"code": totp_code(device), "next": "https://evil.example/"})
    assert reply.url == STAFF


def test_a_recovery_code_signs_in_once(client):
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    device = two_factor_on(client, reviewer)
    codes = recovery_codes(client, device)
    client.post(reverse("accounts:logout"))
    _password(client, reviewer)
    reply = client.post(CODE, {"code": codes[0].upper()})
    assert reply.status_code == 302
    assert _signed_in(client)
    client.post(reverse("accounts:logout"))
    _password(client, reviewer)
    reply = client.post(CODE, {"code": codes[0]})
    assert reply.status_code == 400
    assert "That code is not right" in reply.content.decode()
    assert not _signed_in(client)


def two_factor_on(client, user):
    client.get(SETUP)
    return TOTPDevice.objects.get(user=user)


def recovery_codes(client, device) -> list[str]:
    reply = client.post(SETUP, {"code": totp_code(device)})
    return re.findall(r"<li>([a-z2-7]{8})</li>", reply.content.decode())


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account_out(client, settings):
    editor = make_user(Role.EDITOR)
    device = add_totp_device(editor)
    _password(client, editor)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        reply = client.post(CODE, {"code": "123456"})
        assert reply.status_code == 400
    reply = client.post(CODE, {"code": "123456"})
    assert reply.status_code == 429
    assert "too many failed attempts" in reply.content.decode()
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert set(failures.values_list("actor_label", flat=True)) == {editor.username}
    # Locked out: neither the right password nor the right code gets in now.
    assert _password(client, editor).status_code == 429
    reply = client.post(CODE, {"code": totp_code(device)})
    assert reply.status_code == 302 and reply.url == LOGIN
    assert not _signed_in(client)


def test_after_a_wrong_code_the_device_pauses_and_says_so(client, monkeypatch):
    # django-otp pauses a device for 2**(failures - 1) seconds after a wrong code, timed with
    # timezone.now(): a clock that only moves when the test says so, so a slow machine
    # cannot let the pause run out between two requests.
    clock = _DateClock(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", clock.now)
    editor = make_user(Role.EDITOR)
    device = add_totp_device(editor)
    _password(client, editor)
    assert "That code is not right" in client.post(CODE, {"code": "123456"}).content.decode()
    # Even the right code is refused during the pause, with a message that says why.
    clock.advance(0.9)
    reply = client.post(CODE, {"code": totp_code(device)})
    assert reply.status_code == 400
    assert "Wait a few seconds" in reply.content.decode()
    assert not _signed_in(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # refused unread, not one more failure
    # Once the second has passed, the right code signs in.
    clock.advance(0.2)
    reply = client.post(CODE, {"code": totp_code(device)})
    assert reply.status_code == 302
    assert _signed_in(client)


class _DateClock:
    def __init__(self, start: datetime):
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


def test_the_code_page_expires(client, settings, monkeypatch):
    editor = make_user(Role.EDITOR)
    device = add_totp_device(editor)
    _password(client, editor)
    session = client.session
    session["two_factor_pending"]["at"] -= settings.TWO_FACTOR_PENDING_SECONDS + 1
    session.save()
    reply = client.post(CODE, {"code": totp_code(device)})
    assert reply.status_code == 302 and reply.url == LOGIN
    assert not _signed_in(client)


def test_code_page_without_a_password_first_sends_to_sign_in(client):
    assert client.get(CODE).url == LOGIN


@pytest.mark.parametrize("url", ["/staff/", "/staff/audit/", "/staff/exports/", "ADMIN"])
def test_administrator_without_a_device_is_sent_to_set_one_up_first(client, url):
    admin = make_user(Role.ADMINISTRATOR, two_factor=False)
    client.force_login(admin)
    url = "/" + settings.ADMIN_URL if url == "ADMIN" else url
    reply = client.get(url)
    assert reply.status_code == 302
    assert reply.url.startswith(SETUP)
    assert "next=" in reply.url
    # Their own account pages stay open, so they can do it.
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_administrator_reaches_the_staff_area_once_two_factor_is_on(client):
    admin = make_user(Role.ADMINISTRATOR, two_factor=False)
    client.force_login(admin)
    device = two_factor_on(client, admin)
    reply = client.post(SETUP, {"code": totp_code(device), "next": "/staff/audit/"})
    assert 'href="/staff/audit/"' in reply.content.decode()
    assert client.get("/staff/audit/").status_code == 200


def test_reviewers_and_editors_may_use_the_staff_area_without_two_factor(client):
    client.force_login(make_user(Role.REVIEWER))
    assert client.get(STAFF).status_code == 200


def test_administrators_cannot_turn_two_factor_off_but_others_can(client):
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    device = TOTPDevice.objects.get(user=admin)
    reply = client.post(reverse("accounts:two_factor_disable"), {"code": totp_code(device)})
    assert reply.url == reverse("accounts:two_factor")
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    device = two_factor_on(client, reviewer)
    recovery_codes(client, device)
    assert client.post(reverse("accounts:two_factor_disable"), {"code": "1"}).status_code == 302
    assert TOTPDevice.objects.filter(user=reviewer).exists()
    client.post(reverse("accounts:two_factor_disable"), {"code": totp_code(device)})
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    assert AuditEvent.objects.filter(details={"two_factor": "turned off"}, actor=reviewer).exists()


def test_new_recovery_codes_replace_the_old_ones(client):
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    device = two_factor_on(client, reviewer)
    old = recovery_codes(client, device)
    reply = client.post(reverse("accounts:two_factor_recovery_codes"), {"code": old[0]})
    new = re.findall(r"<li>([a-z2-7]{8})</li>", reply.content.decode())
    assert len(new) == settings.TWO_FACTOR_RECOVERY_CODES
    tokens = set(StaticToken.objects.filter(device__user=reviewer).values_list("token", flat=True))
    assert tokens == set(new)
    assert not tokens & set(old)


def test_a_session_opened_before_two_factor_was_turned_on_elsewhere_must_sign_in_again(client):
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    session = client.session
    session.pop("otp_device_id", None)
    session.save()
    add_totp_device(reviewer)
    reply = client.get(STAFF)
    assert reply.status_code == 302 and reply.url.startswith(LOGIN)
    assert not _signed_in(client)


def test_the_admin_sign_in_form_is_replaced_by_the_portal_sign_in(client):
    reply = client.get("/" + settings.ADMIN_URL + "login/?next=/" + settings.ADMIN_URL)
    assert reply.status_code == 302
    assert reply.url.startswith(LOGIN + "?next=")


def test_the_admin_is_not_at_the_default_address(client, administrator):
    assert settings.ADMIN_URL != "admin/"
    assert client.get("/admin/").status_code == 404
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 404
    assert client.get("/" + settings.ADMIN_URL).status_code == 200


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def test_staff_sessions_end_after_inactivity(client, monkeypatch, settings):
    clock = _Clock(1_900_000_000)
    monkeypatch.setattr(staff_middleware.time, "time", clock.time)
    client.force_login(make_user(Role.REVIEWER))
    assert client.get(STAFF).status_code == 200
    clock.now += settings.STAFF_SESSION_IDLE_MINUTES * 60 - 5
    assert client.get(STAFF).status_code == 200  # activity keeps it open
    clock.now += settings.STAFF_SESSION_IDLE_MINUTES * 60 - 5
    assert client.get(STAFF).status_code == 200
    clock.now += settings.STAFF_SESSION_IDLE_MINUTES * 60 + 1
    reply = client.get(STAFF)
    assert reply.status_code == 302
    assert reply.url == f"{LOGIN}?next=%2Fstaff%2F"
    assert not _signed_in(client)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT).exists()
    html = client.get(reply.url).content.decode()
    assert "signed out after 30 minutes without activity" in html


def test_survey_progress_keeps_no_session_so_idle_time_cannot_touch_it(client, monkeypatch):
    from apps.surveys.models import Survey
    from apps.surveys.seeding import seed_survey
    from tests.surveys.helpers import page_url, start

    seed_survey()
    clock = _Clock(1_900_000_000)
    monkeypatch.setattr(staff_middleware.time, "time", clock.time)
    survey = Survey.objects.get(slug="ost-roles-duties")
    response = start(client, survey)
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    clock.now += 24 * 60 * 60
    first = response.version.pages.order_by("order").first()
    assert client.get(page_url(response, first.key)).status_code == 200


def test_a_lost_phone_is_reset_from_the_command_line_and_audited(client):
    from django.core.management import call_command

    admin = make_user(Role.ADMINISTRATOR)
    call_command("two_factor_reset", admin.username)
    assert not TOTPDevice.objects.filter(user=admin).exists()
    event = AuditEvent.objects.get(details={"two_factor": "reset"})
    assert event.object_id == str(admin.pk)
    # The password alone signs in again, then set-up is required before staff pages.
    reply = _password(client, admin)
    assert reply.url == STAFF
    assert client.get(STAFF).url.startswith(SETUP)
