"""A plain page POST's cheap path (issue 16): the state query compiled once per connection
(apps.core.compiled) and, on PostgreSQL, the whole save in one statement with the
submission record. Each test fails if that path serves another response's rows, a stale
version, writes to a submitted response or loses the double-tap guarantees."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core.exceptions import ApplicationError
from apps.surveys import services
from apps.surveys.forms import SurveyPageForm
from apps.surveys.models import (
    Answer,
    PageSubmission,
    Response,
    ResponsePage,
    ResumeToken,
    SurveyVersion,
)
from apps.surveys.selectors import response_answers, response_page_state, version_structure

from .helpers import page_data, page_url, start

pytestmark = pytest.mark.django_db

ROLE = {"action": "next", "role": "tutor", "job_title": "Tutor", "employer_name": "Y"}
ROLE_PAGE = ("role", "job_title", "employer_name", "supervises", "supervise_count")


def _to_role(client, survey) -> Response:
    response = start(client, survey)
    structure = version_structure(response.version)
    reply = client.post(page_url(response, "eligibility"), page_data(structure.page("eligibility")))
    assert reply.status_code == 302 and reply.url.endswith("/page/role/")
    return response


def _role_rows(response) -> list[tuple]:
    return sorted(
        Answer.objects.filter(response=response, question__key__in=ROLE_PAGE).values_list(
            "question__key", "choice__value", "text_value", "bool_value"
        ),
        key=repr,
    )


def _statements(queries) -> list[str]:
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(skip)]


def test_a_plain_page_post_stores_the_answers_the_page_state_and_the_submission(client, survey):
    response = _to_role(client, survey)
    data = {**ROLE, "supervises": "yes", "supervise_count": "3", "submission_key": "p" * 20}
    with CaptureQueriesContext(connection) as queries:
        reply = client.post(page_url(response, "role"), data)
    assert reply.status_code == 302 and reply.url.endswith("/page/time_use/")
    rows = _role_rows(response)
    assert rows == sorted(
        [
            ("role", "tutor", "", None),
            ("job_title", None, "Tutor", None),
            ("employer_name", None, "Y", None),
            ("supervises", None, "", True),
            ("supervise_count", None, "", None),
        ],
        key=repr,
    )
    assert Answer.objects.get(response=response, question__key="supervise_count").number_value == 3
    record = PageSubmission.objects.get(response=response, key="p" * 20)
    assert (record.page_key, record.target) == ("role", reply.url)
    state = ResponsePage.objects.get(response=response, page_key="role")
    assert state.saved_at is not None and state.draft is None
    response.refresh_from_db()
    assert (response.last_page_key, response.resume_page_key) == ("role", "time_use")
    assert response.role.slug == "tutor"
    statements = _statements(queries)
    if connection.vendor == "postgresql":
        # The locked state read, then one statement for the whole save with its replay check.
        assert len(statements) == 2, statements
        assert "FOR UPDATE" in statements[0] and statements[1].startswith("WITH earlier AS")
    # Saved again with other answers (a new key): the page's answers are replaced, not added.
    again = {**data, "job_title": "Lead", "supervises": "no", "submission_key": "q" * 20}
    del again["supervise_count"]
    assert client.post(page_url(response, "role"), again).status_code == 302
    assert [r for r in _role_rows(response) if r[0] in ("job_title", "supervises")] == [
        ("job_title", None, "Lead", None),
        ("supervises", None, "", False),
    ]
    assert not Answer.objects.filter(response=response, question__key="supervise_count").exists()
    assert PageSubmission.objects.filter(response=response).count() == 2


def test_a_replayed_plain_page_stores_nothing(client, survey):
    response = _to_role(client, survey)
    data = {**ROLE, "supervises": "no", "submission_key": "r" * 20}
    first = client.post(page_url(response, "role"), data)
    rows, updated = _role_rows(response), Response.objects.get(pk=response.pk).updated_at
    saved_at = ResponsePage.objects.get(response=response, page_key="role").saved_at
    record = PageSubmission.objects.values().get(response=response)
    ids = set(Answer.objects.filter(response=response).values_list("pk", flat=True))
    second = client.post(page_url(response, "role"), data)
    assert second.status_code == 302 and second.url == first.url
    assert _role_rows(response) == rows
    assert set(Answer.objects.filter(response=response).values_list("pk", flat=True)) == ids
    assert Response.objects.get(pk=response.pk).updated_at == updated
    assert ResponsePage.objects.get(response=response, page_key="role").saved_at == saved_at
    assert PageSubmission.objects.values().get(response=response) == record


def test_the_compiled_state_read_serves_each_response_its_own_rows(client, survey):
    one = _to_role(client, survey)
    client.post(page_url(one, "role"), {**ROLE, "supervises": "no"})
    other = _to_role(Client(), survey)
    owned = [str(one.public_id), str(other.public_id)]
    for _ in range(2):  # the second round runs the SQL compiled in the first
        for response in (one, other):
            found, structure, answers = response_page_state(response.public_id, owned)
            assert found.pk == response.pk and found.status == Response.Status.IN_PROGRESS
            assert sorted(answers) == sorted(response_answers(response))
            assert structure.version.pk == response.version_id
    assert len(response_answers(one)) > len(response_answers(other))
    assert response_page_state(one.public_id, [str(other.public_id)]) is None


def test_the_compiled_state_read_follows_a_version_change(client, survey):
    response = _to_role(client, survey)
    owned = [str(response.public_id)]
    before = response_page_state(response.public_id, owned)[1]
    assert response_page_state(response.public_id, owned)[1] is before  # cached per version
    # A change of the version's words bumps updated_at: the next read has the new structure.
    version = SurveyVersion.objects.get(pk=response.version_id)
    page = version.pages.get(key="role")
    page.title_en = "Your role, reworded"
    page.save()
    after = response_page_state(response.public_id, owned)[1]
    assert after is not before and after.page("role").title_en == "Your role, reworded"


def test_a_save_on_a_submitted_response_writes_nothing(client, survey):
    response = _to_role(client, survey)
    structure = version_structure(response.version)
    page = structure.page("role")
    form = SurveyPageForm({**ROLE, "supervises": "no"}, page=page, saved_values={})
    assert form.is_valid(), form.errors
    Response.objects.filter(pk=response.pk).update(status=Response.Status.COMPLETE)
    submission = services.Submission("s" * 20, "role", "d" * 64, "/next/")
    with pytest.raises(ApplicationError), transaction.atomic():
        services.response_page_save(
            response=response, form=form, submission=submission, resume_page_key="time_use"
        )
    assert _role_rows(response) == []
    assert not PageSubmission.objects.filter(response=response).exists()
    assert not ResponsePage.objects.filter(response=response, page_key="role").exists()
    assert Response.objects.get(pk=response.pk).last_page_key == "eligibility"


def _post_while_the_first_holds_the_lock(survey, cookies, url, first, second):
    """POST `first` from one thread and, while its transaction holds the response row
    (after its save, before its commit), `second` from another; their replies in order."""
    replies, saved = {}, threading.Event()

    def hold(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(("WITH", "UPDATE")) and "claimed" in sql or sql.startswith("UPDATE"):
            saved.set()
            time.sleep(1)  # the other POST now waits for the row lock
        return result

    def post(name, data, wrapper=None):
        try:
            client = Client()
            client.cookies.update(cookies)
            if wrapper is None:
                replies[name] = client.post(url, data)
            else:
                with connection.execute_wrapper(wrapper):
                    replies[name] = client.post(url, data)
        finally:
            connections.close_all()

    one = threading.Thread(target=post, args=("first", first, hold))
    one.start()
    assert saved.wait(30)
    two = threading.Thread(target=post, args=("second", second))
    two.start()
    one.join(30)
    two.join(30)
    return replies["first"], replies["second"]


needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's"
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_double_tap_waits_for_its_twin_and_stores_nothing(client, survey):
    response = _to_role(client, survey)
    data = {**ROLE, "supervises": "no", "submission_key": "t" * 20}
    one, two = _post_while_the_first_holds_the_lock(
        survey, client.cookies, page_url(response, "role"), data, data
    )
    assert one.status_code == two.status_code == 302 and one.url == two.url
    assert PageSubmission.objects.filter(response=response).count() == 1
    assert len(_role_rows(response)) == 4  # role, job title, employer, supervises: once each
    # The twin stored nothing: the response was last written with the first POST's record,
    # not a second later (when the twin got the row lock).
    record = PageSubmission.objects.get(response=response)
    assert record.target == one.url
    updated = Response.objects.get(pk=response.pk).updated_at
    assert abs((updated - record.created_at).total_seconds()) < 0.5


def test_a_replayed_save_and_finish_later_is_checked_before_anything_is_stored(client, survey):
    # "Save and finish later" is not checked in the save's statement: its reply (a new
    # resume link) comes after the save; a replay must not make a second link.
    response = _to_role(client, survey)
    data = {**ROLE, "action": "save", "supervises": "no", "submission_key": "x" * 20}
    first = client.post(page_url(response, "role"), data)
    assert first.status_code == 200 and ResumeToken.objects.filter(response=response).count() == 1
    again = client.post(page_url(response, "role"), data)
    assert again.status_code == 302
    assert again.url == PageSubmission.objects.get(response=response, key="x" * 20).target
    assert ResumeToken.objects.filter(response=response).count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("keys", [("u" * 20, "v" * 20), ("", "")], ids=["keys", "no-keys"])
def test_two_tabs_saving_a_new_page_at_once_leave_one_set_of_answers(client, survey, keys):
    """The second save waits for the first (the POST's locked read); its answers replace the
    first one's even though the page had none when it was loaded (issue 16: before, the
    second save skipped the DELETE and the page's answers were stored twice)."""
    response = _to_role(client, survey)
    first = {**ROLE, "supervises": "no", "submission_key": keys[0]}
    second = {**ROLE, "job_title": "Coach", "supervises": "no", "submission_key": keys[1]}
    one, two = _post_while_the_first_holds_the_lock(
        survey, client.cookies, page_url(response, "role"), first, second
    )
    assert one.status_code == two.status_code == 302
    rows = _role_rows(response)
    assert len(rows) == 4, rows  # the later save replaced the first one's answers
    assert ("job_title", None, "Coach", None) in rows
    assert PageSubmission.objects.filter(response=response).count() == (2 if keys[0] else 0)


@pytest.mark.django_db(transaction=True)
def test_a_finished_thread_leaves_no_connection_behind(client, survey):
    """The compiled state query keeps its SQL on the connection object: once a thread has
    ended (runserver and ASGI start one per request), its connection object is freed and,
    on PostgreSQL, its session closed. A weak dictionary keyed by the connection, whose
    value (the compiler) referred back to it, kept every thread's connection open (found in
    review: 3 threads, 3 sessions left)."""
    import gc
    import weakref

    from apps.surveys import selectors

    response = start(client, survey)

    def sessions():
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return cursor.fetchone()[0]

    base = sessions()
    freed = []

    def run():
        assert selectors._STATE.rows(response.public_id)
        freed.append(weakref.ref(connections["default"]))

    for _ in range(3):
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    gc.collect()
    assert len(freed) == 3 and all(ref() is None for ref in freed)
    # A closed session leaves pg_stat_activity when its server process has exited: a moment.
    for _ in range(50):
        if sessions() == base:
            break
        time.sleep(0.1)
    assert sessions() == base
