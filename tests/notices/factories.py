"""make_notice(**overrides): a published notice; dates are Eastern Time wall clock."""

import itertools
from datetime import datetime

from apps.notices.models import EASTERN, Notice

_counter = itertools.count(1)


def et(*args) -> datetime:
    """An aware datetime from Eastern Time wall-clock parts: et(2026, 3, 9, 23, 59)."""
    return datetime(*args, tzinfo=EASTERN)


def make_notice(**kwargs) -> Notice:
    n = next(_counter)
    kwargs.setdefault("title_en", f"Second notice {n}")
    kwargs.setdefault("title_es", f"Segundo aviso {n}")
    kwargs.setdefault("citation", f"91 FR {10000 + n}")
    kwargs.setdefault("document_number", f"2026-{n:05d}")
    kwargs.setdefault("docket_id", f"BLS-2026-{n:04d}")
    kwargs.setdefault("opens_at", et(2026, 6, 1, 0, 0))
    kwargs.setdefault("closes_at", et(2026, 8, 3, 23, 59))
    kwargs.setdefault("submission_url", "https://www.regulations.gov/docket/BLS-2026-0001")
    kwargs.setdefault("summary_en", "The committee proposes changes.")
    kwargs.setdefault("summary_es", "El comité propone cambios.")
    kwargs.setdefault("is_published", True)
    notice = Notice(**kwargs)
    notice.full_clean()
    notice.save()
    return notice
