"""Open the files of an import, choose their sheets, map their headers and check the mapping.

Problems found here concern a whole file (a missing column, an unknown sheet), so they
stop the import even with skip_invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bot.i18n import N_
from bot.importer.amounts import parse_amount
from bot.importer.dates import parse_date
from bot.importer.fields import DATE_FIELDS, KIND_ORDER, Field, TableKind
from bot.importer.headers import ColumnMapping, column_label, map_headers
from bot.importer.options import ImportOptions
from bot.importer.problems import InvalidValue, Problem
from bot.importer.readers import Table, TableReadError, is_workbook, open_tables
from bot.importer.statuses import parse_document_type, parse_status, status_word_table
from bot.importer.values import parse_currency, parse_email, parse_flag, parse_identifier, parse_owner

FILE_NOT_FOUND = N_("file not found; check the path")
SHEET_NOT_FOUND = N_("no sheet named \"%(sheet)s\"; the sheets are: %(sheets)s")
NO_MAPPED_SHEET = N_(
    "no sheet has a header row with known column names; choose one with --sheet and map its columns with --map"
)
MISSING_COLUMN = N_("no column for %(field)s; map one with --map %(field)s=COLUMN (the headers are: %(headers)s)")
MISSING_CUSTOMER_COLUMN = N_(
    "no customer column: the table has neither a customer code nor a customer name; map one with "
    "--map customer_name=COLUMN, or name the customer of every row with --set customer_name=NAME"
)
MISSING_PAYMENT_TARGET_COLUMN = N_(
    "no invoice or customer column; map one with --map invoice_number=COLUMN or --map customer_code=COLUMN"
)
NO_CURRENCY = N_(
    "no currency: the table has no currency column and ARREARS_DEFAULT_CURRENCY is not set; "
    "pass --set currency=CODE (for example --set currency=USD) or set ARREARS_DEFAULT_CURRENCY"
)
UNUSED_REFERENCE = N_("column \"%(column)s\" given with %(option)s is in none of the files")

REQUIRED_COLUMNS = {
    TableKind.CUSTOMERS: (),
    TableKind.INVOICES: (Field.INVOICE_NUMBER, Field.AMOUNT, Field.DUE_DATE),
    TableKind.PAYMENTS: (Field.PAYMENT_AMOUNT, Field.PAYMENT_DATE),
}

# Parsers that check a --set value once, instead of failing on every row.
_CONSTANT_PARSERS: dict[Field, Callable[[object], object]] = {
    Field.CURRENCY: parse_currency,
    Field.AMOUNT: parse_amount,
    Field.PAID: parse_amount,
    Field.BALANCE: parse_amount,
    Field.PAYMENT_AMOUNT: parse_amount,
    Field.DISPUTED: parse_flag,
    Field.DOCUMENT_TYPE: parse_document_type,
    Field.OWNER: parse_owner,
    Field.OWNER_EMAIL: parse_email,
    Field.CUSTOMER_CODE: parse_identifier,
    Field.INVOICE_NUMBER: parse_identifier,
}


@dataclass
class MappedTable:
    table: Table
    mapping: ColumnMapping


def map_sources(
    paths: list[Path], options: ImportOptions, default_currency: str | None
) -> tuple[list[MappedTable], list[Problem]]:
    """Open and map every file; the tables come back in writing order (customers, invoices, payments)."""
    problems: list[Problem] = []
    mapped: list[MappedTable] = []
    used_references: set[str] = set()

    for path in paths:
        tables = _open(path, options, problems)
        if tables is None:
            continue
        chosen = _choose_tables(path, tables, options, problems)
        for table in chosen:
            result = map_headers(
                table.header, options.column_map, options.ignore, options.constants, options.kind, table.label,
            )
            used_references |= result.used_references
            problems.extend(result.problems)
            if result.mapping is not None:
                problems.extend(_check_mapping(table, result.mapping, default_currency))
                mapped.append(MappedTable(table, result.mapping))

    problems.extend(_unused_references(options, used_references, bool(mapped) or not problems))
    problems.extend(_check_constants(options))
    mapped.sort(key=lambda item: KIND_ORDER[item.mapping.kind])
    return mapped, problems


def _open(path: Path, options: ImportOptions, problems: list[Problem]) -> list[Table] | None:
    if not path.is_file():
        problems.append(Problem(FILE_NOT_FOUND, file=str(path)))
        return None
    try:
        return open_tables(path, options.encoding)
    except TableReadError as error:
        problems.append(Problem(error.message, error.params, file=str(path)))
        return None


def _choose_tables(path: Path, tables: list[Table], options: ImportOptions, problems: list[Problem]) -> list[Table]:
    if not is_workbook(path):
        return tables

    if options.sheets:
        by_name = {table.sheet: table for table in tables}
        chosen = []
        for name in options.sheets:
            if name in by_name:
                chosen.append(by_name[name])
            else:
                names = ", ".join(f"\"{table.sheet}\"" for table in tables)
                problems.append(Problem(SHEET_NOT_FOUND, {"sheet": name, "sheets": names}, file=str(path)))
        return chosen

    for table in tables:
        # The kind is detected even when --kind is given, so a sheet without known headers is passed over.
        result = map_headers(table.header, options.column_map, options.ignore, options.constants, None, "")
        if result.mapping is not None:
            return [table]
    problems.append(Problem(NO_MAPPED_SHEET, file=str(path)))
    return []


def _check_mapping(table: Table, mapping: ColumnMapping, default_currency: str | None) -> list[Problem]:
    problems = []
    headers = ", ".join(f"\"{column_label(table.header, index)}\"" for index in range(len(table.header)))
    for target in REQUIRED_COLUMNS[mapping.kind]:
        if not mapping.has(target):
            problems.append(Problem(MISSING_COLUMN, {"field": target.value, "headers": headers}, file=table.label))

    has_customer = mapping.has(Field.CUSTOMER_CODE) or mapping.has(Field.CUSTOMER_NAME)
    if mapping.kind in (TableKind.CUSTOMERS, TableKind.INVOICES) and not has_customer:
        problems.append(Problem(MISSING_CUSTOMER_COLUMN, file=table.label))
    if mapping.kind is TableKind.PAYMENTS and not (has_customer or mapping.has(Field.INVOICE_NUMBER)):
        problems.append(Problem(MISSING_PAYMENT_TARGET_COLUMN, file=table.label))
    if mapping.kind is TableKind.INVOICES and not mapping.has(Field.CURRENCY) and default_currency is None:
        problems.append(Problem(NO_CURRENCY, file=table.label))
    return problems


def _unused_references(options: ImportOptions, used: set[str], report: bool) -> list[Problem]:
    if not report:
        return []
    problems = []
    for _target, reference in options.column_map:
        if reference not in used:
            problems.append(Problem(UNUSED_REFERENCE, {"column": reference, "option": "--map"}))
    for reference in options.ignore:
        if reference not in used:
            problems.append(Problem(UNUSED_REFERENCE, {"column": reference, "option": "--ignore"}))
    return problems


def _check_constants(options: ImportOptions) -> list[Problem]:
    problems = []
    words = status_word_table(options.status_values)
    parsers = dict(_CONSTANT_PARSERS)
    parsers[Field.STATUS] = lambda value: parse_status(value, words)
    for target in DATE_FIELDS:
        parsers[target] = lambda value: parse_date(value, options.date_order)
    for target, value in options.constants:
        parser = parsers.get(target)
        if parser is None:
            continue
        try:
            parser(value)
        except InvalidValue as error:
            problems.append(Problem(error.message, error.params, column=f"--set {target.value}", value=value))
    return problems
