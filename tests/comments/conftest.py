import pytest

from apps.notices.seeding import seed_toolkit
from apps.surveys.models import Survey
from apps.surveys.seeding import seed_survey


@pytest.fixture
def survey(seeded):
    seed_survey()
    seed_toolkit()
    return Survey.objects.get(slug="ost-roles-duties")
