"""What happened to one invoice: payments and credit notes applied, promises to pay, and activity."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from bot.store.balance_sql import document_balances
from bot.store.models import Activity, Invoice, Payment, Promise, PromiseInvoice


@dataclass(frozen=True)
class AppliedPayment:
    reference: str
    currency: str
    amount: Decimal
    paid_on: date | None
    method: str | None


@dataclass(frozen=True)
class AppliedCreditNote:
    number: str
    currency: str
    # The credit as a positive amount.
    amount: Decimal
    issue_date: date | None
    status: str


@dataclass(frozen=True)
class CoveringPromise:
    promise_id: int
    currency: str
    amount: Decimal
    pay_by: date
    status: str
    made_by: str
    # How many invoices the promise covers, this one included.
    invoice_count: int


def open_units_as_of(session: Session, invoice_id: int, as_of: date) -> int | None:
    """Return the open balance in units on `as_of`, or None when the document is not a receivable then.

    Void and draft documents, and documents issued after `as_of`, are not receivables.
    """
    docs = document_balances(as_of, name="one_document")
    return session.scalar(select(docs.c.open_units).where(docs.c.invoice_id == invoice_id))


def applied_payments(session: Session, invoice_id: int) -> list[AppliedPayment]:
    """List the itemized payments applied to the invoice, earliest first (undated last)."""
    statement = (
        select(Payment)
        .where(Payment.invoice_id == invoice_id)
        .order_by(Payment.paid_on.is_(None), Payment.paid_on, Payment.id)
    )
    return [
        AppliedPayment(payment.reference, payment.currency, payment.amount, payment.paid_on, payment.method)
        for payment in session.scalars(statement)
    ]


def applied_credit_notes(session: Session, invoice_id: int) -> list[AppliedCreditNote]:
    """List the credit notes applied to the invoice, void and draft ones included, earliest first."""
    statement = (
        select(Invoice)
        .where(Invoice.applies_to_id == invoice_id)
        .order_by(Invoice.issue_date.is_(None), Invoice.issue_date, Invoice.id)
    )
    return [
        AppliedCreditNote(note.number, note.currency, -note.amount, note.issue_date, note.status)
        for note in session.scalars(statement)
    ]


def covering_promises(session: Session, invoice_id: int) -> list[CoveringPromise]:
    """List the promises to pay that cover the invoice, latest pay-by date first."""
    covered = (
        select(PromiseInvoice.promise_id, func.count().label("invoice_count"))
        .group_by(PromiseInvoice.promise_id)
        .subquery("covered_counts")
    )
    statement = (
        select(Promise, covered.c.invoice_count)
        .join(PromiseInvoice, PromiseInvoice.promise_id == Promise.id)
        .join(covered, covered.c.promise_id == Promise.id)
        .where(PromiseInvoice.invoice_id == invoice_id)
        .order_by(Promise.pay_by.desc(), Promise.id.desc())
    )
    return [
        CoveringPromise(promise.id, promise.currency, promise.amount, promise.pay_by, promise.status,
                        promise.made_by, int(invoice_count))
        for promise, invoice_count in session.execute(statement)
    ]


def invoice_activity(session: Session, invoice: Invoice, limit: int) -> tuple[list[Activity], int]:
    """Return the newest `limit` activity entries that name the invoice, and how many there are in all.

    An entry names the invoice when its `invoice_id` is the invoice, or when it is an entry
    of the invoice's customer whose details list the invoice number as a value (a reminder
    sent lists the numbers of the invoices on its card).
    """
    direct_total = session.scalar(select(func.count()).where(Activity.invoice_id == invoice.id)) or 0
    direct = list(session.scalars(
        select(Activity)
        .where(Activity.invoice_id == invoice.id)
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(limit)
    ))
    in_details = _customer_activity_naming(session, invoice)

    entries = sorted(direct + in_details, key=lambda entry: (entry.occurred_at, entry.id), reverse=True)
    return entries[:limit], direct_total + len(in_details)


def _customer_activity_naming(session: Session, invoice: Invoice) -> list[Activity]:
    # The text search only narrows the rows down. It looks for the number both as typed and
    # as json.dumps escapes it, and _names_value then checks each row's details exactly.
    escaped = json.dumps(invoice.number)[1:-1]
    details_text = cast(Activity.details, Text)
    statement = (
        select(Activity)
        .where(Activity.customer_id == invoice.customer_id)
        .where(Activity.invoice_id.is_(None))
        .where(Activity.details.is_not(None))
        .where(or_(details_text.contains(invoice.number, autoescape=True),
                   details_text.contains(escaped, autoescape=True)))
    )
    return [entry for entry in session.scalars(statement) if _names_value(entry.details, invoice.number)]


def _names_value(details: Any, number: str) -> bool:
    if isinstance(details, dict):
        return any(_names_value(value, number) for value in details.values())
    if isinstance(details, list):
        return any(_names_value(value, number) for value in details)
    return details == number

