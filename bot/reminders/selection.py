"""The rule that picks which overdue invoices get a reminder, grouped per owner and customer.

`select_reminders` is the one function the reminder run calls, so a later policy can
replace the rule without touching the run. Every invoice it leaves out gets a logged
reason: one DEBUG line per invoice and one INFO count per reason.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.balance_sql import document_balances
from bot.store.models import Customer, DocumentKind, DocumentStatus, Invoice

logger = logging.getLogger(__name__)


class SkipReason(StrEnum):
    """The reason an invoice gets no reminder on a given day."""

    NOT_OPEN = "not_open"
    PAID = "paid"
    NO_DUE_DATE = "no_due_date"
    NOT_DUE = "not_due"
    PAUSED = "paused"
    DISPUTED = "disputed"
    SNOOZED = "snoozed"


@dataclass(frozen=True)
class ReminderGroup:
    """The overdue invoices of one customer that one owner is reminded about on one day.

    `owner_id` is the effective owner (the invoice's own owner, else the customer's), or
    None when neither has one.
    """

    owner_id: int | None
    customer_id: int
    invoice_ids: tuple[int, ...]


def skip_reason(
    *,
    open_balance: Decimal | int,
    due_date: date | None,
    disputed: bool,
    snoozed_until: date | None,
    paused_until: date | None,
    as_of: date,
) -> SkipReason | None:
    """Return why an open invoice gets no reminder on `as_of`, or None when it gets one.

    A snooze or a customer pause lasts up to and including the day before its date: an
    invoice snoozed until 20 March is chased again on 20 March. The first matching reason wins.
    """
    if open_balance <= 0:
        return SkipReason.PAID
    if due_date is None:
        return SkipReason.NO_DUE_DATE
    if due_date >= as_of:
        # The due date itself is day 0 past due, which is not overdue yet.
        return SkipReason.NOT_DUE
    if paused_until is not None and paused_until > as_of:
        return SkipReason.PAUSED
    if disputed:
        return SkipReason.DISPUTED
    if snoozed_until is not None and snoozed_until > as_of:
        return SkipReason.SNOOZED
    return None


def select_reminders(session: Session, as_of: date) -> list[ReminderGroup]:
    """Group the invoices to chase on `as_of` by (effective owner, customer).

    Groups come in order of owner id (no owner last), then customer id. Each group lists
    its invoices in order of due date. Credit notes are never chased, so they are neither
    selected nor logged as left out. Invoices issued after `as_of` do not exist yet on
    that day and are not considered either.
    """
    skipped: Counter[SkipReason] = Counter()
    groups: dict[tuple[int | None, int], list[int]] = {}

    for row in session.execute(_invoice_rows(as_of)):
        reason = skip_reason(
            open_balance=int(row.open_units),
            due_date=row.due_date,
            disputed=bool(row.disputed),
            snoozed_until=row.snoozed_until,
            paused_until=row.paused_until,
            as_of=as_of,
        )
        if reason is not None:
            skipped[reason] += 1
            logger.debug("no reminder for invoice %s (%s, customer %s) on %s: %s",
                         row.invoice_id, row.number, row.customer_id, as_of, reason)
            continue
        groups.setdefault((row.owner_id, row.customer_id), []).append(row.invoice_id)

    for row in session.execute(_closed_invoice_rows()):
        skipped[SkipReason.NOT_OPEN] += 1
        logger.debug("no reminder for invoice %s (%s, customer %s) on %s: status %s",
                     row.id, row.number, row.customer_id, as_of, row.status)

    _log_summary(as_of, groups, skipped)
    return [
        ReminderGroup(owner_id, customer_id, tuple(invoice_ids))
        for (owner_id, customer_id), invoice_ids in sorted(groups.items(), key=_group_order)
    ]


def _invoice_rows(as_of: date):
    docs = document_balances(as_of)
    return (
        select(
            docs.c.invoice_id,
            docs.c.number,
            docs.c.customer_id,
            docs.c.owner_id,
            docs.c.open_units,
            docs.c.due_date,
            docs.c.disputed,
            docs.c.snoozed_until,
            Customer.paused_until,
        )
        .join(Customer, Customer.id == docs.c.customer_id)
        .where(docs.c.kind == DocumentKind.INVOICE)
        .order_by(docs.c.due_date, docs.c.invoice_id)
    )


def _closed_invoice_rows():
    # Void and draft invoices are not receivables. They are listed only to log the reason they get no reminder.
    return (
        select(Invoice.id, Invoice.number, Invoice.customer_id, Invoice.status)
        .where(Invoice.kind == DocumentKind.INVOICE)
        .where(Invoice.status != DocumentStatus.OPEN)
        .order_by(Invoice.id)
    )


def _group_order(item: tuple[tuple[int | None, int], list[int]]) -> tuple[bool, int, int]:
    (owner_id, customer_id), _ = item
    return (owner_id is None, owner_id or 0, customer_id)


def _log_summary(as_of: date, groups: dict, skipped: Counter[SkipReason]) -> None:
    selected = sum(len(invoice_ids) for invoice_ids in groups.values())
    logger.info("reminders for %s: %d invoices in %d groups selected", as_of, selected, len(groups))
    for reason in SkipReason:
        if skipped[reason]:
            logger.info("reminders for %s: %d invoices left out as %s", as_of, skipped[reason], reason)
