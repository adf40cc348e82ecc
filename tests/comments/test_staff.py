import pytest
from django.conf import settings
from django.db.models import Count

from apps.comments.models import SubmissionRecord

pytestmark = pytest.mark.django_db
URL = "/staff/comments/"


def _records(state: str, role: str, n: int) -> None:
    SubmissionRecord.objects.bulk_create(
        SubmissionRecord(state=state, role=role, tracking_hash="") for _ in range(n)
    )


@pytest.fixture(autouse=True)
def exact_unless_marked(request, settings):
    """The hand-counted figures below are compared without the cell-key noise; a test
    marked `noisy` keeps it."""
    if "noisy" not in request.keywords:
        settings.INSIGHTS_NOISE = False


@pytest.mark.noisy
def test_with_the_noise_counts_pass_the_disclosure_layer(survey):
    from apps.comments.selectors import submission_counts
    from apps.insights.disclosure import MAX_NOISE
    from apps.surveys.scales import US_STATES

    for i, (state, _name) in enumerate(US_STATES[:16]):
        _records(state, "frontline", 5 + i)
    counts = submission_counts()
    true = dict(SubmissionRecord.objects.values_list("state").annotate(n=Count("id")))
    shown = {row.key: row.n for row in counts["by_state"].rows}
    assert all(abs(shown[key] - true[key]) <= MAX_NOISE for key in true)
    assert shown != true  # the noise is on (16 cells: the chance all get 0 is 1 in 65,536)


def test_anonymous_is_sent_to_sign_in(client):
    reply = client.get(URL)
    assert reply.status_code == 302 and "/accounts/login/" in reply.url


def test_user_without_a_role_is_refused(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "editor", "administrator"])
def test_every_staff_role_sees_the_counts(client, survey, role, request):
    client.force_login(request.getfixturevalue(role))
    reply = client.get(URL)
    assert reply.status_code == 200
    assert "Submitted comments" in reply.content.decode()


def test_small_cells_are_suppressed_and_no_author_or_number_is_shown(client, survey, reviewer):
    assert settings.SUPPRESSION_MIN_N == 5
    _records("CA", "frontline", 7)
    _records("TX", "site_lead", 6)
    _records("NM", "tutor", 2)
    SubmissionRecord.objects.create(state="", role="", tracking_hash="f" * 64)
    client.force_login(reviewer)
    html = client.get(URL).content.decode()
    by_state = html.split('class="table table-sm counts-state"')[1].split("</table>")[0]
    assert "California" in by_state and ">7<" in by_state
    # New Mexico (2) is hidden; the next smallest (Not given, 1, already hidden) does not suffice,
    # so nothing below K is printed anywhere.
    assert ">2<" not in by_state and "&lt;5" not in by_state
    assert 'aria-hidden="true">x</span>' in by_state
    assert 'submission-total">16<' in html
    assert "f" * 64 not in html


def test_a_single_hidden_cell_hides_a_second_one(client, survey, reviewer):
    _records("CA", "frontline", 7)
    _records("TX", "frontline", 6)
    _records("NM", "frontline", 3)
    client.force_login(reviewer)
    html = client.get(URL).content.decode()
    by_state = html.split('class="table table-sm counts-state"')[1].split("</table>")[0]
    assert ">3<" not in by_state and ">6<" not in by_state  # complementary suppression
    assert ">7<" in by_state


def test_filter_by_notice_and_constant_queries(
    client, survey, reviewer, django_assert_max_num_queries
):
    from tests.notices.factories import make_notice

    notice = make_notice()
    _records("CA", "frontline", 6)
    SubmissionRecord.objects.bulk_create(
        SubmissionRecord(state="OR", role="tutor", notice=notice) for _ in range(5)
    )
    client.force_login(reviewer)
    html = client.get(f"{URL}?notice={notice.pk}").content.decode()
    by_state = html.split('class="table table-sm counts-state"')[1].split("</table>")[0]
    assert "Oregon" in by_state and "California" not in by_state
    assert client.get(f"{URL}?notice=abc").status_code == 200
    _records("WA", "coach", 50)
    with django_assert_max_num_queries(15):
        client.get(URL)


def test_the_page_with_pledges_needs_no_more_queries_as_they_grow(
    client, survey, reviewer, django_assert_max_num_queries
):
    from apps.comments.models import Pledge
    from tests.mailings.factories import make_subscriber

    client.force_login(reviewer)
    client.get(URL)
    for i in range(30):
        subscriber = make_subscriber(email=f"p{i}@example.org")
        Pledge.objects.create(
            subscriber=subscriber, confirmed_at=subscriber.consent_at, state="CA", role="tutor"
        )
    with django_assert_max_num_queries(15):
        html = client.get(URL).content.decode()
    assert 'class="pledge-total">30<' in html
