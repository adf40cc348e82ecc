"""`make bench`, last step: the one table of every goal of issue 16.

Every bench part writes bench/results/<part>.json with a top-level "summary": a list of rows
`{"part", "measure", "size", "value", "unit", "reference", "ratio", "goal", "met"}` (plus
"date" and "machine"). This script reads every results file that has one and prints one aligned
table (part, measure, size, value + unit, reference, ratio, goal, met), with the machine, the
date, the load average and each part's elapsed time; it writes bench/results/summary.json and
bench/results/summary.md (the Markdown table the docs show).

It also times the parts, so `make bench` needs nothing else:

    python bench/report.py start                       # a new run: forget earlier timings
    python bench/report.py run submit submit.json -- python bench/submit_bench.py
    python bench/report.py                             # the table

`run` runs the command, prints and records its elapsed time, exit status and the load average
before and after (bench/results/run.json), and always exits 0 so the next part still runs. A
part "failed to run" when its results file was not (re)written with a valid "summary" during
its run: then the report says so and exits 1. A part that ran and missed a goal (some scripts
exit 1 then) is not a failure: the table says "NO" in its "met" column.

Usage: python bench/report.py [--results DIR] [FILE.json ...]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
RUN_FILE = "run.json"  # the timings of the parts of the current `make bench`
OUTPUTS = ("summary.json", "summary.md")
NOT_RESULTS = {RUN_FILE, *OUTPUTS}
ROW_KEYS = ("part", "measure", "size", "value", "unit", "reference", "ratio", "goal", "met")
STALE_NOTE = "* a part of this run that did not write its file: the rows are an earlier run's"
COLUMNS = ("part", "measure", "size", "value", "reference", "ratio", "goal", "met")


class ResultsError(ValueError):
    """A results file that cannot be read into table rows."""


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def machine() -> str:
    return f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}"


# ---------------------------------------------------------------- reading the results files


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_row(row, where: str) -> dict:
    """One summary row, checked against the convention; raises ResultsError saying what is wrong."""
    if not isinstance(row, dict):
        raise ResultsError(f"{where}: a row must be an object, not {type(row).__name__}")
    missing = [key for key in ROW_KEYS if key not in row]
    if missing:
        raise ResultsError(f"{where}: missing key(s) {', '.join(missing)}")
    if not isinstance(row["part"], str) or not isinstance(row["measure"], str):
        raise ResultsError(f"{where}: 'part' and 'measure' must be text")
    if not _is_number(row["value"]):
        raise ResultsError(f"{where}: 'value' must be a number, not {row['value']!r}")
    for key in ("reference", "ratio"):
        if row[key] is not None and not _is_number(row[key]):
            raise ResultsError(f"{where}: {key!r} must be a number or null, not {row[key]!r}")
    if row["size"] is not None and (
        not isinstance(row["size"], int) or isinstance(row["size"], bool)
    ):
        raise ResultsError(f"{where}: 'size' must be a whole number or null, not {row['size']!r}")
    if row["met"] is not None and not isinstance(row["met"], bool):
        raise ResultsError(f"{where}: 'met' must be true, false or null, not {row['met']!r}")
    if not isinstance(row["unit"], str) or not isinstance(row["goal"], str):
        raise ResultsError(f"{where}: 'unit' and 'goal' must be text")
    return {key: row[key] for key in ROW_KEYS}


def read_results(path: Path) -> dict | None:
    """The file's date, machine and checked rows; None when it has no "summary" (a results
    file of a bench that is not part of the table, e.g. ux.json). Raises ResultsError."""
    name = _shown(path)
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise ResultsError(f"{name}: missing (the part did not write it)") from None
    except OSError as exc:
        raise ResultsError(f"{name}: cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultsError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ResultsError(f"{name}: expected a JSON object at the top")
    if "summary" not in data:
        return None
    if not isinstance(data["summary"], list):
        raise ResultsError(f"{name}: 'summary' must be a list of rows")
    rows = [check_row(row, f"{name}, summary row {i + 1}") for i, row in enumerate(data["summary"])]
    return {
        "file": path.name,
        "date": data.get("date"),
        "machine": data.get("machine"),
        "rows": rows,
    }


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def collect(results_dir: Path, files: list[Path] | None = None) -> dict:
    """Every results file with a summary (or only `files`), the run's timings, and the problems."""
    run = _read_run(results_dir)
    if files is None and not results_dir.is_dir():
        no_dir = f"{_shown(results_dir)}: no such results directory"
        return {"run": {}, "sources": [], "skipped": [], "problems": [no_dir]}
    if files is None:
        files = sorted(p for p in results_dir.glob("*.json") if p.name not in NOT_RESULTS)
        # A part of this run whose file is missing altogether must still be reported.
        for part in run.get("parts", {}).values():
            path = results_dir / part["results"]
            if path not in files:
                files.append(path)
    sources, skipped, problems = [], [], []
    for path in files:
        try:
            source = read_results(path)
        except ResultsError as exc:
            problems.append(str(exc))
            continue
        if source is None:
            skipped.append(path.name)
        else:
            sources.append(source)
    if not sources and not problems:
        problems.append(f"{_shown(results_dir)}: no results file has a 'summary'")
    # The table follows the order the parts ran in, then the other files by name.
    order = [p["results"] for p in run.get("parts", {}).values()]
    sources.sort(key=lambda s: order.index(s["file"]) if s["file"] in order else len(order))
    # Parts of this run: did each write its file, with a summary, after it started?
    by_file = {s["file"]: s for s in sources}
    for name, part in run.get("parts", {}).items():
        path = results_dir / part["results"]
        if part["results"] not in by_file:
            if path.exists() and path.name in skipped:
                problems.append(f"part {name}: {_shown(path)} has no 'summary'")
            continue  # missing or malformed: already in problems
        if path.stat().st_mtime < part["started_epoch"]:
            problems.append(
                f"part {name}: {_shown(path)} was not written by this run "
                f"(exit status {part['exit_status']}; "
                f"the file is from {by_file[path.name]['date']})"
            )
            by_file[path.name]["stale"] = True
    return {"run": run, "sources": sources, "skipped": skipped, "problems": problems}


