"""Every URL the portal serves, found by walking the URL resolver, against every role.

A URL is either on the PUBLIC allow-list or has a documented minimum role in MINIMUM_ROLE.
A URL added later by any app fails `test_every_url_is_classified` until it is listed here,
and is then checked automatically: anonymous visitors are sent to sign in, a signed-in user
without a staff role gets 403, each role below the minimum gets 403, the minimum role and
above get 200, 302 or 405 (a POST-only view, whose POST is then checked too).
Django admin URLs are checked as a group: nobody below Editor (Django staff) gets in;
anonymous visitors are sent to sign in, signed-in accounts below Editor get 403.
"""

import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.roles import Role

from .factories import make_user

pytestmark = pytest.mark.django_db

SIGNED_IN = Role("signed-in", 0, "any signed-in account")

# Open to everyone: the public site, the survey, sign-in and password reset.
PUBLIC = {
    "set_language",
    "robots_txt",
    "admin_sign_in",
    "accounts:login",
    "accounts:sign_in_code",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "pages:home",
    "pages:detail",
    "pages:contact",
    "pages:contact_thanks",
    "surveys:home",
    "surveys:landing",
    "surveys:collector",
    "surveys:page",
    "surveys:resume_email",
    "surveys:thanks",
    "surveys:resume",
    # Respondent pages behind the signed ownership cookie (another browser gets a 404).
    "surveys:page_draft",
    "surveys:answers_copy",
    "surveys:answers_pdf",
    "surveys:service_worker",
    "privacy:respondent_delete",
    "privacy:deleted",
    "mailings:signup",
    "mailings:signup_sent",
    "mailings:confirm",
    "mailings:manage",
    "mailings:unsubscribe",
    "proposals:public_index",
    "proposals:public_version",
    "proposals:public_comment",
    "proposals:public_thanks",
    "notices:toolkit",
    "notices:list",
    "notices:detail",
    "comments:builder",
    "comments:draft",
    "comments:submitted",
    "comments:submitted_thanks",
    # A pledge to comment: the form, "check your email", and the signed confirmation link.
    "comments:pledge",
    "comments:pledge_sent",
    "comments:pledge_confirm",
    # Feeds without an account: news page, Atom/RSS, calendar file, sitemap.
    "feeds:news",
    "feeds:rss",
    "feeds:atom",
    "feeds:calendar",
    "feeds:sitemap",
    # Health endpoints for the proxy and supervisor (no data; nginx keeps /readyz internal).
    "operations:healthz",
    "operations:readyz",
    # Partners: sign-in, the signed invitation link, the public results and codebook; the
    # API's root (a 404) and its OpenAPI description (no data).
    "partners:sign_in",
    "partners:accept",
    "partners:public_results",
    "partners:codebook",
    "partners_api:api-root",
    "partners_api:openapi-json",
}

# The partner area: only the people of a partner that is not suspended, each seeing only its
# own links (walked as every role and as another partner in tests/partners/test_authorization.py).
PARTNER_AREA = {
    "partners:dashboard",
    "partners:duties",
    "partners:links",
    "partners:link_qr",
    "partners:link_flyer",
    "partners:api_token",
}
# The partner API: a partner's bearer token, never a session (same test file).
PARTNER_API = {"partners_api:public", "partners_api:scope", "partners_api:links"}

