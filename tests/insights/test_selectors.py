"""Dashboard figures against numbers worked out by hand."""

import math

import pytest

from apps.insights import selectors
from apps.insights.suppression import Row, suppress_table

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("exact")]


def test_suppression_hides_small_cells_and_one_complement():
    rows = [Row("a", "A", 20), Row("b", "B", 3), Row("c", "C", 8), Row("d", "D", 0)]
    rows, total_hidden = suppress_table(rows)
    assert not total_hidden
    hidden = {r.key for r in rows if r.hidden}
    # B (3 < 5) is hidden; C, the next smallest, too, so B = total - A - C cannot be worked out.
    assert hidden == {"b", "c"}
    assert next(r for r in rows if r.key == "a").share == pytest.approx(100 * 20 / 31)
    assert next(r for r in rows if r.key == "d").hidden is False  # zero identifies no one


def test_suppression_hides_the_whole_table_when_the_total_is_small():
    rows, total_hidden = suppress_table([Row("a", "A", 2), Row("b", "B", 1)])
    assert total_hidden and all(r.hidden for r in rows)


def test_two_small_cells_need_no_extra_complement():
    rows, _ = suppress_table(
        [Row("a", "A", 30), Row("b", "B", 2), Row("c", "C", 4), Row("d", "D", 9)]
    )
    assert {r.key for r in rows if r.hidden} == {"b", "c"}


def test_task_figures_match_a_hand_computation(build):
    # T01 rated by 5 frontline workers, all yes (importance 5,4,4,3,2).
    imps = [5, 4, 4, 3, 2]
    for imp in imps:
        build(ratings={"T01": (True, imp, 5), "T02": (True, 2, 1)})
    stats = {s.task.code: s for s in selectors.task_table({})}
    t01 = stats["T01"]
    assert t01.n == 5 and t01.relevant == 5
    assert t01.relevance_pct == pytest.approx(100.0)
    mean = sum(imps) / 5
    sd = math.sqrt(sum((x - mean) ** 2 for x in imps) / 4)
    assert t01.importance_mean == pytest.approx(mean)
    assert t01.importance_sd == pytest.approx(sd)
    assert t01.ci_low == pytest.approx(mean - 1.96 * sd / math.sqrt(5))
    assert t01.frequency[4]["share"] == pytest.approx(100.0)  # all said "daily" (5)
    assert t01.modal_frequency == 5
    assert t01.classification == "core"  # 100% relevant, mean 3.6
    assert stats["T02"].classification == "supplemental"  # 100% relevant but mean 2.0


def test_task_with_fewer_than_k_relevant_answers_hides_its_statistics(build):
    for rel in [True, True, False, False, False, False]:
        build(ratings={"T05": (rel, 5 if rel else None, 3 if rel else None)})
    t05 = next(s for s in selectors.task_table({}) if s.task.code == "T05")
    # 2 of 6: the share times n would give the 2 away, so it is hidden too.
    assert not t05.hidden and t05.relevance_pct is None
    assert t05.stats_hidden and t05.importance_mean is None and t05.classification == ""


def test_a_task_label_says_no_more_than_its_hidden_relevance(build):
    """T05: 9 respondents, 4 say no, so the share is hidden (4 is under K). "Supplemental",
    worked from the true 5/9 beside a mean of 4, told an attacker that 3 or 4 said no (1 or
    2 would make it core): no label. T06: 40 respondents, 3 say no; every hidden value
    (1..4 no) gives "core", so the label stays: it says no more than which count is small."""
    for i in range(40):
        ratings = {"T06": (True, 4, 3) if i < 37 else (False, None, None)}
        if i < 9:
            ratings["T05"] = (True, 4, 3) if i < 5 else (False, None, None)
        build(ratings=ratings)
    stats = {s.task.code: s for s in selectors.task_table({})}
    t05, t06 = stats["T05"], stats["T06"]
    assert t05.relevance_pct is None and t05.importance_mean == 4
    assert t05.classification == ""
    assert t06.relevance_pct is None and t06.classification == "core"
    assert selectors._hidden_relevance_core(5, 9, 4.0) == {True, False}
    assert selectors._hidden_relevance_core(37, 40, 4.0) == {True}
    assert selectors._hidden_relevance_core(37, 40, 2.5) == {False}  # importance decides
    assert selectors._hidden_relevance_core(3, 40, 4.0) == {False}  # 1..4 yes: never core


def test_overview_counts_and_suppresses_by_state(build):
    for _ in range(7):
        build(state="CA")
    for _ in range(2):
        build(state="TX")
    for _ in range(6):
        build(state="NY")
    data = selectors.overview({})
    assert data["total"] == 15
    states = {r.key: r for r in data["by_state"].rows}
    assert states["CA"].n == 7 and not states["CA"].hidden
    assert states["TX"].hidden and states["NY"].hidden  # TX small, NY its complement


def test_filters_narrow_every_figure(build):
    for _ in range(6):
        build(role="site_lead", state="OR", ratings={"T21": (True, 4, 5)})
    for _ in range(6):
        build(role="frontline", state="CA", ratings={"T21": (False, None, None)})
    site_leads = {s.task.code: s for s in selectors.task_table({"role": "site_lead"})}
    assert site_leads["T21"].relevance_pct == pytest.approx(100.0)
    pooled = {s.task.code: s for s in selectors.task_table({})}
    assert pooled["T21"].relevance_pct == pytest.approx(50.0)
    assert selectors.overview({"state": "OR"})["total"] == 6


def test_flagged_and_excluded_responses_are_left_out_unless_asked(build):
    for _ in range(5):
        build()
    build(is_too_fast=True)
    build(is_excluded=True)
    assert selectors.overview({})["total"] == 5
    assert selectors.overview({"flagged": True})["total"] == 6


