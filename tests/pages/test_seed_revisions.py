"""Improved seeded text reaches databases seeded with an earlier version, row by row, except
where staff edited the row."""

import json

import pytest

from apps.core.models import SeedRecord
from apps.notices.models import Notice
from apps.notices.seeding import HISTORY_FILE as NOTICE_HISTORY
from apps.notices.seeding import SEED_FILE as NOTICE_SEED
from apps.notices.seeding import seed_toolkit
from apps.pages.models import FAQEntry, Milestone, Page
from apps.pages.seeding import HISTORY_FILE, SEED_FILE, _upgrade_milestone, seed_content

pytestmark = pytest.mark.django_db


def _old_seed(tmp_path):
    """The seed file as it was released before the current one (from the history file), and
    the old milestones in the shape migration pages 0002 gave them: those are written straight
    to the rows afterwards, as the old release had no validation of provisional reasons."""
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    history = json.loads(HISTORY_FILE.read_text(encoding="utf-8"))
    keys = {"pages": "slug", "faq": "key", "milestones": "key", "organizations": "key"}
    raw = {}
    for section, key in keys.items():
        old_items = history.get(section, {})
        replaced = []
        for item in data[section]:
            old = old_items.get(str(item[key]))
            if old and section == "milestones":
                raw[item[key]] = _upgrade_milestone(dict(old[0]))
            elif old:
                item = dict(old[0])
            replaced.append(item)
        # Pages that did not exist in the old release are left out.
        if section == "pages":
            replaced = [p for p in replaced if p["slug"] != "accessibility"]
        data[section] = replaced
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, raw


def test_unedited_rows_follow_the_seed_and_staff_edits_stay(tmp_path):
    path, raw = _old_seed(tmp_path)
    seed_content(path=path, history_path=tmp_path / "none.json")
    for key, values in raw.items():
        Milestone.objects.filter(key=key).update(**{k: v for k, v in values.items() if k != "key"})
    assert Milestone.objects.get(key="second-notice").starts_on is None
    assert "link to be added" in Page.objects.get(slug="what-is-ost").body_en
    assert not Page.objects.filter(slug="accessibility").exists()
    # Staff edit one page and one FAQ entry.
    Page.objects.filter(slug="get-involved").update(body_en="Edited by staff.")
    FAQEntry.objects.filter(key="is-the-survey-anonymous").update(answer_es="Editado.")

    changed = seed_content()

    assert "link to be added" not in Page.objects.get(slug="what-is-ost").body_en
    assert "[^cdc]" in Page.objects.get(slug="what-is-ost").body_en
    assert Page.objects.get(slug="accessibility").title_en == "Accessibility statement"
    assert Page.objects.get(slug="get-involved").body_en == "Edited by staff."
    edited = FAQEntry.objects.get(key="is-the-survey-anonymous")
    assert edited.answer_es == "Editado."
    assert "not open yet" in edited.answer_en  # the row is the staff's: left whole
    second = Milestone.objects.get(key="second-notice")
    assert second.provisional_reason_en and second.starts_on is not None
    assert changed["pages"] >= 10
    # Idempotent: nothing left to change.
    assert sum(seed_content().values()) == 0


def test_a_deleted_seeded_row_is_not_brought_back_by_a_revision(seeded):
    Page.objects.filter(slug="vision").delete()
    seed_content()
    assert not Page.objects.filter(slug="vision").exists()
    assert SeedRecord.objects.filter(kind="pages", key="vision").exists()


@pytest.mark.parametrize("release", [0, -1], ids=["first-release", "last-release"])
def test_the_notice_header_revision_reaches_an_existing_database(tmp_path, release):
    """The header is the phrase the June 2024 notice asks for, word for word, including its
    "Standard Occupation Classification" (not "Occupational"); a database seeded with an
    earlier release gets it, and the summary that no longer states the committee's next step
    as under way."""
    data = json.loads(NOTICE_SEED.read_text(encoding="utf-8"))
    old = json.loads(NOTICE_HISTORY.read_text(encoding="utf-8"))["notices"]["2024-12825"][release]
    data["notices"] = [old]
    path = tmp_path / "toolkit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    seed_toolkit(path=path, history_path=tmp_path / "none.json")
    assert "now reviewing what it received" in Notice.objects.get().summary_en

    seed_toolkit()

    notice = Notice.objects.get()
    assert notice.required_header == (
        "BLS-2024-0001: Standard Occupation Classification (SOC)\u2014Updates for 2028"
    )
    assert "now reviewing" not in notice.summary_en
    assert "has no announced date" in notice.summary_en
    assert "aún no tiene fecha anunciada" in notice.summary_es


def test_a_staff_edited_notice_is_left_alone(tmp_path):
    seed_toolkit()
    Notice.objects.update(required_header="Our own header")
    seed_toolkit()
    assert Notice.objects.get().required_header == "Our own header"


def test_the_core_task_glossary_entry_says_among_those_asked(tmp_path):
    """The glossary said "at least 67% of respondents", false as printed: a task's share is
    among those asked about it (a reviewer found a manager's task "core" at 85% of those
    asked, 5.7% of all). A database seeded with the old entry gets the new one."""
    from apps.pages.models import GlossaryTerm

    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    history = json.loads(HISTORY_FILE.read_text(encoding="utf-8"))
    old = history["glossary"]["core-task"][0]
    data["glossary"] = [old if t["key"] == "core-task" else t for t in data["glossary"]]
    old_file = tmp_path / "content.json"
    old_file.write_text(json.dumps(data), encoding="utf-8")
    seed_content(old_file)
    assert "67% of respondents say" in GlossaryTerm.objects.get(key="core-task").definition_en
    seed_content()
    term = GlossaryTerm.objects.get(key="core-task")
    assert "67% of the respondents asked about it" in term.definition_en
    assert "a quienes se les preguntó por ella" in term.definition_es
    why = Page.objects.get(slug="why-it-matters")
    assert "51 % sumamente preocupado" in why.body_es and "51 % muy" not in why.body_es
