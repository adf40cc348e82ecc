"""Who holds personal data keyed by an email address, so a deletion request reaches it all.

Each entry of settings.PERSONAL_DATA_DELETERS is the dotted path of an object with:

    label: str                      shown to the Administrator (translatable)
    count(*, email: str) -> int     how many records the address is linked to
    delete(*, email: str) -> int    delete them; returns how many were deleted

An app that stores email addresses (a mailing list, a comment form) writes such an object
and appends its path to the setting. The deletion-request page and its audit line then
include it with no change here.
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


class PersonalDataDeleter(Protocol):
    label: str

    def count(self, *, email: str) -> int: ...

    def delete(self, *, email: str) -> int: ...


@dataclass(frozen=True)
class Entry:
    key: str
    deleter: PersonalDataDeleter


def deleters() -> list[Entry]:
    """The registered deleters, in the order of the setting."""
    return [Entry(path, import_string(path)) for path in settings.PERSONAL_DATA_DELETERS]
