"""Benchmark: import a synthetic flat invoice export, then re-import it unchanged.

Prints rows per second and the peak resident memory of the process. Run:

    .venv/bin/python -m benchmarks.bench_import --rows 100000 [--database-url URL]
"""

from __future__ import annotations

import argparse
import resource
import time

from bot.importer import ImportOptions, import_files
from benchmarks.synthetic import synthetic_setup


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="Default: a new SQLite file in a temporary folder.")
    arguments = parser.parse_args()

    with synthetic_setup(arguments.rows, arguments.database_url) as (services, export):
        print(f"file: {export.stat().st_size / 2**20:.1f} MiB, {arguments.rows} rows, database {services.engine.dialect.name}")
        print(f"peak RSS before import: {peak_rss_mib():.0f} MiB")

        for label in ("first import", "re-import (no changes)"):
            started = time.perf_counter()
            import_files(services, [export], ImportOptions())
            elapsed = time.perf_counter() - started
            print(f"{label}: {elapsed:.1f} s, {arguments.rows / elapsed:,.0f} rows/s, peak RSS {peak_rss_mib():.0f} MiB")

if __name__ == "__main__":
    main()
