"""Valid answers for any survey page, built from its questions.

Used by the test suite, `make bench` and the load test, so they all walk the real survey
the way a practitioner on the paid, frontline path does.
"""

from .models import Question, SurveyPage, Task

PAID_FRONTLINE = {
    "consent": "yes",
    "eligibility": "paid",
    "role": "frontline",
    "supervises": "no",
    "pay_type": "hourly",
    "follow_up": "no",
    "quote_consent": "anonymous",
    "crosswalk_code": "39-9032",
}


def sample_page_data(
    page: SurveyPage, choices: dict | None = None, *, role_tasks=(), action: str = "next"
) -> dict:
    """POST data answering every question on the page validly (first choice unless told)."""
    choices = {**PAID_FRONTLINE, **(choices or {})}
    data: dict = {"action": action}
    for q in page.question_list:
        key, t = q.key, q.type
        if t in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
            data[key] = f"Answer to {key}"
        elif t in (Question.Type.SINGLE_CHOICE, Question.Type.SCALE):
            values = [c.value for c in q.choice_list]
            data[key] = choices[key] if choices.get(key) in values else values[0]
            if any(c.is_other and c.value == data[key] for c in q.choice_list):
                data[f"{key}__other"] = "Something else"
        elif t == Question.Type.MULTI_CHOICE:
            data[key] = [q.choice_list[0].value]
            if q.choice_list[0].is_other:
                data[f"{key}__other"] = "Something else"
        elif t == Question.Type.YES_NO:
            data[key] = choices.get(key, "yes")
        elif t == Question.Type.NUMBER:
            data[key] = f"{(q.min_value if q.min_value is not None else 1).normalize():f}"
        elif t == Question.Type.STATE_ZIP:
            data[f"{key}__state"], data[f"{key}__zip3"] = "TX", "787"
        elif t == Question.Type.TIME_USE:
            shares = [100] + [0] * (len(q.choice_list) - 1)
            for c, share in zip(q.choice_list, shares, strict=True):
                data[f"{key}__{c.value}"] = str(share)
        elif t == Question.Type.EMAIL:
            data[key] = "practitioner@example.org"
        elif t == Question.Type.TASK_MATRIX:
            # The same data serves every duties step: the checklist reads `key` (every role
            # task checked), each rating screen reads its tasks' importance and frequency.
            data[key] = [task.code for task in role_tasks]
            for task in role_tasks:
                data.update(_rate(task))
    return data


def _rate(task: Task) -> dict:
    return {
        f"task_{task.code}_rel": "yes",
        f"task_{task.code}_imp": "4",
        f"task_{task.code}_freq": "5",
    }
