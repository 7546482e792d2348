"""Loading the dunning engine's view of every open invoice from the store, in four queries.

One query reads the invoices with their open balances, customer tier and pause. Two
more total each customer's documents and unapplied payments per currency, and the last
reads the open promises with the invoices they cover. Python
only regroups those rows into `InvoiceState` values, so the cost does not grow with one
query per invoice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.dunning import InvoiceState, PromiseToPay
from bot.money import from_stored
from bot.store.balance_sql import document_balances
from bot.store.models import Customer, DocumentKind, Invoice, Payment, Promise, PromiseInvoice, PromiseStatus


@dataclass(frozen=True)
class DunningRow:
    """One open invoice with the ids a reminder card needs and the state the engine decides on.

    `owner_id` is the effective owner: the invoice's own owner, else the customer's owner.
    """

    invoice_id: int
    number: str
    customer_id: int
    owner_id: int | None
    state: InvoiceState


def load_dunning_rows(
    session: Session,
    as_of: date,
    *,
    customer_id: int | None = None,
    owner_ids: Collection[int] | None = None,
) -> list[DunningRow]:
    """Read every invoice with status open that exists on `as_of`, paid ones included, in due date order.

    Credit notes are left out because they are never chased. `customer_id` narrows the
    rows to one customer, which is how a run reads a card's invoices again before sending.
    `owner_ids` narrows them to the invoices whose effective owner is one of these owners.
    """
    invoice_rows = session.execute(_invoice_query(as_of, customer_id, owner_ids)).all()
    net_units = _net_units_by_customer(session, as_of, customer_id)
    promises = _open_promises(session, customer_id)

    open_units = {row.invoice_id: int(row.open_units) for row in invoice_rows}
    covered_units = {
        promise.id: sum(open_units.get(invoice_id, 0) for invoice_id in invoice_ids)
        for promise, invoice_ids in promises.values()
    }

    rows = []
    for row in invoice_rows:
        promise_entry = promises.get(row.invoice_id)
        promise = None
        if promise_entry is not None:
            promise = _promise_for_invoice(promise_entry[0], open_units[row.invoice_id], covered_units[promise_entry[0].id])
        state = InvoiceState(
            open_balance=from_stored(int(row.open_units)),
            currency=row.currency,
            due_date=row.due_date,
            dunning_level=row.dunning_level or 0,
            last_reminded_on=row.last_reminded_on,
            snoozed_until=row.snoozed_until,
            disputed=bool(row.disputed),
            promise=promise,
            customer_tier=row.tier,
            customer_paused_until=row.paused_until,
            customer_net_balance={
                currency: from_stored(units) for currency, units in net_units.get(row.customer_id, {}).items()
            },
        )
        rows.append(DunningRow(row.invoice_id, row.number, row.customer_id, row.owner_id, state))
    return rows


def _invoice_query(as_of: date, customer_id: int | None, owner_ids: Collection[int] | None):
    docs = document_balances(as_of, customer_id=customer_id)
    query = (
        select(
            docs.c.invoice_id,
            docs.c.number,
            docs.c.customer_id,
            docs.c.owner_id,
            docs.c.currency,
            docs.c.open_units,
            docs.c.due_date,
            docs.c.disputed,
            docs.c.dunning_level,
            docs.c.snoozed_until,
            Invoice.last_reminded_on,
            Customer.tier,
            Customer.paused_until,
        )
        .join(Invoice, Invoice.id == docs.c.invoice_id)
        .join(Customer, Customer.id == docs.c.customer_id)
        .where(docs.c.kind == DocumentKind.INVOICE)
        .order_by(docs.c.due_date, docs.c.invoice_id)
    )
    if owner_ids is not None:
        query = query.where(docs.c.owner_id.in_(list(owner_ids)))
    return query


def _net_units_by_customer(session: Session, as_of: date, customer_id: int | None) -> dict[int, dict[str, int]]:
    """Total, per customer and currency, every open document minus the unapplied payments."""
    docs = document_balances(as_of, customer_id=customer_id, name="net_documents")
    document_rows = session.execute(
        select(docs.c.customer_id, docs.c.currency, func.sum(docs.c.open_units).label("units"))
        .group_by(docs.c.customer_id, docs.c.currency)
    ).all()

    payments = (
        select(Payment.customer_id, Payment.currency, func.sum(Payment.amount_units).label("units"))
        .where(Payment.invoice_id.is_(None))
        .where(or_(Payment.paid_on.is_(None), Payment.paid_on <= as_of))
        .group_by(Payment.customer_id, Payment.currency)
    )
    if customer_id is not None:
        payments = payments.where(Payment.customer_id == customer_id)
    payment_rows = session.execute(payments).all()

    net: dict[int, dict[str, int]] = defaultdict(dict)
    for row in document_rows:
        net[row.customer_id][row.currency] = int(row.units or 0)
    for row in payment_rows:
        by_currency = net[row.customer_id]
        by_currency[row.currency] = by_currency.get(row.currency, 0) - int(row.units or 0)
    return net


def _open_promises(session: Session, customer_id: int | None) -> dict[int, tuple[Promise, list[int]]]:
    """Map each invoice an open promise covers to that promise and all the invoices it covers.

    When two open promises cover one invoice, the newer one (higher id) counts.
    """
    query = (
        select(Promise, PromiseInvoice.invoice_id)
        .join(PromiseInvoice, PromiseInvoice.promise_id == Promise.id)
        .where(Promise.status == PromiseStatus.OPEN)
        .order_by(Promise.id, PromiseInvoice.invoice_id)
    )
    if customer_id is not None:
        query = query.where(Promise.customer_id == customer_id)

    covered: dict[int, list[int]] = defaultdict(list)
    by_invoice: dict[int, Promise] = {}
    for promise, invoice_id in session.execute(query).all():
        covered[promise.id].append(invoice_id)
        by_invoice[invoice_id] = promise
    return {invoice_id: (promise, covered[promise.id]) for invoice_id, promise in by_invoice.items()}


def _promise_for_invoice(promise: Promise, invoice_units: int, covered_units: int) -> PromiseToPay:
    # The engine measures a promise on one invoice: what arrived is balance_when_made minus
    # the invoice's open balance. A promise may cover several invoices, so its stored
    # balance is restated for this invoice, keeping the money paid on all of them the same.
    paid_units = promise.balance_when_made_units - covered_units
    return PromiseToPay(
        pay_by=promise.pay_by,
        amount=from_stored(promise.amount_units),
        balance_when_made=from_stored(invoice_units + paid_units),
    )
