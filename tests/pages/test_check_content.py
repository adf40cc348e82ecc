"""`manage.py check_content`: the seeded text passes, and each kind of problem is reported."""

import pytest
from django.core.management import call_command

from apps.pages.content_checks import content_problems
from apps.pages.models import FAQEntry, Milestone, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(seeded):
    from apps.notices.seeding import seed_toolkit
    from apps.surveys.seeding import seed_survey

    seed_survey()
    seed_toolkit()


def test_the_seeded_content_passes(content):
    assert content_problems() == []


def test_the_command_exits_non_zero_and_lists_each_problem(content, capsys):
    Page.objects.filter(slug="vision").update(body_es="")
    Page.objects.filter(slug="timeline").update(body_en="Source: link to be added.")
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_content", "--no-links")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "page vision body: Spanish empty" in err
    assert "page timeline body (en): placeholder 'link to be added'" in err


def test_command_passes_on_clean_content(content, capsys):
    call_command("check_content")
    assert "Content check passed." in capsys.readouterr().out


def _problems_after(slug: str, **fields) -> list[str]:
    Page.objects.filter(slug=slug).update(**fields)
    return content_problems()


def test_placeholders_are_reported(content):
    problems = _problems_after("vision", body_en="Lorem ipsum.", body_es="Texto TBD.")
    assert any("placeholder 'Lorem'" in p for p in problems)
    assert any("placeholder 'TBD'" in p for p in problems)


def test_spanish_todo_is_not_a_placeholder(content):
    assert not _problems_after("vision", body_en="All of it.", body_es="Todo el texto.")


def test_a_statistic_needs_a_source_in_its_paragraph(content):
    problems = _problems_after(
        "vision", body_en="Some 62% of staff stay.", body_es="Un 62 % del personal se queda."
    )
    assert any("statistic '62%' without a source" in p for p in problems)
    assert any("statistic '62 %' without a source" in p for p in problems)
    cited = (
        "Some 62% of staff stay.[^s]\n\n[^s]: [Survey](https://example.org/s)",
        "Un 62 % del personal se queda.[^s]\n\n[^s]: [Encuesta](https://example.org/s)",
    )
    assert not _problems_after("vision", body_en=cited[0], body_es=cited[1])


def test_a_provisional_statistic_needs_its_reason(content):
    bare = _problems_after(
        "vision",
        body_en="About 600,000 workers. [provisional]",
        body_es="Unas 600,000 personas. [provisional]",
    )
    assert any("without a reason" in p for p in bare)
    assert any("statistic '600,000' without a source" in p for p in bare)
    assert not _problems_after(
        "vision",
        body_en="About 600,000 workers. [provisional: source not confirmed]",
        body_es="Unas 600,000 personas. [provisional: fuente sin confirmar]",
    )


def test_citations_and_source_lines_must_match(content):
    problems = _problems_after(
        "vision",
        body_en="Fact.[^a]\n\n[^b]: [B](https://example.org/b)",
        body_es="Dato.[^a]\n\n[^b]: [B](https://example.org/b)",
    )
    assert any("citation [^a] has no source line" in p for p in problems)
    assert any("source [^b] is never cited" in p for p in problems)


def test_broken_internal_links_and_anchors_are_reported(content):
    problems = _problems_after(
        "vision",
        body_en="See [x](/page/nope/) and [y](/page/faq/#no-such-question).",
        body_es="Vea [x](/page/nope/) y [y](/page/faq/#no-such-question).",
    )
    assert any("broken link '/page/nope/' (HTTP 404)" in p for p in problems)
    assert any("missing anchor #no-such-question" in p for p in problems)
    key = FAQEntry.objects.first().key
    assert not _problems_after(
        "vision",
        body_en=f"See [y](/page/faq/#faq-{key}).",
        body_es=f"Vea [y](/page/faq/#faq-{key}).",
    )


def test_english_and_spanish_out_of_step_are_reported(content):
    problems = _problems_after(
        "vision",
        body_en="One.\n\nTwo with [a link](/page/faq/).\n\n[[survey-status]]",
        body_es="Uno.",
    )
    joined = "\n".join(problems)
    assert "differ in paragraphs (3 vs 1)" in joined
    assert "differ in links (1 vs 0)" in joined
    assert "differ in live-state tokens" in joined


def test_a_provisional_milestone_needs_its_reason(content):
    Milestone.objects.filter(key="final-decisions").update(is_provisional=True)
    assert any(
        "milestone final-decisions provisional_reason" in p for p in content_problems(links=False)
    )


def test_the_toolkit_and_notices_are_checked_too(content):
    from apps.notices.models import Notice, ToolkitSection

    section = ToolkitSection.objects.published().first()
    ToolkitSection.objects.filter(pk=section.pk).update(body_es="")
    Notice.objects.update(how_to_submit_en="The form takes about 5,000 characters.")
    problems = content_problems(links=False)
    assert f"toolkitsection {section.key} body: Spanish empty" in problems
    assert any("notice 2024-12825 how_to_submit (en): statistic '5,000'" in p for p in problems)


@pytest.mark.parametrize(
    "en, es",
    [
        (
            "The federal comment window on job codes is open. Tell them what you do.",
            "Está abierto el periodo de comentarios federal. Cuénteles lo que hace.",
        ),
        (
            "This is the moment practitioners can comment; see get involved.",
            "El periodo de comentarios sobre los códigos ya está abierto.",
        ),
        (
            # The home page said this beside pages saying no window is open.
            "**The window is open now.** The government is revising the list for 2028.",
            "Está abierto el periodo de comentarios para la revisión de 2028.",
        ),
    ],
)
def test_a_text_saying_a_comment_window_is_open_is_reported(content, en, es):
    """Whether a window is open follows the notices' dates: a seeded sentence saying so
    contradicts the live status box the day it closes (a toolkit post did)."""
    from apps.notices.models import SocialPost

    post = SocialPost.objects.published().first()
    SocialPost.objects.filter(pk=post.pk).update(text_en=en, text_es=es)
    problems = content_problems(links=False)
    for language in ("en", "es"):
        where = f"socialpost {post.key} text ({language}): states that a comment window"
        assert any(where in p for p in problems)


def test_a_closed_or_future_window_is_not_reported(content):
    Page.objects.filter(slug="vision").update(
        body_en="When the comment window is open, write in your own words. The window closed.",
        body_es="Cuando el periodo de comentarios se abra, escriba con sus palabras.",
    )
    assert not [p for p in content_problems(links=False) if "comment window is open" in p]
