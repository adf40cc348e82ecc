"""bench/report.py, the one table of `make bench`: built from the parts' results files (no
database, no network), unmet goals marked, a missing or malformed file named with what is wrong,
and the exit status telling a part that did not run from a goal that was missed."""

import json
import sys
import time

import pytest

from bench import report


def row(**changes) -> dict:
    base = {
        "part": "exports",
        "measure": "CSV export vs COPY",
        "size": 1000000,
        "value": 412.5,
        "unit": "s",
        "reference": 230.0,
        "ratio": 1.79,
        "goal": "<= 2x COPY",
        "met": True,
    }
    return {**base, **changes}


def write(path, rows, **extra):
    data = {"date": "2026-12-06T14:00:00+00:00", "machine": "vm 2 cores", **extra}
    if rows is not None:
        data["summary"] = rows
    path.write_text(json.dumps(data))
    return path


@pytest.fixture
def results(tmp_path):
    write(
        tmp_path / "data.json",
        [
            row(),
            row(
                measure="XLSX export",
                size=100000,
                value=167.5,
                reference=None,
                ratio=None,
                goal="< 60 s",
                met=False,
            ),
        ],
    )
    write(
        tmp_path / "lighthouse.json",
        [
            row(
                part="lighthouse",
                measure="performance, mobile: survey first page",
                size=None,
                value=99,
                unit="score",
                reference=None,
                ratio=None,
                goal=">= 100",
                met=False,
            )
        ],
    )
    write(tmp_path / "ux.json", None, roles={})  # a bench outside the table: no summary
    return tmp_path


def test_the_table_has_every_row_and_marks_unmet_goals_without_failing(results, capsys):
    assert report.main(["--results", str(results)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("part "))
    for column in ("measure", "size", "value", "reference", "ratio", "goal", "met"):
        assert column in header
    csv = next(line for line in lines if "CSV export vs COPY" in line)
    assert "1,000,000" in csv and "412 s" in csv and "230 s" in csv and "1.79x" in csv
    assert csv.rstrip().endswith("yes")
    xlsx = next(line for line in lines if "XLSX export" in line)
    assert "100,000" in xlsx and "168 s" in xlsx and xlsx.rstrip().endswith("NO")
    assert next(line for line in lines if "survey first page" in line).rstrip().endswith("NO")
    assert "goals met: 1; not met: 2" in out
    assert "not in the table (no 'summary'): ux.json" in out
    assert out.count("machine: ") == 1 and "load average" in out

    summary = json.loads((results / "summary.json").read_text())
    assert [r["measure"] for r in summary["rows"]] == [
        "CSV export vs COPY",
        "XLSX export",
        "performance, mobile: survey first page",
    ]
    assert summary["unmet"] == 2 and summary["problems"] == []
    assert summary["machine"] and summary["date"] and len(summary["load_average"]) == 3
    markdown = (results / "summary.md").read_text()
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 3  # header, alignment, one line per row
    assert table[0] == "| part | measure | size | value | reference | ratio | goal | met |"
    assert sum("**NO**" in line for line in table) == 2


def test_a_malformed_file_is_named_with_the_place_and_the_others_still_shown(results, capsys):
    (results / "insights.json").write_text('{"date": "x", "summary": [}')
    assert report.main(["--results", str(results)]) == 1
    captured = capsys.readouterr()
    assert "insights.json: not valid JSON (line 1, column 27" in captured.err
    assert "CSV export vs COPY" in captured.out
    problems = json.loads((results / "summary.json").read_text())["problems"]
    assert len(problems) == 1 and "insights.json" in problems[0]


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"value": "fast"}, "'value' must be a number"),
        ({"met": "yes"}, "'met' must be true, false or null"),
        ({"size": 1.5}, "'size' must be a whole number or null"),
        ({"ratio": "2x"}, "'ratio' must be a number or null"),
    ],
)
def test_a_row_breaking_the_convention_is_refused_with_its_number(results, capsys, bad, message):
    write(results / "submit.json", [row(part="submit"), row(part="submit", **bad)])
    assert report.main(["--results", str(results)]) == 1
    err = capsys.readouterr().err
    assert f"submit.json, summary row 2: {message}" in err


def test_a_row_missing_keys_names_them(results, capsys):
    broken = row()
    del broken["goal"], broken["unit"]
    write(results / "submit.json", [broken])
    assert report.main(["--results", str(results)]) == 1
    assert "submit.json, summary row 1: missing key(s) unit, goal" in capsys.readouterr().err


def test_a_missing_file_given_by_name_is_reported(results, capsys):
    missing = results / "cube.json"
    assert report.main(["--results", str(results), str(missing)]) == 1
    assert "cube.json: missing (the part did not write it)" in capsys.readouterr().err


def test_no_results_directory_is_a_clear_failure(tmp_path, capsys):
    assert report.main(["--results", str(tmp_path / "nowhere")]) == 1
    assert "no such results directory" in capsys.readouterr().err


def test_run_times_each_part_and_only_a_part_that_wrote_nothing_fails(results, capsys):
    assert report.main(["--results", str(results), "start"]) == 0
    time.sleep(0.01)
    # A part that missed its goal exits 1 but wrote fresh results: not a failure.
    writes = (
        "import json,sys;"
        f"json.dump({{'date':'now','machine':'vm','summary':[{row(part='submit')!r}]}},"
        f"open({str(results / 'submit.json')!r},'w'));sys.exit(1)"
    )
    assert report.main(["--results", str(results), "run", "submit", "submit.json", "--",
                        sys.executable, "-c", writes]) == 0  # fmt: skip
    # A part that crashed before writing anything; its file is an earlier run's.
    assert report.main(["--results", str(results), "run", "data", "data.json", "--",
                        sys.executable, "-c", "raise SystemExit(3)"]) == 0  # fmt: skip
    # A part whose file never appeared at all.
    assert report.main(["--results", str(results), "run", "cube", "cube.json", "--",
                        sys.executable, "-c", "pass"]) == 0  # fmt: skip
    run = json.loads((results / "run.json").read_text())
    assert list(run["parts"]) == ["submit", "data", "cube"]
    assert run["parts"]["data"]["exit_status"] == 3
    assert all(p["elapsed_s"] >= 0 and len(p["load_average_before"]) == 3
               for p in run["parts"].values())  # fmt: skip
    capsys.readouterr()

    assert report.main(["--results", str(results)]) == 1
    captured = capsys.readouterr()
    assert "submit:" in captured.out and "exit 1," in captured.out
    assert "data: " in captured.out and "exit 3, no results written" in captured.out
    # The earlier run's rows of that part are still shown, marked.
    old_rows = [line for line in captured.out.splitlines() if line.startswith("exports *")]
    assert len(old_rows) == 2 and "an earlier run's" in captured.out
    assert not any(line.startswith("submit *") for line in captured.out.splitlines())
    summary = json.loads((results / "summary.json").read_text())
    # Rows follow the order the parts ran in, then the files outside the run.
    assert [r["file"] for r in summary["rows"]] == [
        "submit.json",
        "data.json",
        "data.json",
        "lighthouse.json",
    ]
    problems = summary["problems"]
    assert any(p.startswith("part data: ") and "not written by this run" in p for p in problems)
    assert any("cube.json: missing" in p for p in problems)
    assert not any("submit" in p for p in problems)
