"""Promises to pay: recording one, deciding when it is kept or broken, and showing it.

A promise covers one or more invoices of one customer in one currency. It is kept once
the open balance of those invoices has dropped by the promised amount since the promise
was made, and broken when that has not happened by `pay_by` plus the policy's grace days.
The rule itself is `bot.dunning.evaluate_promise`; this module applies it to stored rows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dunning import InvoiceState, PromiseOutcome, PromiseToPay, evaluate_promise
from bot.money import from_stored, to_stored
from bot.policy import ReminderPolicy
from bot.store.balance_sql import document_balances
from bot.store.models import Activity, Invoice, Promise, PromiseInvoice, PromiseStatus

logger = logging.getLogger(__name__)

# A card lists at most this many promises, newest promised date first.
MAX_SHOWN_PROMISES = 5


@dataclass(frozen=True)
class InvoiceBalance:
    invoice_id: int
    number: str
    currency: str
    open_balance: Decimal


def invoice_balances(session: Session, as_of: date, invoice_ids: Collection[int]) -> dict[int, InvoiceBalance]:
    """Return the open balance as of `as_of` of each listed invoice that still counts in receivables."""
    if not invoice_ids:
        return {}
    docs = document_balances(as_of)
    rows = session.execute(
        select(docs.c.invoice_id, docs.c.number, docs.c.currency, docs.c.open_units)
        .where(docs.c.invoice_id.in_(list(invoice_ids)))
    )
    return {
        row.invoice_id: InvoiceBalance(row.invoice_id, row.number, row.currency, from_stored(row.open_units))
        for row in rows
    }


def make_promise(
    session: Session,
    *,
    customer_id: int,
    made_by: str,
    invoice_ids: Collection[int],
    currency: str,
    amount: Decimal,
    pay_by: date,
    as_of: date,
    now: datetime,
) -> tuple[Promise, list[Promise]]:
    """Add a promise covering `invoice_ids`; older open promises on any of them become superseded.

    Returns the new promise and the promises it superseded. The caller commits, and checks
    beforehand that the invoices share `currency`.
    """
    balances = invoice_balances(session, as_of, invoice_ids)
    balance_when_made = sum((balance.open_balance for balance in balances.values()), Decimal(0))

    superseded = list(session.scalars(
        select(Promise)
        .join(PromiseInvoice, PromiseInvoice.promise_id == Promise.id)
        .where(PromiseInvoice.invoice_id.in_(list(invoice_ids)))
        .where(Promise.status == PromiseStatus.OPEN)
        .distinct()
    ))
    for old in superseded:
        old.status = PromiseStatus.SUPERSEDED
        old.resolved_on = as_of
        old.updated_at = now

    promise = Promise(
        customer_id=customer_id, made_by=made_by, currency=currency, amount_units=to_stored(amount),
        pay_by=pay_by, balance_when_made_units=to_stored(balance_when_made), status=PromiseStatus.OPEN,
        created_at=now, updated_at=now,
    )
    session.add(promise)
    session.flush()
    for invoice_id in sorted(invoice_ids):
        session.add(PromiseInvoice(promise_id=promise.id, invoice_id=invoice_id))
    session.flush()
    logger.info("promise %s made by %s for customer %s: %s %s by %s on invoices %s (superseding %s)",
                promise.id, made_by, customer_id, amount, currency, pay_by, sorted(invoice_ids),
                [old.id for old in superseded])
    return promise, superseded


def promise_outcome(session: Session, today: date, policy: ReminderPolicy, promise: Promise) -> PromiseOutcome | None:
    """Return KEPT or BROKEN when an open promise is so as of `today`, else None; writes nothing."""
    invoice_ids = _covered_invoice_ids(session, promise.id)
    balances = invoice_balances(session, today, invoice_ids)
    # An invoice voided since the promise no longer counts in receivables, so it adds nothing here.
    open_balance = sum((balance.open_balance for balance in balances.values()), Decimal(0))
    state = InvoiceState(
        open_balance=open_balance,
        currency=promise.currency,
        due_date=None,
        promise=PromiseToPay(
            pay_by=promise.pay_by,
            amount=promise.amount,
            balance_when_made=from_stored(promise.balance_when_made_units),
        ),
    )
    return evaluate_promise(today, policy, state)


def refresh_promises(
    session: Session,
    today: date,
    policy: ReminderPolicy,
    *,
    now: datetime | None = None,
) -> list[tuple[Promise, str]]:
    """Mark open promises kept or broken as of `today`, recording `promise.kept` or `promise.broken` once each.

    Returns each changed promise with its new status. `now` stamps the activity; without it
    the activity carries the start of `today` in UTC. The caller commits.
    """
    stamp = now or datetime.combine(today, time.min, tzinfo=timezone.utc)
    changed: list[tuple[Promise, str]] = []
    open_promises = session.scalars(
        select(Promise).where(Promise.status == PromiseStatus.OPEN).order_by(Promise.id)
    ).all()
    for promise in open_promises:
        outcome = promise_outcome(session, today, policy, promise)
        if outcome is None:
            continue
        status = PromiseStatus.KEPT if outcome is PromiseOutcome.KEPT else PromiseStatus.BROKEN
        promise.status = status
        promise.resolved_on = today
        promise.updated_at = stamp
        _record_resolution(session, promise, status, today, stamp)
        changed.append((promise, status))
        logger.info("promise %s of customer %s is %s as of %s (pay by %s)",
                    promise.id, promise.customer_id, status, today, promise.pay_by)
    session.flush()
    return changed


def _record_resolution(session: Session, promise: Promise, status: str, today: date, stamp: datetime) -> None:
    dedup_key = f"promise.{status}:{promise.id}"
    if session.scalar(select(Activity.id).where(Activity.dedup_key == dedup_key)) is not None:
        return
    session.add(Activity(
        occurred_at=stamp,
        actor="system",
        action=f"promise.{status}",
        customer_id=promise.customer_id,
        dedup_key=dedup_key,
        details={
            "promise_id": promise.id,
            "amount": str(promise.amount),
            "currency": promise.currency,
            "pay_by": promise.pay_by.isoformat(),
            "as_of": today.isoformat(),
            "invoice_numbers": _covered_numbers(session, promise.id),
        },
    ))


@dataclass(frozen=True)
class PromiseView:
    """A promise as a card shows it; `broken` is true once it is broken, stored or not yet."""

    promise_id: int
    amount: Decimal
    currency: str
    pay_by: date
    made_by: str
    broken: bool
    invoice_numbers: tuple[str, ...]


def card_promises(
    session: Session,
    as_of: date,
    policy: ReminderPolicy,
    invoice_ids: Collection[int],
) -> list[PromiseView]:
    """List the open and broken promises on any of `invoice_ids`, newest promised date first.

    A promise that is kept as of `as_of` is left out even before the next run records it.
    """
    if not invoice_ids:
        return []
    promises = session.scalars(
        select(Promise)
        .join(PromiseInvoice, PromiseInvoice.promise_id == Promise.id)
        .where(PromiseInvoice.invoice_id.in_(list(invoice_ids)))
        .where(Promise.status.in_([PromiseStatus.OPEN, PromiseStatus.BROKEN]))
        .order_by(Promise.pay_by.desc(), Promise.id.desc())
        .distinct()
    ).all()

    views = []
    for promise in promises:
        broken = promise.status == PromiseStatus.BROKEN
        if not broken:
            outcome = promise_outcome(session, as_of, policy, promise)
            if outcome is PromiseOutcome.KEPT:
                continue
            broken = outcome is PromiseOutcome.BROKEN
        views.append(PromiseView(
            promise_id=promise.id, amount=promise.amount, currency=promise.currency, pay_by=promise.pay_by,
            made_by=promise.made_by, broken=broken, invoice_numbers=tuple(_covered_numbers(session, promise.id)),
        ))
    return views[:MAX_SHOWN_PROMISES]


def _covered_invoice_ids(session: Session, promise_id: int) -> list[int]:
    return list(session.scalars(select(PromiseInvoice.invoice_id).where(PromiseInvoice.promise_id == promise_id)))


def _covered_numbers(session: Session, promise_id: int) -> list[str]:
    return list(session.scalars(
        select(Invoice.number)
        .join(PromiseInvoice, PromiseInvoice.invoice_id == Invoice.id)
        .where(PromiseInvoice.promise_id == promise_id)
        .order_by(Invoice.number)
    ))
