"""One table after its rows were read: its records, and the problems of its rejected rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.importer.fields import Field
from bot.importer.headers import ColumnMapping
from bot.importer.problems import Problem
from bot.importer.readers import Table
from bot.importer.records import CustomerRecord, InvoiceRecord, PaymentRecord
from bot.importer.scan import ScanResult


@dataclass
class ParsedTable:
    index: int
    table: Table
    mapping: ColumnMapping
    scan: ScanResult
    customers: list[CustomerRecord] = field(default_factory=list)
    invoices: list[InvoiceRecord] = field(default_factory=list)
    payments: list[PaymentRecord] = field(default_factory=list)
    # The problems of each rejected row, by row number.
    rejected: dict[int, list[Problem]] = field(default_factory=dict)
    notice_rows: dict[str, list[int]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.table.label

    @property
    def kind(self):
        return self.mapping.kind

    def reject(self, problem: Problem) -> None:
        """Record a problem found after the row was read, such as a duplicate key."""
        self.rejected.setdefault(problem.row or 0, []).append(problem)

    def problem_at(self, row: int, target: Field | None, value: str | None, message: str, **params: object) -> Problem:
        column = None
        if target is not None and target in self.mapping.columns:
            column = self.mapping.label(target)
        elif target is not None and target in self.mapping.constants:
            column = f"--set {target.value}"
        return Problem(message, params, self.label, row, column, value)

    def problems(self) -> list[Problem]:
        return [problem for row in sorted(self.rejected) for problem in self.rejected[row]]

    def drop_rejected(self) -> None:
        """Remove the records of rejected rows, so that only valid rows are written."""
        rows = self.rejected.keys()
        self.customers = [record for record in self.customers if record.row not in rows]
        self.invoices = [record for record in self.invoices if record.row not in rows]
        self.payments = [record for record in self.payments if record.row not in rows]
