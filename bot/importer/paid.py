"""The paid amount an invoice row states, from its balance, paid, settled-date and status cells.

The rules, in order: a filled balance gives paid = amount - balance; else a filled paid
cell gives the paid amount; else a settled date or a fully-paid status means the whole
amount is paid; else nothing is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


class PaidSource(str, Enum):
    """The cell that the reported paid amount came from."""

    BALANCE = "balance"
    PAID = "paid"
    SETTLED_DATE = "settled_date"
    STATUS = "status"
    NOTHING = "nothing"


@dataclass(frozen=True)
class PaidFigures:
    amount: Decimal
    paid: Decimal | None
    balance: Decimal | None
    settled: bool
    status_says_paid: bool


def reported_paid(figures: PaidFigures) -> tuple[Decimal, PaidSource]:
    """Return the paid amount the row states, and which cell stated it."""
    if figures.balance is not None:
        return figures.amount - figures.balance, PaidSource.BALANCE
    if figures.paid is not None:
        return figures.paid, PaidSource.PAID
    if figures.settled:
        return figures.amount, PaidSource.SETTLED_DATE
    if figures.status_says_paid:
        return figures.amount, PaidSource.STATUS
    return Decimal(0), PaidSource.NOTHING


def figures_agree(figures: PaidFigures) -> bool:
    """Check amount - paid = balance where all three are filled; otherwise there is nothing to check."""
    if figures.paid is None or figures.balance is None:
        return True
    return figures.amount - figures.paid == figures.balance


def as_credit_note(value: Decimal | None) -> Decimal | None:
    """Give a credit-note figure its stored sign: exports write credit notes as positive or negative."""
    if value is None:
        return None
    return -abs(value)
