"""Valid answers for any survey page, built from the page's questions (server side)."""

import re

from django.urls import reverse

from apps.surveys.models import Question, Response

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


def page_data(page, choices: dict | None = None, *, role_tasks=(), action="next") -> dict:
    """POST data answering every question on the page validly."""
    choices = {**PAID_FRONTLINE, **(choices or {})}
    data: dict = {"action": action}
    for q in page.question_list:
        key, t = q.key, q.type
        if t in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
            data[key] = f"Answer to {key}"
        elif t in (Question.Type.SINGLE_CHOICE, Question.Type.SCALE):
            values = [c.value for c in q.choice_list]
            data[key] = choices.get(key, values[0]) if choices.get(key) in values else values[0]
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
            for task in role_tasks:
                data[f"task_{task.code}_rel"] = "yes"
                data[f"task_{task.code}_imp"] = "4"
                data[f"task_{task.code}_freq"] = "5"
    return data


def start(client, survey) -> Response:
    response = client.post(survey.get_absolute_url())
    assert response.status_code == 302, response.content[:500]
    public_id = re.search(r"/survey/r/([0-9a-f-]+)/", response.url).group(1)
    return Response.objects.get(public_id=public_id)


def page_url(response: Response, key: str) -> str:
    return reverse("surveys:page", kwargs={"public_id": response.public_id, "page_key": key})


def current_key(http_response) -> str:
    return http_response.url.rstrip("/").split("/")[-1]


def complete(client, survey, choices: dict | None = None) -> tuple[Response, list[str]]:
    """Answer every page the respondent's path shows; returns the response and pages seen."""
    from apps.surveys.selectors import tasks_for_role, version_structure

    response = start(client, survey)
    structure = version_structure(response.version)
    key = structure.pages[0].key
    seen = []
    role = {**PAID_FRONTLINE, **(choices or {})}["role"]
    role_tasks, _others = tasks_for_role(role)
    for _ in range(len(structure.pages) + 1):
        seen.append(key)
        page = structure.page(key)
        reply = client.post(page_url(response, key), page_data(page, choices, role_tasks=role_tasks))
        assert reply.status_code == 302, (key, reply.content.decode()[:3000])
        if "/thanks/" in reply.url:
            response.refresh_from_db()
            return response, seen
        key = current_key(reply)
    raise AssertionError(f"never reached the thank-you page: {seen}")
