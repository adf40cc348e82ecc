import pytest

from apps.surveys.models import Survey
from apps.surveys.seeding import seed_survey


@pytest.fixture
def survey(db):
    seed_survey()
    return Survey.objects.get(slug="ost-roles-duties")


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    """Export files go to a fresh folder per test, never to var/exports."""
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR
