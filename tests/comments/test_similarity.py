import uuid

import pytest

from apps.comments import similarity
from apps.comments.selectors import similarity_report
from apps.comments.services import draft_fingerprint_save
from apps.notices.models import SampleComment, TalkingPoint

from .helpers import builder_data

pytestmark = pytest.mark.django_db

LETTER = (
    "I coordinate an afterschool site at a middle school in Fresno. Every day I plan activities "
    "for sixty students, coach six part-time staff and call families when a child is absent. "
    "Last spring we started a garden club that the students run themselves. My employer lists "
    "me as a recreation worker, which does not describe any of this work. Please create a code "
    "for people who do what I do."
)


def _stored(text: str):
    return draft_fingerprint_save(key=uuid.uuid4(), text=text, notice=None, language="en")


def test_minhash_estimates_jaccard():
    a = similarity.shingles(LETTER)
    b = similarity.shingles(LETTER.replace("Fresno", "Modesto"))
    exact = similarity.jaccard(a, b)
    estimate = similarity.estimated_jaccard(
        similarity.signature(LETTER), similarity.signature(LETTER.replace("Fresno", "Modesto"))
    )
    assert 0.8 < exact < 1
    assert abs(estimate - exact) < 0.2
    assert (
        similarity.estimated_jaccard(
            similarity.signature(LETTER),
            similarity.signature(
                "Different words about summer camp swimming lessons and lifeguards today."
            ),
        )
        < 0.2
    )


def test_shingles_ignore_case_accents_and_punctuation():
    assert similarity.shingles("Él TRABAJA, con niños!") == similarity.shingles(
        "el trabaja con ninos"
    )


def test_nearly_identical_to_an_earlier_draft_is_flagged(survey):
    _stored(LETTER)
    copy = LETTER.replace("Fresno", "Modesto").replace("sixty", "seventy")
    report = similarity_report(text=copy)
    assert report.similar_drafts == 1 and report.has_warnings
    different = (
        "I teach swimming and water safety to children at a city pool in Duluth during the "
        "summer. I keep attendance, check ratios and talk with parents about progress."
    )
    assert similarity_report(text=different).similar_drafts == 0


def test_own_draft_does_not_count_against_itself(survey):
    mine = _stored(LETTER)
    assert similarity_report(text=LETTER, exclude_key=mine.key).similar_drafts == 0
    assert similarity_report(text=LETTER).similar_drafts == 1


def test_copying_the_talking_points_or_a_sample_is_flagged(survey):
    points = " ".join(p.text_en for p in TalkingPoint.objects.all()[:3])
    report = similarity_report(text=points + " I agree.")
    assert report.mostly_copied
    sample = SampleComment.objects.get(key="frontline")
    report = similarity_report(text=sample.body_es)
    assert report.similar_samples == [sample.role_en]
    own = similarity_report(text=LETTER)
    assert not own.has_warnings


def test_the_draft_page_warns_when_a_second_browser_sends_the_same_text(client, survey):
    from django.test import Client

    first = client.post("/comment/", builder_data()).content.decode()
    fields = {
        "fingerprint": first.split('name="fingerprint" value="')[1].split('"')[0],
        "language": "en",
    }
    reply = client.post("/comment/draft/", {"text": LETTER, "action": "check", **fields})
    assert "Your draft does not look like a copy" in reply.content.decode()
    # Checking again from the same browser does not warn about its own earlier check.
    again = client.post("/comment/draft/", {"text": LETTER, "action": "check", **fields})
    assert "nearly identical" not in again.content.decode()
    other = Client()
    second = other.post("/comment/", builder_data()).content.decode()
    other_fields = {
        "fingerprint": second.split('name="fingerprint" value="')[1].split('"')[0],
        "language": "en",
    }
    html = other.post(
        "/comment/draft/", {"text": LETTER + " Thanks!", "action": "check", **other_fields}
    ).content.decode()
    assert "Your draft is nearly identical to 1 other draft made here." in html
    assert "Add your own example" in html
