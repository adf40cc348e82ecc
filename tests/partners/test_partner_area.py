import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.partners import services
from apps.partners.models import Invitation, PartnerLink, PartnerMember
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_a_partner_sees_only_its_own_links_figures(client, respond, partner_a, partner_b, user_a):
    link_a = partner_a.links.first().collector
    respond(link_a, 7, state="CA")
    respond(partner_b.links.get().collector, 9, state="TX")
    client.force_login(user_a)
    page = client.get(reverse("partners:dashboard"))
    assert page.status_code == 200
    assert page.context["data"]["overview"]["total"] == 7
    states = {row.key: row.n for row in page.context["data"]["overview"]["by_state"].rows}
    assert states == {"CA": 7}
    html = page.content.decode()
    assert "Beta Clubs" not in html and "Beta Clubs link 0" not in html
    assert "7 complete responses of your target of 100." in html


def test_a_filter_that_narrows_below_k_hides_the_figures(client, respond, partner_a, user_a):
    link = partner_a.links.first().collector
    respond(link, 6, state="CA")
    respond(link, 2, state="NV")
    client.force_login(user_a)
    page = client.get(reverse("partners:dashboard"), {"state": "NV"})
    assert page.status_code == 200
    assert page.context["data"]["overview"] is None
    assert "This selection has fewer than 5 responses" in page.content.decode()


def test_another_partners_link_id_gives_a_message_and_no_figures(
    client, respond, partner_a, partner_b, user_a
):
    other = partner_b.links.get().collector
    respond(other, 9)
    respond(partner_a.links.first().collector, 6)
    client.force_login(user_a)
    page = client.get(reverse("partners:dashboard"), {"collector": other.pk})
    assert page.status_code == 200
    assert page.context["data"]["overview"] is None  # selects nothing: under K
    assert "not one of your organization" in page.content.decode()
    # An id that is no link at all: the same, never all links.
    page = client.get(reverse("partners:dashboard"), {"collector": 999999})
    assert page.context["data"]["overview"] is None


