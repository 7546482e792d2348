"""The rejects file: the original cells of every rejected row, plus an `error` column.

The file keeps the source's header, so the user can fix the rows and import it again.
It is written by reading the source once more, so rejected rows are never held in memory.
"""

from __future__ import annotations

import csv
from pathlib import Path

from bot.exports.spreadsheet_safety import neutralize_formula
from bot.i18n import Translator
from bot.importer.parsed import ParsedTable
from bot.importer.values import cell_text

ERROR_COLUMN = "error"


def reject_paths(tables: list[ParsedTable], path: Path) -> dict[int, Path]:
    """Choose a rejects file per table with rejects: `path` itself, or one per table when several have them."""
    with_rejects = [table for table in tables if table.rejected]
    if len(with_rejects) <= 1:
        return {table.index: path for table in with_rejects}

    paths = {}
    for table in with_rejects:
        name = table.table.path.stem if table.table.sheet is None else f"{table.table.path.stem}-{table.table.sheet}"
        paths[table.index] = path.with_name(f"{path.stem}-{name}{path.suffix or '.csv'}")
    return paths


def write_rejects(table: ParsedTable, path: Path, tr: Translator) -> int:
    """Write the table's rejected rows to `path` as UTF-8 CSV with a BOM, which Excel opens correctly."""
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*(neutralize_formula(name) for name in table.table.header), ERROR_COLUMN])
        for number, cells in table.table.rows():
            problems = table.rejected.get(number)
            if not problems:
                continue
            errors = "; ".join(problem.render(tr, within_row=True) for problem in problems)
            # The rows come from someone else's export, so a cell such as =HYPERLINK(...) must not run.
            writer.writerow([*(neutralize_formula(cell_text(cell)) for cell in cells), neutralize_formula(errors)])
            written += 1
    return written
