"""The synthetic-data generator is a development tool: production settings do not install it,
and no product module imports it."""

import os
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def _run_with_settings(module: str, code: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": module,
        "DJANGO_SECRET_KEY": "devtools-check-not-a-real-secret-0123456789-abcdefghijkl",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


CHECK = (
    "import django; django.setup()\n"
    "from django.apps import apps\n"
    "from django.core.management import get_commands\n"
    "print(apps.is_installed('devtools'), 'generate_responses' in get_commands())\n"
)


def test_production_settings_do_not_install_devtools():
    result = _run_with_settings("ostportal.settings.production", CHECK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_local_bench_and_loadtest_settings_keep_generate_responses():
    for module in (
        "ostportal.settings.local",
        "ostportal.settings.bench",
        "ostportal.settings.loadtest",
    ):
        result = _run_with_settings(module, CHECK)
        assert result.returncode == 0, (module, result.stderr)
        assert result.stdout.split() == ["True", "True"], module


def test_test_settings_install_devtools():
    assert apps.is_installed("devtools")
    assert get_commands()["generate_responses"] == "devtools"


def test_no_product_module_imports_devtools():
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "apps").rglob("*.py"))
        if "devtools" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
