"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium), never a downloaded one.

Skipped when Chromium is missing, unless REQUIRE_BROWSER=1 (as in .ci/run), where a missing
browser is a failure.
"""

import json
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Offline tests: context.set_offline() does not reach a service worker's own requests; with
# this switch Playwright reports them to context.route(), which can then drop them.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")


def pytest_collection_modifyitems(config, items):
    have_browser = Path(CHROMIUM).exists()
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    for item in items:
        if "browser" not in item.keywords:
            continue
        if not have_browser and not required:
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} not installed"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _ReleasedOnClose:
    """A WSGI response that gives the lock back once the server has sent it (or given up)."""

    def __init__(self, result, lock):
        self.result, self.lock, self.held = result, lock, True

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            if self.held:
                self.held = False
                self.lock.release()


def _one_request_at_a_time(handler_class):
    """The live server's handler, serving one request at a time.

    With the in-memory SQLite database of `make test`, every live-server thread uses the
    test's one connection (pytest-django passes it to the server). Two requests at once,
    say the service worker's script and a page whose eager job sends an email, then share
    one transaction, and an error in one ("Database unavailable" on the other) breaks both.
    Static files too: Django's request signals touch that connection for them as well.
    PostgreSQL gives each thread its own connection, so the PostgreSQL pass keeps the
    threaded server as it is."""
    lock = threading.Lock()

    class OneRequestAtATime(handler_class):
        def __call__(self, environ, start_response):
            lock.acquire()
            try:
                result = super().__call__(environ, start_response)
            except BaseException:
                lock.release()
                raise
            return _ReleasedOnClose(result, lock)

    return OneRequestAtATime


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server; on a shared in-memory SQLite connection, one request at
    a time (see _one_request_at_a_time)."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = _one_request_at_a_time(server.thread.static_handler)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(live_server, transactional_db):
    """The live portal with its seeded content and role groups."""
    from apps.pages.seeding import seed_content
    from tests.factories import ensure_roles

    ensure_roles()
    seed_content()
    return live_server


@pytest.fixture
def survey_site(site):
    """The live portal with the practitioner survey seeded and published too."""
    from apps.surveys.seeding import seed_survey

    seed_survey()
    return site


class Pages:
    """Opens pages and collects console errors (a CSP violation shows up there)."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []
        self.console_errors: list[str] = []

    def open(self, viewport=DESKTOP, locale="en-US", service_workers="block"):
        context = self.browser.new_context(
            viewport=viewport, locale=locale, service_workers=service_workers
        )
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda msg: (
                self.console_errors.append(f"{page.url}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser):
    opener = Pages(browser)
    yield opener
    opener.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (from the npm package) on the page with the WCAG 2.1 A and AA rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + json.dumps(violations, indent=2)


def sign_in(page, base_url: str, user) -> None:
    """Sign in through the form; type the authenticator code when the portal asks for it."""
    from tests.factories import PASSWORD, totp_code

    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/accounts/login/code/" in page.url:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=user, confirmed=True)
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Sign in").click()
