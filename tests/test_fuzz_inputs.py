"""Hypothesis drives every URL of the portal with hostile input and fails on any server error.

The URLs and their real parameters come from the authorization walk (tests/test_authorization.py),
so a URL added later is fuzzed as soon as it is classified there. Each URL is opened as an
Administrator (two-factor confirmed), and each public URL also as an anonymous visitor, with:
- GET parameters: the names the page's own forms use plus every name a view reads with
  request.GET.get(...) anywhere in apps/, and
- a POST of the page's form fields (url-encoded or multipart),
filled with NUL bytes, bytes that are not UTF-8, very long strings, odd unicode (right-to-left
marks, combining characters, emoji, private use), huge and negative numbers, and then any text.
Every answer must be below 500 (a 400 page, a form error, a redirect or a 404 are all fine).

Runtime: a few examples per URL (FUZZ_EXAMPLES, default 4) with a fixed seed (derandomize), so
CI sees the same inputs every run; the fixed probes below always run as the first examples.
"""

import os
import re
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from apps.accounts.roles import Role

from .factories import make_user
from .test_authorization import ADMIN_PATHS, PORTAL, PUBLIC
from .test_authorization import url_for as url_for  # the fixture, shared

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
ROOT = Path(__file__).resolve().parents[1]

# Every query parameter name a view reads directly, found in the code itself.
CODE_PARAMS = sorted(
    {
        name
        for path in (ROOT / "apps").rglob("*.py")
        for name in re.findall(
            r"(?:GET|query|params)\.(?:get|getlist)\(\s*[\"']([A-Za-z_0-9]+)[\"']",
            path.read_text(encoding="utf-8"),
        )
    }
    | {"page", "next", "q", "lang", "format"}
)
FORM_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.I)
SKIP_NAMES = {"csrfmiddlewaretoken"}
# Writes that would end the signed-in session under test; their GET is fuzzed all the same.
NO_POST = {"accounts:logout", "admin:logout"}

NASTY_TEXT = [
    "\x00",
    "a\x00b",
    "x" * 5000,
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "\u202etxt.exe",  # right-to-left override
    "e\u0301\u0301\u0301",  # combining marks
    "\U0001f600\U0001f4a9",
    "\ue000\uffff\ufeff",
    "%00%ff",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "2026-02-30",
]
NASTY_BYTES = [b"\xff", b"\xc3", b"caf\xe9", b"\x00", b"\xed\xa0\x80"]  # last: a surrogate

# A value is text (sent UTF-8 encoded) or raw bytes (sent percent-encoded as they are).
values = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(NASTY_BYTES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=400),
    st.binary(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def _encode(params: dict) -> str:
    parts = []
    for name, value in params.items():
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        parts.append(f"{quote(name, safe='')}={quote_from_bytes(raw, safe='')}")
    return "&".join(parts)


def _form_names(html: str) -> list[str]:
    return sorted({n for n in FORM_NAME.findall(html) if n not in SKIP_NAMES})


def _ok(reply, what: str) -> None:
    assert reply.status_code < 500, f"{what} -> {reply.status_code}"


def _fuzz(client, name: str, url: str, *, login=None) -> None:
    """GET the page once for its form field names, then let Hypothesis fill them."""
    if login is not None:
        client.force_login(login)
    first = client.get(url)
    _ok(first, f"GET {url}")
    html = first.get("Content-Type", "").startswith("text/html") and not first.streaming
    page_names = _form_names(first.content.decode("utf-8", "replace")) if html else []
    get_names = sorted(set(page_names) | set(CODE_PARAMS))

    @hsettings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @example(get={"q": "\x00"}, post=dict.fromkeys(page_names, "\x00"), multipart=True)
    @example(get={"q": b"\xff"}, post=dict.fromkeys(page_names, b"\xff"), multipart=False)
    @example(get={"page": "9" * 40}, post=dict.fromkeys(page_names, "x" * 5000), multipart=True)
    @given(
        get=st.dictionaries(st.sampled_from(get_names), values, max_size=4),
        post=st.fixed_dictionaries({}, optional=dict.fromkeys(page_names, values)),
        multipart=st.booleans(),
    )
    def run(get, post, multipart):
        if login is not None and "_auth_user_id" not in client.session:
            client.force_login(login)
        target = f"{url}{'&' if '?' in url else '?'}{_encode(get)}" if get else url
        _ok(client.get(target), f"GET {target[:300]}")
        if name in NO_POST:
            return
        if multipart and not any(isinstance(v, bytes) for v in post.values()):
            reply = client.post(url, post)
        else:
            reply = client.post(
                url, _encode(post), content_type="application/x-www-form-urlencoded"
            )
        _ok(reply, f"POST {url} {sorted(post)}")

    run()


@pytest.fixture
def admin_user(db):
    return make_user(Role.ADMINISTRATOR)


@pytest.mark.parametrize("name", sorted(PORTAL))
def test_no_portal_url_answers_hostile_input_with_a_server_error(client, url_for, name, admin_user):
    url = url_for(name, admin_user)
    if name in PUBLIC:
        _fuzz(client, name, url)  # anonymous (staff URLs only send them to sign in)
    else:
        _ok(client.get(f"{url}?q=%00&next=%ff"), f"anonymous GET {url}")
        _ok(client.post(url, {"q": "\x00"}), f"anonymous POST {url}")
    _fuzz(client, name, url, login=admin_user)


# The Django admin, signed in as an Administrator: the change lists (search, filters,
# ordering, paging from the query string) and add forms are where hostile input lands.
ADMIN_FUZZED = [p for p in ADMIN_PATHS if p.endswith(("/add/", "/")) and "/1/" not in p]


@pytest.mark.parametrize("path", ADMIN_FUZZED)
def test_no_admin_page_answers_hostile_input_with_a_server_error(client, admin_user, path):
    assert path.startswith("/" + django_settings.ADMIN_URL)
    _fuzz(client, "admin:" + path, path, login=admin_user)
