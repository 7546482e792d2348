"""Record each table of an import as an ImportBatch, and its completion in the activity log."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.importer.parsed import ParsedTable
from bot.importer.writer import TableCounts
from bot.store.models import Activity, ImportBatch

COMPLETED_ACTION = "import.completed"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def start_batches(session: Session, tables: list[ParsedTable], now: datetime) -> dict[int, ImportBatch]:
    """Insert one ImportBatch per table, so written rows can point at theirs."""
    hashes: dict[Path, str] = {}
    batches = {}
    for table in tables:
        path = table.table.path
        if path not in hashes:
            hashes[path] = file_sha256(path)
        batch = ImportBatch(
            file_name=table.label[:500],
            file_sha256=hashes[path],
            table_kind=table.kind.value,
            rows_read=table.scan.rows,
            started_at=now,
        )
        session.add(batch)
        batches[table.index] = batch
    session.flush()
    return batches


def finish_batches(
    session: Session,
    tables: list[ParsedTable],
    batches: dict[int, ImportBatch],
    counts: dict[tuple[int, str], TableCounts],
    now: datetime,
    actor: str,
) -> None:
    """Store each batch's counts and log one `import.completed` activity per table."""
    for table in tables:
        batch = batches[table.index]
        table_counts = {name: counts[(table.index, name)] for (index, name) in counts if index == table.index}
        # The table kind names the ledger table its rows write, such as "invoices".
        main = table_counts.get(table.kind.value, TableCounts())
        batch.rows_written = main.written
        batch.rows_rejected = len(table.rejected)
        batch.finished_at = now

        session.add(Activity(
            occurred_at=now,
            actor=actor,
            action=COMPLETED_ACTION,
            details={
                "file": table.label,
                "kind": table.kind.value,
                "import_batch_id": batch.id,
                "rows_read": table.scan.rows,
                "rows_rejected": len(table.rejected),
                "counts": {
                    name: {"created": value.created, "updated": value.updated, "unchanged": value.unchanged}
                    for name, value in sorted(table_counts.items())
                },
            },
        ))
    session.flush()
