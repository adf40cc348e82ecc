"""`make bench-ux`: the practitioner survey's effort, measured on a phone.

Headless Debian Chromium (/usr/bin/chromium, never a downloaded browser) at 390 x 844 walks
every role's path as a scripted respondent: paid staff, every required question and every
optional choice question answered, optional free text left blank, two thirds of the role's
tasks checked (the first two thirds of the list) and rated. Per role and page it records:

- taps: pointer taps the respondent makes (a label, a segment, a text box to type in, Next);
- keys: keypresses of a keyboard-only user for the same answers: Tab to each control (one
  stop per radio group), Space or arrow keys to choose, the characters typed, Enter on Next,
  plus Tab and Enter on the "skip to content" link;
- screens: the height from the top of the page to the bottom of its Next button, in 844 px
  screens (what the respondent scrolls through; the site footer is not counted);
- seconds: a keystroke-level model estimate (operators below).

Keystroke-level model operators (Card, Moran and Newell; touch values after Holleis et al.,
"Keystroke-level model for advanced mobile phone interaction", CHI 2007):
  TAP  1.1 s  point at a target and touch it (P with the touch included)
  KEY  0.39 s one character on a phone keyboard
  MENT 1.35 s mental preparation, once per decision (each question, each task in the
              checklist whether checked or not, each rating scale)
  READ 230 words per minute for the page's title and introduction and the text of the form
              (questions, options, task statements;
              the digits of the scales and the labels only screen readers get are not counted;
              a closed list counts only its chosen option; the buttons under the form count
              on the pages where they change, not again on every page)
  SWIPE 1.0 s per screen scrolled beyond the first
  LOAD 1.0 s  per page shown (network and rendering on a phone)

Stated time: what the survey tells this respondent once their role is known (the model of
apps/surveys/timing.py: the pages done so far plus "about N minutes left" on the next page),
compared with this estimate. Writes bench/results/ux.json and prints the table.
"""

import json
import math
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# UX_BENCH_MAX_RATED=N measures the survey with planned missingness on (at most N tasks rated
# per respondent) and writes bench/results/ux_max_rated_N.json instead.
MAX_RATED = int(os.environ.get("UX_BENCH_MAX_RATED") or 0)
RESULTS_NAME = f"ux_max_rated_{MAX_RATED}.json" if MAX_RATED else "ux.json"
PART = "survey effort (bench-ux" + (f", at most {MAX_RATED} tasks rated)" if MAX_RATED else ")")
RESULTS = ROOT / "bench" / "results" / RESULTS_NAME
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORT = {"width": 390, "height": 844}

TAP, KEY, MENT, WPM, SWIPE, LOAD = 1.1, 0.39, 1.35, 230, 1.0, 1.0
CHECKED_SHARE = 2 / 3

GOALS = {
    "site_lead_duties_taps": 60,
    "site_lead_duties_screens": 6,
    "longest_path_taps": 150,
    "longest_path_minutes": 10,
    "stated_within": 0.20,
}

CHOICES = {
    "consent": "yes",
    "eligibility": "paid",
    "supervises": "no",
    "pay_type": "hourly",
    "follow_up": "no",
    "quote_consent": "anonymous",
    "crosswalk_code": "39-9032",
    "split_shift": "no",
    "enrolled": "no",
}
NUMBERS = {
    "months_per_year": "10",
    "hours_per_week": "25",
    "hourly_rate": "18.50",
    "years_in_field": "4",
    "supervise_count": "3",
}
TEXTS = {"job_title": "Group leader"}

TAB_STOPS_JS = """
(target) => {
  const form = document.querySelector('form.survey-form');
  const all = [...form.querySelectorAll('a[href], button, input, select, textarea, summary')]
    .filter(e => !e.disabled && e.tabIndex >= 0 && e.type !== 'hidden' && !e.closest('[hidden]')
                 && !(e.closest('details:not([open])') && e.tagName !== 'SUMMARY'));
  const stops = [];
  const seen = new Set();
  for (const e of all) {
    const key = e.type === 'radio' ? 'radio:' + e.name : null;
    if (key && seen.has(key)) continue;
    if (key) seen.add(key);
    stops.push(e);
  }
  const key = target.type === 'radio' ? 'radio:' + target.name : null;
  return stops.findIndex(
    e => e === target || (key && e.type === 'radio' && e.name === target.name));
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(workdir: Path) -> tuple[dict, subprocess.Popen, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="ostportal.settings.local",
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY="ux-bench-" + secrets.token_urlsafe(32),
        DATABASE_URL=f"sqlite:///{workdir / 'ux.sqlite3'}",
        SURVEY_START_RATE_LIMIT="1000000/h",
        SURVEY_SUBMIT_RATE_LIMIT="1000000/h",
        SURVEY_MIN_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    manage = [sys.executable, "manage.py"]
    for cmd in (["migrate", "--noinput", "-v", "0"], ["seed_content"], ["seed_survey"]):
        subprocess.run(manage + cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    if MAX_RATED:
        # Planned missingness (off by default): each respondent rates at most MAX_RATED tasks.
        code = (
            "import django;django.setup();from apps.surveys.models import SurveyVersion;"
            f"SurveyVersion.objects.update(max_rated_tasks={MAX_RATED})"
        )
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    # UX_BENCH_PORT pins the server's port (on a shared machine, to a range of one's own).
    port = int(os.environ.get("UX_BENCH_PORT") or 0) or free_port()
    with socket.socket() as probe:  # never measure another server that holds the port
        probe.bind(("127.0.0.1", port))
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError(f"runserver on port {port} exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return env, server, base


def roles(env: dict) -> list[tuple[str, int]]:
    code = (
        "import json,django;django.setup();"
        "from apps.surveys.models import Role;from apps.surveys.selectors import tasks_for_role;"
        "print(json.dumps([[r.slug,len(tasks_for_role(r.slug)[0])] for r in Role.objects.all()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


class Walker:
    """One respondent's walk; counts taps, keys and decisions on the current page."""

    def __init__(self, page):
        self.page = page
        self.reset()

    def reset(self):
        self.taps = self.keys = self.chars = self.decisions = 0
        self.keys = 2  # Tab to "skip to content", Enter
        self.pos = -1

    def _tab_to(self, element) -> None:
        index = self.page.evaluate(TAB_STOPS_JS, element)
        if index < 0:
            raise RuntimeError("control is not a tab stop")
        self.keys += abs(index - self.pos)
        self.pos = index

    def tap_label(self, control) -> None:
        """Tap a radio or checkbox by its label; count the keyboard way too."""
        self._tab_to(control)
        if control.get_attribute("type") == "radio":
            name = control.get_attribute("name")
            group = self.page.locator(f'input[type=radio][name="{name}"]')
            values = [group.nth(i).get_attribute("value") for i in range(group.count())]
            checked = [i for i in range(group.count()) if group.nth(i).is_checked()]
            target = values.index(control.get_attribute("value"))
            if checked:
                self.keys += abs(target - checked[0])
            else:
                self.keys += target if target else 1  # arrows select; Space for the first
        else:
            self.keys += 1  # Space
        self.page.locator(f'label[for="{control.get_attribute("id")}"]').click()
        self.taps += 1

    def type_into(self, field, text: str) -> None:
        self._tab_to(field)
        field.click()
        field.fill(text)
        self.taps += 1
        self.keys += len(text)
        self.chars += len(text)

    def choose(self, select, value: str) -> None:
        self._tab_to(select.element_handle())
        options = select.locator("option")
        values = [options.nth(i).get_attribute("value") for i in range(options.count())]
        self.keys += values.index(value)  # arrow keys on a closed select
        select.select_option(value)
        self.taps += 2  # open the list, pick

    def next(self) -> None:
        button = self.page.locator("button[name=action][value=next]")
        self._tab_to(button.element_handle())
        self.keys += 1
        button.click()
        self.taps += 1
        self.page.wait_for_load_state()


