import pytest

from apps.accounts.roles import Role
from apps.coding import services
from apps.coding.selectors import agreement, cohen_kappa
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_kappa_matches_a_worked_example_by_hand(open_answer):
    """Two reviewers code the same 10 answers for the code "Planning".

    Both apply it to 4 answers, only A to 2, only B to 1, neither to 3 (n = 10).
    Observed agreement po = (4 + 3) / 10 = 0.70.
    A applies it to 6 of 10 (pA = 0.6), B to 5 of 10 (pB = 0.5).
    Chance agreement pe = pA·pB + (1 − pA)(1 − pB) = 0.6·0.5 + 0.4·0.5 = 0.30 + 0.20 = 0.50.
    kappa = (po − pe) / (1 − pe) = (0.70 − 0.50) / 0.50 = 0.40.

    "Everyday" is applied by both reviewers to all 10: po = 1, pe = 1·1 + 0·0 = 1, so kappa
    is undefined (0/0) and reported as None. An eleventh answer coded by A only, and A's
    second (span) application on an answer, change nothing: agreement is answer-level over
    answers both coded.
    """
    editor = make_user(Role.EDITOR)
    planning = services.code_create(by=editor, name_en="Planning")
    everyday = services.code_create(by=editor, name_en="Everyday")
    a, b = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    answers = [open_answer(f"Answer number {i}. It has two sentences.") for i in range(11)]
    pattern = ["both"] * 4 + ["a"] * 2 + ["b"] * 1 + ["neither"] * 3
    for answer, who in zip(answers[:10], pattern, strict=True):
        for coder, mark in ((a, who in ("both", "a")), (b, who in ("both", "b"))):
            services.answer_mark_coded(answer_id=answer.pk, coder=coder)
            services.application_add(answer_id=answer.pk, code_id=everyday.pk, coder=coder)
            if mark:
                services.application_add(answer_id=answer.pk, code_id=planning.pk, coder=coder)
    services.application_add(answer_id=answers[0].pk, code_id=planning.pk, coder=a, start=0, end=6)
    services.application_add(answer_id=answers[10].pk, code_id=planning.pk, coder=a)

    result = agreement({}, coder_a=a, coder_b=b)

    assert result["n"] == 10
    rows = {row.label: row for row in result["rows"]}
    p = rows["Planning"]
    assert (p.both, p.only_a, p.only_b, p.neither) == (4, 2, 1, 3)
    assert p.observed == pytest.approx(0.70)
    assert p.kappa == pytest.approx(0.40)
    e = rows["Everyday"]
    assert e.observed == pytest.approx(1.0)
    assert e.kappa is None


def test_kappa_formula_edge_cases():
    assert cohen_kappa(0, 0, 0, 0)["kappa"] is None
    # Perfect agreement with both categories used: kappa 1.
    assert cohen_kappa(3, 0, 0, 2)["kappa"] == pytest.approx(1.0)
    # Complete disagreement, balanced: po 0, pe 0.5, kappa -1.
    assert cohen_kappa(0, 2, 2, 0)["kappa"] == pytest.approx(-1.0)
