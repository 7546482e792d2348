"""Finding an invoice or credit note by the number a person typed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.money import from_stored
from bot.store.models import Customer, Invoice

MAX_CANDIDATES = 10


@dataclass(frozen=True)
class InvoiceCandidate:
    invoice_id: int
    number: str
    customer_name: str
    currency: str
    amount: Decimal


@dataclass(frozen=True)
class InvoiceLookup:
    """The invoice a number names, or else the invoices it could mean.

    `candidates` holds the numbers that differ from the typed one only in letter case
    when there are several, or else up to MAX_CANDIDATES numbers that contain it.
    """

    invoice_id: int | None
    candidates: tuple[InvoiceCandidate, ...]
    # True when the candidates equal the typed number ignoring case, so the user must pick one.
    ambiguous: bool = False


def find_invoice(session: Session, typed: str) -> InvoiceLookup:
    """Match `typed` against invoice numbers: exactly, then ignoring case, then as part of a number.

    NOTE: SQLite's lower() folds only ASCII letters, so on SQLite "ignoring case" covers A-Z only.
    """
    text = typed.strip()
    exact = session.scalar(select(Invoice.id).where(Invoice.number == text))
    if exact is not None:
        return InvoiceLookup(exact, ())

    same_ignoring_case = _candidates(session, func.lower(Invoice.number) == text.lower())
    if len(same_ignoring_case) == 1:
        return InvoiceLookup(same_ignoring_case[0].invoice_id, ())
    if same_ignoring_case:
        return InvoiceLookup(None, tuple(same_ignoring_case), ambiguous=True)

    containing = _candidates(session, func.lower(Invoice.number).contains(text.lower(), autoescape=True))
    return InvoiceLookup(None, tuple(containing))


def _candidates(session: Session, condition) -> list[InvoiceCandidate]:
    statement = (
        select(Invoice.id, Invoice.number, Customer.name, Invoice.currency, Invoice.amount_units)
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(condition)
        .order_by(Invoice.number, Invoice.id)
        .limit(MAX_CANDIDATES)
    )
    return [
        InvoiceCandidate(row.id, row.number, row.name, row.currency, from_stored(row.amount_units))
        for row in session.execute(statement)
    ]