def test_job_titles_normalize_merge_and_hide_rare_titles(build):
    from apps.insights.models import TitleMapping

    for title in ["Group Leader", "group leader ", "Group-Leader", "group leader", "GROUP LEADER"]:
        build(answers={"job_title": title})
    for title in ["Activity leader"] * 5 + ["Rare unique title"]:
        build(answers={"job_title": title})
    data = selectors.job_titles({})
    canonical = {c["title"]: c["n"] for c in data["canonical"]}
    assert canonical["group leader"] == 5
    assert "rare unique title" not in canonical and "hidden_titles" not in data
    TitleMapping.objects.create(normalized="group leader", canonical="Youth program leader")
    TitleMapping.objects.create(normalized="activity leader", canonical="Youth program leader")
    canonical = {c["title"]: c["n"] for c in selectors.job_titles({})["canonical"]}
    assert canonical == {"Youth program leader": 10}


def test_job_titles_written_with_and_without_accents_are_one_title(build):
    """ "Líder de grupo" typed on a phone without the accent was a second title: two halves
    of one group, each under K and hidden. Counted together now, shown as most wrote it."""
    from apps.insights.models import TitleMapping

    decomposed = "Li\u0301der de grupo"  # the accent typed as a mark of its own
    titles = ["Líder de grupo"] * 2 + [decomposed, "lider de grupo", "LIDER DE GRUPO"]
    for title in titles + ["Tutor"] * 5:
        build(answers={"job_title": title})
    data = selectors.job_titles({})
    canonical = {c["title"]: c["n"] for c in data["canonical"]}
    assert canonical == {"líder de grupo": 5, "tutor": 5}
    assert [v["normalized"] for v in data["variants"]] == ["líder de grupo", "tutor"]
    # A tie is shown with its accents; a merge made under either spelling applies to both.
    build(answers={"job_title": "lider de grupo"})
    canonical = {c["title"]: c["n"] for c in selectors.job_titles({})["canonical"]}
    assert canonical["líder de grupo"] == 6
    TitleMapping.objects.create(normalized="lider de grupo", canonical="Group leader")
    canonical = {c["title"]: c["n"] for c in selectors.job_titles({})["canonical"]}
    assert canonical == {"Group leader": 6, "tutor": 5}


def test_the_funnel_is_compared_with_the_last_step_shown():
    """A hidden step between two shown ones: the later one is still never shown above the
    earlier, when its true count is not more."""
    from apps.insights.disclosure import Row as Shown

    rows = [Shown("a", "A", 48), Shown("b", "B", None, hidden=True), Shown("c", "C", 50)]
    selectors._never_rising(rows, [47, 3, 46])
    assert [r.n for r in rows] == [48, None, 48]
    rows = [Shown("a", "A", 48), Shown("b", "B", None, hidden=True), Shown("c", "C", 50)]
    selectors._never_rising(rows, [47, 3, 49])  # more people reached it: left as shown
    assert [r.n for r in rows] == [48, None, 50]


def test_crosswalk_shares_and_fit(build):
    for _ in range(9):
        build(answers={"crosswalk_code": "39-9032", "crosswalk_fit": "3"})
    for _ in range(6):
        build(answers={"crosswalk_code": "39-9011", "crosswalk_fit": "2"})
    for _ in range(4):
        build(answers={"crosswalk_code": "none"})
    data = selectors.crosswalk({})
    rows = {r.key: r for r in data["pooled"].rows}
    assert rows["39-9032"].n == 9 and rows["39-9032"].share == pytest.approx(100 * 9 / 19)
    assert rows["39-9032"].fit_mean == pytest.approx(3.0)
    assert rows["none"].hidden  # 4 < 5
    # 39-9011 (6) is hidden with it, else 19 - 9 - 6 would give the 4; so is its fit mean.
    assert rows["39-9011"].hidden and rows["39-9011"].fit_mean is None
    assert data["none_share"] is None


def test_workforce_quartiles_and_suppression(build):
    hours = [10, 15, 20, 25, 30, 40]
    for h in hours:
        build(answers={"hours_per_week": h, "hourly_rate": 18})
    numbers = {m["key"]: m for m in selectors.workforce_profile({})["numbers"]}
    assert numbers["hours_per_week"]["n"] == 6
    assert numbers["hours_per_week"]["median"] == pytest.approx(22.5)
    assert numbers["hours_per_week"]["p25"] == pytest.approx(16.25)
    assert numbers["hours_per_week"]["mean"] == pytest.approx(sum(hours) / 6)
    assert numbers["years_in_field"]["median"] is None  # nobody answered


def test_open_answers_never_show_contact_details(build):
    build(answers={"describe_work": "<script>alert(1)</script> I run the homework club"})
    answers = list(selectors.open_answers({}, search="homework"))
    assert len(answers) == 1


def test_funnel_counts_every_page_for_complete_responses(build):
    for _ in range(5):
        build()
    funnel = selectors.completion_funnel({})
    assert funnel.rows[0].n == 5  # started
    assert funnel.rows[-1].n == 5  # submitted


def test_an_importance_interval_stays_within_the_scale(build):
    """Ten ratings of 1 and 5 give mean 1.4, SD 1.26: mean - 1.96 SE is 0.62, below the
    lowest point of the scale; the interval is clipped to it and the task still reads as
    imprecise by its whole width."""
    for i in range(10):
        build(ratings={"T01": (True, 5 if i == 0 else 1, 5)})
    t01 = {s.task.code: s for s in selectors.task_table({})}["T01"]
    assert t01.ci_low == 1 and t01.ci_high <= 5
    assert t01.importance_mean - t01.ci_low < 0.78
