"""The shape of a personal-data deleter (settings.PERSONAL_DATA_DELETERS): each app that keeps
an email address subclasses RowsByEmail beside its models (apps.<app>.privacy)."""

from django.db import transaction


class RowsByEmail:
    """A deleter whose rows for an address are one queryset (`_rows`): counted, then deleted
    in one transaction. Subclasses set `label` and `_rows`."""

    label = ""

    def _rows(self, email: str):
        raise NotImplementedError

    def count(self, *, email: str) -> int:
        return self._rows(email).count()

    @transaction.atomic
    def delete(self, *, email: str) -> int:
        rows = self._rows(email)
        count = rows.count()
        rows.delete()
        return count
