"""Run one full responses export in this process and report its time and peak memory.

Called by bench/insights_bench.py in a fresh process per format, so the peak resident
memory it reports belongs to that export alone.
"""

import resource
import tempfile
import time
from pathlib import Path

from apps.exports.base import exporter_class, write_export


def run(fmt: str) -> dict:
    exporter = exporter_class("responses")()
    options = {"filters": {}, "labels": False}
    before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        dest = Path(folder) / f"responses.{'zip' if fmt == 'csv' else 'xlsx'}"
        rows = write_export(exporter, options, fmt, dest)
        size = dest.stat().st_size
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "rows": rows,
        "bytes": size,
        "peak_mb": peak_kb / 1024,
        "peak_above_start_mb": (peak_kb - before_kb) / 1024,
    }
