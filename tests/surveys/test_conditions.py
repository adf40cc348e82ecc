"""Skip logic (apps/surveys/conditions.py): which questions and pages a respondent sees, the
honest page-count estimate before the path is known, and the checks on a condition's JSON.

Pure functions, no database: `make mutation` runs this file against every mutant of the module.
"""

import json
from pathlib import Path

import pytest

from apps.surveys.conditions import condition_met, condition_possible, validate_condition

IN = {"question": "role", "in": ["lead", "aide"]}
NOT_IN = {"question": "crosswalk_code", "not_in": ["none", "dont_know"]}


@pytest.mark.parametrize(
    "condition, values, met",
    [
        # No condition: always shown.
        (None, {}, True),
        ({}, {"role": {"x"}}, True),
        # "in": any one of the answer's values is listed.
        (IN, {"role": {"lead"}}, True),
        (IN, {"role": {"aide", "other"}}, True),
        (IN, {"role": {"other"}}, False),
        (IN, {"role": set()}, False),
        (IN, {}, False),  # unanswered meets neither "in" ...
        # "not_in" (the seeded crosswalk follow-up): answered, and none of the values listed.
        (NOT_IN, {"crosswalk_code": {"39-9011"}}, True),
        (NOT_IN, {"crosswalk_code": {"none"}}, False),
        (NOT_IN, {"crosswalk_code": {"dont_know"}}, False),
        (NOT_IN, {"crosswalk_code": {"39-9011", "none"}}, False),
        (NOT_IN, {"crosswalk_code": set()}, False),
        (NOT_IN, {}, False),  # ... nor "not_in"
        (NOT_IN, {"other": {"39-9011"}}, False),
        # A condition without "in" or "not_in" does not hide anything.
        ({"question": "role"}, {}, True),
        # "all": every part; "any": at least one part.
        ({"all": [IN, NOT_IN]}, {"role": {"lead"}, "crosswalk_code": {"25-9031"}}, True),
        ({"all": [IN, NOT_IN]}, {"role": {"lead"}, "crosswalk_code": {"none"}}, False),
        ({"all": [IN, NOT_IN]}, {"role": {"x"}, "crosswalk_code": {"25-9031"}}, False),
        ({"all": []}, {}, True),
        ({"any": [IN, NOT_IN]}, {"role": {"x"}, "crosswalk_code": {"25-9031"}}, True),
        ({"any": [IN, NOT_IN]}, {"role": {"lead"}, "crosswalk_code": {"none"}}, True),
        ({"any": [IN, NOT_IN]}, {"role": {"x"}, "crosswalk_code": {"none"}}, False),
        ({"any": []}, {}, False),
        # Nested.
        ({"any": [{"all": [IN]}, {"question": "y", "in": ["yes"]}]}, {"y": {"yes"}}, True),
        ({"any": [{"all": [IN]}, {"question": "y", "in": ["yes"]}]}, {"y": {"no"}}, False),
    ],
)
def test_condition_met(condition, values, met):
    assert condition_met(condition, values) is met


@pytest.mark.parametrize(
    "condition, values, possible",
    [
        (None, {}, True),
        ({}, {}, True),
        # Not answered yet: could still go either way, for "in" and "not_in" alike.
        (IN, {}, True),
        (NOT_IN, {}, True),
        (NOT_IN, {"role": {"lead"}}, True),
        # Answered: the condition decides.
        (IN, {"role": {"lead"}}, True),
        (IN, {"role": {"other"}}, False),
        (NOT_IN, {"crosswalk_code": {"none"}}, False),
        (NOT_IN, {"crosswalk_code": {"39-9011"}}, True),
        # Answered with nothing (a skipped optional question) counts as answered.
        (NOT_IN, {"crosswalk_code": set()}, False),
        ({"all": [IN, NOT_IN]}, {"role": {"lead"}}, True),
        ({"all": [IN, NOT_IN]}, {"role": {"other"}}, False),
        ({"all": [IN, NOT_IN]}, {"crosswalk_code": {"none"}}, False),
        ({"any": [IN, NOT_IN]}, {"role": {"other"}}, True),  # crosswalk still open
        ({"any": [IN, NOT_IN]}, {"role": {"other"}, "crosswalk_code": {"none"}}, False),
        ({"any": [IN, NOT_IN]}, {"role": {"lead"}, "crosswalk_code": {"none"}}, True),
        ({"any": []}, {}, False),
        ({"all": []}, {}, True),
    ],
)
def test_condition_possible(condition, values, possible):
    assert condition_possible(condition, values) is possible


KNOWN = {"role": {"lead", "aide"}, "years": None}


@pytest.mark.parametrize(
    "condition, problems",
    [
        (None, []),
        ({}, []),
        ("role", ["A condition must be an object."]),
        (["role"], ["A condition must be an object."]),
        ({"question": "role", "in": ["lead"]}, []),
        ({"question": "role", "not_in": ["lead", "aide"]}, []),
        ({"question": "years", "in": ["anything", "goes"]}, []),  # None: any value allowed
        ({"question": "later", "in": ["x"]}, ["'later' is not an earlier question."]),
        ({"in": ["x"]}, ["'None' is not an earlier question."]),
        ({"question": "role"}, ["The condition on 'role' needs an 'in' or 'not_in' list."]),
        (
            {"question": "role", "in": "lead"},
            ["The condition on 'role' needs an 'in' or 'not_in' list."],
        ),
        (
            {"question": "role", "not_in": "lead"},
            ["The condition on 'role' needs an 'in' or 'not_in' list."],
        ),
        ({"question": "role", "in": ["lead", "boss", 3]}, ["'role' has no value boss, 3."]),
        ({"question": "role", "not_in": ["chief"]}, ["'role' has no value chief."]),
        ({"all": "x"}, ["'all' and 'any' take a list."]),
        ({"any": {"question": "role"}}, ["'all' and 'any' take a list."]),
        (
            {"all": [{"question": "role", "in": ["x"]}, {"question": "nope", "in": ["y"]}]},
            ["'role' has no value x.", "'nope' is not an earlier question."],
        ),
        (
            {"any": [{"question": "role", "in": ["lead"]}, {"question": "z", "in": []}]},
            ["'z' is not an earlier question."],
        ),
        ({"any": []}, []),
    ],
)
def test_validate_condition(condition, problems):
    assert validate_condition(condition, KNOWN) == problems


def test_the_seeded_crosswalk_follow_up_uses_not_in_and_validates():
    """The seed's crosswalk follow-up is shown only to those who picked a code."""
    seed = json.loads(
        (Path(__file__).resolve().parents[2] / "apps/surveys/seed/survey.json").read_text()
    )
    found = []

    def walk(node):
        if isinstance(node, dict):
            condition = node.get("condition")
            if isinstance(condition, dict) and "not_in" in condition:
                found.append(condition)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(seed)
    crosswalk = [c for c in found if c["question"] == "crosswalk_code"]
    assert crosswalk and set(crosswalk[0]["not_in"]) == {"none", "dont_know"}
    condition = crosswalk[0]
    assert condition_met(condition, {"crosswalk_code": {"39-9011"}})
    assert not condition_met(condition, {"crosswalk_code": {"dont_know"}})
    assert not condition_met(condition, {})
