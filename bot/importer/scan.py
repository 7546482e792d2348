"""The first pass over a table: count its rows and decide the date order of each date column.

Deciding needs every value of a column, because one value such as 13/2/2020 is enough
to prove that the column is day first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from bot.i18n import N_
from bot.importer.dates import DateOrder, DateOrderEvidence
from bot.importer.fields import DATE_FIELDS, Field
from bot.importer.headers import ColumnMapping
from bot.importer.problems import Problem
from bot.importer.readers import Table
from bot.importer.readers.base import is_blank_row

AMBIGUOUS_DATES = N_(
    "dates such as \"%(example)s\" (row %(row)s) read both as month first and as day first, and no value in "
    "the column decides it; pass --date-order MDY (month first) or --date-order DMY (day first)"
)
MIXED_DATES = N_(
    "the column mixes day-first dates such as \"%(day_first)s\" (row %(day_row)s) with month-first dates "
    "such as \"%(month_first)s\" (row %(month_row)s); make the dates consistent, or pass --date-order "
    "to reject the ones in the other order"
)
AMBIGUOUS_CONSTANT = N_(
    "the date reads both as month first and as day first; write it as YYYY-MM-DD or pass --date-order"
)


@dataclass
class ScanResult:
    rows: int = 0
    blank_rows: int = 0
    date_orders: dict[Field, DateOrder | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def scan_table(
    table: Table,
    mapping: ColumnMapping,
    date_order: DateOrder | None,
    on_row: Callable[[], None] | None = None,
) -> ScanResult:
    """Read every row once; with `date_order` given, dates are not examined."""
    result = ScanResult()
    evidence = {
        target: DateOrderEvidence() for target in DATE_FIELDS if target in mapping.columns
    }

    for number, cells in table.rows():
        if on_row is not None:
            on_row()
        if is_blank_row(cells):
            result.blank_rows += 1
            continue
        result.rows += 1
        if date_order is None:
            for target, column_evidence in evidence.items():
                column_evidence.add(number, cells[mapping.columns[target]])

    for target, column_evidence in evidence.items():
        result.date_orders[target] = date_order or _decide(table, mapping, target, column_evidence, result.problems)
    _check_constants(table, mapping, date_order, result)
    return result


def _decide(
    table: Table, mapping: ColumnMapping, target: Field, evidence: DateOrderEvidence, problems: list[Problem]
) -> DateOrder | None:
    column = mapping.label(target)
    if evidence.day_first and evidence.month_first:
        params = {
            "day_first": evidence.day_first[1], "day_row": evidence.day_first[0],
            "month_first": evidence.month_first[1], "month_row": evidence.month_first[0],
        }
        problems.append(Problem(MIXED_DATES, params, table.label, column=column))
        return None
    if evidence.day_first:
        return DateOrder.DMY
    if evidence.month_first:
        return DateOrder.MDY
    if evidence.ambiguous:
        params = {"example": evidence.ambiguous[1], "row": evidence.ambiguous[0]}
        problems.append(Problem(AMBIGUOUS_DATES, params, table.label, column=column))
    return None


def _check_constants(table: Table, mapping: ColumnMapping, date_order: DateOrder | None, result: ScanResult) -> None:
    for target, value in mapping.constants.items():
        if target not in DATE_FIELDS:
            continue
        evidence = DateOrderEvidence()
        evidence.add(1, value)
        if evidence.ambiguous and date_order is None:
            result.problems.append(Problem(AMBIGUOUS_CONSTANT, {}, table.label, column=f"--set {target.value}", value=value))
        result.date_orders.setdefault(target, date_order)
