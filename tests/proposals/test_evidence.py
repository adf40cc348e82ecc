"""Evidence blocks show exactly the dashboards' figures, suppressed the same way."""

import json

import pytest
from django.utils import translation

from apps.insights import formatting
from apps.insights import selectors as insights
from apps.proposals import evidence, services
from apps.proposals.models import EvidenceBlock

pytestmark = pytest.mark.django_db


def _add(proposal, editor, kind, filters=None, options=None, key="tasks"):
    section = proposal.sections.get(key=key)
    return services.evidence_block_add(
        section=section, kind=kind, filters=filters or {}, options=options or {}, by=editor
    )


def test_task_block_matches_the_duties_selector(proposal, data, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.TASKS)
    rows = {row[0].split()[0]: row for row in block.snapshot["tables"][0]["rows"]}
    for stats in insights.task_table({}):
        row = rows[stats.task.code]
        assert row[1] == (formatting.HIDDEN_COUNT if stats.hidden else str(stats.n))
        if stats.relevance_pct is not None:
            assert row[2] == formatting.plain(stats.relevance_pct, stats.relevance_digits)
        if not stats.stats_hidden:
            assert row[3].startswith(formatting.plain(stats.importance_mean, 2))
        assert row[5] == (stats.classification or "—")
    assert rows["T01"][5] == "core" and rows["T02"][5] == "supplemental"
    # 10 of 15 (66.67%) is below the 67% threshold: never shown as "67" beside its label.
    assert rows["T02"][2] == "66.7" and rows["T01"][2] == "100"


def test_task_block_hides_statistics_of_a_task_rated_by_fewer_than_k(proposal, data, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.TASKS)
    t03 = next(r for r in block.snapshot["tables"][0]["rows"] if r[0].startswith("T03"))
    # Two raters: the count shows as <5 and no statistic is stored at all.
    assert t03[1:] == ["x", "—", "—", "—", "—"]


def test_job_title_block_lists_only_titles_from_at_least_k_people(proposal, data, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.JOB_TITLES, key="job-titles")
    selector = insights.job_titles({})
    rows = block.snapshot["tables"][0]["rows"]
    assert [(r[0], r[1]) for r in rows] == [
        (t["title"], str(t["n"])) for t in selector["canonical"]
    ]
    assert [r[0] for r in rows] == ["group leader"]
    assert "fun coach" not in json.dumps(block.snapshot)  # 3 people: never listed


def test_crosswalk_block_matches_the_crosswalk_selector(proposal, data, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.CROSSWALK, key="distinctness")
    pooled = insights.crosswalk({})["pooled"]
    rows = block.snapshot["tables"][0]["rows"]
    assert [r[1] for r in rows] == [str(r.n) for r in pooled.rows]
    assert [r[2] for r in rows] == [f"{r.share:.1f}" for r in pooled.rows]


def test_profile_block_matches_the_workforce_selector(proposal, data, editor):
    block = _add(
        proposal,
        editor,
        EvidenceBlock.Kind.PROFILE,
        options={"facts": ["hours_per_week", "education"]},
        key="education",
    )
    with translation.override("en"):  # snapshots are taken in English, the filing language
        profile = insights.workforce_profile({})
    hours = next(n for n in profile["numbers"] if n["key"] == "hours_per_week")
    numbers = block.snapshot["tables"][0]["rows"]
    assert numbers[0][1:4] == [str(hours["n"]), f"{hours['mean']:.1f}", f"{hours['median']:.1f}"]
    education = next(t for t in profile["tables"] if t.key == "education")
    assert block.snapshot["tables"][1]["rows"] == [
        [r.label, str(r.n), f"{r.share:.1f}"] for r in education.rows
    ]


def test_overview_block_uses_complementary_suppression_like_the_dashboard(proposal, data, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.OVERVIEW, key="employment")
    overview = insights.overview({})
    assert block.snapshot["facts"][0][1] == str(overview["total"]) == "15"
    roles = block.snapshot["tables"][0]["rows"]
    # 12 frontline and 3 site leads: the 3 is hidden, and so is its complement.
    assert [r[1] for r in roles] == ["x", "x"]
    assert all(r.hidden for r in overview["by_role"].rows)
    assert "12" not in [cell for r in roles for cell in r]


def test_filters_are_stored_and_applied(proposal, data, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.OVERVIEW, filters={"state": "CA"})
    assert block.filters == {"state": "CA"}
    assert block.snapshot["facts"][0][1] == "13"  # the 13 Californian respondents
    assert not block.snapshot.get("too_few")


