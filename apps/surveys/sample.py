"""Valid answers for any survey page, built from its questions.

Used by the test suite, `make bench` and the load test, so they all walk the real survey
the way a practitioner on the paid, frontline path does.
"""

from .models import SurveyPage
from .qtypes import qtype

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
        data.update(qtype(q).sample(q, choices, role_tasks))
    return data
