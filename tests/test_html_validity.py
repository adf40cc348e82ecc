"""Every kind of page is valid HTML according to the Nu HTML checker (vnu.jar from npm).

Skipped when Java or node_modules/vnu-jar is missing, unless REQUIRE_HTML_CHECK=1 (CI).
"""

import pytest
from django.test import Client

from apps.accounts.roles import Role
from apps.surveys.models import Survey
from apps.surveys.sample import sample_page_data
from apps.surveys.selectors import tasks_for_role, version_structure

from .factories import make_user
from .html_checker import html_problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages_html(seeded):
    from apps.surveys.seeding import seed_survey

    seed_survey()
    html: dict[str, str] = {}
    public = Client()
    for url in [
        "/",
        "/page/timeline/",
        "/page/where-counted-today/",
        "/page/faq/",
        "/page/glossary/",
        "/page/workgroup/",
        "/page/what-is-ost/",
        "/page/why-it-matters/",
        "/page/get-involved/",
        "/page/privacy/",
        "/page/accessibility/",
        "/proposal/draft/",
        "/updates/",
        "/contact/",
        "/accounts/login/",
        "/page/nope/",
        "/survey/ost-roles-duties/",
    ]:
        html[url] = public.get(url).content.decode()
    html["/contact/ (errors)"] = public.post("/contact/", {"email": "x"}).content.decode()
    from apps.pages.models import SiteSettings
    from apps.pages.selectors import site_settings_cache_clear

    SiteSettings.objects.filter(pk=1).update(updates_signup_enabled=False)
    site_settings_cache_clear()
    html["/updates/ (sign-up paused)"] = public.get("/updates/").content.decode()
    html["/page/get-involved/ (sign-up paused)"] = public.get(
        "/page/get-involved/"
    ).content.decode()
    SiteSettings.objects.filter(pk=1).update(updates_signup_enabled=True)
    site_settings_cache_clear()
    survey = Survey.objects.get(slug="ost-roles-duties")
    start = public.post(survey.get_absolute_url())
    structure = version_structure(survey.versions.get())
    role_tasks, _other = tasks_for_role("frontline")
    url = start.url
    html["survey eligibility (errors)"] = public.post(url, {}).content.decode()
    for _ in range(len(structure.pages) + 10):  # the duties page takes several steps
        page = structure.page(url.split("?")[0].rstrip("/").split("/")[-1])
        html[f"survey {page.key} {url.partition('?')[2]}"] = public.get(url).content.decode()
        reply = public.post(url, sample_page_data(page, role_tasks=role_tasks))
        assert reply.status_code == 302, (page.key, reply.status_code)
        if "/thanks/" in reply.url:
            break
        url = reply.url
    html["survey thanks"] = public.get(reply.url).content.decode()
    html["survey my answers"] = public.get(
        reply.url.replace("/thanks/", "/my-answers/")
    ).content.decode()
    html.update(_comment_pages(public))
    staff = Client()
    staff.force_login(make_user(Role.ADMINISTRATOR))
    for url in [
        "/staff/",
        "/staff/audit/",
        "/staff/surveys/",
        f"/staff/survey-preview/{structure.version.pk}/duties/",
        "/staff/comments/",
        "/staff/status/",
        "/staff/insights/crosstab/",
        "/staff/insights/crosstab/?rows=role&columns=benefits",
        "/staff/insights/crosstab/?rows=full_time&columns=full_time",
    ]:
        html[url] = staff.get(url).content.decode()
    from apps.operations.middleware import database_unavailable_response

    html["503 database unavailable"] = database_unavailable_response().content.decode()
    html.update(_security_and_privacy_pages(staff, survey))
    html.update(_coding_pages(staff))
    return html