def answer_page(w: Walker, role: str) -> None:
    page = w.page
    questions = page.locator(".survey-question")
    for i in range(questions.count()):
        q = questions.nth(i)
        if not q.is_visible():
            continue
        key = q.get_attribute("data-question")
        required = q.locator(".required-mark").count() > 0
        if q.locator(".duties-checklist").count():
            boxes = q.locator(".task-checklist").first.locator("input[type=checkbox]")
            n = boxes.count()
            w.decisions += n
            for j in range(round(n * CHECKED_SHARE)):
                w.tap_label(boxes.nth(j).element_handle())
            continue
        if q.locator(".task-rate-list").count():
            scales = q.locator(".seg-scale")
            for j in range(scales.count()):
                scale = scales.nth(j)
                value = "4" if "seg-imp" in (scale.get_attribute("class") or "") else "5"
                w.decisions += 1
                w.tap_label(scale.locator(f"input[value='{value}']").element_handle())
            continue
        if q.locator("[data-time-use]").count():
            w.decisions += 1
            for box, share in zip(
                q.locator(".time-share").all(), ["60", "10", "20", "10"], strict=False
            ):
                w.type_into(box.element_handle(), share)
            continue
        if q.locator("select").count():
            w.decisions += 1
            w.choose(q.locator("select").first, "CA")
            w.type_into(q.locator("input[name$='__zip3']").element_handle(), "941")
            continue
        radios = q.locator("input[type=radio]")
        boxes = q.locator("input[type=checkbox]")
        if radios.count() or boxes.count():
            w.decisions += 1
            group = radios if radios.count() else boxes
            wanted = role if key == "role" else CHOICES.get(key)
            target = q.locator(f"input[value='{wanted}']") if wanted else group.first
            if not target.count():
                target = group.first
            w.tap_label(target.first.element_handle())
            if target.first.get_attribute("data-other"):
                other = q.locator("[data-other-box] input").first
                w.type_into(other.element_handle(), "Camp director")
            continue
        if not required:
            continue  # optional free text and numbers: left blank
        w.decisions += 1
        field = q.locator("input:not([type=hidden]), textarea").first
        w.type_into(field.element_handle(), NUMBERS.get(key) or TEXTS.get(key, "Group leader"))


def page_words(page, *, with_nav: bool) -> int:
    """Words a sighted respondent reads on a page: its title and introduction, and the form
    (not the labels kept for screen readers).

    A closed list (<select>) shows only its chosen option: its other options are seen only
    once it is opened, and then the respondent jumps to theirs (counted as taps), not reads
    all 56 states. The buttons under the form (Next, Back, Save and finish later) are the same
    on every page: read on the first page and when they change (Submit on the last), not
    again on every page."""
    text = page.evaluate(
        """(withNav) => {
          const form = document.querySelector('form.survey-form').cloneNode(true);
          form.querySelectorAll('.visually-hidden, [hidden], details:not([open]) > :not(summary)')
            .forEach(e => e.remove());
          form.querySelectorAll('select').forEach(s => {
            const shown = s.options[s.selectedIndex];
            s.querySelectorAll('option')
              .forEach(o => { if (o.value !== (shown && shown.value)) o.remove(); });
          });
          if (!withNav) form.querySelectorAll('.survey-nav').forEach(e => e.remove());
          document.body.appendChild(form);
          form.style.position = 'absolute'; form.style.left = '-9999px';
          const text = form.innerText;
          form.remove();
          const head = [...document.querySelectorAll('main h1, main .page-intro')]
            .map(e => e.innerText).join(' ');
          return head + ' ' + text;
        }""",
        with_nav,
    )
    return len(re.findall(r"[^\W\d_]+", text))  # words, not the digits of the scales


def walk(browser, base: str, role: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/survey/ost-roles-duties/")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    w = Walker(page)
    rows, stated_left, last_nav = [], None, None
    for _ in range(40):
        if "/thanks/" in page.url:
            break
        url = page.url.split("/page/", 1)[1]
        key = url.split("/")[0] + (("?" + url.split("?", 1)[1]) if "?" in url else "")
        progress = page.locator("#progress-label").inner_text()
        # "about 8 minutes left", or "7 to 11 minutes left" while the role is not known yet
        # (the longest role's time is recorded then).
        found = re.search(r"(?:about )?(\d+)(?: to (\d+))? minutes? left", progress)
        left = int(found.group(2) or found.group(1))
        if stated_left is None and rows and rows[-1]["page"] == "role":
            stated_left = {"at_page": len(rows), "minutes_left": left}
        # Screens to scroll through: from the top of the page to the bottom of Next.
        height = page.evaluate(
            "document.querySelector('button[name=action][value=next]')"
            ".getBoundingClientRect().bottom + window.scrollY"
        )
        screens = height / VIEWPORT["height"]
        nav = page.locator(".survey-nav").inner_text()
        words = page_words(page, with_nav=nav != last_nav)
        last_nav = nav
        w.reset()
        answer_page(w, role)
        w.next()
        if page.locator("#error-summary").count() and page.locator("#error-summary").is_visible():
            raise RuntimeError(f"{role} {key}: {page.locator('#error-summary').inner_text()}")
        seconds = (
            LOAD
            + words / WPM * 60
            + MENT * w.decisions
            + TAP * w.taps
            + KEY * w.chars
            + SWIPE * max(0.0, math.ceil(screens) - 1)
        )
        rows.append(
            {
                "page": key,
                "taps": w.taps,
                "keys": w.keys,
                "screens": round(screens, 2),
                "words": words,
                "decisions": w.decisions,
                "seconds": round(seconds, 1),
                "minutes_left_stated": left,
            }
        )
    context.close()
    total = sum(r["seconds"] for r in rows)
    stated_total = None
    if stated_left:
        before = sum(r["seconds"] for r in rows[: stated_left["at_page"]])
        stated_total = before / 60 + stated_left["minutes_left"]
    duties_rows = [r for r in rows if r["page"].startswith("duties")]
    return {
        "role": role,
        "pages": rows,
        "taps": sum(r["taps"] for r in rows),
        "keys": sum(r["keys"] for r in rows),
        "screens": round(sum(r["screens"] for r in rows), 1),
        "minutes": round(total / 60, 2),
        "stated_minutes": round(stated_total, 2) if stated_total else None,
        "stated_error": round(stated_total / (total / 60) - 1, 3) if stated_total else None,
        "duties_taps": sum(r["taps"] for r in duties_rows),
        "duties_keys": sum(r["keys"] for r in duties_rows),
        "duties_screens": round(sum(r["screens"] for r in duties_rows), 1),
        "duties_minutes": round(sum(r["seconds"] for r in duties_rows) / 60, 2),
    }


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ux-bench-") as tmp:
        env, server, base = prepare(Path(tmp))
        try:
            role_list = roles(env)
            results = []
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, args=["--headless", "--no-sandbox"]
                )
                for slug, _count in role_list:
                    results.append({**walk(browser, base, slug), "role_tasks": _count})
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    landing_minutes = None
    longest = max(results, key=lambda r: r["minutes"])
    most_taps = max(results, key=lambda r: r["taps"])
    site = next(r for r in results if r["role"] == "site_lead")
    checks = {
        "site_lead_duties_taps": site["duties_taps"] <= GOALS["site_lead_duties_taps"],
        "site_lead_duties_screens": site["duties_screens"] <= GOALS["site_lead_duties_screens"],
        "longest_path_taps": most_taps["taps"] <= GOALS["longest_path_taps"],
        "longest_path_minutes": longest["minutes"] <= GOALS["longest_path_minutes"],
        "stated_within_20pct": all(
            r["stated_error"] is not None and abs(r["stated_error"]) <= GOALS["stated_within"]
            for r in results
        ),
    }
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}",
        "summary": summary_rows(results, longest, most_taps, site),
        "browser": CHROMIUM,
        "viewport": VIEWPORT,
        "operators": {
            "tap_s": TAP,
            "key_s": KEY,
            "mental_s": MENT,
            "reading_wpm": WPM,
            "swipe_s": SWIPE,
            "page_load_s": LOAD,
        },
        "respondent": "paid staff; required questions and optional choice questions answered, "
        "optional free text blank; first two thirds of the role's tasks checked and rated",
        "max_rated_tasks": MAX_RATED or None,
        "goals": GOALS,
        "checks": checks,
        "landing_minutes": landing_minutes,
        "roles": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(results, checks)
    return 0


