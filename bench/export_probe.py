"""Run one full responses export in this process and report its time and peak memory.

Called by bench/insights_bench.py and bench/data_bench.py in a fresh process per format.
Linux carries a parent's peak resident size (ru_maxrss) into a forked child, so a probe started
by a benchmark that had just generated 100,000 responses reported the parent's peak: the probe
resets the peak (/proc/self/clear_refs) and reads VmHWM, this process's own peak, instead.
"""

import resource
import tempfile
import time
from pathlib import Path

from apps.core.exporting import exporter_class, write_export


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")  # 5: reset the peak resident set size (Linux 4.0+)


def _peak_kb() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _cpu_seconds() -> float:
    """CPU time of this process (user + system): less sensitive to the machine's load than
    the wall clock (the database server's work is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(fmt: str, xlsx_writer: str = "xlsxwriter") -> dict:
    """fmt "csv" or "xlsx"; "rows" only pulls every row from the exporter (the query and
    layout cost without any writer). xlsx_writer "openpyxl" swaps in the former writer,
    "xlsxwriter_cells" XlsxWriter's own per-cell methods instead of the row writer."""
    exporter = exporter_class("responses")()
    options = {"filters": {}, "labels": False}
    _reset_peak()
    before_kb = _peak_kb()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    if fmt == "rows":
        rows = sum(1 for _row in exporter.rows(options)) - 1
        peak_kb = _peak_kb()
        return {
            "seconds": time.perf_counter() - started,
            "cpu_seconds": _cpu_seconds() - cpu_started,
            "rows": rows,
            "peak_mb": peak_kb / 1024,
            "peak_above_start_mb": (peak_kb - before_kb) / 1024,
        }
    if fmt == "xlsx" and xlsx_writer == "xlsxwriter_cells":
        from apps.core import exporting as base
        from bench.xlsx_cells import write_cells

        base._write_sheet_rows = write_cells
    if fmt == "xlsx" and xlsx_writer == "openpyxl":
        from apps.core import exporting as base
        from bench.xlsx_openpyxl import write_xlsx

        base._write_xlsx = write_xlsx
    with tempfile.TemporaryDirectory() as folder:
        dest = Path(folder) / f"responses.{'zip' if fmt == 'csv' else 'xlsx'}"
        rows = write_export(exporter, options, fmt, dest)
        size = dest.stat().st_size
    seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    peak_kb = _peak_kb()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows": rows,
        "bytes": size,
        "peak_mb": peak_kb / 1024,
        "peak_above_start_mb": (peak_kb - before_kb) / 1024,
    }
