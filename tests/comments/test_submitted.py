from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.comments.models import SubmissionRecord
from apps.comments.services import submission_record

from .helpers import open_notice

pytestmark = pytest.mark.django_db
URL = "/comment/submitted/"


def test_recording_a_submission_keeps_only_role_state_and_a_hashed_number(client, survey):
    notice = open_notice()
    reply = client.post(
        URL, {"role": "site_lead", "state": "NM", "tracking_number": "LZ1-ABCD-9XYZ"}
    )
    assert reply.status_code == 302 and reply.url == reverse("comments:submitted_thanks")
    record = SubmissionRecord.objects.get()
    assert (record.role, record.state, record.notice) == ("site_lead", "NM", notice)
    assert "abcd" not in record.tracking_hash.lower() and len(record.tracking_hash) == 64


def test_the_same_tracking_number_counts_once(client, survey):
    open_notice()
    for number in ["lz1-abcd-9xyz", "LZ1-ABCD-9XYZ "]:
        client.post(URL, {"role": "", "state": "", "tracking_number": number})
    assert SubmissionRecord.objects.count() == 1
    client.post(URL, {"role": "", "state": "", "tracking_number": ""})
    client.post(URL, {"role": "", "state": "", "tracking_number": ""})
    assert SubmissionRecord.objects.count() == 3


def test_bad_input_gets_a_message_and_nothing_is_counted(client, survey):
    open_notice()
    reply = client.post(URL, {"role": "hacker", "state": "ZZ", "tracking_number": "<b>x</b>"})
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "A tracking number has only letters, digits and dashes" in html
    assert "<b>x</b>" not in html
    assert not SubmissionRecord.objects.exists()


def test_honeypot_and_rate_limit(client, survey, settings):
    open_notice()
    client.post(URL, {"role": "tutor", "website": "spam"})
    assert not SubmissionRecord.objects.exists()
    settings.COMMENT_RECORD_RATE_LIMIT = "2/h"
    codes = [client.post(URL, {"role": "tutor"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_service_is_idempotent_per_tracking_number(survey):
    first = submission_record(
        notice=None, role="tutor", state="CA", tracking_number="abc-1234", language="en"
    )
    second = submission_record(
        notice=None, role="coach", state="TX", tracking_number="abc-1234", language="es"
    )
    assert first is not None and second is None


def test_nothing_is_counted_when_no_comment_window_is_open(client, survey):
    """With only a window that closed long ago (the seeded June 2024 notice), the page says
    there is nothing to count and a POST, even an empty one, records nothing."""
    now = timezone.now()
    open_notice(opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=340))
    page = client.get(URL)
    assert page.status_code == 200
    assert 'id="nothing-to-count"' in page.content.decode()
    assert "Count my comment" not in page.content.decode()
    reply = client.post(URL, {"role": "", "state": "", "tracking_number": ""})
    assert reply.status_code == 400
    assert not SubmissionRecord.objects.exists()


@pytest.mark.parametrize("closed_days_ago, counted", [(3, True), (20, False)])
def test_a_comment_reported_soon_after_the_window_closes_is_counted(
    client, survey, closed_days_ago, counted
):
    now = timezone.now()
    notice = open_notice(
        opens_at=now - timedelta(days=60 + closed_days_ago),
        closes_at=now - timedelta(days=closed_days_ago),
    )
    client.post(URL, {"role": "tutor", "state": "CA", "tracking_number": ""})
    assert list(SubmissionRecord.objects.values_list("notice", flat=True)) == (
        [notice.pk] if counted else []
    )


def test_the_error_summary_keeps_a_spanish_question_whole(client, survey):
    """ "¿Qué opción describe mejor su función principal?" lost its closing "?" in the error
    summary of the comment builder (the label's "?" was stripped, the "¿" kept)."""
    import re

    reply = client.post("/comment/?lang=es", {"story": "x"}, HTTP_ACCEPT_LANGUAGE="es")
    html = reply.content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    items = re.findall(r"<li[^>]*>(?:<a [^>]*>)?([^<]*)", summary)
    assert items and any(item.startswith("¿") for item in items)
    for item in items:
        if item.startswith("¿"):
            assert "?" in item.split(":")[0], item