# The lowest role that may open each staff and export URL.
MINIMUM_ROLE = {
    "accounts:two_factor": SIGNED_IN,
    "accounts:two_factor_setup": SIGNED_IN,
    "accounts:two_factor_recovery_codes": SIGNED_IN,
    "accounts:two_factor_disable": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:staff_home": Role.REVIEWER,
    "accounts:audit_log": Role.ADMINISTRATOR,
    "operations:status": Role.EDITOR,
    "surveys:preview": Role.EDITOR,
    "surveys:preview_page": Role.EDITOR,
    "surveys:staff_overview": Role.REVIEWER,
    "surveys:paper_template": Role.ADMINISTRATOR,
    "surveys:paper_import": Role.ADMINISTRATOR,
    "exports:list": Role.REVIEWER,
    "exports:request": Role.REVIEWER,
    # A job opens for the role its exporter needs: every record-level export (the only
    # kinds) is for Administrators since the disclosure layer; Reviewers get aggregates.
    "exports:detail": Role.ADMINISTRATOR,
    "exports:status": Role.ADMINISTRATOR,
    "exports:download": Role.ADMINISTRATOR,
    "insights:overview": Role.REVIEWER,
    "insights:duties": Role.REVIEWER,
    "insights:task_detail": Role.REVIEWER,
    "insights:titles": Role.REVIEWER,
    "insights:crosswalk": Role.REVIEWER,
    "insights:workforce": Role.REVIEWER,
    "insights:open_answers": Role.REVIEWER,
    "insights:crosstab": Role.REVIEWER,
    "insights:save_view": Role.REVIEWER,
    "insights:open_view": Role.REVIEWER,
    "privacy:deletion_request": Role.ADMINISTRATOR,
    # Email updates: Reviewers read the announcements and their progress; Editors write,
    # test and send them.
    "mailings:staff_list": Role.REVIEWER,
    "mailings:announcement_detail": Role.REVIEWER,
    "mailings:announcement_status": Role.REVIEWER,
    "mailings:announcement_create": Role.EDITOR,
    "mailings:announcement_edit": Role.EDITOR,
    "mailings:announcement_test": Role.EDITOR,
    "mailings:announcement_send": Role.EDITOR,
    "mailings:announcement_resend_unknown": Role.EDITOR,
    # Coding open answers: Reviewers code, mark quotes and read the reports (adding a code on
    # the codebook page is refused below Editor inside the view); Editors edit and merge codes
    # and approve quotes.
    "coding:answers": Role.REVIEWER,
    "coding:answer": Role.REVIEWER,
    "coding:apply": Role.REVIEWER,
    "coding:remove": Role.REVIEWER,
    "coding:mark_coded": Role.REVIEWER,
    "coding:quote_create": Role.REVIEWER,
    "coding:set_blind": Role.REVIEWER,
    "coding:codebook": Role.REVIEWER,
    "coding:agreement": Role.REVIEWER,
    "coding:frequencies": Role.REVIEWER,
    "coding:cooccurrence": Role.REVIEWER,
    "coding:quotes": Role.REVIEWER,
    "coding:code_edit": Role.EDITOR,
    "coding:code_merge": Role.EDITOR,
    "coding:quote_status": Role.EDITOR,
    "proposals:workspace": Role.REVIEWER,
    "proposals:section": Role.REVIEWER,
    "proposals:versions": Role.REVIEWER,
    "proposals:compare": Role.REVIEWER,
    "proposals:version": Role.REVIEWER,
    "proposals:settings": Role.EDITOR,
    "proposals:evidence_add": Role.EDITOR,
    "proposals:block_refresh": Role.EDITOR,
    "proposals:block_remove": Role.EDITOR,
    "proposals:publish": Role.EDITOR,
    "proposals:withdraw": Role.EDITOR,
    "proposals:export_request": Role.EDITOR,
    "proposals:export": Role.EDITOR,
    "proposals:export_status": Role.EDITOR,
    "proposals:export_download": Role.EDITOR,
    "proposals:comments": Role.EDITOR,
    "proposals:moderate": Role.EDITOR,
    "proposals:dispose": Role.EDITOR,
    "comments:staff_counts": Role.REVIEWER,
    # Partners: Administrators manage partners, invitations, suspension and tokens; Editors
    # choose when the results go public.
    "partners:staff_list": Role.ADMINISTRATOR,
    "partners:staff_detail": Role.ADMINISTRATOR,
    "partners:staff_suspend": Role.ADMINISTRATOR,
    "partners:staff_token_revoke": Role.ADMINISTRATOR,
    "partners:results_publish": Role.EDITOR,
}

# Pages that a lower role may read but whose POST (the write) needs a higher role: the view
# checks the role itself, so role_required only carries the reading role.
POST_MINIMUM_ROLE = {
    "coding:codebook": Role.EDITOR,  # Reviewers read the codebook; Editors add codes
    "proposals:section": Role.EDITOR,  # Reviewers read a section; Editors save it
    "proposals:versions": Role.EDITOR,  # Reviewers list versions; Editors save a new one
}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            name_space = ":".join(n for n in (namespace, inner) if n)
            yield from _walk(entry, prefix + str(entry.pattern), name_space)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry


ALL = list(_walk(get_resolver()))
ADMIN = [(n, p, e) for n, p, e in ALL if n and n.startswith("admin:")]
PORTAL = {n: e for n, p, e in ALL if not (n and n.startswith("admin:"))}
STAFF = sorted(n for n in PORTAL if n not in PUBLIC | PARTNER_AREA | PARTNER_API)


