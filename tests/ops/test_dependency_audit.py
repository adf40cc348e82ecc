import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "ops" / "dependency_audit.py"
_spec = importlib.util.spec_from_file_location("dependency_audit", SCRIPT)
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)


def test_a_reported_vulnerability_fails_the_audit_and_names_the_fix():
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.1",
                "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["5.2.2"]}],
            },
            {"name": "nh3", "version": "0.3.8", "vulns": []},
        ]
    }
    status, lines = audit.evaluate(report)
    assert status == 1
    assert "  VULNERABLE django==5.2.1: GHSA-xxxx (fixed in 5.2.2)" in lines
    assert lines[0] == "dependency audit: 2 packages audited, 0 skipped"


def test_a_clean_report_passes_and_skipped_packages_are_listed():
    report = {
        "dependencies": [
            {"name": "nh3", "version": "0.3.8", "vulns": []},
            {"name": "celery", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    status, lines = audit.evaluate(report)
    assert status == 0
    assert "    celery: Dependency not found on PyPI" in lines
    assert audit.evaluate(report, strict=True)[0] == 1
