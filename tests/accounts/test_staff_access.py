"""Every staff URL against every role: anonymous, no role, Reviewer, Editor, Administrator."""

import pytest
from django.conf import settings
from django.urls import reverse

from apps.accounts.roles import Role

from ..factories import make_user

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_URL
# url -> the lowest role allowed (None: any signed-in Django staff page handled by the admin).
STAFF_URLS = {
    reverse("accounts:staff_home"): Role.REVIEWER,
    reverse("accounts:audit_log"): Role.ADMINISTRATOR,
    reverse("surveys:staff_overview"): Role.REVIEWER,
    "PREVIEW": Role.EDITOR,  # the seeded version's id differs between databases
    reverse("insights:overview"): Role.REVIEWER,
    reverse("insights:duties"): Role.REVIEWER,
    reverse("insights:task_detail", kwargs={"code": "T01"}): Role.REVIEWER,
    reverse("insights:titles"): Role.REVIEWER,
    reverse("insights:crosswalk"): Role.REVIEWER,
    reverse("insights:workforce"): Role.REVIEWER,
    reverse("insights:open_answers"): Role.REVIEWER,
    reverse("surveys:paper_template", kwargs={"slug": "ost-roles-duties"}): Role.ADMINISTRATOR,
    reverse("surveys:paper_import", kwargs={"slug": "ost-roles-duties"}): Role.ADMINISTRATOR,
}
# Admin pages: the lowest role whose groups carry the model's view permission.
ADMIN_URLS = {
    ADMIN: Role.EDITOR,
    ADMIN + "pages/page/": Role.EDITOR,
    ADMIN + "pages/faqentry/": Role.EDITOR,
    ADMIN + "pages/milestone/": Role.EDITOR,
    ADMIN + "pages/organization/": Role.EDITOR,
    ADMIN + "pages/occupation/": Role.EDITOR,
    ADMIN + "pages/glossaryterm/": Role.EDITOR,
    ADMIN + "pages/contactmessage/": Role.ADMINISTRATOR,
    ADMIN + "pages/sitesettings/": Role.ADMINISTRATOR,
    ADMIN + "accounts/user/": Role.ADMINISTRATOR,
    ADMIN + "core/auditevent/": Role.ADMINISTRATOR,
    ADMIN + "surveys/survey/": Role.ADMINISTRATOR,
    ADMIN + "surveys/surveyversion/": Role.ADMINISTRATOR,
    ADMIN + "surveys/surveypage/": Role.ADMINISTRATOR,
    ADMIN + "surveys/question/": Role.ADMINISTRATOR,
    ADMIN + "surveys/collector/": Role.ADMINISTRATOR,
    ADMIN + "surveys/task/": Role.ADMINISTRATOR,
    ADMIN + "surveys/role/": Role.ADMINISTRATOR,
    ADMIN + "surveys/response/": Role.ADMINISTRATOR,
    ADMIN + "surveys/respondentcontact/": Role.ADMINISTRATOR,
    ADMIN + "insights/representationtarget/": Role.EDITOR,
    ADMIN + "insights/titlemapping/": Role.EDITOR,
}
ROLES = [None, Role.REVIEWER, Role.EDITOR, Role.ADMINISTRATOR]


def _resolve(url: str) -> str:
    if url == "PREVIEW":
        from apps.surveys.models import SurveyVersion

        return reverse("surveys:preview", kwargs={"version_id": SurveyVersion.objects.get().pk})
    return url


def _level(role):
    return role.level if role else 0


@pytest.mark.parametrize("url", list(STAFF_URLS))
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(_resolve(url))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", list(ADMIN_URLS))
def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response.url


@pytest.fixture(autouse=True)
def _seeded_survey(db):
    """Staff survey URLs need the seeded survey (version 1) to exist."""
    from apps.surveys.seeding import seed_survey

    seed_survey()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name if r else "no-role")
@pytest.mark.parametrize("url", list(STAFF_URLS))
def test_staff_pages_follow_the_role_ladder(client, url, role):
    client.force_login(make_user(role))
    response = client.get(_resolve(url))
    if _level(role) >= STAFF_URLS[url].level:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name if r else "no-role")
@pytest.mark.parametrize("url", list(ADMIN_URLS))
def test_admin_pages_follow_the_role_ladder(client, url, role):
    client.force_login(make_user(role))
    response = client.get(url)
    needed = ADMIN_URLS[url]
    if _level(role) >= needed.level:
        assert response.status_code == 200
    elif _level(role) >= Role.EDITOR.level:
        assert response.status_code == 403
    else:
        # Not admin staff: the 403 page (the admin's own answer, a sign-in form, looped
        # back to the admin for a signed-in account).
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()


def test_staff_link_in_the_navigation_only_for_staff(client, reviewer, no_role_user):
    client.force_login(no_role_user)
    assert "Staff area" not in client.get("/").content.decode()
    client.force_login(reviewer)
    assert "Staff area" in client.get("/").content.decode()


def test_administrator_cannot_grant_superuser_status(client, administrator):
    client.force_login(administrator)
    target = make_user()
    html = client.get(f"{ADMIN}accounts/user/{target.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in html


def test_giving_the_editor_role_in_the_admin_opens_the_admin_to_that_person(client, administrator):
    from django.contrib.auth.models import Group

    client.force_login(administrator)
    target = make_user()
    editor_group = Group.objects.get(name="Editor")
    response = client.post(
        f"{ADMIN}accounts/user/{target.pk}/change/",
        {
            "username": target.username,
            "email": target.email,
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "groups": [editor_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.is_staff
    assert target.has_role(Role.EDITOR)
