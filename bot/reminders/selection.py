"""The invoices a reminder run chases, decided by the reminder policy and grouped per owner and customer.

`plan_reminders` loads every open invoice's state (bot.reminders.invoice_states), runs
the dunning engine (bot.dunning) on each to decide what it needs today, and groups the
reminders into one card per owner and customer. Every invoice left out gets a logged reason: one DEBUG
line per invoice and one INFO count per reason, and the counts travel with the plan.

`skip_reason` is the older state-only rule. Only a card without a stored plan uses it
when it is drawn again: a card sent before plans were stored, or a `/arrears mine` card
narrowed to the invoices the policy chases (bot.store.owner_queue).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dunning import (
    CardDecision,
    InvoiceDecision,
    Send,
    SendKind,
    Skip,
    decide_invoice,
    plan_cards,
)
from bot.policy import ReminderPolicy, Tone, load_default_policy
from bot.reminders.invoice_states import DunningRow, load_dunning_rows
from bot.store.models import DocumentKind, DocumentStatus, Invoice
from bot.workdays import WorkdayCalendar

logger = logging.getLogger(__name__)

# The skip reason of void and draft invoices, which are not receivables and never reach the engine.
NOT_OPEN = "not_open"


class SkipReason(StrEnum):
    """The reason `skip_reason` gives for an invoice that a card no longer shows."""

    NOT_OPEN = "not_open"
    PAID = "paid"
    NO_DUE_DATE = "no_due_date"
    NOT_DUE = "not_due"
    PAUSED = "paused"
    DISPUTED = "disputed"
    SNOOZED = "snoozed"


@dataclass(frozen=True)
class InvoiceSend:
    """One invoice on a card and the engine's decision for it."""

    invoice_id: int
    send: Send


@dataclass(frozen=True)
class ReminderGroup:
    """One card: the invoices of one customer that one owner is reminded about on one day.

    `owner_id` is the effective owner (the invoice's own owner, else the customer's), or
    None when neither has one. `kind`, `level` and `tone` come from the strongest decision
    among the invoices. `sends` keeps every invoice's own decision, because each invoice
    moves to its own level when the card is sent.
    """

    owner_id: int | None
    customer_id: int
    invoice_ids: tuple[int, ...]
    kind: SendKind
    level: int
    tone: Tone
    sends: tuple[InvoiceSend, ...]

    def send_for(self, invoice_id: int) -> Send:
        return next(item.send for item in self.sends if item.invoice_id == invoice_id)


@dataclass(frozen=True)
class ReminderPlan:
    """The cards a run sends, and how many invoices were left unchased for each reason."""

    as_of: date
    groups: tuple[ReminderGroup, ...]
    skipped: Mapping[str, int]


def select_reminders(
    session: Session,
    as_of: date,
    policy: ReminderPolicy | None = None,
    calendar: WorkdayCalendar | None = None,
) -> list[ReminderGroup]:
    """Return the cards to send on `as_of`; see `plan_reminders`."""
    return list(plan_reminders(session, as_of, policy, calendar).groups)


def plan_reminders(
    session: Session,
    as_of: date,
    policy: ReminderPolicy | None = None,
    calendar: WorkdayCalendar | None = None,
) -> ReminderPlan:
    """Decide every open invoice for `as_of` and group the reminders into cards.

    Without `policy` the default policy is used, and without `calendar` the policy's own.
    Groups come in order of owner id (no owner last), then customer id, and each lists its
    invoices strongest decision first. Credit notes are never chased, so they are neither
    selected nor counted. Invoices issued after `as_of` do not exist yet on that day.
    """
    policy = policy or load_default_policy()
    calendar = calendar or policy.calendar.build()

    rows = load_dunning_rows(session, as_of)
    decisions, skipped = decide_rows(rows, as_of, policy, calendar)
    closed = _log_closed_invoices(session, as_of)
    if closed:
        skipped[NOT_OPEN] += closed

    groups = _groups(plan_cards(decisions), decisions, policy)
    _log_summary(as_of, groups, skipped)
    return ReminderPlan(as_of, tuple(groups), dict(skipped))


