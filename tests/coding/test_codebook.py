import threading

import pytest
from django.db import connection

from apps.accounts.roles import Role
from apps.coding import services
from apps.coding.models import Code, CodeApplication
from apps.core.exceptions import ApplicationError
from apps.core.models import AuditEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_user(Role.EDITOR)


def test_codes_nest_one_level_only(editor):
    parent = services.code_create(by=editor, name_en="Working with families")
    child = services.code_create(by=editor, name_en="Parent calls", parent=parent)
    assert list(parent.children.all()) == [child]
    with pytest.raises(ApplicationError, match="one level"):
        services.code_create(by=editor, name_en="Grandchild", parent=child)
    other = services.code_create(by=editor, name_en="Safety")
    with pytest.raises(ApplicationError, match="has codes under it"):
        services.code_update(code=parent, by=editor, name_en=parent.name_en, parent=other)
    with pytest.raises(ApplicationError, match="under itself"):
        services.code_update(code=other, by=editor, name_en="Safety", parent=other)
    assert Code.objects.filter(parent=child).count() == 0


def test_code_names_are_required_bounded_and_unique_ignoring_case(editor):
    with pytest.raises(ApplicationError, match="Give the code a name"):
        services.code_create(by=editor, name_en="   ")
    with pytest.raises(ApplicationError, match="at most 80"):
        services.code_create(by=editor, name_en="x" * 81)
    services.code_create(by=editor, name_en="Homework help")
    with pytest.raises(ApplicationError, match="already a code"):
        services.code_create(by=editor, name_en="  homework   HELP ")
    assert Code.objects.count() == 1
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATED, object_type="coding.code"
        ).count()
        == 1
    )


def test_merge_moves_applications_collapses_duplicates_and_is_audited(editor, open_answer):
    reviewer = make_user(Role.REVIEWER)
    source = services.code_create(by=editor, name_en="Games")
    target = services.code_create(by=editor, name_en="Play")
    sub = services.code_create(by=editor, name_en="Outdoor games", parent=source)
    one, two = open_answer("We play tag outside."), open_answer("Board games after snack.")
    # The reviewer applied both codes to the whole first answer: a duplicate after merging.
    for code in (source, target):
        services.application_add(answer_id=one.pk, code_id=code.pk, coder=reviewer)
    services.application_add(answer_id=two.pk, code_id=source.pk, coder=reviewer, start=0, end=5)
    services.application_add(answer_id=one.pk, code_id=source.pk, coder=editor)

    services.code_merge(source_id=source.pk, target_id=target.pk, by=editor)

    assert not Code.objects.filter(pk=source.pk).exists()
    sub.refresh_from_db()
    assert sub.parent_id == target.pk
    rows = set(CodeApplication.objects.values_list("code_id", "answer_id", "coder_id", "start"))
    assert rows == {
        (target.pk, one.pk, reviewer.pk, None),
        (target.pk, two.pk, reviewer.pk, 0),
        (target.pk, one.pk, editor.pk, None),
    }
    event = AuditEvent.objects.get(
        object_type="coding.code", object_id=str(target.pk), action=AuditEvent.Action.CHANGED
    )
    assert event.details["merged"]["collapsed_duplicates"] == 1
    assert event.details["merged"]["moved"] == 2
    assert event.details["merged"]["source"]["name_en"] == "Games"


def test_merging_a_parent_into_its_child_keeps_one_level(editor):
    parent = services.code_create(by=editor, name_en="Families")
    child = services.code_create(by=editor, name_en="Calls", parent=parent)
    services.code_merge(source_id=parent.pk, target_id=child.pk, by=editor)
    child.refresh_from_db()
    assert child.parent_id is None


def test_merge_refuses_to_nest_two_levels_and_changes_nothing(editor):
    parent = services.code_create(by=editor, name_en="Families")
    services.code_create(by=editor, name_en="Calls", parent=parent)
    top = services.code_create(by=editor, name_en="Safety")
    under_top = services.code_create(by=editor, name_en="First aid", parent=top)
    with pytest.raises(ApplicationError, match="two levels"):
        services.code_merge(source_id=parent.pk, target_id=under_top.pk, by=editor)
    assert Code.objects.count() == 4


def test_a_second_merge_of_the_same_code_is_told_not_crashed(editor):
    a = services.code_create(by=editor, name_en="A")
    b = services.code_create(by=editor, name_en="B")
    c = services.code_create(by=editor, name_en="C")
    services.code_merge(source_id=a.pk, target_id=b.pk, by=editor)
    with pytest.raises(ApplicationError, match="no longer exists"):
        services.code_merge(source_id=a.pk, target_id=c.pk, by=editor)
    with pytest.raises(ApplicationError, match="different"):
        services.code_merge(source_id=b.pk, target_id=b.pk, by=editor)


@pytest.mark.django_db(transaction=True)
def test_concurrent_merges_on_postgresql_leave_one_consistent_result():
    """Two editors merge A into B and B into A at the same moment: the row locks serialize
    them, so exactly one merge happens and the other is refused (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    editor = make_user(Role.EDITOR)
    a = services.code_create(by=editor, name_en="A")
    b = services.code_create(by=editor, name_en="B")
    outcomes, barrier = [], threading.Barrier(2)

    def merge(source, target):
        barrier.wait()
        try:
            services.code_merge(source_id=source.pk, target_id=target.pk, by=editor)
            outcomes.append("merged")
        except ApplicationError:
            outcomes.append("refused")
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=merge, args=(a, b)),
        threading.Thread(target=merge, args=(b, a)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["merged", "refused"]
    assert Code.objects.count() == 1
