"""SQL building blocks for open balances and aging, shared by the balance queries.

Everything here is SQLAlchemy Core expressions that run unchanged on SQLite and
PostgreSQL: sums of integer `_units` columns and comparisons of dates with bound
date parameters, never dialect date arithmetic.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Subquery, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from bot.aging import Bucket, bucket_date_bounds
from bot.store.models import Customer, DocumentStatus, Invoice, Payment

# Void and draft documents are kept in the ledger but are never receivables.
EXCLUDED_STATUSES = (DocumentStatus.VOID, DocumentStatus.DRAFT)


def exists_as_of(issue_date: ColumnElement, as_of: date) -> ColumnElement[bool]:
    """Select documents that exist on `as_of`; one without an issue date exists on every date."""
    return or_(issue_date.is_(None), issue_date <= as_of)


def counts_in_ar(document) -> ColumnElement[bool]:
    return document.status.not_in(EXCLUDED_STATUSES)


def payments_applied(as_of: date, name: str = "payments_applied") -> Subquery:
    """Sum, per invoice, the units of itemized payments received on or before `as_of`.

    NOTE: a payment is assumed to be in its invoice's currency; nothing here converts.
    """
    return (
        select(Payment.invoice_id.label("invoice_id"), func.sum(Payment.amount_units).label("units"))
        .where(Payment.invoice_id.is_not(None))
        .where(or_(Payment.paid_on.is_(None), Payment.paid_on <= as_of))
        .group_by(Payment.invoice_id)
        .subquery(name)
    )


def credits_applied(as_of: date, name: str = "credits_applied") -> Subquery:
    """Sum, per invoice, the credit (positive units) of credit notes applied to it and issued by `as_of`."""
    credit = aliased(Invoice, name=f"{name}_document")
    return (
        select(credit.applies_to_id.label("invoice_id"), func.sum(-credit.amount_units).label("units"))
        .where(credit.applies_to_id.is_not(None))
        .where(counts_in_ar(credit))
        .where(exists_as_of(credit.issue_date, as_of))
        .group_by(credit.applies_to_id)
        .subquery(name)
    )


def reported_paid(as_of: date) -> ColumnElement[int]:
    """Compute the paid amount an export states, counted only once it has arrived by `as_of`."""
    arrived = or_(Invoice.settled_on.is_(None), Invoice.settled_on <= as_of)
    return case((arrived, Invoice.reported_paid_units), else_=0)


def bucket_case(due_date: ColumnElement, as_of: date) -> ColumnElement[str]:
    """Build a CASE expression that names the aging bucket of a due date as of `as_of`."""
    whens = [(due_date.is_(None), literal(Bucket.NO_DUE_DATE.value))]
    for due_range in bucket_date_bounds(as_of):
        limits = []
        if due_range.earliest_due is not None:
            limits.append(due_date >= due_range.earliest_due)
        if due_range.latest_due is not None:
            limits.append(due_date <= due_range.latest_due)
        whens.append((and_(*limits), literal(due_range.bucket.value)))
    return case(*whens)


def document_balances(
    as_of: date,
    *,
    customer_id: int | None = None,
    owner_id: int | None = None,
    name: str = "document_balances",
) -> Subquery:
    """Select every document in accounts receivable as of `as_of`, with its open balance and bucket.

    Open balance = amount - paid - credit notes applied to it and issued by then, where
    paid is the larger of the paid amount the export reports (if settled by then) and the
    itemized payments received by then. The two describe the same money when an export
    marks an invoice paid and a payments file lists the payment, so adding them would
    count it twice and show a false credit. A credit note applied to an
    invoice has an open balance of 0 itself, because its amount is counted on that
    invoice. Rows with an open balance of 0 are included; callers filter on `open_units`.
    Give each subquery a distinct `name` when one statement compares two dates.
    """
    payments = payments_applied(as_of, name=f"{name}_payments")
    credits = credits_applied(as_of, name=f"{name}_credits")
    effective_owner_id = func.coalesce(Invoice.owner_id, Customer.owner_id)

    reported = reported_paid(as_of)
    itemized = func.coalesce(payments.c.units, 0)
    # CASE rather than GREATEST, which SQLite lacks.
    paid = case((reported >= itemized, reported), else_=itemized)
    unpaid = Invoice.amount_units - paid - func.coalesce(credits.c.units, 0)
    open_units = case((Invoice.applies_to_id.is_not(None), 0), else_=unpaid)

    query = (
        select(
            Invoice.id.label("invoice_id"),
            Invoice.number,
            Invoice.kind,
            Invoice.customer_id,
            effective_owner_id.label("owner_id"),
            Invoice.currency,
            Invoice.amount_units,
            open_units.label("open_units"),
            Invoice.issue_date,
            Invoice.due_date,
            bucket_case(Invoice.due_date, as_of).label("bucket"),
            Invoice.disputed,
            Invoice.dunning_level,
            Invoice.snoozed_until,
        )
        .join(Customer, Customer.id == Invoice.customer_id)
        .outerjoin(payments, payments.c.invoice_id == Invoice.id)
        .outerjoin(credits, credits.c.invoice_id == Invoice.id)
        .where(counts_in_ar(Invoice))
        .where(exists_as_of(Invoice.issue_date, as_of))
    )
    if customer_id is not None:
        query = query.where(Invoice.customer_id == customer_id)
    if owner_id is not None:
        query = query.where(effective_owner_id == owner_id)
    return query.subquery(name)


def unapplied_payments(
    as_of: date,
    *,
    customer_id: int | None = None,
    owner_id: int | None = None,
) -> Subquery:
    """Sum, per currency, the units of payments received by `as_of` and not applied to any invoice."""
    query = (
        select(Payment.currency.label("currency"), func.sum(Payment.amount_units).label("units"))
        .join(Customer, Customer.id == Payment.customer_id)
        .where(Payment.invoice_id.is_(None))
        .where(or_(Payment.paid_on.is_(None), Payment.paid_on <= as_of))
        .group_by(Payment.currency)
    )
    if customer_id is not None:
        query = query.where(Payment.customer_id == customer_id)
    if owner_id is not None:
        # An unapplied payment has no invoice, so it belongs to the customer's owner.
        query = query.where(Customer.owner_id == owner_id)
    return query.subquery("unapplied_payments")
