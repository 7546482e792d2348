"""Dates in exports: ISO, slash and dash forms, Chinese 年月日, YYYYMMDD and Excel date cells.

A value such as 3/4/2020 reads as 4 March (day first) or 3 April (month first). The
order is decided per column from values that prove it, because 13/2/2020 can only be
day first. Otherwise the user gives it with --date-order, and the import never guesses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from bot.i18n import N_
from bot.importer.problems import InvalidValue

INVALID_DATE = N_("invalid date; use a form such as 2024-03-31, 3/31/2024 or 31-03-2024")
IMPOSSIBLE_DATE = N_("not a calendar date; check the day and month")
MISSING_YEAR = N_("the date has no year; fix the cells, or drop the column with --ignore")
NUMBER_NOT_DATE = N_("a number where a date is expected; format the cells as dates or as text such as 2024-03-31")

# A trailing time of day, as pandas and databases write it ("2020-01-05 00:00:00").
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_CHINESE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_NO_YEAR = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class DateOrder(str, Enum):
    """How to read a date whose year comes last: month first (3/31/2024) or day first (31/3/2024)."""

    MDY = "MDY"
    DMY = "DMY"


@dataclass
class DateOrderEvidence:
    """Evidence of one column's date order: the first value of each kind, with its row."""

    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    ambiguous: tuple[int, str] | None = None

    def add(self, row: int, value: object) -> None:
        if not isinstance(value, str):
            return
        parts = _year_last_parts(_clean(value))
        if parts is None:
            return

        first, second, _year = parts
        if first > 12 and self.day_first is None:
            self.day_first = (row, value)
        elif second > 12 and self.month_first is None:
            self.month_first = (row, value)
        elif first != second and first <= 12 and second <= 12 and self.ambiguous is None:
            # 5/5/2020 reads the same either way, so only differing parts are ambiguous.
            self.ambiguous = (row, value)


def parse_date(value: object, order: DateOrder | None) -> date | None:
    """Parse one cell into a date, or None when it is blank.

    `order` reads year-last values; without it, only values that read one way are accepted.
    Raises InvalidValue naming what is wrong.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise InvalidValue(INVALID_DATE)
    if isinstance(value, (int, float)):
        return _parse_number(value)

    text = _clean(str(value))
    if not text:
        return None
    return _parse_text(text, order)


def _parse_number(value: int | float) -> date:
    # Some Chinese systems write dates as the number 20190531.
    if float(value).is_integer():
        match = _COMPACT.match(str(int(value)))
        if match:
            return _make_date(int(match[1]), int(match[2]), int(match[3]))
    raise InvalidValue(NUMBER_NOT_DATE)


def _parse_text(text: str, order: DateOrder | None) -> date:
    for pattern in (_YEAR_FIRST, _CHINESE):
        match = pattern.match(text)
        if match:
            groups = [group for group in match.groups() if group.isdigit()]
            return _make_date(int(groups[0]), int(groups[1]), int(groups[2]))

    match = _COMPACT.match(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]))

    parts = _year_last_parts(text)
    if parts is not None:
        return _year_last_date(parts, order)

    if _NO_YEAR.match(text):
        raise InvalidValue(MISSING_YEAR)
    raise InvalidValue(INVALID_DATE)


def _year_last_date(parts: tuple[int, int, int], order: DateOrder | None) -> date:
    first, second, year = parts
    if order is DateOrder.DMY:
        return _make_date(year, second, first)
    if order is DateOrder.MDY:
        return _make_date(year, first, second)

    # No order was decided for the column, so the column contains no ambiguous value.
    if first > 12:
        return _make_date(year, second, first)
    return _make_date(year, first, second)


def _year_last_parts(text: str) -> tuple[int, int, int] | None:
    match = _YEAR_LAST.match(text)
    if match is None:
        return None
    return int(match[1]), int(match[3]), int(match[4])


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(IMPOSSIBLE_DATE) from None


def _clean(text: str) -> str:
    # NFKC turns full-width digits and separators into ASCII ones.
    text = unicodedata.normalize("NFKC", text).strip()
    return _TIME_SUFFIX.sub("", text)
