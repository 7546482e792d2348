"""Deterministic synthetic receivables exports for the benchmarks."""

from __future__ import annotations

import csv
import random
import tempfile
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from bot.config import load_settings
from bot.services import Services, build_services
from bot.store.migrate import upgrade

CURRENCIES = ("CNY", "USD", "EUR")


def write_invoice_csv(path: Path, rows: int, customers: int, owners: int, seed: int = 7) -> None:
    """Write a flat invoice export with Chinese headers, as a 金蝶/用友-style export would have."""
    generator = random.Random(seed)
    start = date(2025, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as output:
        writer = csv.writer(output)
        writer.writerow(["客户编码", "客户名称", "单据编号", "开票日期", "到期日", "应收金额", "已收金额", "币种", "业务员"])
        for index in range(rows):
            customer = generator.randrange(customers)
            issued = start + timedelta(days=generator.randrange(450))
            amount = generator.randrange(10_000, 5_000_000) / 100
            paid = 0 if generator.random() < 0.7 else round(amount * generator.random(), 2)
            writer.writerow([
                f"K-{customer:05d}",
                f"客户{customer:05d}科技有限公司",
                f"XS-{index:08d}",
                issued.isoformat(),
                (issued + timedelta(days=generator.choice((0, 15, 30, 45, 60)))).isoformat(),
                f"{amount:,.2f}",
                f"{paid:.2f}",
                CURRENCIES[customer % len(CURRENCIES)],
                f"owner{customer % owners:03d}@example.com",
            ])


@contextmanager
def synthetic_setup(rows: int, database_url: str | None) -> Iterator[tuple[Services, Path]]:
    """Write a synthetic export of `rows` invoices and open migrated services on `database_url`.

    Without a URL, a new SQLite file in the same temporary folder is used. Yields the
    services and the export's path; the folder and the engine are cleaned up afterwards.
    """
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "invoices.csv"
        write_invoice_csv(export, rows, customers=max(1, rows // 20), owners=50)
        database_url = database_url or f"sqlite:///{folder}/bench.db"
        upgrade(database_url)
        services = build_services(load_settings(database_url=database_url))
        try:
            yield services, export
        finally:
            services.engine.dispose()
