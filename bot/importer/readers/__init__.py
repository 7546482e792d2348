"""Readers that stream the rows of CSV files and Excel sheets as lists of cell values.

Every reader yields `(row_number, cells)` with the header as row 1, as a spreadsheet
shows it, and can be read more than once: each pass reopens the file.

NOTE: the header must be the first row. Exports with a report title above the header
need those rows deleted before the import.
"""

from __future__ import annotations

from pathlib import Path

from bot.importer.readers.base import Table, TableReadError
from bot.importer.readers.csv_reader import open_csv
from bot.importer.readers.xls_reader import open_xls_sheets
from bot.importer.readers.xlsx_reader import open_xlsx_sheets

__all__ = ["Table", "TableReadError", "is_workbook", "open_tables"]

_ZIP_MAGIC = b"PK\x03\x04"
# Excel 97-2003 files are OLE2 compound documents.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_workbook(path: Path) -> bool:
    return _file_format(path) != "csv"


def open_tables(path: Path, encoding: str | None) -> list[Table]:
    """Open a file: one table for a CSV file, one per sheet for a workbook."""
    file_format = _file_format(path)
    if file_format == "xlsx":
        return open_xlsx_sheets(path)
    if file_format == "xls":
        return open_xls_sheets(path)
    return [open_csv(path, encoding)]


def _file_format(path: Path) -> str:
    # The content decides, because exports are often saved with a misleading extension.
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(_ZIP_MAGIC):
        return "xlsx"
    if magic == _OLE2_MAGIC:
        return "xls"
    return "csv"
