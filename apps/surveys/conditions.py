"""Display conditions (skip logic), shared by pages and questions.

A condition is JSON: {"question": key, "in": [values]}, {"question": key, "not_in": [values]},
or {"all": [...]} / {"any": [...]} of those. Values are choice codes, "yes"/"no" for yes/no
questions, and whole numbers as text for scales. An unanswered question meets neither "in"
nor "not_in".
"""

from collections.abc import Mapping

Values = Mapping[str, set[str]]


def condition_met(condition: dict | None, values: Values) -> bool:
    if not condition:
        return True
    if "all" in condition:
        return all(condition_met(part, values) for part in condition["all"])
    if "any" in condition:
        return any(condition_met(part, values) for part in condition["any"])
    have = values.get(condition.get("question", ""), set())
    if "in" in condition:
        return bool(have & set(condition["in"]))
    if "not_in" in condition:
        return bool(have) and not (have & set(condition["not_in"]))
    return True


def condition_possible(condition: dict | None, values: Values) -> bool:
    """False only when the answers given so far already rule the condition out.

    Questions not answered yet count as "could still go either way": used to show the
    respondent an honest page count and time estimate before the path is known.
    """
    if not condition:
        return True
    if "all" in condition:
        return all(condition_possible(part, values) for part in condition["all"])
    if "any" in condition:
        return any(condition_possible(part, values) for part in condition["any"])
    if condition.get("question", "") not in values:
        return True
    return condition_met(condition, values)


def validate_condition(condition, known: Mapping[str, set[str] | None]) -> list[str]:
    """Problems with a condition, given the earlier questions' keys and their allowed values
    (None when any value is allowed). Used by the admin and the seed loader."""
    if not condition:
        return []
    if not isinstance(condition, dict):
        return ["A condition must be an object."]
    if "all" in condition or "any" in condition:
        parts = condition.get("all", condition.get("any"))
        if not isinstance(parts, list):
            return ["'all' and 'any' take a list."]
        return [problem for part in parts for problem in validate_condition(part, known)]
    key = condition.get("question")
    if key not in known:
        return [f"'{key}' is not an earlier question."]
    listed = condition.get("in", condition.get("not_in"))
    if not isinstance(listed, list):
        return [f"The condition on '{key}' needs an 'in' or 'not_in' list."]
    allowed = known[key]
    if allowed is not None:
        wrong = [value for value in listed if value not in allowed]
        if wrong:
            return [f"'{key}' has no value {', '.join(map(str, wrong))}."]
    return []
