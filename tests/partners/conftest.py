from datetime import timedelta

import pytest
from django.utils import timezone

from apps.partners.models import Partner, PartnerLink, PartnerMember
from apps.surveys.models import Answer, Collector, Response, Role, Survey, Task, TaskRating
from apps.surveys.seeding import seed_survey
from apps.surveys.selectors import version_structure
from tests.factories import make_user


@pytest.fixture(autouse=True)
def exact(settings):
    """Figures without the cell-key noise, so tests can state exact counts (suppression
    stays). test_disclosure_reaches_partners.py runs with the noise."""
    settings.INSIGHTS_NOISE = False


@pytest.fixture
def survey(db):
    seed_survey()
    return Survey.objects.get(slug="ost-roles-duties")


@pytest.fixture
def respond(survey):
    """respond(collector, n=1, role=..., state=..., rated=True): n complete responses."""
    version = survey.versions.get()
    structure = version_structure(version)
    roles = {r.slug: r for r in Role.objects.all()}
    task = Task.objects.order_by("order").first()

    def make(collector, n=1, *, role="frontline", state="CA", setting="school_campus", days=1):
        made = []
        for _i in range(n):
            now = timezone.now() - timedelta(days=days)
            response = Response.objects.create(
                version=version,
                status=Response.Status.COMPLETE,
                started_at=now - timedelta(minutes=15),
                submitted_at=now,
                duration_seconds=900,
                role=roles[role],
                state=state,
                setting=setting,
                collector=collector,
                last_page_key="follow_up",
            )
            q = structure.questions["role"]
            choice = next(c for c in q.choice_list if c.value == role)
            Answer.objects.create(response=response, question=q, choice=choice)
            TaskRating.objects.create(
                response=response, task=task, is_relevant=True, importance=4, frequency=5
            )
            made.append(response)
        return made

    return make


def make_partner(survey, name: str, links: int = 1, target: int = 0) -> Partner:
    partner = Partner.objects.create(name=name, target_responses=target)
    for i in range(links):
        collector = Collector.objects.create(
            survey=survey,
            slug=f"{name.lower().replace(' ', '-')}-{i}",
            name=f"{name} link {i}",
            organization=name,
            channel=Collector.Channel.EMAIL,
        )
        PartnerLink.objects.create(partner=partner, collector=collector)
    return partner


def make_partner_user(partner: Partner):
    user = make_user()
    PartnerMember.objects.create(user=user, partner=partner)
    return user


@pytest.fixture
def partner_a(survey):
    return make_partner(survey, "Alpha Network", links=2, target=100)


@pytest.fixture
def partner_b(survey):
    return make_partner(survey, "Beta Clubs", links=1)


@pytest.fixture
def user_a(partner_a):
    return make_partner_user(partner_a)


@pytest.fixture
def user_b(partner_b):
    return make_partner_user(partner_b)
