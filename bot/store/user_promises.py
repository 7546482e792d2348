"""Promises to pay that concern a Slack user: logged by the user, or covering an invoice the user owns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from bot.money import from_stored
from bot.store.models import Customer, Invoice, Promise, PromiseInvoice, PromiseStatus

# A promise lists at most this many of the invoice numbers it covers.
MAX_LISTED_NUMBERS = 3


@dataclass(frozen=True)
class PromiseSummary:
    promise_id: int
    customer_code: str
    customer_name: str
    currency: str
    amount: Decimal
    pay_by: date
    status: str
    resolved_on: date | None
    # The first MAX_LISTED_NUMBERS invoice numbers in order, and how many invoices there are in all.
    invoice_numbers: tuple[str, ...]
    invoice_count: int


@dataclass(frozen=True)
class PromiseList:
    # At most the `limit` asked for, in the order of the query.
    promises: tuple[PromiseSummary, ...]
    total: int


def open_promises_due(
    session: Session, slack_user_id: str, owner_ids: list[int], before: date, limit: int
) -> PromiseList:
    """List the user's open promises with a pay-by date before `before`, earliest first.

    Open promises whose date has already passed are included: nothing has marked them kept or broken yet.
    """
    condition = (Promise.status == PromiseStatus.OPEN) & (Promise.pay_by < before)
    return _promise_list(session, slack_user_id, owner_ids, condition, (Promise.pay_by, Promise.id), limit)


def broken_promises_since(
    session: Session, slack_user_id: str, owner_ids: list[int], since: date, limit: int
) -> PromiseList:
    """List the user's promises marked broken on or after `since` (by pay-by date when no day is recorded), latest first."""
    broken_on = func.coalesce(Promise.resolved_on, Promise.pay_by)
    condition = (Promise.status == PromiseStatus.BROKEN) & (broken_on >= since)
    return _promise_list(session, slack_user_id, owner_ids, condition, (broken_on.desc(), Promise.id.desc()), limit)


def _concerns_user(slack_user_id: str, owner_ids: list[int]) -> ColumnElement[bool]:
    if not owner_ids:
        return Promise.made_by == slack_user_id
    owned = (
        select(PromiseInvoice.promise_id)
        .join(Invoice, Invoice.id == PromiseInvoice.invoice_id)
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(func.coalesce(Invoice.owner_id, Customer.owner_id).in_(owner_ids))
    )
    return or_(Promise.made_by == slack_user_id, Promise.id.in_(owned))


def _promise_list(session: Session, slack_user_id: str, owner_ids: list[int], condition, order, limit: int) -> PromiseList:
    where = condition & _concerns_user(slack_user_id, owner_ids)
    total = session.scalar(select(func.count()).select_from(Promise).where(where)) or 0
    rows = session.execute(
        select(Promise, Customer.code, Customer.name)
        .join(Customer, Customer.id == Promise.customer_id)
        .where(where)
        .order_by(*order)
        .limit(limit)
    ).all()
    numbers = _invoice_numbers(session, [promise.id for promise, _code, _name in rows])
    promises = tuple(
        PromiseSummary(
            promise_id=promise.id, customer_code=code, customer_name=name, currency=promise.currency,
            amount=from_stored(promise.amount_units), pay_by=promise.pay_by, status=promise.status,
            resolved_on=promise.resolved_on,
            invoice_numbers=tuple(numbers.get(promise.id, [])[:MAX_LISTED_NUMBERS]),
            invoice_count=len(numbers.get(promise.id, [])),
        )
        for promise, code, name in rows
    )
    return PromiseList(promises, total)


def _invoice_numbers(session: Session, promise_ids: list[int]) -> dict[int, list[str]]:
    if not promise_ids:
        return {}
    rows = session.execute(
        select(PromiseInvoice.promise_id, Invoice.number)
        .join(Invoice, Invoice.id == PromiseInvoice.invoice_id)
        .where(PromiseInvoice.promise_id.in_(promise_ids))
        .order_by(PromiseInvoice.promise_id, Invoice.number)
    )
    numbers: dict[int, list[str]] = {}
    for promise_id, number in rows:
        numbers.setdefault(promise_id, []).append(number)
    return numbers
