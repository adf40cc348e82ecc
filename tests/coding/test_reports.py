import pytest

from apps.accounts.roles import Role
from apps.coding import services
from apps.coding.selectors import cooccurrence, frequencies
from apps.insights.disclosure import Tally, shown_count
from apps.insights.suppression import k
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(db):
    editor = make_user(Role.EDITOR)
    families = services.code_create(by=editor, name_en="Families")
    calls = services.code_create(by=editor, name_en="Calls", parent=families)
    planning = services.code_create(by=editor, name_en="Planning")
    safety = services.code_create(by=editor, name_en="Safety")
    return {"families": families, "calls": calls, "planning": planning, "safety": safety}


def _code(open_answer, coder, code_list, **kwargs):
    answer = open_answer(**kwargs)
    for code in code_list:
        services.application_add(answer_id=answer.pk, code_id=code.pk, coder=coder)
    return answer


def test_frequencies_by_role_are_suppressed_and_roll_up_sub_codes(open_answer, codes, settings):
    settings.INSIGHTS_NOISE = False  # hand-worked counts (the noise: tests below)
    assert k() == 5
    reviewer, second = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    for _ in range(6):
        _code(open_answer, reviewer, [codes["planning"]], role="tutor")
    for _ in range(5):
        _code(open_answer, reviewer, [codes["planning"]], role="site_lead")
    for _ in range(2):
        answer = _code(open_answer, reviewer, [codes["planning"]], role="frontline")
        # A second reviewer coding the same answer does not count the respondent twice.
        services.application_add(answer_id=answer.pk, code_id=codes["planning"].pk, coder=second)
    for _ in range(3):
        _code(open_answer, reviewer, [codes["families"]], role="tutor")
    for _ in range(3):
        _code(open_answer, reviewer, [codes["calls"]], role="tutor")
    excluded = _code(open_answer, reviewer, [codes["planning"]], role="tutor")
    excluded.response.is_excluded = True
    excluded.response.save()

    data = frequencies({})
    rows = {row.label: row for row in data["role"]["rows"]}
    planning = {cell.key: cell for cell in rows["Planning"].cells}
    assert rows["Planning"].total == 13 and not rows["Planning"].total_hidden
    assert planning["tutor"].n == 6 and not planning["tutor"].hidden
    assert planning["frontline"].hidden  # 2 < K: primary suppression
    assert planning["site_lead"].hidden  # the next smallest: complementary suppression
    # The parent's row counts respondents with it or its sub-code: 3 + 3 = 6.
    families = rows["Families"]
    assert families.is_parent and families.total == 6
    assert {c.key: c.n for c in families.cells}["tutor"] == 6
    calls = rows["Families › Calls"]
    assert calls.total is None and calls.total_hidden
    assert rows["Safety"].total == 0

    # Only the second reviewer's codes.
    only_second = frequencies({}, coder=second)
    second_rows = {row.label: row for row in only_second["role"]["rows"]}
    assert second_rows["Planning"].total is None and second_rows["Planning"].total_hidden
    # Filters as on the dashboards.
    tutors = frequencies({"role": "tutor"})
    assert {r.label: r.total for r in tutors["role"]["rows"]}["Planning"] == 6


def test_frequencies_by_setting_use_the_setting_labels(open_answer, codes, settings):
    settings.INSIGHTS_NOISE = False
    reviewer = make_user(Role.REVIEWER)
    for _ in range(5):
        _code(open_answer, reviewer, [codes["safety"]], setting="camp")
    data = frequencies({})
    assert ("camp", "Camp") in data["setting"]["columns"]
    safety = next(r for r in data["setting"]["rows"] if r.label == "Safety")
    assert {c.key: c.n for c in safety.cells}["camp"] == 5


