"""Prints (as JSON) what the simulated users need: valid answers for every survey page, the
partner link, staff accounts and the pages staff browse. Run by loadtest/run.py inside the
load-test stack's environment; creates the "loadtest" partner link and the staff accounts."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostportal.settings.loadtest")

import django  # noqa: E402

django.setup()

from django.urls import reverse  # noqa: E402

from apps.accounts.roles import Role  # noqa: E402
from apps.surveys.models import Collector, Question, Survey  # noqa: E402
from apps.surveys.sample import sample_page_data  # noqa: E402
from apps.surveys.selectors import (  # noqa: E402
    survey_published_version,
    tasks_for_role,
    version_structure,
)
from tests.factories import make_user  # noqa: E402

STAFF_PASSWORD = "loadtest-staff-pass-1"
STAFF_PAGES = [
    ("overview", "insights:overview"),
    ("duties", "insights:duties"),
    ("titles", "insights:titles"),
    ("crosswalk", "insights:crosswalk"),
    ("workforce", "insights:workforce"),
    ("open answers", "insights:open_answers"),
    ("exports", "exports:list"),
    ("status", "operations:status"),
    ("surveys", "surveys:staff_overview"),
]


def main() -> None:
    survey = Survey.objects.get(slug="ost-roles-duties")
    collector, _ = Collector.objects.get_or_create(
        survey=survey,
        slug="loadtest",
        defaults={"name": "Load test", "channel": Collector.Channel.EMAIL},
    )
    structure = version_structure(survey_published_version(survey))
    role_tasks, _ = tasks_for_role("frontline")
    # Everyone agrees to follow-up and gives an address: each gets a confirmation email.
    pages = {
        p.key: sample_page_data(p, {"follow_up": "yes"}, role_tasks=role_tasks)
        for p in structure.pages
    }
    email_keys = [
        q.key for p in structure.pages for q in p.question_list if q.type == Question.Type.EMAIL
    ]
    staff = []
    for i in range(3):
        user = make_user(Role.EDITOR, username=f"lt-staff-{i}", password=STAFF_PASSWORD)
        staff.append([user.username, STAFF_PASSWORD])
    admin = make_user(Role.ADMINISTRATOR, username="lt-admin", password=STAFF_PASSWORD)
    print(
        json.dumps(
            {
                "landing": survey.get_absolute_url(),
                "collector_url": reverse("surveys:collector", args=[collector.slug]),
                "collector_id": collector.pk,
                "pages": pages,
                "email_keys": email_keys,
                "staff": staff,
                "staff_pages": [[name, reverse(url)] for name, url in STAFF_PAGES],
                "login_url": reverse("accounts:login"),
                "admin_id": admin.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
