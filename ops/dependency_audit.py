"""Known-vulnerability audit of requirements.txt with pip-audit (run by .ci/run).

Fails when pip-audit reports a vulnerability. pip-audit skips a package when the
vulnerability service has no record of it (or cannot be reached); those are listed, and
with PIP_AUDIT_STRICT=1 a skipped package fails the run too.

    .venv/bin/python ops/dependency_audit.py [requirements.txt]
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def evaluate(report: dict, *, strict: bool = False) -> tuple[int, list[str]]:
    """Exit status and printed lines for a pip-audit JSON report."""
    audited, skipped, vulnerable = [], [], []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append(f"    {dep['name']}: {dep['skip_reason']}")
            continue
        name = f"{dep['name']}=={dep['version']}"
        audited.append(name)
        for vuln in dep.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            vulnerable.append(f"  VULNERABLE {name}: {vuln['id']} (fixed in {fixes})")
    lines = [f"dependency audit: {len(audited)} packages audited, {len(skipped)} skipped"]
    lines += vulnerable
    if skipped:
        lines.append("  not audited (the vulnerability service had no data for them):")
        lines += skipped
    if vulnerable:
        return 1, lines
    if skipped and strict:
        return 1, [*lines, "dependency audit: PIP_AUDIT_STRICT=1 and some were not audited"]
    return 0, [*lines, "dependency audit: no known vulnerability reported"]


def main() -> int:
    requirements = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "requirements.txt")
    pip_audit = Path(sys.executable).with_name("pip-audit")
    result = subprocess.run(
        [str(pip_audit), "-r", requirements, "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print("dependency audit: pip-audit gave no report", file=sys.stderr)
        return 2
    status, lines = evaluate(report, strict=os.environ.get("PIP_AUDIT_STRICT") == "1")
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
