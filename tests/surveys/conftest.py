import pytest

from apps.surveys.models import Survey
from apps.surveys.seeding import seed_survey


@pytest.fixture
def survey(db):
    seed_survey()
    return Survey.objects.get(slug="ost-roles-duties")