def test_a_selection_under_k_gives_no_figure_at_all(proposal, data, editor):
    """Like every dashboard view (minimum query-set size): two Texan respondents give no
    table and no fact, whatever the kind, not even zeros or the categories present (a
    one-person state once showed its only role, setting and employer)."""
    for kind, key in (
        ("overview", "employment"),
        ("profile", "education"),
        ("job_titles", "job-titles"),
        ("crosswalk", "distinctness"),
        ("tasks", "tasks"),
    ):
        block = _add(proposal, editor, kind, filters={"state": "TX"}, key=key)
        assert block.filters == {"state": "TX"}
        assert block.snapshot == {
            "tables": [], "facts": [], "quotes": [], "k": 5, "too_few": True
        }, kind  # fmt: skip
        assert "frontline" not in json.dumps(block.snapshot).lower()
    assert insights.query_set_notice({"state": "TX"})
    assert not insights.query_set_notice({"state": "CA"})


def test_a_block_whose_selection_falls_under_k_loses_its_figures_at_refresh(proposal, data, editor):
    from apps.surveys import services as survey_services

    block = _add(proposal, editor, EvidenceBlock.Kind.CROSSWALK, filters={"state": "CA"})
    assert block.snapshot["tables"] and not block.snapshot.get("too_few")
    for response in data[:9]:  # 13 Californians, 4 left
        survey_services.response_set_excluded(response=response, excluded=True, by=editor)
    assert evidence.block_is_stale(block, stamp=evidence.data_stamp()) is True
    services.evidence_block_refresh(block=block, by=editor)
    assert block.snapshot["too_few"] and block.snapshot["tables"] == []


def test_a_block_of_too_few_says_so_on_the_page_and_in_the_documents(proposal, data, editor):
    from django.template.loader import render_to_string

    block = _add(proposal, editor, EvidenceBlock.Kind.OVERVIEW, filters={"state": "TX"})
    notices = {
        "en": "This selection has fewer than 5 responses, so no figures are shown.",
        "es": "Esta selección tiene menos de 5 respuestas, por lo que no se muestran cifras.",
    }
    for language, notice in notices.items():
        with translation.override(language):
            html = render_to_string("proposals/includes/_block.html", {"snapshot": block.snapshot})
            assert evidence.too_few_text(block.snapshot).startswith(notice)
        assert notice in " ".join(html.split())
    assert evidence.too_few_text({"k": 5, "tables": []}) == ""


def test_bad_filters_are_dropped_not_fatal(proposal, data, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.OVERVIEW, filters={"state": "ZZ", "x": 1})
    assert block.filters == {}


def test_every_block_kind_with_tiny_data_shows_no_small_count(proposal, build, editor):
    for _ in range(3):
        build(
            ratings={"T01": (True, 4, 5)},
            answers={"job_title": "Aide", "crosswalk_code": "39-9011", "education": "bachelor"},
        )
    for kind in ("tasks", "job_titles", "crosswalk", "profile", "overview"):
        snapshot = _add(proposal, editor, kind).snapshot
        assert snapshot["too_few"] and not snapshot["tables"] and not snapshot["facts"]
        assert "aide" not in json.dumps(snapshot).lower()


def test_block_is_fresh_until_the_data_change_then_stale(proposal, data, build, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.OVERVIEW)
    stamp = evidence.data_stamp()
    assert evidence.block_is_stale(block, stamp=stamp) is False
    build(state="NY")
    assert evidence.block_is_stale(block, stamp=evidence.data_stamp()) is True
    services.evidence_block_refresh(block=block, by=editor)
    assert evidence.block_is_stale(block, stamp=evidence.data_stamp()) is False
    assert block.snapshot["facts"][0][1] == "16"


def test_data_change_that_leaves_the_figures_alone_is_not_stale(proposal, data, build, editor):
    block = _add(proposal, editor, EvidenceBlock.Kind.OVERVIEW, filters={"state": "CA"})
    build(state="NY")  # a new response outside the block's filter
    assert evidence.block_is_stale(block, stamp=evidence.data_stamp()) is False


def test_a_fresh_stamp_needs_no_selector(proposal, data, editor, django_assert_max_num_queries):
    block = _add(proposal, editor, EvidenceBlock.Kind.TASKS)
    stamp = evidence.data_stamp()
    with django_assert_max_num_queries(0):
        assert evidence.block_is_stale(block, stamp=stamp) is False