def _read_run(results_dir: Path) -> dict:
    path = results_dir / RUN_FILE
    if not path.exists():
        return {}
    try:
        run = json.loads(path.read_text())
    except json.JSONDecodeError:
        return {}
    return run if isinstance(run, dict) else {}


# ---------------------------------------------------------------- the table


def number(value, digits: int = 3) -> str:
    """A figure with about `digits` significant digits and thousands separators."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    magnitude = abs(value)
    if magnitude >= 10 ** (digits - 1) or magnitude == 0:
        return f"{value:,.0f}"
    decimals = digits - 1 - math.floor(math.log10(magnitude))
    return f"{value:,.{min(decimals, 4)}f}"


def cells(row: dict) -> list[str]:
    unit = row["unit"]
    value = number(row["value"]) + (f" {unit}" if unit else "")
    reference = number(row["reference"]) + (f" {unit}" if unit and row["reference"] else "")
    met = {True: "yes", False: "NO", None: "-"}[row["met"]]
    ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else ""
    size = f"{row['size']:,}" if row["size"] is not None else ""
    part = row["part"] + (" *" if row.get("stale") else "")
    return [part, row["measure"], size, value, reference, ratio, row["goal"], met]


def table_rows(sources: list[dict]) -> list[dict]:
    rows = []
    for source in sources:
        for row in source["rows"]:
            rows.append({**row, "file": source["file"], "stale": bool(source.get("stale"))})
    return rows


def text_table(rows: list[dict]) -> str:
    body = [cells(r) for r in rows]
    widths = [max(len(x) for x in [h, *(b[i] for b in body)]) for i, h in enumerate(COLUMNS)]
    right = {2, 3, 4, 5}  # numbers
    lines = []
    for line in [list(COLUMNS), ["-" * w for w in widths], *body]:
        out = [
            (x.rjust(w) if i in right else x.ljust(w))
            for i, (x, w) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(out).rstrip())
    return "\n".join(lines)


def markdown_table(rows: list[dict]) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|").replace("*", "\\*")

    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "| "
        + " | ".join("---:" if i in (2, 3, 4, 5) else "---" for i in range(len(COLUMNS)))
        + " |",
    ]
    for row in rows:
        shown = [escape(x) for x in cells(row)]
        if row["met"] is False:
            shown[7] = "**NO**"
        lines.append("| " + " | ".join(shown) + " |")
    return "\n".join(lines)


def parts_lines(collected: dict) -> list[str]:
    """One line per part of this run (elapsed, exit status, load) or per results file."""
    run = collected["run"]
    lines = []
    files = {s["file"]: s for s in collected["sources"]}
    if run.get("parts"):
        for name, part in run["parts"].items():
            source = files.get(part["results"])
            load = part.get("load_average_before") or ["?"]
            state = f"exit {part['exit_status']}"
            if source is None and part["results"] in collected["skipped"]:
                state += ", results without 'summary'"
            elif source is None or source.get("stale"):
                state += ", no results written"
            lines.append(
                f"{name}: {part['elapsed_s']:,.0f} s ({part['elapsed_s'] / 60:.1f} min), {state}, "
                f"load {load[0]} before, results {part['results']}"
            )
        total = sum(p["elapsed_s"] for p in run["parts"].values())
        lines.append(f"all parts: {total:,.0f} s ({total / 60:.1f} min)")
    outside = [s for s in collected["sources"] if s["file"] not in _run_files(run)]
    for source in outside:
        lines.append(f"{source['file']}: dated {source['date']} (not timed by this run)")
    return lines


def _run_files(run: dict) -> set[str]:
    return {p["results"] for p in run.get("parts", {}).values()}


def build(collected: dict) -> dict:
    rows = table_rows(collected["sources"])
    run = collected["run"]
    machines = sorted({s["machine"] for s in collected["sources"] if s.get("machine")})
    return {
        "date": now(),
        "run_started": run.get("started"),
        "sizes": run.get("sizes") or os.environ.get("BENCH_SIZES"),
        "machine": machine(),
        "machines_in_files": machines,
        "load_average": load_average(),
        "load_average_at_start": run.get("load_average_before"),
        "parts": run.get("parts", {}),
        "files": {s["file"]: s["date"] for s in collected["sources"]},
        "not_in_table": collected["skipped"],
        "problems": collected["problems"],
        "unmet": sum(1 for r in rows if r["met"] is False),
        "rows": rows,
    }


def header_lines(report: dict) -> list[str]:
    lines = [
        f"machine: {report['machine']}",
        f"date: {report['date']}"
        + (f" (run started {report['run_started']})" if report["run_started"] else ""),
        "load average (1, 5, 15 min): "
        + ", ".join(map(str, report["load_average"]))
        + (
            f" now; {', '.join(map(str, report['load_average_at_start']))} at the start"
            if report["load_average_at_start"]
            else ""
        ),
    ]
    if report["sizes"]:
        lines.append(f"BENCH_SIZES: {report['sizes']}")
    return lines


def markdown(report: dict, collected: dict) -> str:
    out = ["Latest `make bench` (written by `bench/report.py`).", ""]
    out += [f"- {line}" for line in header_lines(report)]
    out += [f"- {line}" for line in parts_lines(collected)]
    out += ["", markdown_table(report["rows"]), ""]
    met = sum(1 for r in report["rows"] if r["met"] is True)
    out.append(f"Goals met: {met}; not met: {report['unmet']}.")
    if any(r["stale"] for r in report["rows"]):
        out += ["", STALE_NOTE.replace("*", "\\*", 1)]
    if report["problems"]:
        out += ["", "Problems:", ""] + [f"- {p}" for p in report["problems"]]
    return "\n".join(out) + "\n"


def report_main(results_dir: Path, files: list[Path] | None) -> int:
    collected = collect(results_dir, files)
    report = build(collected)
    print()
    print("The one table (issue 16): every goal, against references measured in the same run")
    for line in header_lines(report) + parts_lines(collected):
        print(line)
    print()
    print(text_table(report["rows"]) if report["rows"] else "(no results file has a summary)")
    print()
    met = sum(1 for r in report["rows"] if r["met"] is True)
    print(f"goals met: {met}; not met: {report['unmet']} (a goal not met is not an error)")
    if any(r["stale"] for r in report["rows"]):
        print(STALE_NOTE)
    if collected["skipped"]:
        print("not in the table (no 'summary'): " + ", ".join(collected["skipped"]))
    for problem in report["problems"]:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    if not results_dir.is_dir():
        return 1
    (results_dir / "summary.json").write_text(json.dumps(report, indent=2) + "\n")
    (results_dir / "summary.md").write_text(markdown(report, collected))
    print(f"written: {_shown(results_dir / 'summary.json')}, {_shown(results_dir / 'summary.md')}")
    return 1 if report["problems"] else 0


# ---------------------------------------------------------------- timing the parts


def start_main(results_dir: Path) -> int:
    results_dir.mkdir(parents=True, exist_ok=True)
    run = {
        "started": now(),
        "sizes": os.environ.get("BENCH_SIZES"),
        "machine": machine(),
        "load_average_before": load_average(),
        "parts": {},
    }
    (results_dir / RUN_FILE).write_text(json.dumps(run, indent=2) + "\n")
    print(f"make bench: started {run['started']}, load average {run['load_average_before']}, "
          f"BENCH_SIZES={run['sizes'] or '(each part’s default)'}", flush=True)  # fmt: skip
    return 0


def run_main(results_dir: Path, part: str, results: str, command: list[str]) -> int:
    """Run one part's command, time it, record it in run.json; always 0 (see the docstring)."""
    if not command:
        print("report.py run: no command after --", file=sys.stderr)
        return 2
    run = _read_run(results_dir) or {"started": now(), "parts": {}}
    run.setdefault("parts", {})
    load = load_average()
    started_epoch = time.time()
    started = time.monotonic()
    print(f"== {part}: {' '.join(command)} (load average {load[0]})", flush=True)
    try:
        status = subprocess.run(command, cwd=ROOT).returncode
    except OSError as exc:
        print(f"== {part}: could not start: {exc}", file=sys.stderr)
        status = 127
    elapsed = time.monotonic() - started
    run["parts"][part] = {
        "command": " ".join(command),
        "results": results,
        "started": datetime.fromtimestamp(started_epoch, UTC).isoformat(timespec="seconds"),
        "started_epoch": started_epoch,
        "elapsed_s": round(elapsed, 1),
        "exit_status": status,
        "load_average_before": load,
        "load_average_after": load_average(),
    }
    (results_dir / RUN_FILE).write_text(json.dumps(run, indent=2) + "\n")
    print(f"== {part}: {elapsed:,.0f} s ({elapsed / 60:.1f} min), exit status {status}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, command = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS, help="results directory")
    parser.add_argument("args", nargs="*", help="start | run PART FILE -- CMD | [FILE.json ...]")
    options = parser.parse_args(argv)
    args = options.args
    if args[:1] == ["start"]:
        return start_main(options.results)
    if args[:1] == ["run"]:
        if len(args) != 3:
            parser.error("run PART RESULTS_FILE -- COMMAND ...")
        return run_main(options.results, args[1], args[2], command)
    files = [Path(a) for a in args] or None
    return report_main(options.results, files)


if __name__ == "__main__":
    sys.exit(main())
