import re

import pytest
from django.conf import settings
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.core.text import render_markdown
from apps.pages.models import FAQEntry, Milestone, Page
from apps.pages.seeding import seed_content

pytestmark = pytest.mark.django_db


def _admin_url(model, obj) -> str:
    return reverse(f"admin:pages_{model}_change", args=[obj.pk])


def _page_form(page: Page, **changes) -> dict:
    data = {
        field: getattr(page, field)
        for field in [
            "slug",
            "nav_group",
            "nav_order",
            "block",
            "title_en",
            "title_es",
            "summary_en",
            "summary_es",
            "body_en",
            "body_es",
        ]
    }
    data["is_published"] = "on" if page.is_published else ""
    data.update(changes)
    return data


def test_admin_is_not_at_the_default_url(client):
    assert client.get("/admin/").status_code == 404
    assert settings.ADMIN_URL != "admin/"


def test_editor_edit_in_the_admin_shows_on_the_page_at_once(client, seeded, editor):
    client.force_login(editor)
    page = Page.objects.get(slug="vision")
    response = client.post(
        _admin_url("page", page),
        _page_form(page, body_en="A brand new **vision** text.", body_es="Una visión nueva."),
    )
    assert response.status_code == 302, response.content[:2000]
    html = client.get("/page/vision/").content.decode()
    assert "A brand new <strong>vision</strong> text." in html
    client.cookies["django_language"] = "es"
    assert "Una visión nueva." in client.get("/page/vision/").content.decode()


def test_content_edits_are_audited(client, seeded, editor):
    client.force_login(editor)
    page = Page.objects.get(slug="vision")
    client.post(_admin_url("page", page), _page_form(page, title_en="Our shared vision"))
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGED, object_id=str(page.pk))
    assert event.actor == editor
    assert event.object_type == "pages.page"


def test_editor_ending_a_milestone_moves_the_current_stage_on(client, seeded, editor):
    """Status comes from the dates: giving the current stage an end date in the past makes it
    done, and the timeline marks the next one as current."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.pages.selectors import milestone_list_with_current

    client.force_login(editor)
    _all, current = milestone_list_with_current()
    yesterday = timezone.localdate() - timedelta(days=1)
    Milestone.objects.filter(pk=current.pk).update(
        starts_on=yesterday - timedelta(days=30), ends_on=yesterday
    )
    assert Milestone.objects.get(pk=current.pk).status == Milestone.Status.DONE
    html = client.get("/page/timeline/").content.decode()
    _all, following = milestone_list_with_current()
    assert following.pk != current.pk
    marker = html.index('aria-current="step"')
    assert following.title_en in html[marker : marker + 2000]


def test_script_in_markdown_never_runs():
    html = render_markdown(
        "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "Hello" in html


def test_staff_script_in_an_faq_answer_is_shown_as_inert_text(client, seeded):
    FAQEntry.objects.create(
        key="xss", question_en="<b>Q</b>?", answer_en="<script>alert(1)</script>ok"
    )
    html = client.get("/page/faq/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;Q&lt;/b&gt;?" in html


def test_provisional_marker_becomes_a_visible_badge():
    html = render_markdown("Principle 4 applies. [provisional]")
    assert '<span class="badge-provisional">Provisional, to be verified</span>' in html


def test_seed_command_is_idempotent(db):
    first = seed_content()
    counts = {model: model.objects.count() for model in (Page, FAQEntry, Milestone)}
    second = seed_content()
    assert sum(first.values()) > 0
    assert sum(second.values()) == 0
    assert counts == {model: model.objects.count() for model in (Page, FAQEntry, Milestone)}


def test_seed_command_never_overwrites_or_restores_staff_edits(db):
    seed_content()
    Page.objects.filter(slug="vision").update(title_en="Edited by staff")
    FAQEntry.objects.order_by("order").first().delete()
    faq_count = FAQEntry.objects.count()
    seed_content()
    assert Page.objects.get(slug="vision").title_en == "Edited by staff"
    assert FAQEntry.objects.count() == faq_count


def test_every_seeded_text_exists_in_english_and_spanish(db):
    import json

    from apps.pages.seeding import SEED_FILE

    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    for section, items in data.items():
        for item in items:
            for key, value in item.items():
                if key.endswith("_en") and not key.startswith(("note", "provisional_reason")):
                    assert value.strip(), (section, key)
                    assert item[key[:-3] + "_es"].strip(), (section, key)
                elif key.endswith("_en") and value.strip():  # optional, but then in both
                    assert item[key[:-3] + "_es"].strip(), (section, key)


def test_citations_render_a_numbered_source_list_and_headings_get_safe_ids():
    html = render_markdown(
        "## Main\n\nA fact.[^a] [provisional: not checked yet]\n\n"
        "[^a]: [The source](https://example.org/a)"
    )
    assert 'id="main-section"' in html  # never the page's own <main id="main">
    assert 'class="references"' in html and "Sources" in html
    assert 'href="https://example.org/a"' in html
    assert re.search(r'<sup id="srcref-\w{6}-a"><a class="footnote-ref" href="#src-\w{6}-a"', html)
    assert '<span class="provisional-reason">(not checked yet)</span>' in html


def test_a_link_whose_address_is_dropped_keeps_only_its_text():
    """nh3 drops a javascript: address but kept the <a>: invalid HTML (the Nu checker's
    'Element “a” is missing required attribute “href”') that reads as a link."""
    from apps.core.text import render_markdown

    assert str(render_markdown("[x](javascript:alert(1))")) == "<p>x</p>"
    assert str(render_markdown('<a title="q" href="javascript:x">w</a>')) == "<p>w</p>"
    kept = str(render_markdown("[y](https://example.org)"))
    assert '<a href="https://example.org" rel="noopener noreferrer">y</a>' in kept
