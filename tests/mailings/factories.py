"""make_subscriber(**overrides) and make_announcement(**overrides) for the mailings tests."""

import itertools
import secrets

from django.utils import timezone

from apps.mailings.models import Announcement, Subscriber

_counter = itertools.count(1)


def make_subscriber(**kwargs) -> Subscriber:
    n = next(_counter)
    kwargs.setdefault("email", f"reader{n}@example.org")
    kwargs.setdefault("language", "en")
    kwargs.setdefault("status", Subscriber.Status.CONFIRMED)
    kwargs.setdefault("wants_survey_news", True)
    kwargs.setdefault("wants_comment_window", True)
    kwargs.setdefault("wants_proposal_drafts", False)
    kwargs.setdefault("key", secrets.token_hex(16))
    if kwargs["status"] == Subscriber.Status.CONFIRMED:
        kwargs.setdefault("consent_at", timezone.now())
    subscriber = Subscriber(**kwargs)
    subscriber.full_clean()
    subscriber.save()
    return subscriber


def make_announcement(**kwargs) -> Announcement:
    kwargs.setdefault("topic", "survey_news")
    kwargs.setdefault("subject_en", "The survey is open")
    kwargs.setdefault("subject_es", "La encuesta está abierta")
    kwargs.setdefault("body_en", "Tell us about **your work**.\n\n- one\n- two")
    kwargs.setdefault("body_es", "Cuéntenos sobre **su trabajo**.\n\n- uno\n- dos")
    announcement = Announcement(**kwargs)
    announcement.full_clean()
    announcement.save()
    return announcement
