"""Mutation testing of the small modules that guard privacy, skip logic and security.

    .venv/bin/python ops/mutation.py                 # every module in MODULES
    .venv/bin/python ops/mutation.py apps/core/csvsafe.py

For each module, mutmut (pinned in requirements.txt) changes the code one small way at a time
(a mutant: `<` for `<=`, `and` for `or`, a changed constant...) and runs only that module's
tests, without the database, pytest plugins or the project's conftest, so a run takes a
fraction of a second of CPU. A mutant the
tests still pass on "survived": the tests would not notice that change. Survivors listed in
EQUIVALENT were judged to change nothing observable (reason given) and leave the score's
denominator. Prints a table; exits 1 when a module is under THRESHOLD.

To add a module: one line in MODULES with the test files that cover it. Those tests must run
with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 and --noconftest (Django settings may be read; no
database, no django.setup(), no fixtures from tests/conftest.py).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
THRESHOLD = 0.90

MODULES: dict[str, list[str]] = {
    "apps/core/csvsafe.py": ["tests/core/test_csvsafe.py"],
    "apps/surveys/conditions.py": ["tests/surveys/test_conditions.py"],
    "apps/surveys/ownership.py": ["tests/surveys/test_ownership_cookie.py"],
    "apps/comments/similarity.py": ["tests/comments/test_similarity_unit.py"],
    # The quick tests first: most mutants fail one of them, the rest need the grid search.
    "apps/insights/disclosure.py": [
        "tests/insights/test_disclosure_unit.py",
        "tests/insights/test_disclosure.py",
    ],
    "apps/insights/suppression.py": [
        "tests/insights/test_suppression_unit.py",
        "tests/insights/test_disclosure_unit.py",
        "tests/insights/test_disclosure.py",
    ],
}

# Survivors judged equivalent, by module: (text of the mutated line after the change, why).
EQUIVALENT: dict[str, list[tuple[str, str]]] = {
    "apps/surveys/conditions.py": [
        (
            "Values = None",
            "a type alias used only in annotations; nothing reads it at run time",
        ),
        (
            'have = values.get(condition.get("question", "XXXX"), set())',
            "the default only applies to a condition without a question key; both '' and "
            "'XXXX' are keys no question has (keys are non-empty slugs, and "
            "validate_condition refuses a condition without one)",
        ),
        (
            'if condition.get("question", "XXXX") not in values:',
            "as above: both defaults are keys no question has",
        ),
    ],
    "apps/insights/disclosure.py": [
        (
            "step = Decimal(2).scaleb(-digits)",
            "Decimal.quantize() takes only the exponent of its argument: 2E-2 and 1E-2 give "
            "the same rounding",
        ),
        (
            "weight = weight or (lambda cell: 1)",
            "one weight for every cell: only the order of the costs matters, and 2 orders them "
            "as 1 does",
        ),
        (
            "unknown = sorted((c for c in hidden if values.get(c, 1)), key=str)",
            "hidden cells are always keys of values with a non-zero count (the small ones, and "
            "cells taken from lines, which keep only non-zero cells)",
        ),
        (
            "changed = _hide_cheapest(line, values, hidden, weight)",
            "a pass that hid a cell but ends reporting no change goes on to the determined "
            "check, which finds that line's lone hidden cell fixed and hides the same cheapest "
            "cell of the line; no difference in 3,000 random grids (the &= variant differs "
            "and is killed)",
        ),
        (
            "rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=False)]",
            "every row of the elimination has the same width (one column per unknown)",
        ),
        (
            "for row, cell in zip(rows, ids, strict=False):",
            "every caller passes one cell id per row (built from the same rows)",
        ),
        (
            'relations = [("XXtotalXX", [("row", i) for i in range(len(rows))])] if additive '
            "else []",
            "the rows still form one line without the total: a lone hidden row hides the "
            "cheapest other row either way (the total is never the cheapest, being at least "
            "every row); a total is hidden only when under K, and then every non-zero row is "
            "too, with or without the relation",
        ),
        (
            'apply_rows(rows, [("row", i) for i in range(len(rows))], hidden, total, '
            '"XXtotalXX" in hidden)',
            "a table's total is hidden only when under K (never as a complement: it is never "
            "the cheapest cell), and shown_count() of a total under K is None as well, so the "
            "shares are None either way",
        ),
    ],
    "apps/comments/similarity.py": [
        (
            "if len(w) <= SHINGLE_WORDS:",
            "for exactly three words the whole text and the only 3-gram are the same string",
        ),
        (
            "int.from_bytes(hashlib.blake2b(s.encode(), key=key[:33], digest_size=8).digest(), "
            '"big")',
            "the key is a 32-byte SHA-256 digest: [:33] and [:32] are the same bytes",
        ),
        (
            "if not a and not b or len(a) != len(b):",
            "when only one signature is empty their lengths differ, which returns 0.0 anyway",
        ),
        (
            "return sum(x == y for x, y in zip(a, b, strict=False)) / len(a)",
            "the line before returns unless the lengths are equal, so strict never matters",
        ),
        (
            "return len(a & b) / len(a | b) if a or b else 0.0",
            "with one set empty the intersection is empty: 0 / len(other) is 0.0 as well",
        ),
    ],
}


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "ostportal.settings.test")
    # No pytest plugins (pytest-django, Hypothesis, Playwright): a run then costs a third.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    # No .pyc of a mutant: a later mutant of the same size written in the same second
    # could otherwise run the earlier one's bytecode.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# A mutant that loops forever (`changed = True` in a fixed-point loop) is stopped here: when
# mutmut's own timeout kills the shell, the pytest under it lives on holding mutmut's pipe,
# and the whole run hangs. A run stopped by `timeout` fails, which counts as killed.
MUTANT_SECONDS = 120


def _runner(tests: list[str]) -> str:
    # mutmut 2 counts only exit code 1 as "tests failed"; pytest exits 2 when a mutant breaks
    # the module's import (a collection error), so every failure is turned into 1.
    pytest = (
        f"timeout -k 5 {MUTANT_SECONDS} {BIN / 'python'} -m pytest -x -q -p no:cacheprovider "
        f"--noconftest -W ignore::pytest.PytestConfigWarning {' '.join(tests)}"
    )
    return f"sh -c '{pytest} || exit 1'"


def _mutmut(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "mutmut"), *args], cwd=ROOT, env=_env(), capture_output=True, text=True
    )


def _ids(status: str) -> list[str]:
    """Mutant ids with this status (killed, timeout, suspicious, survived, skipped, untested)."""
    return _mutmut("result-ids", status).stdout.split()


def _mutated_line(mutant_id: str) -> tuple[str, str]:
    diff = _mutmut("show", mutant_id).stdout
    added = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and ln[1:2] != "+"]
    return (added[0] if added else ""), diff


def run_module(module: str, tests: list[str]) -> dict:
    cache = ROOT / ".mutmut-cache"
    cache.unlink(missing_ok=True)
    result = _mutmut(
        "run",
        "--paths-to-mutate",
        module,
        "--tests-dir",
        str(Path(tests[0]).parent),
        "--runner",
        _runner(tests),
        "--simple-output",
    )
    if result.returncode & 1:  # a fatal error (the tests fail unmutated, say)
        print(result.stdout + result.stderr)
        raise SystemExit(f"mutmut could not run on {module}")
    killed, timeout, suspicious = (len(_ids(s)) for s in ("killed", "timeout", "suspicious"))
    survivors = _ids("survived") + _ids("untested")
    declared = EQUIVALENT.get(module, [])
    equivalent, alive = [], []
    for mutant_id in survivors:
        line, diff = _mutated_line(mutant_id)
        reason = next((why for text, why in declared if text == line), None)
        (equivalent if reason else alive).append((mutant_id, line, reason or diff))
    # mutmut marks a mutant "suspicious" when its tests failed but took long (a busy
    # machine): killed all the same.
    total = killed + timeout + suspicious + len(survivors)
    counted = total - len(equivalent)
    score = (killed + timeout + suspicious) / counted if counted else 1.0
    return {
        "module": module,
        "total": total,
        "killed": killed + timeout + suspicious,
        "equivalent": equivalent,
        "alive": alive,
        "score": score,
    }


def main(argv: list[str]) -> int:
    if shutil.which("mutmut", path=str(BIN)) is None:
        print("mutmut is not installed: make install")
        return 1
    chosen = argv or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        print(f"Not in MODULES: {unknown}")
        return 1
    rows = []
    for module in chosen:
        print(f"mutating {module} ...", flush=True)
        rows.append(run_module(module, MODULES[module]))
    print()
    print(f"{'module':34} {'mutants':>7} {'killed':>6} {'equiv.':>6} {'alive':>5} {'score':>6}")
    for r in rows:
        print(
            f"{r['module']:34} {r['total']:7d} {r['killed']:6d} {len(r['equivalent']):6d} "
            f"{len(r['alive']):5d} {r['score']:6.1%}"
        )
    for r in rows:
        for mutant_id, line, why in r["equivalent"]:
            print(f"\n{r['module']} mutant {mutant_id} judged equivalent: {line}\n  {why}")
        for mutant_id, _line, diff in r["alive"]:
            print(f"\n{r['module']} mutant {mutant_id} SURVIVED:\n{diff}")
    failing = [r["module"] for r in rows if r["score"] < THRESHOLD]
    if failing:
        print(f"\nUnder {THRESHOLD:.0%} of non-equivalent mutants killed: {failing}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
