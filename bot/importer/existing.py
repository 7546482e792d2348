"""Load what the ledger already holds for a set of natural keys, in a few batched queries.

Each loader returns rows keyed by the source system's key: owner key, customer code,
invoice number or payment reference. References to other tables are natural keys too,
so an import can be compared with the ledger before anything is written.
"""

from __future__ import annotations

from typing import Iterable, Iterator, TypeVar

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, aliased

from bot.store.models import Customer, Invoice, Owner, Payment

# Keys per IN (...) list; both SQLite (32,766) and PostgreSQL (65,535) allow far more parameters.
KEY_BATCH = 5000

T = TypeVar("T")


def chunks(items: Iterable[T], size: int = KEY_BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def existing_owners(session: Session, keys: Iterable[str]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for batch in chunks(sorted(set(keys))):
        query = select(Owner.id, Owner.key, Owner.email, Owner.slack_user_id).where(Owner.key.in_(batch))
        rows.update((row.key, row) for row in session.execute(query))
    return rows


def existing_customers(session: Session, codes: Iterable[str]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for batch in chunks(sorted(set(codes))):
        query = (
            select(Customer.id, Customer.code, Customer.name, Owner.key.label("owner_key"))
            .outerjoin(Owner, Owner.id == Customer.owner_id)
            .where(Customer.code.in_(batch))
        )
        rows.update((row.code, row) for row in session.execute(query))
    return rows


def existing_invoices(session: Session, numbers: Iterable[str]) -> dict[str, Row]:
    applied = aliased(Invoice, name="applied")
    rows: dict[str, Row] = {}
    for batch in chunks(sorted(set(numbers))):
        query = (
            select(
                Invoice.id,
                Invoice.number,
                Invoice.kind,
                Customer.code.label("customer_code"),
                Owner.key.label("owner_key"),
                Invoice.currency,
                Invoice.amount_units,
                Invoice.reported_paid_units,
                Invoice.issue_date,
                Invoice.due_date,
                Invoice.settled_on,
                applied.number.label("applies_to"),
                Invoice.status,
                Invoice.disputed,
            )
            .join(Customer, Customer.id == Invoice.customer_id)
            .outerjoin(Owner, Owner.id == Invoice.owner_id)
            .outerjoin(applied, applied.id == Invoice.applies_to_id)
            .where(Invoice.number.in_(batch))
        )
        rows.update((row.number, row) for row in session.execute(query))
    return rows


def existing_payments(session: Session, references: Iterable[str]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for batch in chunks(sorted(set(references))):
        query = (
            select(
                Payment.id,
                Payment.reference,
                Invoice.number.label("invoice_number"),
                Customer.code.label("customer_code"),
                Payment.currency,
                Payment.amount_units,
                Payment.paid_on,
                Payment.method,
            )
            .join(Customer, Customer.id == Payment.customer_id)
            .outerjoin(Invoice, Invoice.id == Payment.invoice_id)
            .where(Payment.reference.in_(batch))
        )
        rows.update((row.reference, row) for row in session.execute(query))
    return rows


def ids_by_key(session: Session, column, keys: Iterable[str]) -> dict[str, int]:
    """Map natural keys to primary keys, for a key column such as Customer.code."""
    model = column.class_
    ids: dict[str, int] = {}
    for batch in chunks(sorted(set(keys))):
        ids.update((key, id_) for key, id_ in session.execute(select(column, model.id).where(column.in_(batch))))
    return ids
