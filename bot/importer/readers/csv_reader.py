"""CSV files in UTF-8 (with or without BOM) or GB18030/GBK, with the delimiter taken from the header."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Iterator

from bot.i18n import N_
from bot.importer.readers.base import Row, Table, TableReadError

UNDECODABLE = N_(
    "cannot decode the file as UTF-8 or GB18030; save it as UTF-8, or name its encoding with --encoding"
)
WRONG_ENCODING = N_("cannot decode the file as %(encoding)s; check the name given with --encoding")
UNKNOWN_ENCODING = N_("unknown encoding %(encoding)s; use a name such as utf-8, gbk or gb18030")
EMPTY_FILE = N_("the file is empty; the first row must be the header")

# GB18030 is a superset of GBK and GB2312, so it reads all three.
DETECTED_ENCODINGS = ("utf-8-sig", "gb18030")
_DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 20


class CsvTable(Table):
    def __init__(self, path: Path, encoding: str, delimiter: str, header: list[str]) -> None:
        super().__init__(path, None, header)
        self.encoding = encoding
        self.delimiter = delimiter

    def _data_rows(self) -> Iterator[Row]:
        with self.path.open(encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            next(reader, None)
            # Row numbers count records, as a spreadsheet does, even when a quoted cell spans lines.
            for number, cells in enumerate(reader, start=2):
                yield number, [cell if cell != "" else None for cell in cells]


def open_csv(path: Path, encoding: str | None) -> CsvTable:
    """Open a CSV file, detecting its encoding unless one is given, and read its header."""
    encoding = _check_encoding(path, encoding) if encoding else _detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        first_line = handle.readline()
        if not first_line.strip():
            raise TableReadError(EMPTY_FILE)
        delimiter = _guess_delimiter(first_line)
        handle.seek(0)
        header = next(csv.reader(handle, delimiter=delimiter))
    return CsvTable(path, encoding, delimiter, header)


def _detect_encoding(path: Path) -> str:
    for encoding in DETECTED_ENCODINGS:
        if _decodes(path, encoding):
            return encoding
    raise TableReadError(UNDECODABLE)


def _check_encoding(path: Path, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise TableReadError(UNKNOWN_ENCODING, encoding=encoding) from None
    if not _decodes(path, encoding):
        raise TableReadError(WRONG_ENCODING, encoding=encoding)
    return encoding


def _decodes(path: Path, encoding: str) -> bool:
    """Decode the whole file in chunks, so a bad byte near the end is found before any row is read."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _guess_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","
