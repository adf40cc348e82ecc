"""Simulated practitioners and staff for `make loadtest` (Locust, headless).

Practitioners come in through a partner link, start the survey and answer every page along
the path the server sends them on (the next page is wherever the server redirects), with a
pause per page. When the portal answers 503 ("try again in a minute") or the connection
drops, they wait and press the button again with the same answers and the same submission
key, as the survey page's script does. Each confirmation (redirect to the thank-you page)
is appended to LOADTEST_ACK_FILE: those are the responses the portal acknowledged.

Staff sign in and browse the dashboards, their exports and the status page.

The harness (loadtest/run.py) writes the survey plan (valid answers for every page, from the
real survey structure) to LOADTEST_PLAN and sets the other variables.
"""

import json
import os
import random
import re
import threading
import time
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOADTEST_PLAN"], encoding="utf-8").read())
ACK_FILE = os.environ["LOADTEST_ACK_FILE"]
THINK = (
    float(os.environ.get("LOADTEST_THINK_MIN", "3")),
    float(os.environ.get("LOADTEST_THINK_MAX", "8")),
)
RETRY_WAIT = float(os.environ.get("LOADTEST_RETRY_WAIT", "5"))
MAX_TRIES = int(os.environ.get("LOADTEST_MAX_TRIES", "40"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
# A survey page; the duties page comes in steps (?step=0 the checklist, then the ratings).
PAGE = re.compile(r"/survey/r/([0-9a-f-]{36})/page/([\w-]+)/(?:\?step=(\w+))?$")
THANKS = re.compile(r"/survey/r/([0-9a-f-]{36})/thanks/$")
_ack_lock = threading.Lock()


def record_ack(public_id: str, email: str) -> None:
    with _ack_lock, open(ACK_FILE, "a", encoding="utf-8") as out:
        out.write(json.dumps({"id": public_id, "email": email, "at": time.time()}) + "\n")


def classify(response) -> str | None:
    """None when the answer is one a person would see as normal; else why it is not."""
    status = response.status_code
    if status == 0:
        return "connection error"
    if status == 503:
        return "503 try again (expected during a fault)"
    if status >= 500:
        return f"server error {status}"
    return None


class Practitioner(HttpUser):
    wait_time = between(1, 3)

    def think(self) -> None:
        time.sleep(random.uniform(*THINK))

    def send(self, method: str, url: str, name: str, data=None):
        """One request a person would repeat until it goes through (503 or no connection)."""
        for _ in range(MAX_TRIES):
            with self.client.request(
                method, url, data=data, name=name, allow_redirects=False, catch_response=True
            ) as response:
                problem = classify(response)
                if problem is None and response.status_code >= 400 and response.status_code != 429:
                    problem = f"unexpected {response.status_code}"
                if problem is None and method == "POST" and response.status_code == 200:
                    # The page came back with errors: the plan's answers no longer fit it.
                    problem = "unexpected 200 (answers not accepted)"
                if problem:
                    response.failure(problem)
                else:
                    response.success()
            if problem is None:
                return response
            if problem.startswith("unexpected"):
                return None
            time.sleep(RETRY_WAIT)
        return None

    def csrf_of(self, response) -> str:
        found = CSRF.search(response.text or "")
        return found.group(1) if found else ""

    @task
    def complete_survey(self) -> None:
        self.client.cookies.clear()
        email = f"lt-{uuid.uuid4().hex[:16]}@loadtest.example"
        entry = self.send("GET", PLAN["collector_url"], "GET partner link")
        if entry is None:
            return
        landing = self.send("GET", PLAN["landing"], "GET landing")
        if landing is None:
            return
        token = self.csrf_of(landing)
        self.think()
        started = self.send("POST", PLAN["landing"], "POST start", {"csrfmiddlewaretoken": token})
        if started is None or started.status_code != 302:
            return
        url = started.headers["Location"]
        for _ in range(len(PLAN["pages"]) + 20):
            match = PAGE.search(url)
            if not match:
                return
            key = match.group(2)
            # The plan's data answers every step of a stepped page (each reads its own fields).
            name = key if match.group(3) in (None, "0") else f"{key} ratings"
            page = self.send("GET", url, f"GET {name}")
            if page is None:
                return
            token = self.csrf_of(page) or token
            data = dict(PLAN["pages"][key])
            for email_key in PLAN["email_keys"]:
                if email_key in data:
                    data[email_key] = email
            data["csrfmiddlewaretoken"] = token
            # The page's submission key, as the page script sends it: a retry after a 503 (or
            # after a web process died with the request in flight) is stored once.
            key_found = SUBMISSION_KEY.search(page.text or "")
            if key_found:
                data["submission_key"] = key_found.group(1)
            self.think()
            saved = self.send("POST", url, f"POST {name}", data)
            if saved is None or saved.status_code != 302:
                return
            url = saved.headers["Location"]
            done = THANKS.search(url)
            if done:
                record_ack(done.group(1), email)
                self.send("GET", url, "GET thanks")
                return


class Staff(HttpUser):
    # Exactly this many staff; every other simulated user is a practitioner.
    fixed_count = int(os.environ.get("LOADTEST_STAFF", "5"))
    wait_time = between(3, 8)

    def on_start(self) -> None:
        username, password = random.choice(PLAN["staff"])
        login = self.client.get(PLAN["login_url"], name="GET staff login")
        token = CSRF.search(login.text or "")
        self.client.post(
            PLAN["login_url"],
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="POST staff login",
        )

    @task
    def browse(self) -> None:
        name, url = random.choice(PLAN["staff_pages"])
        with self.client.get(url, name=f"staff {name}", catch_response=True) as response:
            problem = classify(response)
            if problem is None and response.status_code != 200:
                problem = f"unexpected {response.status_code}"
            if problem:
                response.failure(problem)


@events.quitting.add_listener
def _done(environment, **kwargs) -> None:
    # The harness judges the run; Locust's own exit code would fail on expected 503s.
    environment.process_exit_code = 0
