"""Map a file's header row to ledger fields: synonyms first, then the user's --map, --ignore and --set."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from openpyxl.utils import get_column_letter

from bot.i18n import N_
from bot.importer.fields import FIELDS_BY_KIND, PAYMENT_ALIASES, Field, TableKind
from bot.importer.problems import Problem
from bot.importer.synonyms import SYNONYMS

DUPLICATE_COLUMNS = N_(
    "columns %(columns)s all look like %(field)s; choose one with --map %(field)s=COLUMN "
    "or drop the others with --ignore COLUMN"
)
UNKNOWN_KIND = N_(
    "cannot tell whether this table holds customers, invoices or payments, because no header is a known "
    "column name; pass --kind and map the columns with --map FIELD=COLUMN"
)

_PAYMENT_FIELDS = frozenset({Field.PAYMENT_REFERENCE, Field.PAYMENT_AMOUNT, Field.PAYMENT_DATE, Field.PAYMENT_METHOD})
_INVOICE_FIELDS = frozenset({Field.INVOICE_NUMBER, Field.DUE_DATE, Field.AMOUNT, Field.BALANCE})
_CUSTOMER_FIELDS = frozenset({Field.CUSTOMER_CODE, Field.CUSTOMER_NAME})


def normalize_header(text: str) -> str:
    """Fold case and width and drop spaces and punctuation: "Invoice No." becomes "invoiceno"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(character for character in folded if character.isalnum())


@lru_cache(maxsize=1)
def synonym_index() -> dict[str, Field]:
    """Return every normalized synonym with its field; raise if two fields claim one header."""
    index: dict[str, Field] = {}
    for target, names in SYNONYMS.items():
        for name in names:
            key = normalize_header(name)
            if index.get(key, target) != target:
                raise ValueError(f"header synonym {name!r} is listed for both {index[key].value} and {target.value}")
            index[key] = target
    return index


def column_label(header: list[str], index: int) -> str:
    """Name a column as the file does, or by its letter when its header cell is blank."""
    text = header[index].strip() if index < len(header) else ""
    return text or f"({get_column_letter(index + 1)})"


def find_column(header: list[str], reference: str) -> int | None:
    """Find a column by its exact header text, its normalized header, or `#N` (1-based position)."""
    if reference.startswith("#") and reference[1:].isdigit():
        position = int(reference[1:]) - 1
        return position if 0 <= position < len(header) else None
    for index, text in enumerate(header):
        if text.strip() == reference.strip():
            return index
    wanted = normalize_header(reference)
    for index, text in enumerate(header):
        if wanted and normalize_header(text) == wanted:
            return index
    return None


@dataclass
class ColumnMapping:
    """The columns of one table that feed each field, and the columns that feed nothing."""

    kind: TableKind
    header: list[str]
    columns: dict[Field, int]
    constants: dict[Field, str]
    ignored: list[int] = field(default_factory=list)

    def label(self, target: Field) -> str:
        return column_label(self.header, self.columns[target])

    def has(self, target: Field) -> bool:
        return target in self.columns or target in self.constants


@dataclass
class MappingResult:
    mapping: ColumnMapping | None
    problems: list[Problem]
    # The --map and --ignore references this table resolved, so unresolved ones can be reported.
    used_references: set[str]


def map_headers(
    header: list[str],
    explicit: tuple[tuple[Field, str], ...],
    ignore: tuple[str, ...],
    constants: tuple[tuple[Field, str], ...],
    kind: TableKind | None,
    file_label: str,
) -> MappingResult:
    """Map one header row: explicit --map entries, then synonyms for the columns not ignored."""
    used: set[str] = set()
    columns: dict[Field, int] = {}
    for target, reference in explicit:
        index = find_column(header, reference)
        if index is not None:
            columns[target] = index
            used.add(reference)

    ignored_indexes = set()
    for reference in ignore:
        index = find_column(header, reference)
        if index is not None:
            ignored_indexes.add(index)
            used.add(reference)

    constant_map = dict(constants)
    automatic, problems = _map_automatically(header, ignored_indexes, set(columns) | set(constant_map), file_label)
    columns.update(automatic)

    detected = kind or detect_kind(set(columns))
    if detected is None:
        return MappingResult(None, [Problem(UNKNOWN_KIND, file=file_label)], used)

    columns, constant_map = _fit_to_kind(detected, columns, constant_map)
    feeding = set(columns.values())
    ignored = [index for index in range(len(header)) if index not in feeding]
    mapping = ColumnMapping(detected, header, columns, constant_map, ignored)
    return MappingResult(mapping, problems, used)


def _map_automatically(
    header: list[str], ignored: set[int], taken: set[Field], file_label: str
) -> tuple[dict[Field, int], list[Problem]]:
    candidates: dict[Field, list[int]] = {}
    for index, text in enumerate(header):
        if index in ignored:
            continue
        target = synonym_index().get(normalize_header(text))
        if target is not None and target not in taken:
            candidates.setdefault(target, []).append(index)

    columns: dict[Field, int] = {}
    problems = []
    for target, indexes in candidates.items():
        if len(indexes) > 1:
            labels = ", ".join(f"\"{column_label(header, index)}\"" for index in indexes)
            problems.append(Problem(DUPLICATE_COLUMNS, {"columns": labels, "field": target.value}, file=file_label))
            continue
        columns[target] = indexes[0]
    return columns, problems


def detect_kind(fields: set[Field]) -> TableKind | None:
    """Tell the kind of table from the fields its columns map to."""
    if fields & _PAYMENT_FIELDS and Field.DUE_DATE not in fields:
        return TableKind.PAYMENTS
    if fields & _INVOICE_FIELDS:
        return TableKind.INVOICES
    if fields & _CUSTOMER_FIELDS:
        return TableKind.CUSTOMERS
    return None


def _fit_to_kind(
    kind: TableKind, columns: dict[Field, int], constants: dict[Field, str]
) -> tuple[dict[Field, int], dict[Field, str]]:
    if kind is TableKind.PAYMENTS:
        # In a payments table, "amount" and "date" are the payment's own.
        for general, specific in PAYMENT_ALIASES.items():
            if general in columns and specific not in columns:
                columns[specific] = columns.pop(general)
            if general in constants and specific not in constants:
                constants[specific] = constants.pop(general)

    allowed = FIELDS_BY_KIND[kind]
    return (
        {target: index for target, index in columns.items() if target in allowed},
        {target: value for target, value in constants.items() if target in allowed},
    )
