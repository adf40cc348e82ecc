"""Drafts of survey pages (what was typed before the page was sent) expire with the resume
period: the nightly retention job deletes them; a page sent since holds no draft."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from apps.privacy.inventory import INVENTORY
from apps.privacy.services import retention_purge
from apps.surveys.models import Response, ResponsePage, Survey
from apps.surveys.seeding import seed_survey

pytestmark = pytest.mark.django_db


def test_drafts_older_than_the_resume_period_are_purged_newer_ones_kept():
    seed_survey()
    version = Survey.objects.get(slug="ost-roles-duties").versions.get()
    response = Response.objects.create(version=version, language="en")
    now = timezone.now()
    days = settings.SURVEY_RESUME_DAYS
    old = ResponsePage.objects.create(
        response=response,
        page_key="role",
        seen_at=now - timedelta(days=days + 2),
        draft={"job_title": ["Group leader"]},
        draft_at=now - timedelta(days=days + 1),
    )
    fresh = ResponsePage.objects.create(
        response=response,
        page_key="setting",
        seen_at=now,
        draft={"months_per_year": ["10"]},
        draft_at=now - timedelta(days=days - 1),
    )
    saved = ResponsePage.objects.create(
        response=response, page_key="eligibility", seen_at=now, saved_at=now
    )
    counts = retention_purge(now=now)
    assert counts == {"survey-drafts:surveys.ResponsePage": 1}
    assert not ResponsePage.objects.filter(pk=old.pk).exists()
    assert ResponsePage.objects.filter(pk__in=[fresh.pk, saved.pk]).count() == 2
    assert retention_purge(now=now) == {}  # idempotent


def test_the_privacy_notice_states_the_drafts_period():
    entry = next(e for e in INVENTORY if e.key == "survey-drafts")
    assert entry.retention_days == settings.SURVEY_RESUME_DAYS
    assert "surveys.ResponsePage.draft" in entry.model_fields
