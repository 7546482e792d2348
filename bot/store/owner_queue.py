"""The overdue invoices a Slack user owns, totalled per customer and currency in SQL.

A user owns an invoice when its effective owner (the invoice's own owner, else the
customer's owner) is an owner row carrying the user's Slack id. Several owner rows may
carry the same id, for example one imported by name and one by email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from bot.aging import days_past_due
from bot.money import from_stored
from bot.store.balance_sql import document_balances
from bot.store.models import Customer, DocumentKind, Owner

# Why an overdue invoice is or is not chased today, in the order bot.reminders.selection.skip_reason checks.
TO_CHASE = "to_chase"
HELD_PAUSED = "paused"
HELD_DISPUTED = "disputed"
HELD_SNOOZED = "snoozed"


@dataclass(frozen=True)
class QueueCurrency:
    """One customer's overdue invoices in one currency that the user owns."""

    currency: str
    # Every overdue invoice, whether or not it is chased today.
    overdue_amount: Decimal
    overdue_count: int
    # The invoices the reminder rule chases today: not disputed, not snoozed, customer not paused.
    to_chase_amount: Decimal
    to_chase_count: int
    oldest_due_date: date


@dataclass(frozen=True)
class QueueCustomer:
    customer_id: int
    code: str
    name: str
    paused_until: date | None
    # Sorted by currency code; amounts are never added across currencies.
    currencies: tuple[QueueCurrency, ...]
    max_days_past_due: int
    # Overdue invoices not chased today, by the first reason that holds them back.
    paused_count: int
    disputed_count: int
    snoozed_count: int

    @property
    def to_chase_count(self) -> int:
        return sum(currency.to_chase_count for currency in self.currencies)

    @property
    def held_count(self) -> int:
        return self.paused_count + self.disputed_count + self.snoozed_count


def owner_ids_of_user(session: Session, slack_user_id: str) -> list[int]:
    """Return the ids of every owner row linked to the Slack user, lowest first."""
    statement = select(Owner.id).where(Owner.slack_user_id == slack_user_id).order_by(Owner.id)
    return list(session.scalars(statement))


def queue_customers(session: Session, as_of: date, owner_ids: list[int]) -> list[QueueCustomer]:
    """Total, per customer and currency, the overdue invoices whose effective owner is in `owner_ids`.

    Only invoices (not credit notes) with a positive open balance and a due date before
    `as_of` count. The list is sorted by customer id; callers rank it.
    """
    if not owner_ids:
        return []

    overdue = _overdue_invoices(as_of, owner_ids)
    is_chased = overdue.c.reason == TO_CHASE
    totals = (
        select(
            overdue.c.customer_id,
            overdue.c.currency,
            func.count().label("overdue_count"),
            func.sum(overdue.c.open_units).label("overdue_units"),
            func.sum(case((is_chased, 1), else_=0)).label("to_chase_count"),
            func.sum(case((is_chased, overdue.c.open_units), else_=0)).label("to_chase_units"),
            func.sum(case((overdue.c.reason == HELD_PAUSED, 1), else_=0)).label("paused_count"),
            func.sum(case((overdue.c.reason == HELD_DISPUTED, 1), else_=0)).label("disputed_count"),
            func.sum(case((overdue.c.reason == HELD_SNOOZED, 1), else_=0)).label("snoozed_count"),
            func.min(overdue.c.due_date).label("oldest_due_date"),
        )
        .group_by(overdue.c.customer_id, overdue.c.currency)
        .subquery("queue_totals")
    )
    statement = (
        select(totals, Customer.code, Customer.name, Customer.paused_until)
        .join(Customer, Customer.id == totals.c.customer_id)
        .order_by(totals.c.customer_id, totals.c.currency)
    )
    return _group_by_customer(session.execute(statement).all(), as_of)


def _overdue_invoices(as_of: date, owner_ids: list[int]):
    docs = document_balances(as_of, name="queue_documents")
    # Mirrors skip_reason: a paused customer comes first, then a dispute, then a snooze.
    paused = and_(Customer.paused_until.is_not(None), Customer.paused_until > as_of)
    snoozed = and_(docs.c.snoozed_until.is_not(None), docs.c.snoozed_until > as_of)
    reason = case(
        (paused, literal(HELD_PAUSED)),
        (docs.c.disputed, literal(HELD_DISPUTED)),
        (snoozed, literal(HELD_SNOOZED)),
        else_=literal(TO_CHASE),
    )
    return (
        select(docs.c.customer_id, docs.c.currency, docs.c.open_units, docs.c.due_date, reason.label("reason"))
        .join(Customer, Customer.id == docs.c.customer_id)
        .where(docs.c.owner_id.in_(owner_ids))
        .where(docs.c.kind == DocumentKind.INVOICE)
        .where(docs.c.open_units > 0)
        .where(docs.c.due_date < as_of)
        .subquery("my_overdue")
    )


def _group_by_customer(rows, as_of: date) -> list[QueueCustomer]:
    # Each row is already a per-customer, per-currency aggregate; this only regroups them.
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.customer_id, []).append(row)

    customers = []
    for customer_rows in grouped.values():
        first = customer_rows[0]
        currencies = tuple(_queue_currency(row) for row in customer_rows)
        oldest = min(currency.oldest_due_date for currency in currencies)
        customers.append(QueueCustomer(
            customer_id=first.customer_id,
            code=first.code,
            name=first.name,
            paused_until=first.paused_until,
            currencies=currencies,
            max_days_past_due=days_past_due(oldest, as_of),
            paused_count=sum(int(row.paused_count) for row in customer_rows),
            disputed_count=sum(int(row.disputed_count) for row in customer_rows),
            snoozed_count=sum(int(row.snoozed_count) for row in customer_rows),
        ))
    return customers


def _queue_currency(row) -> QueueCurrency:
    return QueueCurrency(
        currency=row.currency,
        overdue_amount=from_stored(row.overdue_units),
        overdue_count=int(row.overdue_count),
        to_chase_amount=from_stored(row.to_chase_units),
        to_chase_count=int(row.to_chase_count),
        oldest_due_date=row.oldest_due_date,
    )