def replan_group(
    session: Session,
    as_of: date,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    group: ReminderGroup,
) -> ReminderGroup | None:
    """Decide a card's invoices again with the balances as they are now.

    Returns the card narrowed to the invoices that still get a reminder, with decisions
    that may have changed (a payment since the plan can drop an invoice or the whole
    card), or None when none is left. Only the customer's rows are read.
    """
    rows = [
        row for row in load_dunning_rows(session, as_of, customer_id=group.customer_id)
        if row.invoice_id in group.invoice_ids and row.owner_id == group.owner_id
    ]
    gone = sorted(set(group.invoice_ids) - {row.invoice_id for row in rows})
    if gone:
        logger.info("invoices %s (customer %s) dropped from their card on %s: voided, deleted or given another owner",
                    gone, group.customer_id, as_of)
    decisions, _ = decide_rows(rows, as_of, policy, calendar, log_skips=False)
    for item in decisions:
        if isinstance(item.decision, Skip):
            logger.info("invoice %s (customer %s) dropped from its card on %s: %s",
                        item.invoice_id, item.customer_id, as_of, item.decision.reason)
    regrouped = _groups(plan_cards(decisions), decisions, policy)
    return regrouped[0] if regrouped else None


def decide_rows(
    rows: Iterable[DunningRow],
    as_of: date,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    *,
    log_skips: bool = True,
) -> tuple[list[InvoiceDecision], Counter[str]]:
    """Run the engine on each row; return the decisions and the count of skips per reason."""
    decisions = []
    skipped: Counter[str] = Counter()
    for row in rows:
        decision = decide_invoice(as_of, policy, calendar, row.state)
        decisions.append(InvoiceDecision(row.invoice_id, _owner_key(row.owner_id), row.customer_id, decision))
        if isinstance(decision, Skip):
            skipped[decision.reason.value] += 1
            if log_skips:
                logger.debug("no reminder for invoice %s (%s, customer %s, owner %s) on %s: %s, resumes on %s",
                             row.invoice_id, row.number, row.customer_id, row.owner_id, as_of,
                             decision.reason, decision.resumes_on)
    return decisions, skipped


def _owner_key(owner_id: int | None) -> str:
    return f"owner:{owner_id}" if owner_id is not None else "owner:none"


def _owner_id(owner_key: str) -> int | None:
    value = owner_key.removeprefix("owner:")
    return None if value == "none" else int(value)


def _groups(
    cards: list[CardDecision],
    decisions: list[InvoiceDecision],
    policy: ReminderPolicy,
) -> list[ReminderGroup]:
    sends = {item.invoice_id: item.decision for item in decisions if isinstance(item.decision, Send)}
    groups = [
        ReminderGroup(
            owner_id=_owner_id(card.owner_key),
            customer_id=card.customer_id,
            invoice_ids=card.invoice_ids,
            kind=card.send.kind,
            level=card.send.level,
            tone=tone_of(policy, card.send),
            sends=tuple(InvoiceSend(invoice_id, sends[invoice_id]) for invoice_id in card.invoice_ids),
        )
        for card in cards
    ]
    return sorted(groups, key=_group_order)


def tone_of(policy: ReminderPolicy, send: Send) -> Tone:
    """Return the tone of a card: a pre-due reminder is friendly, and a level card has its level's tone."""
    if send.kind == SendKind.PRE_DUE or send.level < 1:
        return Tone.FRIENDLY
    return policy.level(min(send.level, len(policy.levels))).tone


def _group_order(group: ReminderGroup) -> tuple[bool, int, int]:
    return (group.owner_id is None, group.owner_id or 0, group.customer_id)


def _log_closed_invoices(session: Session, as_of: date) -> int:
    # Void and draft invoices are not receivables. They are listed only to log the reason they get no reminder.
    rows = session.execute(
        select(Invoice.id, Invoice.number, Invoice.customer_id, Invoice.status)
        .where(Invoice.kind == DocumentKind.INVOICE)
        .where(Invoice.status != DocumentStatus.OPEN)
        .order_by(Invoice.id)
    ).all()
    for row in rows:
        logger.debug("no reminder for invoice %s (%s, customer %s) on %s: status %s",
                     row.id, row.number, row.customer_id, as_of, row.status)
    return len(rows)


def _log_summary(as_of: date, groups: list[ReminderGroup], skipped: Counter[str]) -> None:
    selected = sum(len(group.invoice_ids) for group in groups)
    logger.info("reminders for %s: %d invoices in %d groups selected", as_of, selected, len(groups))
    for reason, count in sorted(skipped.items()):
        if count:
            logger.info("reminders for %s: %d invoices left out as %s", as_of, count, reason)


def skip_reason(
    *,
    open_balance: Decimal | int,
    due_date: date | None,
    disputed: bool,
    snoozed_until: date | None,
    paused_until: date | None,
    as_of: date,
) -> SkipReason | None:
    """Return why an open invoice is not shown as one to chase on `as_of`, or None when it is.

    This checks the invoice's state only, not the policy's dates. A snooze or a customer
    pause lasts up to and including the day before its date: an invoice snoozed until 20
    March is chased again on 20 March. The first matching reason wins.
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
