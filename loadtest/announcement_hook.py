"""The announcement part of `make loadtest` (used when apps.mailings is installed).

prepare(stack, count) makes `count` confirmed subscribers to one topic; start_send(stack)
writes an announcement and starts sending it as an Editor would; state(stack, ref) reads the
send's progress. The harness kills the worker once deliveries are under way, and at the end
checks every recipient got at most one email and nothing was left waiting.
"""

import json
import subprocess
import sys

TOPIC = "survey_news"
DOMAIN = "subscribers.loadtest.example"


def _django(stack, code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", "import django;django.setup()\n" + code],
        cwd=stack.root,
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prepare(stack, count: int) -> None:
    """Confirmed subscribers straight in the table (the sign-up flow is not under test)."""
    stack.sql(
        "INSERT INTO mailings_subscriber (email, language, wants_survey_news, "
        "wants_comment_window, wants_proposal_drafts, status, key, consent_at, created_at, "
        "updated_at) SELECT 'sub-' || g || '@" + DOMAIN + "', CASE WHEN mod(g, 3) = 0 THEN 'es' "
        "ELSE 'en' END, true, false, false, 'confirmed', md5(g::text), now(), now(), now() "
        "FROM generate_series(1, %s) AS g",
        (count,),
    )


def start_send(stack) -> int:
    out = _django(
        stack,
        "from apps.accounts.models import User\n"
        "from apps.mailings.services import announcement_save, announcement_send\n"
        "editor = User.objects.get(username='lt-admin')\n"
        "a = announcement_save(by=editor, data={'topic': '" + TOPIC + "', "
        "'subject_en': 'Survey news (load test)', 'subject_es': 'Noticias (prueba de carga)', "
        "'body_en': 'The survey is open.', 'body_es': 'La encuesta está abierta.'})\n"
        "a = announcement_send(announcement=a, by=editor)\n"
        "print(a.pk)",
    )
    return int(out.strip().splitlines()[-1])


def state(stack, ref: int) -> dict:
    (status,) = stack.sql("SELECT status FROM mailings_announcement WHERE id=%s", (ref,))[0]
    rows = dict(
        stack.sql(
            "SELECT status, count(*) FROM mailings_delivery WHERE announcement_id=%s "
            "GROUP BY status",
            (ref,),
        )
    )
    return {"status": status, "deliveries": rows}


def recipients(stack, ref: int) -> dict[str, str]:
    """Each recipient's address and the final status of their delivery."""
    return dict(
        stack.sql(
            "SELECT s.email, d.status FROM mailings_delivery d JOIN mailings_subscriber s "
            "ON s.id=d.subscriber_id WHERE d.announcement_id=%s",
            (ref,),
        )
    )


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps({"topic": TOPIC}))
