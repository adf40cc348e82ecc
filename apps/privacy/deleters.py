"""Who can find and delete personal data by email address (one per inventory entry that
stores an address; see apps/privacy/inventory.py).

Each deleter lives beside the models it deletes from (apps.<app>.privacy); the names here stay
the keys of settings.PERSONAL_DATA_DELETERS and of the deletion audit lines."""

from apps.mailings.privacy import subscribers
from apps.pages.privacy import contact_messages
from apps.surveys.privacy import survey_responses

__all__ = ["contact_messages", "subscribers", "survey_responses"]