def _security_and_privacy_pages(admin_client, survey) -> dict[str, str]:
    """Two-factor sign-in, deletion request and the respondent's deletion pages."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.privacy.tokens import response_delete_token
    from apps.surveys.models import RespondentContact, Response
    from apps.surveys.services import digest

    from .factories import PASSWORD, totp_code

    html = {}
    reviewer = make_user(Role.REVIEWER)
    own = Client()
    own.force_login(reviewer)
    html["two-factor off"] = own.get("/accounts/two-factor/").content.decode()
    html["two-factor set-up"] = own.get("/accounts/two-factor/set-up/").content.decode()
    html["two-factor set-up (errors)"] = own.post(
        "/accounts/two-factor/set-up/", {"code": "1"}
    ).content.decode()
    device = TOTPDevice.objects.get(user=reviewer)
    html["recovery codes"] = own.post(
        "/accounts/two-factor/set-up/", {"code": totp_code(device)}
    ).content.decode()
    html["two-factor on"] = own.get("/accounts/two-factor/").content.decode()
    signing_in = Client()
    signing_in.post("/accounts/login/", {"username": reviewer.username, "password": PASSWORD})
    html["sign-in code"] = signing_in.get("/accounts/login/code/").content.decode()
    html["sign-in code (errors)"] = signing_in.post(
        "/accounts/login/code/", {"code": "000000"}
    ).content.decode()
    response = Response.objects.filter(version__survey=survey).first()
    RespondentContact.objects.create(
        response=response, email="nu@example.org", email_digest=digest("nu@example.org")
    )
    url = "/staff/privacy/deletion-request/"
    html["deletion request"] = admin_client.get(url).content.decode()
    html["deletion request (found)"] = admin_client.post(
        url, {"email": "nu@example.org"}
    ).content.decode()
    html["deletion request (errors)"] = admin_client.post(url, {"email": "x"}).content.decode()
    html["paper import (too large)"] = admin_client.post(
        f"/staff/surveys/{survey.slug}/paper-import/",
        {"file": SimpleUploadedFile("big.csv", b"language\n" + b"en\n" * 1_100_000)},
    ).content.decode()
    public = Client()
    delete_url = f"/privacy/delete/{response_delete_token(response)}/"
    html["respondent delete"] = public.get(delete_url).content.decode()
    html["respondent deleted"] = public.get("/privacy/deleted/").content.decode()
    html["delete link invalid"] = public.get("/privacy/delete/nope/").content.decode()
    return html


def _comment_pages(public: Client) -> dict[str, str]:
    """Toolkit, notices and comment builder pages, with the window closed and then open."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.notices.models import Notice
    from apps.notices.seeding import seed_toolkit
    from apps.surveys.models import Task

    seed_toolkit()
    html: dict[str, str] = {}
    first = Notice.objects.get()
    for url in [
        "/toolkit/",
        "/notices/",
        f"/notices/{first.pk}/",
        "/comment/",
        "/comment/submitted/",
    ]:
        html[url] = public.get(url).content.decode()
    html["/comment/ (errors)"] = public.post("/comment/", {"story": "x"}).content.decode()
    html["/comment/submitted/ (no window)"] = public.post(
        "/comment/submitted/", {"tracking_number": "<b>"}
    ).content.decode()
    now = timezone.now()
    Notice.objects.create(
        title_en="Second notice",
        citation="92 FR 1",
        docket_id="BLS-2027-0001",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        submission_url="https://www.regulations.gov/docket/BLS-2027-0001",
        required_header="BLS-2027-0001",
        is_published=True,
    )
    html["/ (window open)"] = public.get("/").content.decode()
    assert 'class="notice-banner"' in html["/ (window open)"]
    html["/page/timeline/ (window open)"] = public.get("/page/timeline/").content.decode()
    html["/comment/submitted/ (errors)"] = public.post(
        "/comment/submitted/", {"tracking_number": "<b>"}
    ).content.decode()
    assert "A tracking number has only letters" in html["/comment/submitted/ (errors)"]
    task = Task.objects.filter(is_active=True).first()
    draft = public.post(
        "/comment/",
        {"role": "frontline", "tasks": [task.pk], "ask": "new_code", "draft_language": "es"},
    ).content.decode()
    html["comment draft"] = draft
    fingerprint = draft.split('name="fingerprint" value="')[1].split('"')[0]
    html["comment draft checked"] = public.post(
        "/comment/draft/",
        {"text": "Mi comentario " * 500, "fingerprint": fingerprint, "language": "es"},
    ).content.decode()
    html["comment draft (errors)"] = public.post(
        "/comment/draft/", {"text": "", "language": "es"}
    ).content.decode()
    html.update(_pledge_and_feed_pages(public))
    return html


