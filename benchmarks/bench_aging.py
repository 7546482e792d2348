"""Benchmark: aging summary, top overdue customers, open documents and the digest on a large ledger.

Imports a synthetic export first (not timed), then times each query. Run:

    .venv/bin/python -m benchmarks.bench_aging --rows 100000 [--database-url URL]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from bot.digest.blocks import build_digest_blocks
from bot.digest.data import gather_digest
from bot.i18n import get_translator
from bot.importer import ImportOptions, import_files
from bot.store.balances import aging_summary, open_documents, top_overdue_customers
from benchmarks.synthetic import synthetic_setup

AS_OF = date(2026, 3, 31)


def timed(label: str, action) -> object:
    started = time.perf_counter()
    result = action()
    print(f"{label}: {(time.perf_counter() - started) * 1000:,.0f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="Default: a new SQLite file in a temporary folder.")
    arguments = parser.parse_args()

    with synthetic_setup(arguments.rows, arguments.database_url) as (services, export):
        import_files(services, [export], ImportOptions())
        print(f"ledger: {arguments.rows} invoices, database {services.engine.dialect.name}")

        with services.sessions() as session:
            timed("aging_summary", lambda: aging_summary(session, AS_OF))
            timed("top_overdue_customers(10)", lambda: top_overdue_customers(session, AS_OF, 10))
            timed("open_documents(overdue, largest 50)",
                  lambda: open_documents(session, AS_OF, overdue_only=True, limit=50))
            data = timed("gather_digest", lambda: gather_digest(session, AS_OF))
            timed("build_digest_blocks (zh_CN)", lambda: build_digest_blocks(data, get_translator("zh_CN")))

if __name__ == "__main__":
    main()