def test_every_url_is_classified():
    unnamed = [p for n, p, _e in ALL if not n]
    assert not unnamed, f"Give these URL patterns a name so they can be classified: {unnamed}"
    missing = sorted(
        n for n in PORTAL if n not in PUBLIC | PARTNER_AREA | PARTNER_API and n not in MINIMUM_ROLE
    )
    assert not missing, (
        f"New URLs {missing}: add each to MINIMUM_ROLE in {__file__} (the lowest role that "
        "may open it) or, if anyone may open it, to PUBLIC."
    )
    stale = sorted(
        (set(MINIMUM_ROLE) | set(POST_MINIMUM_ROLE) | PUBLIC | PARTNER_AREA | PARTNER_API)
        - set(PORTAL)
    )
    assert not stale, f"These names are no longer URLs; remove them: {stale}"


def test_documented_roles_match_the_views_own_guards():
    """role_required marks each view with its role: the table must agree with the code."""
    # An export job's pages let in the role of the job's exporter (checked per job before the
    # view runs), above the Reviewer the view itself requires.
    by_job = {"exports:detail", "exports:status", "exports:download"}
    for name, role in MINIMUM_ROLE.items():
        declared = getattr(PORTAL[name].callback, "required_role", None)
        if name in by_job:
            assert declared is not None and declared.level <= role.level, name
        elif declared is not None:
            assert declared == role, f"{name}: view requires {declared.name}, table says {role}"


def test_the_admin_lives_at_its_own_address_only(client):
    assert settings.ADMIN_URL.strip("/") != "admin"
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


# --- URL parameters from fixtures ---


@pytest.fixture
def url_for(db, settings, tmp_path):
    """Build a URL for a name with real parameters; some depend on who asks (their own
    export job, their own saved view)."""
    from django.utils import timezone

    from apps.coding import services as coding
    from apps.comments.models import Pledge
    from apps.exports.models import ExportJob
    from apps.exports.services import export_job_run
    from apps.insights.models import SavedView
    from apps.mailings.tokens import CONFIRM, MANAGE, PLEDGE, make_token
    from apps.surveys.models import Answer, Question, Response, SurveyVersion
    from apps.surveys.seeding import seed_survey

    from .mailings.factories import make_announcement, make_subscriber
    from .notices.factories import make_notice

    settings.EXPORTS_DIR = tmp_path / "exports"
    seed_survey()
    version = SurveyVersion.objects.get()
    slug = version.survey.slug
    page_key = version.pages.order_by("order").values_list("key", flat=True)[1]

    # An open answer with a code and a candidate quote, for the coding pages.
    editor = make_user(Role.EDITOR)
    response = Response.objects.create(
        version=version,
        status=Response.Status.COMPLETE,
        submitted_at=timezone.now(),
        quote_consent=Response.QuoteConsent.ANONYMOUS,
    )
    answer = Answer.objects.create(
        response=response,
        question=Question.objects.get(version=version, key="describe_work"),
        text_value="I plan games. I call parents.",
    )
    code = coding.code_create(by=editor, name_en="Planning")
    coding.application_add(answer_id=answer.pk, code_id=code.pk, coder=editor, start=0, end=13)
    quote = coding.quote_create(answer_id=answer.pk, start=0, end=13, by=editor)
    # A draft announcement with one reader, and a pending and a confirmed subscriber whose
    # links are signed by the app itself.
    announcement = make_announcement()
    waiting = make_subscriber(status="pending")
    Pledge.objects.create(subscriber=waiting)
    reader = make_subscriber()
    # A published notice whose comment window is open, so the comment builder is live.
    now = timezone.now()
    notice = make_notice(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))

    def build(name: str, user=None) -> str:
        owner = user if user is not None and user.is_authenticated else make_user(Role.REVIEWER)
        kwargs = {
            "surveys:preview": {"version_id": version.pk},
            "surveys:preview_page": {"version_id": version.pk, "page_key": page_key},
            "surveys:paper_template": {"slug": slug},
            "surveys:paper_import": {"slug": slug},
            "insights:task_detail": {"code": "T01"},
            "pages:detail": {"slug": "faq"},
            "surveys:landing": {"slug": slug},
            "surveys:collector": {"slug": "no-such-link"},
            "surveys:page": {"public_id": uuid.uuid4(), "page_key": page_key},
            "surveys:resume_email": {"public_id": uuid.uuid4()},
            "surveys:thanks": {"public_id": uuid.uuid4()},
            "surveys:page_draft": {"public_id": uuid.uuid4(), "page_key": page_key},
            "surveys:answers_copy": {"public_id": uuid.uuid4()},
            "surveys:answers_pdf": {"public_id": uuid.uuid4()},
            "surveys:resume": {"token": "not-a-token"},
            "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "bad-token"},
            "privacy:respondent_delete": {"token": "not-a-signed-token"},
            "mailings:confirm": {"token": make_token(waiting, CONFIRM)},
            "comments:pledge_confirm": {"token": make_token(waiting, PLEDGE)},
            "mailings:manage": {"token": make_token(reader, MANAGE)},
            "mailings:unsubscribe": {"token": make_token(reader, MANAGE)},
            "mailings:announcement_detail": {"pk": announcement.pk},
            "mailings:announcement_edit": {"pk": announcement.pk},
            "mailings:announcement_status": {"pk": announcement.pk},
            "mailings:announcement_test": {"pk": announcement.pk},
            "mailings:announcement_send": {"pk": announcement.pk},
            "mailings:announcement_resend_unknown": {"pk": announcement.pk},
            "coding:answer": {"pk": answer.pk},
            "coding:apply": {"pk": answer.pk},
            "coding:remove": {"pk": answer.pk},
            "coding:mark_coded": {"pk": answer.pk},
            "coding:quote_create": {"pk": answer.pk},
            "coding:code_edit": {"pk": code.pk},
            "coding:quote_status": {"pk": quote.pk},
            "notices:detail": {"pk": notice.pk},
        }.get(name)
        if name in ("exports:detail", "exports:status", "exports:download"):
            job = ExportJob.objects.create(kind="responses", format="csv", requested_by=owner)
            export_job_run(job_id=job.pk)
            kwargs = {"pk": job.pk}
        if name.startswith("proposals:"):
            kwargs = _proposal_kwargs(name)
        if name in (
            "partners:staff_detail",
            "partners:staff_suspend",
            "partners:staff_token_revoke",
        ):
            from apps.partners.models import Partner

            kwargs = {"pk": Partner.objects.get_or_create(name="Walk partner")[0].pk}
        if name in ("partners:link_qr", "partners:link_flyer"):
            from apps.partners.models import Partner, PartnerLink
            from apps.surveys.models import Collector

            partner = Partner.objects.get_or_create(name="Walk partner")[0]
            link = partner.links.first()
            if link is None:
                collector = Collector.objects.create(
                    survey=version.survey, slug="walk-partner-link", name="Walk partner link"
                )
                link = PartnerLink.objects.create(partner=partner, collector=collector)
            kwargs = {"pk": link.pk}
        if name == "partners:accept":
            from apps.partners import services as partner_services
            from apps.partners.models import Partner

            partner = Partner.objects.get_or_create(name="Walk partner")[0]
            invitation = partner_services.partner_invite(
                partner=partner, email=f"walk{uuid.uuid4().hex[:8]}@example.org", by=None
            )
            kwargs = {"token": partner_services.invitation_token(invitation)}
        if name == "insights:open_view":
            view = SavedView.objects.create(user=owner, name="mine", page="insights:overview")
            kwargs = {"pk": view.pk}
        return reverse(name, kwargs=kwargs)

    return build


