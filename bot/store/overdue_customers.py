"""The customers with the most overdue money, ranked within each currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.aging import days_past_due
from bot.money import from_stored
from bot.store.balance_sql import document_balances
from bot.store.models import Customer, Owner


@dataclass(frozen=True)
class OverdueCustomer:
    customer_id: int
    customer_code: str
    customer_name: str
    # The customer's owner; invoices of this customer may have owners of their own.
    owner_id: int | None
    owner_name: str | None
    owner_key: str | None
    owner_slack_user_id: str | None
    currency: str
    overdue_amount: Decimal
    overdue_count: int
    oldest_due_date: date
    max_days_past_due: int
    # 1 for the customer with the largest overdue amount in this currency.
    rank: int


def top_overdue_customers(session: Session, as_of: date, limit: int) -> list[OverdueCustomer]:
    """Return up to `limit` customers per currency, largest overdue amount first.

    Amounts in different currencies cannot be compared without exchange rates, so
    each currency gets its own ranking. The list is sorted by currency code, then rank.
    """
    docs = document_balances(as_of)
    per_customer = (
        select(
            docs.c.customer_id,
            docs.c.currency,
            func.sum(docs.c.open_units).label("units"),
            func.count().label("count"),
            func.min(docs.c.due_date).label("oldest_due"),
        )
        .where(docs.c.open_units > 0)
        .where(docs.c.due_date < as_of)
        .group_by(docs.c.customer_id, docs.c.currency)
        .subquery("per_customer")
    )
    rank = func.row_number().over(
        partition_by=per_customer.c.currency,
        order_by=(per_customer.c.units.desc(), per_customer.c.customer_id),
    )
    ranked = select(per_customer, rank.label("rank")).subquery("ranked")

    statement = (
        select(ranked, Customer.code, Customer.name, Customer.owner_id, Owner.display_name, Owner.key, Owner.slack_user_id)
        .join(Customer, Customer.id == ranked.c.customer_id)
        .outerjoin(Owner, Owner.id == Customer.owner_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.currency, ranked.c.rank)
    )
    return [_overdue_customer(row, as_of) for row in session.execute(statement)]


def _overdue_customer(row, as_of: date) -> OverdueCustomer:
    return OverdueCustomer(
        customer_id=row.customer_id,
        customer_code=row.code,
        customer_name=row.name,
        owner_id=row.owner_id,
        owner_name=row.display_name,
        owner_key=row.key,
        owner_slack_user_id=row.slack_user_id,
        currency=row.currency,
        overdue_amount=from_stored(row.units),
        overdue_count=row.count,
        oldest_due_date=row.oldest_due,
        max_days_past_due=days_past_due(row.oldest_due, as_of),
        rank=row.rank,
    )


def overdue_customer_counts(session: Session, as_of: date) -> dict[str, int]:
    """Count, per currency, the customers with overdue money as of `as_of`."""
    docs = document_balances(as_of)
    rows = session.execute(
        select(docs.c.currency, func.count(func.distinct(docs.c.customer_id)))
        .where(docs.c.open_units > 0)
        .where(docs.c.due_date < as_of)
        .group_by(docs.c.currency)
    )
    return {currency: count for currency, count in rows}
