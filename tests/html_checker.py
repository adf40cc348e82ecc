"""The Nu HTML checker (vnu.jar from the npm package vnu-jar, run with the machine's Java),
shared by every test that validates pages.

Without Java or node_modules/vnu-jar the tests are skipped, unless REQUIRE_HTML_CHECK=1 (CI),
which turns the missing checker into a failure.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VNU = (
    Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def checker_available() -> bool:
    return VNU.exists() and shutil.which("java") is not None


def require_html_checker() -> None:
    """Skip the calling test when the checker cannot run (fail under REQUIRE_HTML_CHECK=1)."""
    if not checker_available():
        if os.environ.get("REQUIRE_HTML_CHECK") == "1":
            pytest.fail("REQUIRE_HTML_CHECK=1 but java or node_modules/vnu-jar is missing")
        pytest.skip("Nu HTML checker needs java and node_modules/vnu-jar")


def html_problems(pages: dict[str, str], tmp_path: Path) -> list[str]:
    """Run the checker (errors only) over every page; one line per error, named by the page."""
    require_html_checker()
    files = {}
    for i, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"page{i}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
    ]
