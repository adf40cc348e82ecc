"""The import layers in .importlinter are kept, cover every app, and catch a forbidden import.

`make lint` (and so .ci/run) runs lint-imports on the real tree; here the same contracts run
on a throw-away copy of apps/ with one forbidden import planted at a time, so weakening a
contract (dropping an app from it, loosening its type, ignoring the import) fails a test.
"""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = sorted(
    p.name for p in (ROOT / "apps").iterdir() if p.is_dir() and (p / "__init__.py").exists()
)
FEATURE_APPS = [app for app in APPS if app != "core"]


def _contracts() -> dict[str, configparser.SectionProxy]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    prefix = "importlinter:contract:"
    return {
        name[len(prefix) :]: parser[name] for name in parser.sections() if name.startswith(prefix)
    }


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _run(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / ".importlinter")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_name_every_app():
    contracts = _contracts()
    core = contracts["core-independent"]
    assert core["type"] == "forbidden"
    assert _lines(core["source_modules"]) == ["apps.core"]
    assert sorted(_lines(core["forbidden_modules"])) == [f"apps.{app}" for app in FEATURE_APPS]
    assert "ignore_imports" not in core

    layers = contracts["app-layers"]
    assert layers["type"] == "layers"
    layered = [
        name.strip()
        for line in _lines(layers["layers"])
        for name in line.replace(":", "|").split("|")
    ]
    assert sorted(layered) == [f"apps.{app}" for app in APPS]
    assert _lines(layers["layers"])[-1] == "apps.core"
    assert "ignore_imports" not in layers

    acyclic = contracts["acyclic-between-apps"]
    assert acyclic["type"] == "acyclic_siblings"
    assert _lines(acyclic["ancestors"]) == ["apps"]
    assert "ignore_imports" not in acyclic

    for app in APPS:
        if app != "core" and (ROOT / "apps" / app / "models.py").exists():
            private = contracts[f"{app}-models-private"]
            assert private["type"] == "protected"
            assert _lines(private["protected_modules"]) == [f"apps.{app}.models"]
            assert _lines(private["allowed_importers"]) == [f"apps.{app}"]


def test_the_survey_models_are_read_only_by_the_insights_engine_outside_surveys():
    ignored = _lines(_contracts()["surveys-models-private"].get("ignore_imports", ""))
    importers = {line.split(" -> ")[0] for line in ignored if not line.startswith("#")}
    assert importers <= {
        "apps.insights.cube",
        "apps.insights.crosstab",
        "apps.insights.selectors",
        "apps.insights.sources",
    }


def test_make_lint_and_ci_run_the_import_contracts():
    makefile = (ROOT / "Makefile").read_text()
    lint_recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "lint-imports" in lint_recipe
    assert "make lint" in (ROOT / ".ci" / "run").read_text()


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the Python sources under apps/ and the contracts (no settings needed:
    import-linter reads the files, it does not import them)."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "apps",
        root / "apps",
        ignore=lambda _dir, names: [
            n for n in names if not n.endswith(".py") and not (Path(_dir) / n).is_dir()
        ],
    )
    shutil.copy(ROOT / ".importlinter", root / ".importlinter")
    return root


def test_the_real_tree_keeps_every_contract(tree):
    result = _run(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


PLANTED = [
    # (module that gets the import, the import, the contract that must break)
    ("apps/core/text.py", "from apps.accounts.roles import ROLES", "core imports no feature app"),
    (
        "apps/core/views.py",
        "def later():\n    from apps.operations import health",  # lazy imports count too
        "core imports no feature app",
    ),
    (
        "apps/surveys/selectors.py",
        "def later():\n    from apps.insights import selectors",
        "apps are layered",
    ),
    ("apps/accounts/views.py", "from apps.pages import delivery", "apps are layered"),
    ("apps/feeds/selectors.py", "from apps.surveys.models import Response", "only surveys imports"),
    (
        "apps/comments/selectors.py",
        "from apps.insights.models import CubeBuild",
        "only insights imports",
    ),
    (
        "apps/surveys/models.py",
        "def later():\n    from apps.surveys import services",
        "no import cycle inside these apps",
    ),
    (
        "apps/pages/services.py",
        "def later():\n    from apps.pages import tasks",
        "no import cycle inside these apps",
    ),
]


@pytest.mark.parametrize("path, planted, contract", PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_forbidden_import_breaks_its_contract(tree, path, planted, contract):
    target = tree / path
    original = target.read_text()
    target.write_text(original + "\n\n" + planted + "\n")
    try:
        result = _run(tree)
    finally:
        target.write_text(original)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout
