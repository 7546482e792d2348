"""Changes in receivables between two as-of dates, per currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.money import from_stored
from bot.store.balance_sql import document_balances


@dataclass(frozen=True)
class CurrencyChange:
    currency: str
    # Open documents whose due date fell on or after the previous as-of date and before
    # the current one: not overdue then, overdue now.
    newly_overdue_count: int
    newly_overdue_amount: Decimal
    # Documents open on the previous date and no longer open now (paid or credited),
    # with the amount that was open on the previous date.
    paid_count: int
    paid_amount: Decimal
    overdue_before: Decimal
    overdue_now: Decimal

    @property
    def overdue_change(self) -> Decimal:
        """The change in the overdue amount; positive means more is overdue than before."""
        return self.overdue_now - self.overdue_before


def changes_since(session: Session, previous_as_of: date, as_of: date) -> list[CurrencyChange]:
    """Compare receivables on `as_of` with `previous_as_of`, per currency, sorted by currency code."""
    newly_overdue = _newly_overdue(session, previous_as_of, as_of)
    paid = _paid_between(session, previous_as_of, as_of)
    overdue_before = _overdue_units(session, previous_as_of)
    overdue_now = _overdue_units(session, as_of)

    currencies = set(newly_overdue) | set(paid) | set(overdue_before) | set(overdue_now)
    return [
        CurrencyChange(
            currency=currency,
            newly_overdue_count=newly_overdue.get(currency, (0, 0))[0],
            newly_overdue_amount=from_stored(newly_overdue.get(currency, (0, 0))[1]),
            paid_count=paid.get(currency, (0, 0))[0],
            paid_amount=from_stored(paid.get(currency, (0, 0))[1]),
            overdue_before=from_stored(overdue_before.get(currency, 0)),
            overdue_now=from_stored(overdue_now.get(currency, 0)),
        )
        for currency in sorted(currencies)
    ]


def _newly_overdue(session: Session, previous_as_of: date, as_of: date) -> dict[str, tuple[int, int]]:
    docs = document_balances(as_of)
    rows = session.execute(
        select(docs.c.currency, func.count(), func.sum(docs.c.open_units))
        .where(docs.c.open_units > 0)
        .where(docs.c.due_date < as_of)
        .where(docs.c.due_date >= previous_as_of)
        .group_by(docs.c.currency)
    )
    return {currency: (count, int(units)) for currency, count, units in rows}


def _paid_between(session: Session, previous_as_of: date, as_of: date) -> dict[str, tuple[int, int]]:
    before = document_balances(previous_as_of, name="before")
    now = document_balances(as_of, name="now")
    rows = session.execute(
        select(before.c.currency, func.count(), func.sum(before.c.open_units))
        .join(now, now.c.invoice_id == before.c.invoice_id)
        .where(before.c.open_units > 0)
        .where(now.c.open_units <= 0)
        .group_by(before.c.currency)
    )
    return {currency: (count, int(units)) for currency, count, units in rows}


def _overdue_units(session: Session, as_of: date) -> dict[str, int]:
    docs = document_balances(as_of)
    rows = session.execute(
        select(docs.c.currency, func.sum(docs.c.open_units))
        .where(docs.c.open_units > 0)
        .where(docs.c.due_date < as_of)
        .group_by(docs.c.currency)
    )
    return {currency: int(units) for currency, units in rows}