def test_the_dashboard_in_spanish(client, respond, partner_a, user_a):
    respond(partner_a.links.first().collector, 6)
    client.force_login(user_a)
    page = client.get(reverse("partners:dashboard"), HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200
    assert '<html lang="es">' in page.content.decode()
    assert "Sus respuestas" in page.content.decode()


def test_duties_show_task_ratings_of_the_partners_scope(client, respond, partner_a, user_a):
    respond(partner_a.links.first().collector, 6)
    client.force_login(user_a)
    page = client.get(reverse("partners:duties"))
    rated = [t for t in page.context["tasks"] if t.n]
    assert len(rated) == 1 and rated[0].n == 6
    assert rated[0].classification == "core"


def test_a_partner_makes_a_link_with_qr_code_and_flyer(client, partner_a, user_a):
    client.force_login(user_a)
    ends = (timezone.localdate() + timedelta(days=30)).isoformat()
    reply = client.post(
        reverse("partners:links"), {"name": "Spring fair", "kind": "event", "ends_on": ends}
    )
    assert reply.status_code == 302
    link = PartnerLink.objects.get(partner=partner_a, collector__name="Spring fair")
    assert link.collector.is_active and link.collector.organization == "Alpha Network"
    assert link.created_by == user_a
    page = client.get(reverse("partners:links"))
    assert "Spring fair" in page.content.decode()
    svg = client.get(reverse("partners:link_qr", kwargs={"pk": link.pk}))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    pdf = client.get(reverse("partners:link_flyer", kwargs={"pk": link.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, object_id=str(partner_a.pk), details__what="flyer"
    ).exists()


def test_a_link_ending_in_the_past_is_refused_with_a_message(client, partner_a, user_a):
    client.force_login(user_a)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    reply = client.post(reverse("partners:links"), {"name": "Old", "kind": "site", "ends_on": past})
    assert reply.status_code == 400
    assert "The end date cannot be in the past." in reply.content.decode()
    assert not PartnerLink.objects.filter(collector__name="Old").exists()


def test_another_partners_link_documents_are_not_found(client, partner_b, user_a):
    client.force_login(user_a)
    other = partner_b.links.get()
    assert client.get(reverse("partners:link_qr", kwargs={"pk": other.pk})).status_code == 404
    assert client.get(reverse("partners:link_flyer", kwargs={"pk": other.pk})).status_code == 404


def test_link_counts_are_suppressed_under_k(client, respond, partner_a, user_a):
    first, second = (link.collector for link in partner_a.links.order_by("pk"))
    respond(first, 8)
    respond(second, 2)
    client.force_login(user_a)
    page = client.get(reverse("partners:links"))
    rows = {row["link"].collector_id: row for row in page.context["rows"]}
    assert rows[second.pk]["hidden"] and rows[second.pk]["n"] is None
    # Complementary suppression: with the total shown, the other link is hidden too.
    assert rows[first.pk]["hidden"]


def test_ended_links_are_closed_by_the_nightly_task(survey, partner_a):
    link = partner_a.links.first()
    link.ends_on = timezone.localdate() - timedelta(days=1)
    link.save()
    assert services.partner_links_close_ended() == 1
    link.collector.refresh_from_db()
    assert link.collector.is_active is False
    assert partner_a.links.exclude(pk=link.pk).get().collector.is_active


# --- Invitations ---


def _invite(client, partner, capture) -> str:
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY

    session[DEVICE_ID_SESSION_KEY] = admin.totpdevice_set.get().persistent_id
    session.save()
    with capture(execute=True):
        reply = client.post(
            reverse("partners:staff_detail", kwargs={"pk": partner.pk}),
            {"invite-email": "Contact@Alpha.example"},
        )
    assert reply.status_code == 302, reply.content.decode()[:500]
    client.logout()
    (message,) = mail.outbox
    assert "Su invitación" in message.subject
    url = re.search(r"https?://\S+/partners/invitation/\S+/", message.body).group(0)
    return url[url.index("/partners/") :]


def test_an_invited_contact_sets_a_password_and_lands_on_the_dashboard(
    client, partner_a, django_capture_on_commit_callbacks
):
    path = _invite(client, partner_a, django_capture_on_commit_callbacks)
    page = client.get(path)
    assert page.status_code == 200 and "Alpha Network" in page.content.decode()
    reply = client.post(path, {"username": "alpha1", "password1": PASSWORD, "password2": PASSWORD})
    assert reply.status_code == 302 and reply.url == reverse("partners:dashboard")
    member = PartnerMember.objects.get(user__username="alpha1")
    assert member.partner == partner_a and member.user.email == "contact@alpha.example"
    assert client.get(reverse("partners:dashboard")).status_code == 200
    client.logout()
    again = client.get(path)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


def test_a_weak_password_is_refused_and_the_invitation_stays_usable(
    client, partner_a, django_capture_on_commit_callbacks
):
    path = _invite(client, partner_a, django_capture_on_commit_callbacks)
    reply = client.post(path, {"username": "alpha1", "password1": "12345", "password2": "12345"})
    assert reply.status_code == 200
    assert Invitation.objects.get().accepted_at is None
    assert not PartnerMember.objects.exists()


def test_an_expired_or_forged_invitation_says_so(
    client, partner_a, django_capture_on_commit_callbacks
):
    path = _invite(client, partner_a, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    reply = client.get(path)
    assert reply.status_code == 400 and "has expired" in reply.content.decode()
    forged = client.get(reverse("partners:accept", kwargs={"token": "eyJpIjoxfQ:forged:sig"}))
    assert forged.status_code == 400 and "not valid" in forged.content.decode()


def test_a_partner_user_signs_in_on_the_partner_page(client, user_a):
    reply = client.post(
        reverse("partners:sign_in"), {"username": user_a.username, "password": PASSWORD}
    )
    assert reply.status_code == 302 and reply.url == reverse("partners:dashboard")


# --- Suspension and audit ---


def test_a_suspended_partner_is_refused_with_the_reason(client, partner_a, user_a):
    services.partner_set_suspended(partner=partner_a, suspended=True, by=None)
    client.force_login(user_a)
    reply = client.get(reverse("partners:dashboard"))
    assert reply.status_code == 403
    assert "suspended" in reply.content.decode()


def test_staff_see_what_a_partner_saw_and_downloaded(client, partner_a, user_a):
    client.force_login(user_a)
    client.get(reverse("partners:dashboard"), {"state": "CA"})
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEWED)
    assert event.actor == user_a and event.object_id == str(partner_a.pk)
    assert event.details["what"] == "dashboard" and event.details["filters"] == {"state": "CA"}
    admin = make_user(Role.ADMINISTRATOR, two_factor=False)
    from django.test import override_settings

    with override_settings(TWO_FACTOR_REQUIRED_FOR_ADMINISTRATORS=False):
        client.force_login(admin)
        page = client.get(reverse("partners:staff_detail", kwargs={"pk": partner_a.pk}))
    assert page.status_code == 200
    assert user_a.username in page.content.decode()
    assert "dashboard" in page.content.decode()


def test_a_partner_with_two_factor_gives_the_code_then_reaches_the_dashboard(client, user_a):
    from tests.factories import add_totp_device, totp_code

    device = add_totp_device(user_a)
    reply = client.post(
        reverse("partners:sign_in"), {"username": user_a.username, "password": PASSWORD}
    )
    assert reply.status_code == 302 and reply.url.startswith(reverse("accounts:sign_in_code"))
    assert client.get(reverse("partners:dashboard")).status_code == 302  # not signed in yet
    reply = client.post(reply.url, {"code": totp_code(device)})
    assert reply.status_code == 302 and reply.url == reverse("partners:dashboard")
    assert client.get(reverse("partners:dashboard")).status_code == 200


def test_partner_pages_take_the_same_number_of_queries_whatever_the_data(
    client, survey, respond, partner_a, user_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_partner

    client.force_login(user_a)

    def queries() -> dict[str, int]:
        counts = {}
        for name in ("dashboard", "duties", "links"):
            client.get(reverse(f"partners:{name}"))  # warm the figures and caches
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(f"partners:{name}")).status_code == 200
            counts[name] = len(captured)
        return counts

    respond(partner_a.links.first().collector, 6)
    before = queries()
    bigger = make_partner(survey, "Alpha more", links=3)
    for link in bigger.links.all():
        link.partner = partner_a
        link.save()
        respond(link.collector, 7, state="TX")
    assert queries() == before


def test_administrators_give_existing_links_to_a_partner_in_the_admin(client, partner_a):
    from django.conf import settings

    client.force_login(make_user(Role.ADMINISTRATOR))
    base = "/" + settings.ADMIN_URL + "partners/partner/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{partner_a.pk}/change/")
    assert page.status_code == 200 and "Alpha Network link 0" in page.content.decode()


def test_a_deletion_request_reaches_partner_invitations(partner_a):
    from apps.privacy.registry import deleters

    services.partner_invite(partner=partner_a, email="Gone@Alpha.example", by=None)
    (entry,) = [e for e in deleters() if e.key.startswith("apps.partners")]
    assert entry.deleter.count(email="gone@alpha.example") == 1
    assert entry.deleter.delete(email="gone@alpha.example") == 1
    assert not Invitation.objects.exists()


def test_the_flyer_is_one_page_with_the_call_in_english_and_spanish():
    import base64
    import zlib
    from datetime import date

    from apps.partners.documents import flyer_pdf

    pdf = flyer_pdf(
        url="https://example.org/s/alpha-x1/", name="Spring fair", ends_on=date(2030, 1, 2)
    )
    assert len(re.findall(rb"/Type /Page[^s]", pdf)) == 1
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    text = b"".join(
        zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>"))) for stream in streams
    )
    for words in (b"Your work counts", b"Su trabajo cuenta", b"https://example.org/s/alpha-x1/"):
        assert words in text, words
    assert b"Open until 2030-01-02" in text and b"Abierta hasta el 2030-01-02" in text
