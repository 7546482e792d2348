"""Read the cells of one row through a table's column mapping, turning parse errors into located problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, TypeVar

from bot.i18n import N_
from bot.importer.dates import DateOrder, parse_date
from bot.importer.fields import Field
from bot.importer.headers import ColumnMapping
from bot.importer.problems import InvalidValue, Problem
from bot.importer.statuses import StatusMeaning
from bot.importer.values import cell_text

EXTRA_CELLS = N_("the row has more cells than the header; give the extra column a header or delete it")

T = TypeVar("T")


@dataclass
class TableContext:
    """The mapping, date orders and settings that every row of one table is read with."""

    source: int
    label: str
    mapping: ColumnMapping
    date_orders: dict[Field, DateOrder | None]
    status_words: dict[str, StatusMeaning]
    default_currency: str | None
    # Rows handled by a stated rule that the report should mention, by notice message.
    notice_rows: dict[str, list[int]] = field(default_factory=dict)

    def note(self, message: str, row: int) -> None:
        self.notice_rows.setdefault(message, []).append(row)


class RowCells:
    """One row's cells; `problems` collects every invalid value found while reading it."""

    def __init__(self, context: TableContext, number: int, cells: list[object]) -> None:
        self.context = context
        self.number = number
        self.cells = cells
        self.problems: list[Problem] = []
        self._check_width()

    def has(self, target: Field) -> bool:
        return self.context.mapping.has(target)

    def raw(self, target: Field) -> object:
        mapping = self.context.mapping
        if target in mapping.constants:
            return mapping.constants[target]
        index = mapping.columns.get(target)
        if index is None:
            return None
        return self.cells[index]

    def parse(self, target: Field, parser: Callable[[object], T]) -> T | None:
        """Parse the field's cell; on invalid input, record a problem and return None."""
        try:
            return parser(self.raw(target))
        except InvalidValue as error:
            self.add_problem(target, error.message, **error.params)
            return None

    def parse_date(self, target: Field):
        order = self.context.date_orders.get(target)
        return self.parse(target, lambda value: parse_date(value, order))

    def add_problem(self, target: Field | None, message: str, **params: object) -> None:
        column = value = None
        if target is not None:
            column, value = self.locate(target)
        self.problems.append(Problem(message, params, self.context.label, self.number, column, value))

    def locate(self, target: Field) -> tuple[str | None, str | None]:
        mapping = self.context.mapping
        if target in mapping.constants:
            return f"--set {target.value}", mapping.constants[target]
        if target in mapping.columns:
            return mapping.label(target), cell_text(self.raw(target))
        return None, None

    def _check_width(self) -> None:
        width = len(self.context.mapping.header)
        if any(cell not in (None, "") for cell in self.cells[width:]):
            self.problems.append(Problem(EXTRA_CELLS, {}, self.context.label, self.number))
