"""Benchmark: import a synthetic flat invoice export, then re-import it unchanged.

Prints rows per second and the peak resident memory of the process. Run:

    .venv/bin/python -m benchmarks.bench_import --rows 100000 [--database-url URL]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from bot.config import load_settings
from bot.importer import ImportOptions, import_files
from bot.services import build_services
from bot.store.migrate import upgrade
from benchmarks.synthetic import write_invoice_csv


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="Default: a new SQLite file in a temporary folder.")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "invoices.csv"
        write_invoice_csv(export, arguments.rows, customers=max(1, arguments.rows // 20), owners=50)
        database_url = arguments.database_url or f"sqlite:///{folder}/bench.db"
        upgrade(database_url)
        services = build_services(load_settings(database_url=database_url))
        print(f"file: {export.stat().st_size / 2**20:.1f} MiB, {arguments.rows} rows, database {services.engine.dialect.name}")
        print(f"peak RSS before import: {peak_rss_mib():.0f} MiB")

        for label in ("first import", "re-import (no changes)"):
            started = time.perf_counter()
            import_files(services, [export], ImportOptions())
            elapsed = time.perf_counter() - started
            print(f"{label}: {elapsed:.1f} s, {arguments.rows / elapsed:,.0f} rows/s, peak RSS {peak_rss_mib():.0f} MiB")
        services.engine.dispose()


if __name__ == "__main__":
    main()