def summary_rows(results: list[dict], longest: dict, most_taps: dict, site: dict) -> list[dict]:
    """The one-table rows (issue 16): the issue's goals, then each role's estimated minutes.
    Sizes are not response counts here (null)."""

    def row(measure, value, unit, goal, met):
        return {
            "part": PART,
            "measure": measure,
            "size": None,
            "value": value,
            "unit": unit,
            "reference": None,
            "ratio": None,
            "goal": goal,
            "met": met,
        }

    worst_error = max(results, key=lambda r: abs(r["stated_error"] or 0))
    rows = [
        row(
            f"longest path ({longest['role']}), estimated",
            longest["minutes"],
            "min",
            f"<= {GOALS['longest_path_minutes']} min",
            longest["minutes"] <= GOALS["longest_path_minutes"],
        ),
        row(
            f"most taps on a path ({most_taps['role']})",
            most_taps["taps"],
            "taps",
            f"<= {GOALS['longest_path_taps']}",
            most_taps["taps"] <= GOALS["longest_path_taps"],
        ),
        row(
            "site coordinator's duties, taps",
            site["duties_taps"],
            "taps",
            f"<= {GOALS['site_lead_duties_taps']}",
            site["duties_taps"] <= GOALS["site_lead_duties_taps"],
        ),
        row(
            "site coordinator's duties, screens",
            site["duties_screens"],
            "screens",
            f"<= {GOALS['site_lead_duties_screens']}",
            site["duties_screens"] <= GOALS["site_lead_duties_screens"],
        ),
        row(
            f"stated time error, largest ({worst_error['role']})",
            round(100 * (worst_error["stated_error"] or 0), 1),
            "%",
            f"within {100 * GOALS['stated_within']:.0f}%",
            all(
                r["stated_error"] is not None and abs(r["stated_error"]) <= GOALS["stated_within"]
                for r in results
            ),
        ),
    ]
    for r in results:
        rows.append(
            row(
                f"estimated minutes, {r['role']}",
                r["minutes"],
                "min",
                f"<= {GOALS['longest_path_minutes']} min",
                r["minutes"] <= GOALS["longest_path_minutes"],
            )
        )
    return rows


def print_table(results: list[dict], checks: dict) -> None:
    print(
        f"{'role':<16}{'tasks':>6}{'taps':>6}{'keys':>6}{'screens':>8}{'est min':>8}"
        f"{'stated':>8}{'err':>7}{'duty taps':>10}{'duty keys':>10}{'duty scr':>9}"
    )
    for r in results:
        err = f"{100 * r['stated_error']:+.0f}%" if r["stated_error"] is not None else "—"
        print(
            f"{r['role']:<16}{r['role_tasks']:>6}{r['taps']:>6}{r['keys']:>6}{r['screens']:>8}"
            f"{r['minutes']:>8}{r['stated_minutes'] or '—':>8}{err:>7}{r['duties_taps']:>10}"
            f"{r['duties_keys']:>10}{r['duties_screens']:>9}"
        )
    print()
    site = next(r for r in results if r["role"] == "site_lead")
    print("site_lead, per page:")
    print(f"  {'page':<28}{'taps':>6}{'keys':>6}{'screens':>8}{'seconds':>9}{'min left':>9}")
    for row in site["pages"]:
        print(
            f"  {row['page']:<28}{row['taps']:>6}{row['keys']:>6}{row['screens']:>8}"
            f"{row['seconds']:>9}{row['minutes_left_stated']:>9}"
        )
    print()
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")


if __name__ == "__main__":
    sys.exit(main())