def _proposal_kwargs(name: str) -> dict | None:
    """A published version with a block, a comment and a finished document."""
    from apps.proposals import exporting, services
    from apps.proposals.models import ProposalExport
    from apps.proposals.selectors import proposal_current

    editor = make_user(Role.EDITOR)
    proposal = proposal_current()
    section = proposal.sections.get(key="tasks")
    block = services.evidence_block_add(
        section=section, kind="overview", filters={}, options={}, by=editor
    )
    version = services.version_save(proposal=proposal, note="", by=editor)
    services.version_publish(version=version, by=editor)
    comment = services.comment_submit(
        version=version,
        section_key="tasks",
        name="",
        organization="",
        role="other",
        state="CA",
        body="A comment on tasks.",
        language="en",
    )
    job = ProposalExport.objects.create(version=version, format="docx", requested_by=editor)
    exporting.proposal_export_run(job_id=job.pk)
    return {
        "proposals:section": {"key": "tasks"},
        "proposals:evidence_add": {"key": "tasks"},
        "proposals:block_refresh": {"key": "tasks", "pk": block.pk},
        "proposals:block_remove": {"key": "tasks", "pk": block.pk},
        "proposals:version": {"number": version.number},
        "proposals:publish": {"number": version.number},
        "proposals:withdraw": {"number": version.number},
        "proposals:export_request": {"number": version.number},
        "proposals:export": {"pk": job.pk},
        "proposals:export_status": {"pk": job.pk},
        "proposals:export_download": {"pk": job.pk},
        "proposals:moderate": {"pk": comment.pk},
        "proposals:dispose": {"pk": comment.pk},
        "proposals:public_version": {"number": version.number},
        "proposals:public_comment": {"number": version.number, "section": "tasks"},
        "proposals:public_thanks": {"number": version.number},
    }.get(name)