def test_cooccurrence_counts_codes_on_the_same_answer(open_answer, build, codes, settings):
    settings.INSIGHTS_NOISE = False
    reviewer = make_user(Role.REVIEWER)
    p, s, c = codes["planning"], codes["safety"], codes["calls"]
    for _ in range(5):
        _code(open_answer, reviewer, [p, s])
    _code(open_answer, reviewer, [p, c])
    # One respondent, two different answers: the codes are not "together".
    response = build(answers={"describe_work": "I keep kids safe.", "change_one_thing": "Pay."})
    first, second = response.answers.filter(question__key__in=["describe_work", "change_one_thing"])
    services.application_add(answer_id=first.pk, code_id=s.pk, coder=reviewer)
    services.application_add(answer_id=second.pk, code_id=c.pk, coder=reviewer)

    data = cooccurrence({})
    labels = [label for _code_obj, label in data["codes"]]
    matrix = {row["label"]: dict(zip(labels, row["cells"], strict=True)) for row in data["rows"]}
    assert matrix["Planning"]["Safety"]["n"] == 5
    assert not matrix["Planning"]["Safety"]["hidden"]
    assert matrix["Safety"]["Planning"]["n"] == 5  # symmetric
    assert matrix["Planning"]["Families › Calls"]["n"] is None  # 1: not even in the data
    assert matrix["Planning"]["Families › Calls"]["hidden"]
    assert matrix["Planning"]["Planning"]["n"] == 6  # diagonal: respondents with the code
    assert matrix["Safety"]["Safety"]["diagonal"]
    assert matrix["Safety"]["Families › Calls"]["n"] == 0
    assert matrix["Families"]["Safety"]["n"] == 0 and not matrix["Families"]["Safety"]["hidden"]


def _people(answers) -> Tally:
    """The tally of the respondents behind these answers, worked out here from their ids."""
    ids = {a.response_id for a in answers}
    return Tally(len(ids), sum(ids))


def test_coding_counts_pass_through_the_disclosure_layer(open_answer, codes, settings):
    """With the noise on, every count of the coding reports is the layer's shown count of
    the respondents behind it: the same respondents get the same figure on the frequencies
    and co-occurrence pages (and in their CSVs), hidden cells stay hidden."""
    settings.INSIGHTS_NOISE = True
    reviewer = make_user(Role.REVIEWER)
    planning, safety = codes["planning"], codes["safety"]
    tutors = [_code(open_answer, reviewer, [planning, safety], role="tutor") for _ in range(24)]
    leads = [_code(open_answer, reviewer, [planning], role="site_lead") for _ in range(9)]
    front = [_code(open_answer, reviewer, [planning], role="frontline") for _ in range(2)]

    data = frequencies({})
    row = next(r for r in data["role"]["rows"] if r.label == "Planning")
    cells = {cell.key: cell for cell in row.cells}
    assert row.total == shown_count(_people(tutors + leads + front))
    assert cells["tutor"].n == shown_count(_people(tutors))
    assert cells["frontline"].hidden and cells["frontline"].n is None  # 2: primary
    assert cells["site_lead"].hidden and cells["site_lead"].n is None  # complementary
    assert not cells["tutor"].hidden

    matrix = cooccurrence({})
    labels = [label for _code_obj, label in matrix["codes"]]
    by_label = {r["label"]: dict(zip(labels, r["cells"], strict=True)) for r in matrix["rows"]}
    # The diagonal is the code's total on the frequencies page: the same figure.
    assert by_label["Planning"]["Planning"]["n"] == row.total
    assert by_label["Planning"]["Safety"]["n"] == shown_count(_people(tutors))
    assert by_label["Safety"]["Planning"]["n"] == by_label["Planning"]["Safety"]["n"]
    assert by_label["Safety"]["Safety"]["n"] == shown_count(_people(tutors))


def test_coding_counts_are_noisy_but_never_a_small_count(open_answer, codes, settings):
    """Over several group sizes, the shown counts differ from the true ones by the layer's
    bounded noise at least once, and a group of 1..K-1 is never shown."""
    settings.INSIGHTS_NOISE = True
    reviewer = make_user(Role.REVIEWER)
    differences = set()
    answers = []
    for size in range(1, 16):
        answers.append(_code(open_answer, reviewer, [codes["safety"]], role="tutor"))
        if size % 3:
            continue
        row = next(r for r in frequencies({})["role"]["rows"] if r.label == "Safety")
        if size < k():
            assert row.total is None and row.total_hidden
            continue
        assert row.total == shown_count(_people(answers))
        differences.add(row.total - size)
        assert abs(row.total - size) <= 2 and row.total >= k()
    row = next(r for r in frequencies({"role": "frontline"})["role"]["rows"] if r.label == "Safety")
    assert row.total == 0 and not row.total_hidden
    assert differences != {0}  # the noise is there
    one = _code(open_answer, reviewer, [codes["planning"]], role="frontline")
    planning = next(r for r in frequencies({})["role"]["rows"] if r.label == "Planning")
    assert planning.total is None and planning.total_hidden and one
