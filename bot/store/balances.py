"""Open balances and aging as SQL aggregates, as of any date.

Sums are computed by the database over integer `_units` columns and are exact; Python
only converts the aggregated rows into frozen dataclasses with Decimal amounts. Totals
are always per currency. Void and draft documents are left out; disputed documents
stay in every total and are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.aging import Bucket, days_past_due
from bot.money import from_stored
from bot.store.balance_sql import document_balances, unapplied_payments
from bot.store.customers import customer_matches, last_activity
from bot.store.models import Customer, Owner
from bot.store.overdue_customers import OverdueCustomer, top_overdue_customers

__all__ = [
    "AgingSummary",
    "BucketTotal",
    "CurrencyAging",
    "OpenDocument",
    "OverdueCustomer",
    "aging_summary",
    "customer_matches",
    "last_activity",
    "open_documents",
    "top_overdue_customers",
]


@dataclass(frozen=True)
class OpenDocument:
    """An invoice or credit note with what is still open on it as of some date."""

    invoice_id: int
    number: str
    kind: str
    customer_id: int
    customer_code: str
    customer_name: str
    # The effective owner: the invoice's own owner, else the customer's owner.
    owner_id: int | None
    owner_name: str | None
    owner_key: str | None
    owner_slack_user_id: str | None
    currency: str
    amount: Decimal
    open_balance: Decimal
    issue_date: date | None
    due_date: date | None
    days_past_due: int | None
    bucket: Bucket
    disputed: bool
    dunning_level: int
    snoozed_until: date | None


@dataclass(frozen=True)
class BucketTotal:
    bucket: Bucket
    count: int
    amount: Decimal


@dataclass(frozen=True)
class CurrencyAging:
    """The aging of one currency; amounts are never added across currencies."""

    currency: str
    # One entry per bucket in display order, zero where the bucket is empty.
    buckets: tuple[BucketTotal, ...]
    outstanding: Decimal
    outstanding_count: int
    overdue_amount: Decimal
    overdue_count: int
    disputed_amount: Decimal
    disputed_count: int
    # Money owed back to customers, as a positive amount: overpaid or unapplied credit
    # notes (negative open balances) plus payments not applied to any invoice.
    credits: Decimal
    net: Decimal

    def bucket(self, bucket: Bucket) -> BucketTotal:
        return next(total for total in self.buckets if total.bucket == bucket)


@dataclass(frozen=True)
class AgingSummary:
    as_of: date
    # Sorted by currency code.
    currencies: tuple[CurrencyAging, ...]

    def for_currency(self, currency: str) -> CurrencyAging | None:
        return next((aging for aging in self.currencies if aging.currency == currency), None)


def open_documents(
    session: Session,
    as_of: date,
    *,
    customer_id: int | None = None,
    owner_id: int | None = None,
    overdue_only: bool = False,
    include_credits: bool = False,
    limit: int | None = None,
    order: Literal["largest", "oldest"] = "largest",
) -> list[OpenDocument]:
    """List documents with a positive open balance as of `as_of` (negative ones too with `include_credits`).

    `order="largest"` puts the largest open balance first; `order="oldest"` puts the
    earliest due date first and documents without a due date last.
    """
    docs = document_balances(as_of, customer_id=customer_id, owner_id=owner_id)
    query = (
        select(docs, Customer.code, Customer.name, Owner.display_name, Owner.key, Owner.slack_user_id)
        .join(Customer, Customer.id == docs.c.customer_id)
        .outerjoin(Owner, Owner.id == docs.c.owner_id)
    )

    if include_credits:
        query = query.where(docs.c.open_units != 0)
    else:
        query = query.where(docs.c.open_units > 0)
    if overdue_only:
        query = query.where(docs.c.due_date < as_of)

    if order == "largest":
        query = query.order_by(docs.c.open_units.desc(), docs.c.invoice_id)
    elif order == "oldest":
        missing_due_last = case((docs.c.due_date.is_(None), 1), else_=0)
        query = query.order_by(missing_due_last, docs.c.due_date, docs.c.invoice_id)
    else:
        raise ValueError(f"unknown order {order!r}; use 'largest' or 'oldest'")
    if limit is not None:
        query = query.limit(limit)

    return [_open_document(row, as_of) for row in session.execute(query)]


def _open_document(row, as_of: date) -> OpenDocument:
    return OpenDocument(
        invoice_id=row.invoice_id,
        number=row.number,
        kind=row.kind,
        customer_id=row.customer_id,
        customer_code=row.code,
        customer_name=row.name,
        owner_id=row.owner_id,
        owner_name=row.display_name,
        owner_key=row.key,
        owner_slack_user_id=row.slack_user_id,
        currency=row.currency,
        amount=from_stored(row.amount_units),
        open_balance=from_stored(row.open_units),
        issue_date=row.issue_date,
        due_date=row.due_date,
        days_past_due=days_past_due(row.due_date, as_of),
        bucket=Bucket(row.bucket),
        disputed=bool(row.disputed),
        dunning_level=row.dunning_level,
        snoozed_until=row.snoozed_until,
    )


def aging_summary(
    session: Session,
    as_of: date,
    *,
    customer_id: int | None = None,
    owner_id: int | None = None,
) -> AgingSummary:
    """Total the open balances as of `as_of` per currency and bucket, with credits apart."""
    docs = document_balances(as_of, customer_id=customer_id, owner_id=owner_id)

    bucket_rows = session.execute(
        select(
            docs.c.currency,
            docs.c.bucket,
            func.count().label("count"),
            func.sum(docs.c.open_units).label("units"),
            func.sum(case((docs.c.disputed, 1), else_=0)).label("disputed_count"),
            func.sum(case((docs.c.disputed, docs.c.open_units), else_=0)).label("disputed_units"),
        )
        .where(docs.c.open_units > 0)
        .group_by(docs.c.currency, docs.c.bucket)
    ).all()

    negative_rows = session.execute(
        select(docs.c.currency, func.sum(docs.c.open_units).label("units"))
        .where(docs.c.open_units < 0)
        .group_by(docs.c.currency)
    ).all()

    unapplied = unapplied_payments(as_of, customer_id=customer_id, owner_id=owner_id)
    unapplied_rows = session.execute(select(unapplied.c.currency, unapplied.c.units)).all()

    return _assemble_summary(as_of, bucket_rows, negative_rows, unapplied_rows)


def _assemble_summary(as_of: date, bucket_rows, negative_rows, unapplied_rows) -> AgingSummary:
    # Each row here is already a per-currency aggregate; this only regroups them.
    by_currency: dict[str, dict[Bucket, object]] = {}
    for row in bucket_rows:
        by_currency.setdefault(row.currency, {})[Bucket(row.bucket)] = row

    credit_units: dict[str, int] = {}
    for row in negative_rows:
        credit_units[row.currency] = credit_units.get(row.currency, 0) - int(row.units)
    for row in unapplied_rows:
        credit_units[row.currency] = credit_units.get(row.currency, 0) + int(row.units or 0)

    currencies = []
    for currency in sorted(set(by_currency) | set(credit_units)):
        currencies.append(_currency_aging(currency, by_currency.get(currency, {}), credit_units.get(currency, 0)))
    return AgingSummary(as_of=as_of, currencies=tuple(currencies))


def _currency_aging(currency: str, rows: dict, credit_units: int) -> CurrencyAging:
    buckets = tuple(
        BucketTotal(bucket, rows[bucket].count, from_stored(rows[bucket].units))
        if bucket in rows
        else BucketTotal(bucket, 0, from_stored(0))
        for bucket in Bucket
    )
    outstanding_units = sum(int(row.units) for row in rows.values())
    overdue_units = sum(int(row.units) for bucket, row in rows.items() if bucket.overdue)

    return CurrencyAging(
        currency=currency,
        buckets=buckets,
        outstanding=from_stored(outstanding_units),
        outstanding_count=sum(row.count for row in rows.values()),
        overdue_amount=from_stored(overdue_units),
        overdue_count=sum(row.count for bucket, row in rows.items() if bucket.overdue),
        disputed_amount=from_stored(sum(int(row.disputed_units) for row in rows.values())),
        disputed_count=sum(int(row.disputed_count) for row in rows.values()),
        credits=from_stored(credit_units),
        net=from_stored(outstanding_units - credit_units),
    )
