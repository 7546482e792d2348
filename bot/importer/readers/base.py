"""The shape every reader returns: a header row and a re-readable stream of data rows."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterator

from bot.importer.problems import InvalidValue

Cell = object
Row = tuple[int, list[Cell]]


class TableReadError(InvalidValue):
    """Raised when a file cannot be opened or decoded. The message states the fix."""


class Table(ABC):
    """One table of cells: a CSV file or one sheet of a workbook."""

    def __init__(self, path: Path, sheet: str | None, header: list[str]) -> None:
        self.path = path
        self.sheet = sheet
        self.header = header
        # The text encoding a CSV file was read with; None for workbooks.
        self.encoding: str | None = None

    @property
    def label(self) -> str:
        """Name the table in messages: the path, plus the sheet for a workbook."""
        if self.sheet is None:
            return str(self.path)
        return f"{self.path} [{self.sheet}]"

    def rows(self) -> Iterator[Row]:
        """Yield the data rows after the header, each padded with None to the header's width."""
        width = len(self.header)
        for number, cells in self._data_rows():
            if len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            yield number, list(cells)

    @abstractmethod
    def _data_rows(self) -> Iterator[Row]:
        """Yield the raw data rows with their row numbers (the header is row 1)."""


def is_blank_row(cells: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)
