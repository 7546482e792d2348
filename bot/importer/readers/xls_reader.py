"""Excel 97-2003 workbooks (.xls), read with xlrd.

NOTE: xlrd loads a whole sheet into memory; .xls sheets hold at most 65,536 rows, so the
cost is bounded, but it is not streamed like CSV and .xlsx.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import xlrd
from xlrd.xldate import XLDateError

from bot.i18n import N_
from bot.importer.readers.base import Row, Table, TableReadError
from bot.importer.values import cell_text

UNREADABLE_XLS = N_(
    "cannot read the file as an Excel 97-2003 workbook (%(error)s); open it in Excel and save it as .xlsx"
)


class XlsSheet(Table):
    def _data_rows(self) -> Iterator[Row]:
        book = _open(self.path)
        try:
            sheet = book.sheet_by_name(self.sheet)
            for index in range(1, sheet.nrows):
                yield index + 1, [_cell_value(cell, book.datemode) for cell in sheet.row(index)]
        finally:
            book.release_resources()


def open_xls_sheets(path: Path) -> list[XlsSheet]:
    """Open every sheet of a workbook, reading only its first row as the header."""
    book = _open(path)
    try:
        sheets = []
        for sheet in book.sheets():
            first_row = sheet.row(0) if sheet.nrows else []
            header = [cell_text(_cell_value(cell, book.datemode)).strip() for cell in first_row]
            sheets.append(XlsSheet(path, sheet.name, header))
        return sheets
    finally:
        book.release_resources()


def _open(path: Path) -> xlrd.Book:
    try:
        return xlrd.open_workbook(path)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError) as error:
        raise TableReadError(UNREADABLE_XLS, error=str(error)) from error


def _cell_value(cell: xlrd.sheet.Cell, datemode: int) -> object:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except XLDateError:
            # Out-of-range serials stay numbers, which the date parser rejects with a clear message.
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    if cell.ctype == xlrd.XL_CELL_TEXT and not cell.value.strip():
        return None
    return cell.value
