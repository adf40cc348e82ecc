"""Rating screens head each checked task with its short label (the full statement one tap away
and in the scales' accessible description); the checklist keeps the full statements."""

import importlib
import json
import re

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from apps.surveys import timing
from apps.surveys.models import Task
from apps.surveys.seeding import SEED_FILE

from .helpers import page_url
from .test_duties import _to_duties

pytestmark = pytest.mark.django_db

labels_migration = importlib.import_module("apps.surveys.migrations.0010_task_short_labels")


def _rating_screen(client, survey, codes=None, lang=None):
    response, _structure, role_tasks = _to_duties(client, survey)
    url = page_url(response, "duties")
    checked = codes or [t.code for t in role_tasks[:3]]
    client.post(url + "?step=0", {"action": "next", "duties": checked})
    if lang:
        client.cookies["django_language"] = lang
    return client.get(url + "?step=1").content.decode(), url


def _row(html: str, code: str) -> str:
    return html.split(f'id="task-{code}"', 1)[1].split('class="task-rate"', 1)[0]


def test_every_seeded_task_has_a_short_label_in_both_languages():
    tasks = json.loads(SEED_FILE.read_text(encoding="utf-8"))["tasks"]
    labels_en = [t["label_en"] for t in tasks]
    labels_es = [t["label_es"] for t in tasks]
    for task in tasks:
        for lang in ("en", "es"):
            label, text = task[f"label_{lang}"], task[f"text_{lang}"]
            assert 1 <= timing.words(label) <= 6, (task["code"], lang, label)
            assert timing.words(label) <= timing.words(text) / 2, (task["code"], lang)
    # Labels tell the tasks apart on a rating screen.
    assert len(set(labels_en)) == len(labels_en)
    assert len(set(labels_es)) == len(labels_es)
    # The migration sets the same labels as the seed.
    assert {t["code"]: (t["label_en"], t["label_es"]) for t in tasks} == {
        code: row[2:] for code, row in labels_migration.LABELS.items()
    }


def test_a_rating_screen_heads_each_task_with_its_label_and_keeps_the_full_statement(
    client, survey
):
    html, url = _rating_screen(client, survey)
    task = Task.objects.get(code=re.search(r'id="task-(\w+)"', html).group(1))
    row = _row(html, task.code)
    # The label is the visible heading, a disclosure; the full statement is inside it.
    summary = re.search(r"<summary[^>]*>([^<]*)</summary>", row)
    assert summary and summary.group(1) == task.label_en
    assert 'id="label-' + task.code + '"' in row
    assert f'<p class="task-full mb-1" id="text-{task.code}">{task.text_en}</p>' in row
    assert row.index("<details") < row.index("<summary") < row.index(task.text_en)
    # Each scale (one radio group, one Tab stop) is described by the full statement.
    fieldsets = re.findall(r'<fieldset class="seg-scale[^>]*>', row)
    assert len(fieldsets) == 2
    for fieldset in fieldsets:
        assert f'aria-describedby="text-{task.code}"' in fieldset
        assert 'role="radiogroup"' in fieldset
    # Each segment is a label bound to its radio.
    for radio_id in re.findall(r'<input class="seg-input" type="radio" [^>]*id="([^"]+)"', row):
        assert f'<label class="seg-btn" for="{radio_id}">' in row
    # The checklist still shows the full statements, not the labels.
    checklist = client.get(url + "?step=0").content.decode()
    assert task.text_en in checklist
    assert f">{task.label_en}<" not in checklist


def test_spanish_rating_screens_show_spanish_labels(client, survey):
    html, _url = _rating_screen(client, survey, lang="es")
    task = Task.objects.get(code=re.search(r'id="task-(\w+)"', html).group(1))
    row = _row(html, task.code)
    assert re.search(r"<summary[^>]*>([^<]*)</summary>", row).group(1) == task.label_es
    assert task.text_es in row
    assert task.label_en not in row


def test_without_a_label_the_full_statement_heads_the_task(client, survey):
    response_html, _url = _rating_screen(client, survey)
    code = re.search(r'id="task-(\w+)"', response_html).group(1)
    Task.objects.filter(code=code).update(label_en="", label_es="")
    html, _url = _rating_screen(client.__class__(), survey, codes=[code])
    row = _row(html, code)
    task = Task.objects.get(code=code)
    assert "<details" not in row
    assert f'<p class="task-text mb-0" id="text-{code}">{task.text_en}</p>' in row
    # No English label on a Spanish page: an empty Spanish label shows the Spanish statement.
    task.label_en = "Plan and lead activities"
    with translation.override("es"):
        assert task.rating_label() == task.text_es
    with translation.override("en"):
        assert task.rating_label() == "Plan and lead activities"


def test_the_migration_labels_only_statements_still_as_seeded(survey):
    Task.objects.update(label_en="", label_es="")
    Task.objects.filter(code="T02").update(text_en="Supervise youth at all times.")
    Task.objects.filter(code="T03").update(label_es="Tareas escolares")
    labels_migration.set_labels(django_apps, None)
    t01, t02, t03 = Task.objects.filter(code__in=["T01", "T02", "T03"]).order_by("code")
    assert (t01.label_en, t01.label_es) == labels_migration.LABELS["T01"][2:]
    assert t02.label_en == ""  # reworded by staff: no label, the statement is shown
    assert t02.label_es == labels_migration.LABELS["T02"][3]
    assert t03.label_es == "Tareas escolares"  # staff's own label kept
    labels_migration.clear_labels(django_apps, None)
    t01, t03 = Task.objects.filter(code__in=["T01", "T03"]).order_by("code")
    assert (t01.label_en, t01.label_es) == ("", "")
    assert t03.label_es == "Tareas escolares"


def test_labels_shorten_the_stated_time_by_the_words_not_reread():
    with_labels = timing.duties_seconds(24, 16, 14.0, label_words=4.0)
    without = timing.duties_seconds(24, 16, 14.0)
    assert without - with_labels == pytest.approx(timing.read_seconds(16 * (14 - 4)))
