"""Broken promises to pay whose invoices are still unpaid, for the digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.money import from_stored
from bot.store.balance_sql import document_balances
from bot.store.models import Customer, Owner, Promise, PromiseInvoice, PromiseStatus


@dataclass(frozen=True)
class BrokenPromise:
    promise_id: int
    customer_code: str
    customer_name: str
    amount: Decimal
    currency: str
    pay_by: date
    # The customer's owner, or None when the customer has none.
    owner_name: str | None
    owner_slack_user_id: str | None


def broken_promises(session: Session, as_of: date) -> list[BrokenPromise]:
    """List promises recorded as broken by `as_of` whose covered invoices still have money open, oldest first.

    A promise counts as broken once `bot.reminders.promises.refresh_promises` has marked it,
    which the reminder run does every working day.
    """
    docs = document_balances(as_of, name="broken_promise_balances")
    still_open = (
        select(PromiseInvoice.promise_id, func.sum(docs.c.open_units).label("open_units"))
        .join(docs, docs.c.invoice_id == PromiseInvoice.invoice_id)
        .group_by(PromiseInvoice.promise_id)
        .subquery("broken_promise_open")
    )
    rows = session.execute(
        select(Promise, Customer.code, Customer.name, Owner.display_name, Owner.slack_user_id)
        .join(still_open, still_open.c.promise_id == Promise.id)
        .join(Customer, Customer.id == Promise.customer_id)
        .outerjoin(Owner, Owner.id == Customer.owner_id)
        .where(Promise.status == PromiseStatus.BROKEN)
        .where(Promise.resolved_on <= as_of)
        .where(still_open.c.open_units > 0)
        .order_by(Promise.pay_by, Promise.id)
    ).all()
    return [
        BrokenPromise(
            promise_id=promise.id,
            customer_code=code,
            customer_name=name,
            amount=from_stored(promise.amount_units),
            currency=promise.currency,
            pay_by=promise.pay_by,
            owner_name=owner_name,
            owner_slack_user_id=owner_slack_user_id,
        )
        for promise, code, name, owner_name, owner_slack_user_id in rows
    ]
