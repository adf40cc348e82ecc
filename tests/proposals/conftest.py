import pytest

from apps.proposals.seeding import seed_proposal
from tests.insights.conftest import build, survey  # noqa: F401  (shared response builder)


@pytest.fixture(autouse=True)
def exact_unless_marked(request, settings):
    """Hand-worked numbers below are compared without the cell-key noise; tests marked
    `noisy` keep it (the noise itself is tested in tests/insights/test_disclosure.py)."""
    if "noisy" not in request.keywords:
        settings.INSIGHTS_NOISE = False


@pytest.fixture
def proposal(db):
    from apps.proposals.models import Proposal

    seed_proposal()
    return Proposal.objects.get(key="ost-soc")


@pytest.fixture
def data(build):  # noqa: F811
    """12 frontline and 3 site-lead responses: T01 core, T02 supplemental, T03 too few raters;
    8 "group leader" titles, 3 "fun coach" (below K), crosswalk 10 × 39-9011, 5 × 39-9032."""
    responses = []
    for i in range(15):
        role = "frontline" if i < 12 else "site_lead"
        ratings = {"T01": (True, 4, 5), "T02": (i % 3 != 0, 2, 3)}
        if i < 2:
            ratings["T03"] = (True, 5, 5)
        answers = {
            "job_title": "Group Leader" if i < 8 else ("fun coach" if i < 11 else "Youth Worker"),
            "crosswalk_code": "39-9011" if i < 10 else "39-9032",
            "crosswalk_fit": "3",
            "education": "bachelor" if i < 9 else "some_college",
            "hours_per_week": 20 + i,
        }
        responses.append(
            build(role=role, state="CA" if i < 13 else "TX", ratings=ratings, answers=answers)
        )
    return responses


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Spanish leaves Spanish active in this thread; later tests expect English."""
    from django.utils import translation

    yield
    translation.activate("en")