def _pledge_and_feed_pages(public: Client) -> dict[str, str]:
    """The pledge to comment (form, errors, confirmation) and the news page of the feeds."""
    from django.utils import timezone

    from apps.comments.models import Pledge
    from apps.mailings.models import Announcement, Subscriber
    from apps.mailings.tokens import PLEDGE, make_token

    html = {
        "/comment/pledge/": public.get("/comment/pledge/").content.decode(),
        "/comment/pledge/ (errors)": public.post(
            "/comment/pledge/", {"email": "x", "state": "CA"}
        ).content.decode(),
        "/comment/pledge/check-your-email/": public.get(
            "/comment/pledge/check-your-email/"
        ).content.decode(),
    }
    subscriber = Subscriber.objects.create(email="pledge@example.org", language="en", key="k" * 32)
    Pledge.objects.create(subscriber=subscriber)
    url = f"/comment/pledge/confirm/{make_token(subscriber, PLEDGE)}/"
    html["pledge confirm"] = public.get(url).content.decode()
    html["pledge confirmed"] = public.post(url).content.decode()
    Announcement.objects.create(
        topic="survey_news",
        subject_en="The survey is open",
        subject_es="La encuesta está abierta",
        body_en="Tell us about **your work**.",
        body_es="Cuéntenos sobre **su trabajo**.",
        status="sent",
        finished_at=timezone.now(),
    )
    html["/news/"] = public.get("/news/").content.decode()
    return html


def _coding_pages(staff: Client) -> dict[str, str]:
    """The coding pages with a code, a coded passage and a quote, and their error states."""
    from apps.coding import services
    from apps.surveys.models import Answer

    user = make_user(Role.EDITOR)
    answer = Answer.objects.filter(question__key="describe_work").exclude(text_value="").first()
    answer.response.quote_consent = "anonymous"
    answer.response.save(update_fields=["quote_consent"])
    parent = services.code_create(by=user, name_en="Planning", description_en="Plans.")
    child = services.code_create(by=user, name_en="Weekly plans", parent=parent)
    services.application_add(answer_id=answer.pk, code_id=child.pk, coder=user, start=0, end=3)
    services.quote_create(answer_id=answer.pk, start=0, end=3, by=user)
    staff.force_login(user)
    html = {}
    for url in [
        "/staff/coding/",
        f"/staff/coding/answers/{answer.pk}/",
        "/staff/coding/codebook/",
        f"/staff/coding/codebook/{child.pk}/",
        "/staff/coding/agreement/",
        "/staff/coding/frequencies/",
        "/staff/coding/codes-together/",
        "/staff/coding/quotes/",
    ]:
        html[url] = staff.get(url).content.decode()
    html["coding codebook (errors)"] = staff.post(
        "/staff/coding/codebook/", {"name_en": ""}
    ).content.decode()
    html["coding span (errors)"] = staff.post(
        f"/staff/coding/answers/{answer.pk}/apply/",
        {"code": child.pk, "scope": "span", "start": 0, "end": 99999},
    ).content.decode()
    return html


def test_pages_pass_the_nu_html_checker(pages_html, tmp_path):
    problems = html_problems(pages_html, tmp_path)
    assert not problems, "\n".join(problems)
