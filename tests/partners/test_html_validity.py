"""Every partner page, staff partner page and public results page is valid HTML (Nu checker)."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.roles import Role
from apps.partners import services
from tests.factories import make_user
from tests.html_checker import html_problems

from .conftest import make_partner_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_pages(respond, partner_a, partner_b, user_a):
    respond(partner_a.links.first().collector, 7, state="CA")
    respond(partner_a.links.last().collector, 2, state="NV")
    html = {}
    public = Client()
    html["partner sign-in"] = public.get(reverse("partners:sign_in")).content
    invitation = services.partner_invite(partner=partner_a, email="new@alpha.example", by=None)
    accept = reverse("partners:accept", kwargs={"token": services.invitation_token(invitation)})
    html["accept"] = public.get(accept).content
    html["accept (errors)"] = public.post(accept, {"username": "x y"}).content
    html["invitation invalid"] = public.get(
        reverse("partners:accept", kwargs={"token": "nope"})
    ).content
    html["results unpublished"] = public.get(reverse("partners:public_results")).content
    services.results_set_published(published=True, by=None)
    html["results"] = public.get(reverse("partners:public_results")).content
    html["results (es)"] = public.get(
        reverse("partners:public_results"), HTTP_ACCEPT_LANGUAGE="es"
    ).content
    own = Client()
    own.force_login(user_a)
    for name in ("dashboard", "duties", "links", "api_token"):
        html[name] = own.get(reverse(f"partners:{name}")).content
    html["dashboard (filtered below k)"] = own.get(
        reverse("partners:dashboard"), {"state": "NV"}
    ).content
    html["links (errors)"] = own.post(reverse("partners:links"), {"name": ""}).content
    html["api token (new)"] = own.post(reverse("partners:api_token"), {"action": "x"}).content
    staff = Client()
    staff.force_login(make_user(Role.ADMINISTRATOR))
    html["not a partner"] = staff.get(reverse("partners:dashboard")).content
    html["staff list"] = staff.get(reverse("partners:staff_list")).content
    html["staff detail"] = staff.get(
        reverse("partners:staff_detail", kwargs={"pk": partner_a.pk})
    ).content
    html["staff detail (errors)"] = staff.post(
        reverse("partners:staff_detail", kwargs={"pk": partner_a.pk}), {"invite-email": "x"}
    ).content
    html["results publish"] = staff.get(reverse("partners:results_publish")).content
    services.partner_set_suspended(partner=partner_b, suspended=True, by=None)
    suspended = Client()
    suspended.force_login(make_partner_user(partner_b))
    html["suspended"] = suspended.get(reverse("partners:dashboard")).content
    return {name: content.decode() for name, content in html.items()}


def test_partner_pages_pass_the_nu_html_checker(partner_pages, tmp_path):
    problems = html_problems(partner_pages, tmp_path)
    assert len(partner_pages) == 20
    assert not problems, "\n".join(problems)
