"""Excel 2007+ workbooks (.xlsx, .xlsm), streamed with openpyxl's read-only mode.

Cells come back as openpyxl gives them: text, numbers, booleans and datetimes for
date-formatted cells. Formulas give their cached values (data_only), so a workbook
saved by a program that computes no values reads as blank cells.
"""

from __future__ import annotations

import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from bot.i18n import N_
from bot.importer.readers.base import Row, Table, TableReadError
from bot.importer.values import cell_text

UNREADABLE_XLSX = N_("cannot read the file as an Excel workbook (%(error)s); open it in Excel and save it again as .xlsx")


class XlsxSheet(Table):
    def _data_rows(self) -> Iterator[Row]:
        with _open(self.path) as workbook:
            sheet = workbook[self.sheet]
            # The dimension a workbook declares can be wrong; read the cells that are really there.
            sheet.reset_dimensions()
            for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
                yield number, list(cells)


def open_xlsx_sheets(path: Path) -> list[XlsxSheet]:
    """Open every sheet of a workbook, reading only its first row as the header."""
    with _open(path) as workbook:
        sheets = []
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            first_row = next(sheet.iter_rows(max_row=1, values_only=True), ())
            header = [cell_text(cell).strip() for cell in first_row]
            sheets.append(XlsxSheet(path, sheet.title, header))
        return sheets


@contextmanager
def _open(path: Path):
    # A file object, because openpyxl rejects a path whose extension is not .xlsx or .xlsm,
    # and exports saved as .csv or .xls are often really .xlsx workbooks.
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise TableReadError(UNREADABLE_XLSX, error=str(error)) from error
        try:
            yield workbook
        finally:
            workbook.close()