ROLES = [None, Role.REVIEWER, Role.EDITOR, Role.ADMINISTRATOR]


def _refused(client, url: str, user) -> None:
    """Both GET and POST are refused before the view does anything."""
    for method in (client.get, client.post):
        reply = method(url)
        if user is None:
            assert reply.status_code == 302, (method.__name__, url, reply.status_code)
            assert reply.url.startswith(reverse("accounts:login")), reply.url
        else:
            assert reply.status_code == 403, (method.__name__, url, reply.status_code)


@pytest.mark.parametrize("name", STAFF)
def test_anonymous_visitors_are_sent_to_sign_in(client, url_for, name):
    _refused(client, url_for(name), None)


@pytest.mark.parametrize("name", STAFF)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.name if r else "no-role")
def test_each_role_opens_exactly_the_staff_urls_it_may(client, url_for, name, role):
    user = make_user(role)
    client.force_login(user)
    url = url_for(name, user)
    needed = MINIMUM_ROLE[name]
    if (role.level if role else 0) < needed.level:
        _refused(client, url, user)
        return
    reply = client.get(url)
    assert reply.status_code in (200, 302, 405), (url, reply.status_code)
    if reply.status_code == 302:
        assert not reply.url.startswith(reverse("accounts:login")), (url, reply.url)
    if reply.status_code == 405:
        reply = client.post(url)
        assert reply.status_code in (200, 302, 400), (url, reply.status_code)


@pytest.mark.parametrize("name", sorted(POST_MINIMUM_ROLE))
@pytest.mark.parametrize("role", ROLES[1:], ids=lambda r: r.name)
def test_writes_on_mixed_pages_need_the_higher_role(client, url_for, name, role):
    """A role that may read such a page but not write gets 403 on POST (the check comes
    before the form is read); the writing role reaches the form."""
    assert MINIMUM_ROLE[name].level < POST_MINIMUM_ROLE[name].level
    if role.level < MINIMUM_ROLE[name].level:
        return  # covered by the walk above
    user = make_user(role)
    client.force_login(user)
    url = url_for(name, user)
    reply = client.post(url)
    if role.level < POST_MINIMUM_ROLE[name].level:
        assert reply.status_code == 403, (url, reply.status_code)
        assert client.get(url).status_code == 200, url
    else:
        assert reply.status_code in (200, 302, 400), (url, reply.status_code)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_urls_open_without_signing_in(client, url_for, name):
    if name == "accounts:logout":
        assert client.post(url_for(name)).status_code == 302
        return
    reply = client.get(url_for(name))
    assert reply.status_code in (200, 302, 404, 405), (name, reply.status_code)


def _admin_url(pattern: str) -> str:
    path = "/" + pattern
    for converter in ("<path:object_id>", "<id>", "<int:pk>"):
        path = path.replace(converter, "1")
    path = path.replace("<app_label>", "surveys")
    path = path.replace("<path:content_type_id>", "1").replace("<path:object_id>", "1")
    path = path.replace("<int:content_type_id>", "1")
    return path.replace("^", "").replace("$", "")


ADMIN_PATHS = sorted(
    {
        _admin_url(p)
        for n, p, _e in ADMIN
        if "<" not in _admin_url(p) and "(?P" not in p and n != "admin:logout"
    }
)


def test_every_admin_url_is_checked():
    assert len(ADMIN_PATHS) > 40
    assert not [p for p in ADMIN_PATHS if "<" in p]


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("role", [None, "no-role", Role.REVIEWER], ids=str)
def test_admin_urls_are_closed_below_editor(client, path, role):
    if role is not None:
        client.force_login(make_user(None if role == "no-role" else role))
    reply = client.get(path)
    if role is None:
        assert reply.status_code == 302, (path, reply.status_code)
        assert "login" in reply.url
    else:
        # Signed in without the admin's role: the 403 page, not a loop through sign-in.
        assert reply.status_code == 403, (path, reply.status_code)


def test_every_published_info_page_opens_for_anonymous_visitors(client, seeded):
    """Every page of the public site (pages:detail, PUBLIC above), including the privacy
    notice and the accessibility statement, opens without signing in."""
    from apps.pages.models import Page

    slugs = set()
    for page in Page.objects.published():
        reply = client.get(page.get_absolute_url())
        assert reply.status_code == 200, (page.slug, reply.status_code)
        slugs.add(page.slug)
    assert {"privacy", "accessibility"} <= slugs
