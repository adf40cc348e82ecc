"""The task bank in American spelling (behavior, practice, authorized, recognize, analyze,
counseling). Only the English statements seeded with British spelling change; a statement
staff have reworded keeps their words except for these spellings."""

import re

from django.db import migrations

SPELLINGS = {
    r"\bpractise\b": "practice",
    r"\bbehaviour\b": "behavior",
    r"\bauthorised\b": "authorized",
    r"\bRecognise\b": "Recognize",
    r"\brecognise\b": "recognize",
    r"\bAnalyse\b": "Analyze",
    r"\banalyse\b": "analyze",
    r"\bcounselling\b": "counseling",
}


def american(apps, schema_editor):
    Task = apps.get_model("surveys", "Task")
    for task in Task.objects.all():
        text = task.text_en
        for pattern, word in SPELLINGS.items():
            text = re.sub(pattern, word, text)
        if text != task.text_en:
            task.text_en = text
            task.save(update_fields=["text_en"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_two_pass_duties_and_planned_missingness")]

    operations = [migrations.RunPython(american, migrations.RunPython.noop)]
