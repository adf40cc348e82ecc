"""Every email-updates staff URL against every role: anonymous, no role, Reviewer, Editor,
Administrator (GET pages, POST actions and the Django admin pages)."""

import pytest
from django.conf import settings
from django.urls import reverse

from apps.accounts.roles import Role
from apps.mailings.models import Announcement

from ..factories import make_user
from .factories import make_announcement, make_subscriber

pytestmark = pytest.mark.django_db

ROLES = [None, Role.REVIEWER, Role.EDITOR, Role.ADMINISTRATOR]
ADMIN = "/" + settings.ADMIN_URL


def _level(role):
    return role.level if role else 0


@pytest.fixture
def announcement(db):
    make_subscriber()
    return make_announcement()


def _pages(a):
    return {
        reverse("mailings:staff_list"): Role.REVIEWER,
        reverse("mailings:announcement_detail", args=[a.pk]): Role.REVIEWER,
        reverse("mailings:announcement_status", args=[a.pk]): Role.REVIEWER,
        reverse("mailings:announcement_create"): Role.EDITOR,
        reverse("mailings:announcement_edit", args=[a.pk]): Role.EDITOR,
    }


def _actions(a):
    return {
        reverse("mailings:announcement_test", args=[a.pk]): Role.EDITOR,
        reverse("mailings:announcement_send", args=[a.pk]): Role.EDITOR,
    }


ADMIN_PAGES = {
    ADMIN + "mailings/subscriber/": Role.ADMINISTRATOR,
    ADMIN + "mailings/mailingsettings/": Role.EDITOR,
    ADMIN + "mailings/reminder/": Role.EDITOR,
}


def test_anonymous_visitors_are_sent_to_sign_in(client, announcement):
    for url in [*_pages(announcement), *_actions(announcement)]:
        response = client.post(url) if url in _actions(announcement) else client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("role", ROLES, ids=["no-role", "reviewer", "editor", "admin"])
def test_each_role_reaches_exactly_its_pages(client, announcement, role):
    client.force_login(make_user(role))
    for url, lowest in _pages(announcement).items():
        expected = 200 if _level(role) >= lowest.level else 403
        assert client.get(url).status_code == expected, (url, role)


@pytest.mark.parametrize("role", ROLES, ids=["no-role", "reviewer", "editor", "admin"])
def test_each_role_may_or_may_not_test_and_send(client, announcement, role):
    client.force_login(make_user(role))
    allowed = _level(role) >= Role.EDITOR.level
    test = client.post(reverse("mailings:announcement_test", args=[announcement.pk]))
    assert test.status_code == (302 if allowed else 403)
    send = client.post(
        reverse("mailings:announcement_send", args=[announcement.pk]), {"checked": "on"}
    )
    assert send.status_code == (302 if allowed else 403)
    announcement.refresh_from_db()
    assert (announcement.status == Announcement.Status.DRAFT) is not allowed


@pytest.mark.parametrize("role", ROLES, ids=["no-role", "reviewer", "editor", "admin"])
def test_admin_pages_follow_the_role_permissions(client, role):
    client.force_login(make_user(role))
    for url, lowest in ADMIN_PAGES.items():
        response = client.get(url)
        if _level(role) >= lowest.level:
            assert response.status_code == 200, (url, role)
        else:
            assert response.status_code in (302, 403), (url, role)


def test_staff_home_links_to_email_updates(client, reviewer):
    client.force_login(reviewer)
    assert (
        reverse("mailings:staff_list")
        in client.get(reverse("accounts:staff_home")).content.decode()
    )
