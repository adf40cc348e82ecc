"""Where sign-in sends you afterwards, and the Django admin for accounts without its role."""

import pytest
from django.conf import settings
from django.urls import reverse

from apps.accounts.roles import Role

from ..factories import PASSWORD, add_totp_device, make_user, totp_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:sign_in_code")
STAFF = reverse("accounts:staff_home")
ADMIN = "/" + settings.ADMIN_URL


@pytest.mark.parametrize(
    "target",
    ["238852", "staff/insights/", "//evil.example/", "https://evil.example/", "/\\evil.example"],
)
def test_the_code_step_sends_an_unsafe_or_bare_next_to_the_staff_landing_page(client, target):
    editor = make_user(Role.EDITOR)
    device = add_totp_device(editor)
    client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    reply = client.post(f"{CODE}?next={target}", {"code": totp_code(device), "next": target})
    assert reply.status_code == 302
    assert reply.url == STAFF


def test_the_code_step_page_with_a_bare_next_renders(client):
    editor = make_user(Role.EDITOR)
    add_totp_device(editor)
    client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    reply = client.get(f"{CODE}?next=238852")
    assert reply.status_code == 200
    assert 'value="238852"' not in reply.content.decode()  # not carried in the form


def test_a_path_on_this_site_is_kept(client):
    editor = make_user(Role.EDITOR)
    device = add_totp_device(editor)
    client.post(LOGIN, {"username": editor.username, "password": PASSWORD})
    reply = client.post(CODE, {"code": totp_code(device), "next": "/staff/insights/?a=1"})
    assert reply.url == "/staff/insights/?a=1"


@pytest.mark.parametrize("target", ["238852", "staff/", "//evil.example/"])
def test_the_password_step_ignores_a_bare_next(client, target):
    reviewer = make_user(Role.REVIEWER)
    reply = client.post(
        f"{LOGIN}?next={target}",
        {"username": reviewer.username, "password": PASSWORD, "next": target},
    )
    assert reply.status_code == 302
    assert reply.url == STAFF


@pytest.mark.parametrize("role", [None, Role.REVIEWER], ids=["no-role", "reviewer"])
@pytest.mark.parametrize("path", ["", "login/", "surveys/", "accounts/user/"])
def test_a_signed_in_account_without_admin_access_gets_the_403_page(client, role, path):
    client.force_login(make_user(role))
    reply = client.get(ADMIN + path)
    assert reply.status_code == 403
    assert "You do not have access to this page" in reply.content.decode()


def test_the_403_page_at_the_admin_speaks_spanish(spanish_client):
    spanish_client.force_login(make_user(Role.REVIEWER))
    reply = spanish_client.get(ADMIN)
    assert reply.status_code == 403
    assert 'lang="es"' in reply.content.decode()


def test_an_editor_still_opens_the_admin(client):
    client.force_login(make_user(Role.EDITOR))
    assert client.get(ADMIN).status_code == 200


def test_anonymous_visitors_at_the_admin_are_still_sent_to_sign_in(client):
    reply = client.get(ADMIN, follow=True)
    assert reply.status_code == 200
    assert reply.redirect_chain[-1][0].startswith(LOGIN)
