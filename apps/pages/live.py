"""What the public pages say about the survey, the sign-up, the comment window and the draft.

Every such sentence is computed from data here, so a page can never say "not open yet" beside
a working form. Editors put a token in the Markdown (for example `[[survey-status]]`); it is
replaced by the sentence for the live state (templates/pages/live/<name>.html), in the
visitor's language. Each sentence carries `data-live="<token>:<state>"` so tests can check it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils import timezone

# Survey states
SURVEY_OPEN, SURVEY_UPCOMING, SURVEY_CLOSED, SURVEY_NONE = "open", "upcoming", "closed", "none"

TOKENS = ("survey-status", "signup-status", "notice-status", "draft-status")


@dataclass(frozen=True)
class LiveState:
    survey: object | None  # the survey the state refers to (open, next to open, or last closed)
    survey_state: str
    survey_opens_at: datetime | None
    signup_enabled: bool
    notice: object | None  # apps.notices.selectors.NoticeDisplay or None
    draft: object | None  # the latest published ProposalVersion or None
    # The time the open survey states on its own landing page (apps.surveys.stated_time): the
    # shortest and the longest role's path (equal once real times exist), in the language
    # active when the state was read; None when no survey is open.
    survey_minutes: tuple[int, int] | None = None

    @property
    def survey_open(self) -> bool:
        return self.survey_state == SURVEY_OPEN

    @property
    def notice_state(self) -> str:
        return self.notice.status.state if self.notice is not None else "none"

    @property
    def draft_published(self) -> bool:
        return self.draft is not None


def _survey_state(now) -> tuple[object | None, str]:
    from apps.surveys.selectors import survey_open_list

    surveys = list(survey_open_list())
    open_now = [s for s in surveys if s.is_open(now)]
    if open_now:
        return open_now[0], SURVEY_OPEN
    upcoming = sorted((s for s in surveys if s.has_not_opened(now)), key=lambda s: s.opens_at)
    if upcoming:
        return upcoming[0], SURVEY_UPCOMING
    if surveys:
        return surveys[0], SURVEY_CLOSED
    return None, SURVEY_NONE


def _draft():
    from apps.proposals.selectors import version_published_of_first_proposal

    return version_published_of_first_proposal()


def live_state(now=None) -> LiveState:
    """The live state of everything public pages talk about (a handful of small queries)."""
    from apps.notices.selectors import current_notice_cached, notice_display
    from apps.surveys.stated_time import survey_stated_range

    from .selectors import updates_signup_enabled

    now = now or timezone.now()
    survey, state = _survey_state(now)
    notice = current_notice_cached()
    return LiveState(
        survey=survey,
        survey_state=state,
        survey_opens_at=getattr(survey, "opens_at", None),
        signup_enabled=updates_signup_enabled(),
        notice=notice_display(notice, now=now) if notice is not None else None,
        draft=_draft(),
        survey_minutes=survey_stated_range(survey) if state == SURVEY_OPEN else None,
    )


def live_state_or_none() -> LiveState | None:
    try:
        return live_state()
    except DatabaseError:  # a status sentence must never take a page down with it
        return None


def render_token(token: str, state: LiveState | None, *, inline: bool = False) -> str:
    """The HTML sentence for one token in the live state ("" when the state is unknown):
    a paragraph, or a span when the token stands inside a sentence."""
    if state is None or token not in TOKENS:
        return ""
    template = f"pages/live/{token.replace('-', '_')}.html"
    return render_to_string(template, {"live": state, "inline": inline}).strip()
