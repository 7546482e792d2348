"""Options of one import run, as the command line or a caller gives them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from bot.importer.dates import DateOrder
from bot.importer.fields import Field, TableKind
from bot.importer.statuses import StatusMeaning


class BlankBalance(str, Enum):
    """How to read a row whose balance cell is blank although the file has a balance column."""

    # Work the paid amount out from the paid column, the settled date or the status, else 0.
    DERIVE = "derive"
    # When no paid amount, settled date or paid status is stated either, keep the row as a draft:
    # the export states nothing receivable for it yet (for example a bill not yet invoiced).
    DRAFT = "draft"


@dataclass(frozen=True)
class ImportOptions:
    """How to read the files of one import. Column references are header texts or `#N` (1-based)."""

    # A Python codec name for CSV files; by default UTF-8 (with or without BOM), then GB18030.
    encoding: str | None = None
    # Excel sheets to read; by default the first sheet whose header row maps to known fields.
    sheets: tuple[str, ...] = ()
    # The kind of table in every file; by default each file's kind is detected from its headers.
    kind: TableKind | None = None
    # Explicit (field, column) pairs; a column may feed several fields.
    column_map: tuple[tuple[Field, str], ...] = ()
    # Columns whose automatic mapping is dropped; explicit `column_map` entries still apply.
    ignore: tuple[str, ...] = ()
    # (field, value) constants that fill the field on every row, overriding any column.
    constants: tuple[tuple[Field, str], ...] = ()
    # How to read dates whose year comes last, where a column's values do not decide it.
    date_order: DateOrder | None = None
    # Extra status words for this run, such as ("4", VOID) for a numeric status code.
    status_values: tuple[tuple[str, StatusMeaning], ...] = ()
    blank_balance: BlankBalance = BlankBalance.DERIVE
    # Import the valid rows and write the invalid ones to `rejects_path` instead of stopping.
    skip_invalid: bool = False
    rejects_path: Path | None = None
    # Validate and count without writing anything.
    dry_run: bool = False
    # Recorded on the activity log entry: "cli" for the command line.
    actor: str = "cli"
    # The language of the progress label and of the rejects file's error column.
    locale: str = "en"
