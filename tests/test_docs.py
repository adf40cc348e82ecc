"""The documentation keeps up with the code: every app is described on the architecture page,
every relative link in the README and docs/*.md leads to a file (and heading) that exists, and
every `make` target they name is in the Makefile.

docs/incoming/ (notes from work in progress, waiting to be folded in) is not checked.
"""

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "architecture.md"

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
MAKE_TARGET = re.compile(r"`make ([a-z][\w-]*)")


def documented_files(root: Path = ROOT) -> list[Path]:
    """README.md and docs/*.md (not docs/incoming/)."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def project_apps(root: Path = ROOT) -> list[str]:
    """Every Django app: each package in apps/, and each top-level package that is an app
    (has apps.py), such as devtools/. As `apps/<name>/` and `<name>/`."""
    found = [
        f"apps/{path.name}/"
        for path in sorted((root / "apps").iterdir())
        if path.is_dir() and (path / "__init__.py").exists()
    ]
    found += [
        f"{path.name}/"
        for path in sorted(root.iterdir())
        if path.is_dir()
        and not path.name.startswith(".")
        and path.name not in {"apps", "node_modules"}
        and (path / "apps.py").exists()
    ]
    return found


def undescribed_apps(architecture_text: str, apps: list[str]) -> list[str]:
    """Apps without a table row `| `<app>` | <purpose> |` on the architecture page."""
    missing = []
    for app in apps:
        row = re.compile(r"^\|\s*`" + re.escape(app) + r"`\s*\|\s*[^|\s][^|]*\|", re.M)
        if not row.search(architecture_text):
            missing.append(app)
    return missing


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped (hyphens and
    underscores kept), spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = text.replace("`", "").strip().lower()
    kept = "".join(
        ch
        for ch in text
        if ch in " -_" or unicodedata.category(ch)[0] in "LN"  # letters and digits
    )
    return kept.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """Every heading's anchor, with GitHub's -1, -2 suffixes for repeated headings."""
    seen: dict[str, int] = {}
    result = set()
    for match in HEADING.finditer(FENCE.sub("", markdown)):
        base = slug(match.group(2))
        count = seen.get(base, 0)
        result.add(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return result


def link_targets(markdown: str) -> list[str]:
    """The targets of Markdown links outside code."""
    text = INLINE_CODE.sub("", FENCE.sub("", markdown))
    return [match.group(1) for match in LINK.finditer(text)]


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """Relative links of one Markdown file whose file or #anchor does not exist."""
    problems = []
    markdown = path.read_text(encoding="utf-8")
    for target in link_targets(markdown):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto: ...
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        where = f"{path.relative_to(root)}: ({target})"
        if not linked.exists():
            problems.append(f"{where}: no file {file_part}")
            continue
        if anchor:
            if linked.suffix != ".md":
                problems.append(f"{where}: an anchor into a file that is not Markdown")
            elif anchor not in anchors(linked.read_text(encoding="utf-8")):
                problems.append(f"{where}: no heading #{anchor} in {file_part or path.name}")
    return problems


def makefile_targets(root: Path = ROOT) -> set[str]:
    text = (root / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, re.M))


# --- the documentation as it is ---------------------------------------------------------------


def test_every_app_is_described_on_the_architecture_page():
    apps = project_apps()
    assert "apps/core/" in apps and "devtools/" in apps  # the scan itself works
    missing = undescribed_apps(ARCHITECTURE.read_text(encoding="utf-8"), apps)
    assert not missing, (
        f"docs/architecture.md has no table row `| `<app>` | purpose | layer |` for: {missing}"
    )


@pytest.mark.parametrize("path", documented_files(), ids=lambda p: p.name)
def test_relative_links_and_anchors_resolve(path):
    assert not broken_links(path), "\n".join(broken_links(path))


def test_make_targets_named_in_the_docs_exist():
    targets = makefile_targets()
    named = {
        (path.name, target)
        for path in documented_files()
        for target in MAKE_TARGET.findall(path.read_text(encoding="utf-8"))
    }
    unknown = sorted(f"{name}: make {target}" for name, target in named if target not in targets)
    assert not unknown, "\n".join(unknown)


def test_the_readme_stays_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 200, f"README.md has {lines} lines; move detail into docs/"


# --- the checks themselves catch what they should ----------------------------------------------


def test_a_new_app_without_a_line_is_reported(tmp_path):
    (tmp_path / "apps" / "core").mkdir(parents=True)
    (tmp_path / "apps" / "core" / "__init__.py").write_text("")
    (tmp_path / "apps" / "newapp").mkdir()
    (tmp_path / "apps" / "newapp" / "__init__.py").write_text("")
    (tmp_path / "toolbox").mkdir()
    (tmp_path / "toolbox" / "apps.py").write_text("")
    apps = project_apps(tmp_path)
    assert apps == ["apps/core/", "apps/newapp/", "toolbox/"]
    page = "| app | purpose |\n| --- | --- |\n| `apps/core/` | the base |\n| `apps/newapp/` |  |\n"
    assert undescribed_apps(page, apps) == ["apps/newapp/", "toolbox/"]


def test_github_anchors():
    assert slug("Survey effort on a phone (`make bench-ux`)") == (
        "survey-effort-on-a-phone-make-bench-ux"
    )
    assert slug("Upgrades: migrations first, then code") == "upgrades-migrations-first-then-code"
    assert anchors("# A\n## A\n```\n# not a heading\n```\n") == {"a", "a-1"}


def test_missing_files_and_anchors_are_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "ops.md").write_text("# Ops\n\n## Backups\n")
    readme = tmp_path / "README.md"
    readme.write_text(
        "[ok](docs/ops.md) [ok](docs/ops.md#backups) [web](https://example.org/x.md)\n"
        "[gone](docs/gone.md) [bad](docs/ops.md#restores) [self](#nowhere) `[code](x.md)`\n"
        "```\n[fenced](nothing.md)\n```\n"
    )
    problems = broken_links(readme, root=tmp_path)
    assert len(problems) == 3, problems
    assert any("no file docs/gone.md" in p for p in problems)
    assert any("#restores" in p for p in problems)
    assert any("#nowhere" in p for p in problems)


def _table_after(text: str, heading: str = "") -> list[str]:
    """The rows of the first Markdown table after `heading` (from the start without one; an
    empty list when there is none)."""
    if heading and heading not in text:
        return []
    rest = text.split(heading, 1)[1] if heading else text
    rows, started = [], False
    for line in rest.splitlines():
        if line.startswith("|"):
            rows.append(line)
            started = True
        elif started:
            break
    return rows


def test_the_benchmarks_page_shows_the_latest_table():
    """docs/benchmarks.md's "Latest table" is bench/results/summary.md's table, row for row:
    the page once kept an older run's dashboard rows (7,850 ms where the results said 5,127)."""
    summary = (ROOT / "bench" / "results" / "summary.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    latest = _table_after(summary)
    assert latest, "bench/results/summary.md holds no table"
    assert _table_after(page, "### Latest table") == latest
