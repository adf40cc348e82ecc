import pytest

from apps.accounts.roles import Role
from apps.coding import selectors, services
from apps.coding.models import CodeApplication, CodedAnswer
from apps.core.exceptions import ApplicationError
from apps.surveys.models import Answer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(db):
    return services.code_create(by=make_user(Role.EDITOR), name_en="Planning")


@pytest.fixture
def reviewer(db):
    return make_user(Role.REVIEWER)


def test_a_span_is_stored_with_offsets_into_the_answer(open_answer, code, reviewer):
    answer = open_answer("Niños first. I plan the week.")
    app = services.application_add(
        answer_id=answer.pk, code_id=code.pk, coder=reviewer, start=13, end=29
    )
    assert answer.text_value[app.start : app.end] == "I plan the week."
    assert CodedAnswer.objects.filter(answer=answer, coder=reviewer).exists()


@pytest.mark.parametrize(
    "start,end",
    [(-1, 4), (4, 4), (5, 2), (0, 999), ("a", 3), (3, None), (None, 3), (10**12, 10**12 + 1)],
)
def test_spans_out_of_range_are_refused(open_answer, code, reviewer, start, end):
    answer = open_answer("Short answer.")
    with pytest.raises(ApplicationError):
        services.application_add(
            answer_id=answer.pk, code_id=code.pk, coder=reviewer, start=start, end=end
        )
    assert not CodeApplication.objects.exists()


def test_applying_the_same_code_twice_keeps_one(open_answer, code, reviewer):
    answer = open_answer()
    for _ in range(2):
        services.application_add(answer_id=answer.pk, code_id=code.pk, coder=reviewer)
    services.application_add(answer_id=answer.pk, code_id=code.pk, coder=reviewer, start=0, end=3)
    services.application_add(answer_id=answer.pk, code_id=code.pk, coder=reviewer, start=0, end=3)
    assert CodeApplication.objects.count() == 2


def test_excluded_deleted_and_non_open_answers_cannot_be_coded(build, open_answer, code, reviewer):
    excluded = open_answer(is_excluded=True)
    with pytest.raises(ApplicationError, match="excluded"):
        services.application_add(answer_id=excluded.pk, code_id=code.pk, coder=reviewer)
    gone = open_answer()
    gone_pk = gone.pk
    gone.delete()
    with pytest.raises(ApplicationError, match="no longer exists"):
        services.application_add(answer_id=gone_pk, code_id=code.pk, coder=reviewer)
    response = build()  # only the role and setting choice answers
    choice_answer = Answer.objects.filter(response=response).first()
    with pytest.raises(ApplicationError, match="not an open answer"):
        services.application_add(answer_id=choice_answer.pk, code_id=code.pk, coder=reviewer)
    with pytest.raises(ApplicationError, match="no longer exists"):
        services.application_add(answer_id=open_answer().pk, code_id=99999, coder=reviewer)


def test_a_reviewer_removes_only_their_own_codes(open_answer, code, reviewer):
    app = services.application_add(answer_id=open_answer().pk, code_id=code.pk, coder=reviewer)
    with pytest.raises(ApplicationError):
        services.application_remove(application_id=app.pk, coder=make_user(Role.REVIEWER))
    services.application_remove(application_id=app.pk, coder=reviewer)
    assert not CodeApplication.objects.exists()


def test_sentences_carry_offsets_into_the_text():
    text = "I plan games.  Then I call parents!\nDone"
    assert [(s, e, t) for s, e, t in selectors.sentences(text)] == [
        (0, 13, "I plan games."),
        (15, 35, "Then I call parents!"),
        (36, 40, "Done"),
    ]
    for s, e, t in selectors.sentences(text):
        assert text[s:e] == t


def test_blind_coding_hides_other_reviewers_codes(open_answer, code, reviewer):
    other = make_user(Role.REVIEWER)
    answer = open_answer()
    services.application_add(answer_id=answer.pk, code_id=code.pk, coder=other)
    blind = selectors.answer_for_coding(answer, coder=reviewer, blind=True)
    assert blind.mine == [] and blind.others == []
    open_view = selectors.answer_for_coding(answer, coder=reviewer, blind=False)
    assert [a.coder_id for a in open_view.others] == [other.pk]
    (listed,) = selectors.answers_to_code({}, coder=reviewer, blind=True)
    assert listed.codes == [] and not listed.is_coded
