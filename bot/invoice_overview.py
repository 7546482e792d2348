"""The whole story of one invoice that `/arrears invoice` shows, read from the store as of a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.aging import Bucket, bucket_for, days_past_due
from bot.money import from_stored
from bot.store.invoice_history import (
    AppliedCreditNote,
    AppliedPayment,
    CoveringPromise,
    applied_credit_notes,
    applied_payments,
    covering_promises,
    invoice_activity,
    open_units_as_of,
)
from bot.store.models import Invoice

ACTIVITY_LIMIT = 15


@dataclass(frozen=True)
class HistoryEntry:
    """One activity entry; `occurred_at` is local time in the configured zone."""

    occurred_at: datetime
    actor: str
    action: str
    details: dict | None


@dataclass(frozen=True)
class InvoiceOverview:
    invoice_id: int
    number: str
    kind: str
    status: str
    currency: str
    amount: Decimal
    # None when the document is not a receivable on `as_of` (void, draft, or issued later).
    open_balance: Decimal | None
    issue_date: date | None
    due_date: date | None
    days_past_due: int | None
    bucket: Bucket
    disputed: bool
    dispute_reason: str | None
    dunning_level: int
    snoozed_until: date | None
    customer_code: str
    customer_name: str
    customer_paused_until: date | None
    owner_name: str | None
    owner_slack_user_id: str | None
    # The paid amount the imported export states, and the day it arrived (None: already at import).
    reported_paid: Decimal
    settled_on: date | None
    # For a credit note applied to one invoice: that invoice's number.
    applies_to_number: str | None
    payments: tuple[AppliedPayment, ...]
    credit_notes: tuple[AppliedCreditNote, ...]
    promises: tuple[CoveringPromise, ...]
    # Newest first, at most ACTIVITY_LIMIT entries of `activity_total`.
    activity: tuple[HistoryEntry, ...]
    activity_total: int
    as_of: date


def load_invoice_overview(
    session: Session, invoice_id: int, as_of: date, zone: ZoneInfo, activity_limit: int = ACTIVITY_LIMIT
) -> InvoiceOverview | None:
    """Read one invoice with its balance, promises, payments, credit notes and activity, or None if it is gone."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None:
        return None

    open_units = open_units_as_of(session, invoice.id, as_of)
    days = days_past_due(invoice.due_date, as_of)
    owner = invoice.owner or invoice.customer.owner
    applies_to = session.get(Invoice, invoice.applies_to_id) if invoice.applies_to_id is not None else None
    entries, activity_total = invoice_activity(session, invoice, activity_limit)

    return InvoiceOverview(
        invoice_id=invoice.id,
        number=invoice.number,
        kind=invoice.kind,
        status=invoice.status,
        currency=invoice.currency,
        amount=invoice.amount,
        open_balance=from_stored(open_units) if open_units is not None else None,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        days_past_due=days,
        bucket=bucket_for(days),
        disputed=invoice.disputed,
        dispute_reason=invoice.dispute_reason,
        dunning_level=invoice.dunning_level,
        snoozed_until=invoice.snoozed_until,
        customer_code=invoice.customer.code,
        customer_name=invoice.customer.name,
        customer_paused_until=invoice.customer.paused_until,
        owner_name=owner.display_name if owner else None,
        owner_slack_user_id=owner.slack_user_id if owner else None,
        reported_paid=from_stored(invoice.reported_paid_units),
        settled_on=invoice.settled_on,
        applies_to_number=applies_to.number if applies_to else None,
        payments=tuple(applied_payments(session, invoice.id)),
        credit_notes=tuple(applied_credit_notes(session, invoice.id)),
        promises=tuple(covering_promises(session, invoice.id)),
        activity=tuple(
            HistoryEntry(entry.occurred_at.astimezone(zone), entry.actor, entry.action, entry.details)
            for entry in entries
        ),
        activity_total=activity_total,
        as_of=as_of,
    )