def test_definition_draft_uses_core_and_supplemental_tasks(build):
    for i in range(15):
        build(ratings={"T01": (True, 4, 5), "T02": (i % 5 != 0, 2 + i % 2, 3)})
    draft = evidence.definition_draft()
    assert draft["required"].startswith("Plan and lead structured activities")
    assert draft["may"] == [
        "May supervise youth throughout program hours, transitions and off-site trips, keeping "
        "required adult-to-youth ratios and knowing where every participant is."
    ]


def test_definition_draft_leaves_out_imprecise_and_hidden_tasks(data):
    """T02 rated by 8 frontline respondents, T03 by 2: neither may shape the definition."""
    draft = evidence.definition_draft()
    assert draft["required"].startswith("Plan and lead structured activities")
    assert draft["may"] == [] and draft["left_out"] == 2
    assert "supervise youth" not in draft["text"].lower()


def test_definition_draft_is_one_roles_not_every_roles_pooled(build):
    """Relevance is the share among those asked about a task, mostly its own roles: pooled, a
    program manager's task (T33, shown to program managers) read as a required duty of the
    front-line occupation (found by a reviewer: 85% relevant among the 195 asked, 5.7% of all)."""
    for _ in range(12):
        build(role="frontline", ratings={"T01": (True, 4, 5)})
        build(role="program_manager", ratings={"T33": (True, 4, 5)})
    frontline = evidence.definition_draft()
    assert frontline["role"] == "frontline"
    assert "oversee operations" not in frontline["text"].lower()
    assert frontline["required"].startswith("Plan and lead structured activities")
    managers = evidence.definition_draft("program_manager")
    assert managers["required"].startswith("Oversee operations across several program sites")
    assert "plan and lead" not in managers["text"].lower()


def test_definition_draft_joins_several_core_tasks(build):
    for _ in range(10):
        build(ratings={"T01": (True, 4, 5), "T02": (True, 4, 5), "T04": (True, 5, 5)})
    required = evidence.definition_draft()["required"]
    assert required.count("; ") == 2 and "; and " in required and required.endswith(".")


@pytest.mark.noisy
def test_with_the_noise_blocks_show_the_dashboard_figures_not_the_true_ones(proposal, data, editor):
    from apps.insights.disclosure import MAX_NOISE

    block = _add(proposal, editor, EvidenceBlock.Kind.OVERVIEW, key="tasks")
    overview = insights.overview({})
    assert block.snapshot["facts"][0][1] == str(overview["total"])
    assert abs(overview["total"] - 15) <= MAX_NOISE
    tasks = _add(proposal, editor, EvidenceBlock.Kind.TASKS)
    rows = {row[0].split()[0]: row for row in tasks.snapshot["tables"][0]["rows"]}
    for stats in insights.task_table({}):
        assert rows[stats.task.code][1] == (
            formatting.HIDDEN_COUNT if stats.hidden else str(stats.n)
        )


def test_a_block_frozen_with_under_k_shows_the_neutral_mark_and_its_legend():
    """Blocks frozen before the mark held "<5", untrue for a complementary cell: shown as x."""
    from django.template.loader import render_to_string

    snapshot = {"k": 5, "facts": [["Complete responses", "<5"]], "tables": [], "quotes": []}
    for language, legend in (("en", "x = hidden: fewer than 5"), ("es", "x = oculto: menos de 5")):
        with translation.override(language):
            html = render_to_string("proposals/includes/_block.html", {"snapshot": snapshot})
        assert "&lt;5" not in html and 'aria-hidden="true">x</span>' in html
        assert legend in html
    assert formatting.is_hidden_mark("x") and formatting.is_hidden_mark("<5")
    assert not formatting.is_hidden_mark("12") and not formatting.is_hidden_mark("3.93")


def test_inserting_evidence_of_too_few_warns_the_editor_in_their_language(
    proposal, data, editor, client
):
    client.force_login(editor)
    url = "/staff/proposal/section/employment/evidence/"
    reply = client.post(url, {"kind": "overview", "state": "TX"}, HTTP_ACCEPT_LANGUAGE="es")
    assert reply.status_code == 302
    block = EvidenceBlock.objects.get(section__key="employment", filters={"state": "TX"})
    assert block.snapshot["too_few"]
    page = " ".join(client.get(reply.url, HTTP_ACCEPT_LANGUAGE="es").content.decode().split())
    notice = "Esta selección tiene menos de 5 respuestas, por lo que no se muestran cifras."
    assert page.count(notice) == 2  # the warning, and the block itself
    reply = client.post(url, {"kind": "overview", "state": "CA"})
    page = client.get(reply.url).content.decode()
    assert "The evidence is inserted with the current figures." in page
