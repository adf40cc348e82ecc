"""The data inventory (apps/privacy/inventory.py) is complete and is what the privacy notice,
the retention job and erasure by email address actually use."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.utils import timezone

from apps.core.models import AuditEvent
from apps.mailings.models import Subscriber
from apps.pages.models import ContactMessage
from apps.privacy import services
from apps.privacy.inventory import INVENTORY, NOT_PERSONAL, STAFF_CONTENT_MODELS, retention_days

pytestmark = pytest.mark.django_db

# A field "looks personal" by its name or its kind.
PERSONAL_NAME = re.compile(
    r"(^|_)(e?mail|ip|ip_address|name|username|text|body|message|note|fingerprint|token|"
    r"hash|digest|phone|address|user_agent|signature|session_data|post_data|get_data|"
    r"change_message|organization|actor_label|value)(_|$)"
)
CHECKED_APPS = (
    "apps.",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.sessions",
    "axes",
    "django_otp",
)


def _looks_personal(field: models.Field) -> bool:
    if isinstance(field, models.EmailField | models.GenericIPAddressField):
        return True
    if isinstance(field, models.TextField):
        return True  # free text
    return bool(PERSONAL_NAME.search(field.name))


def _personal_fields() -> list[str]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith(CHECKED_APPS):
            continue
        label = model._meta.label
        if label in STAFF_CONTENT_MODELS:
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created:
                continue
            if isinstance(field, models.BooleanField | models.DateTimeField | models.DateField):
                continue
            if _looks_personal(field):
                found.append(f"{label}.{field.name}")
    return found


def test_every_field_that_looks_personal_is_in_the_inventory():
    declared = {place for entry in INVENTORY for place in entry.model_fields}
    missing = [f for f in _personal_fields() if f not in declared and f not in NOT_PERSONAL]
    assert not missing, (
        "Fields that look personal but are not in apps/privacy/inventory.py (add them to an "
        f"entry, or to NOT_PERSONAL with the reason): {missing}"
    )


def test_the_walk_would_catch_a_new_personal_field(monkeypatch):
    """Proof the test above can fail: a model gaining `phone_number` is reported."""
    field = models.CharField(max_length=20)
    field.set_attributes_from_name("phone_number")
    field.model = ContactMessage
    real = ContactMessage._meta.get_fields

    monkeypatch.setattr(ContactMessage._meta, "get_fields", lambda *a, **k: [*real(*a, **k), field])
    declared = {place for entry in INVENTORY for place in entry.model_fields}
    missing = [f for f in _personal_fields() if f not in declared and f not in NOT_PERSONAL]
    assert missing == ["pages.ContactMessage.phone_number"]


def test_every_declared_place_exists():
    for entry in INVENTORY:
        for place in entry.model_fields:
            app_label, model_name, field_name = place.split(".")
            model = apps.get_model(app_label, model_name)
            model._meta.get_field(field_name)  # raises when renamed or removed
        for purge in entry.purges:
            apps.get_model(purge.model)._meta.get_field(purge.date_field)
    for place in NOT_PERSONAL:
        app_label, model_name, field_name = place.split(".")
        apps.get_model(app_label, model_name)._meta.get_field(field_name)


def test_the_inventory_covers_what_the_brief_requires():
    keys = {entry.key for entry in INVENTORY}
    assert {
        "survey-answers",
        "respondent-contact",
        "resume-links",
        "survey-cookie",
        "comment-fingerprints",
        "rate-limit-keys",
        "contact-messages",
        "updates-subscribers",
        "staff-accounts",
        "audit-log",
    } <= keys


def test_every_entry_is_erasable_by_email_or_says_why_not():
    registered = set(settings.PERSONAL_DATA_DELETERS)
    for entry in INVENTORY:
        assert entry.deleter or entry.not_by_email, entry.key
        if entry.deleter:
            assert entry.deleter in registered, entry.key
    # and nothing is registered that the inventory does not explain
    assert registered <= {entry.deleter for entry in INVENTORY if entry.deleter}
    # an entry that stores an email address must have a deleter
    for entry in INVENTORY:
        if any(place.endswith(".email") for place in entry.model_fields) and entry.key != (
            "staff-accounts"
        ):
            assert entry.deleter, entry.key


def test_erasure_by_email_reaches_contact_messages_and_subscribers(administrator):
    ContactMessage.objects.create(
        email="ana@example.org", topic="general", message="Hola", language="es"
    )
    ContactMessage.objects.create(
        email="ANA@example.org", topic="general", message="Again", language="en"
    )
    keep = ContactMessage.objects.create(
        email="ben@example.org", topic="general", message="Hi", language="en"
    )
    Subscriber.objects.create(
        email="ana@example.org", language="es", key="k1", wants_survey_news=True
    )
    other = Subscriber.objects.create(
        email="ben@example.org", language="en", key="k2", wants_survey_news=True
    )
    counts = {
        key: count
        for key, _label, count in services.deletion_request_counts(email="Ana@Example.org")
    }
    assert counts["apps.privacy.deleters.contact_messages"] == 2
    assert counts["apps.privacy.deleters.subscribers"] == 1

    done = services.deletion_request_execute(email="ana@example.org", by=administrator)
    assert done["apps.privacy.deleters.contact_messages"] == 2
    assert done["apps.privacy.deleters.subscribers"] == 1
    assert list(ContactMessage.objects.all()) == [keep]
    assert list(Subscriber.objects.all()) == [other]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.DELETED).latest("created_at")
    assert "ana@example.org" not in str(event.details).lower()


def test_retention_purge_reads_its_periods_from_the_inventory(settings):
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 10
    settings.MAILINGS_INACTIVE_RETENTION_DAYS = 5
    assert retention_days("contact-messages") == 10
    now = timezone.now()
    old = ContactMessage.objects.create(
        email="a@example.org", topic="general", message="old", language="en"
    )
    recent = ContactMessage.objects.create(
        email="b@example.org", topic="general", message="new", language="en"
    )
    ContactMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=11))
    ContactMessage.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=9))
    lapsed = Subscriber.objects.create(
        email="gone@example.org",
        language="en",
        key="k3",
        status=Subscriber.Status.UNSUBSCRIBED,
        unsubscribed_at=now - timedelta(days=6),
    )
    active = Subscriber.objects.create(
        email="here@example.org",
        language="en",
        key="k4",
        status=Subscriber.Status.CONFIRMED,
        wants_survey_news=True,
        consent_at=now - timedelta(days=400),
    )
    Subscriber.objects.filter(pk=active.pk).update(created_at=now - timedelta(days=400))

    counts = services.retention_purge(now=now)

    assert not ContactMessage.objects.filter(pk=old.pk).exists()
    assert ContactMessage.objects.filter(pk=recent.pk).exists()
    assert not Subscriber.objects.filter(pk=lapsed.pk).exists()
    assert Subscriber.objects.filter(pk=active.pk).exists()  # subscribed: kept
    assert counts["contact-messages:pages.ContactMessage"] == 1
    # Changing the period in one place changes what the job deletes.
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 8
    services.retention_purge(now=now)
    assert not ContactMessage.objects.filter(pk=recent.pk).exists()


def test_the_retention_purge_is_a_nightly_beat_task():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention-purge"]
    assert entry["task"] == "apps.privacy.tasks.retention_purge"
    from apps.privacy.tasks import retention_purge

    assert retention_purge.delay().get(timeout=10) == {}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_privacy_page_renders_every_entry_of_the_inventory(seeded, language):
    from django.utils import translation

    client = Client()
    client.cookies["django_language"] = language
    html = client.get("/page/privacy/").content.decode()
    with translation.override(language):
        for entry in INVENTORY:
            assert f'id="data-{entry.key}"' in html
            assert str(entry.what).replace("'", "&#x27;") in html
            assert str(entry.how_to_delete).replace("'", "&#x27;") in html
            if entry.retention_days is not None:
                assert f"{entry.retention_days} " in html
    if language == "es":
        assert "Qué guardamos, para qué y por cuánto tiempo" in html
        assert "Your answers to the practitioner survey" not in html
