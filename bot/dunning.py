"""The dunning engine: decide from an invoice's current state whether to remind anyone today.

The engine keeps no history of its own. It compares the stored state (dunning level,
last reminder date, snooze, promise) with today's date, so a run after a missed day
sends whatever fell due while the bot was down. It uses no Slack and no database; the
reminder job loads the state, calls `decide_invoice` and `plan_cards`, and records what
it sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from bot.policy.model import DayCount, ReminderPolicy
from bot.workdays import WorkdayCalendar


class PromiseStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"


class PromiseOutcome(StrEnum):
    """A change to an open promise that the caller records."""

    KEPT = "kept"
    BROKEN = "broken"


class SendKind(StrEnum):
    PRE_DUE = "pre_due"
    # The invoice reaches a new dunning level.
    LEVEL = "level"
    # The invoice is chased again at the level it already has.
    REPEAT = "repeat"


class SkipReason(StrEnum):
    PAID = "paid"
    SNOOZED = "snoozed"
    PROMISED = "promised"
    DISPUTED = "disputed"
    BELOW_MINIMUM = "below_minimum"
    NO_DUE_DATE = "no_due_date"
    PAUSED = "paused"
    NOT_DUE_YET = "not_due_yet"
    NOT_WORKING_DAY = "not_working_day"
    ALREADY_SENT_TODAY = "already_sent_today"
    WAITING_REPEAT_INTERVAL = "waiting_repeat_interval"
    CUSTOMER_IN_NET_CREDIT = "customer_in_net_credit"


@dataclass(frozen=True)
class PromiseToPay:
    """A customer's promise to pay `amount` by `pay_by`."""

    pay_by: date
    amount: Decimal
    # The invoice's open balance when the promise was recorded; what it has dropped by
    # since then is the money that arrived against the promise.
    balance_when_made: Decimal
    status: PromiseStatus = PromiseStatus.OPEN


@dataclass(frozen=True)
class InvoiceState:
    """The state of one open invoice and its customer, as the engine reads it.

    `snoozed_until` and `customer_paused_until` are the dates on which chasing resumes.
    `customer_net_balance` maps each currency to what the customer owes in it after
    credit notes and unapplied payments.
    """

    open_balance: Decimal
    currency: str
    due_date: date | None
    dunning_level: int = 0
    last_reminded_on: date | None = None
    snoozed_until: date | None = None
    disputed: bool = False
    promise: PromiseToPay | None = None
    customer_tier: str | None = None
    customer_paused_until: date | None = None
    customer_net_balance: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Send:
    """Send a reminder today.

    `level` is the dunning level of the card, which the caller stores on the invoice after
    sending: the new level for LEVEL, the current one for REPEAT, and 0 for PRE_DUE.
    """

    kind: SendKind
    level: int
    promise_outcome: PromiseOutcome | None = None


@dataclass(frozen=True)
class Skip:
    """Send nothing today, for `reason`.

    `resumes_on` is the first date on which this reason stops applying, or None when no
    date ends it. Another reason may still apply on that date.
    """

    reason: SkipReason
    resumes_on: date | None = None
    promise_outcome: PromiseOutcome | None = None


Decision = Send | Skip


def decide_invoice(
    today: date,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    invoice: InvoiceState,
) -> Decision:
    """Decide whether this invoice's owner is reminded about it today, and at which level.

    The decision carries `promise_outcome` when an open promise was kept or broken as of
    today, so the caller can record it whatever else was decided.
    """
    outcome = evaluate_promise(today, policy, invoice)

    blocked = _blocking_state(today, policy, invoice, outcome)
    if blocked is not None:
        return blocked

    decision = _due_reminder(today, policy, calendar, invoice, outcome)
    if isinstance(decision, Send) and not calendar.is_working_day(today):
        # The state is unchanged tomorrow, so the same reminder is still due on the next working day.
        return Skip(SkipReason.NOT_WORKING_DAY, calendar.next_working_day(today), outcome)
    return decision


def evaluate_promise(today: date, policy: ReminderPolicy, invoice: InvoiceState) -> PromiseOutcome | None:
    """Return KEPT or BROKEN when an open promise has just become so, else None.

    A promise is kept once the open balance has dropped by the promised amount. It is
    broken when that has not happened by the end of the grace period after `pay_by`.
    """
    promise = invoice.promise
    if promise is None or promise.status != PromiseStatus.OPEN:
        return None
    paid_since_promise = promise.balance_when_made - invoice.open_balance
    # Paying off the invoice keeps the promise even if it promised more than was owed.
    if paid_since_promise >= promise.amount or invoice.open_balance <= 0:
        return PromiseOutcome.KEPT
    if today > promise_grace_end(policy, promise):
        return PromiseOutcome.BROKEN
    return None


def promise_grace_end(policy: ReminderPolicy, promise: PromiseToPay) -> date:
    """Return the last day on which chasing stays paused for this promise."""
    return promise.pay_by + timedelta(days=policy.promise_grace_days)


def level_due_on(policy: ReminderPolicy, calendar: WorkdayCalendar, due_date: date, number: int) -> date:
    """Return the date on which level `number` falls due, before any shift to a working day."""
    level = policy.level(number)
    if level.counted_in == DayCount.WORKING:
        return calendar.add_working_days(due_date, level.threshold_days)
    return due_date + timedelta(days=level.threshold_days)


def _blocking_state(
    today: date,
    policy: ReminderPolicy,
    invoice: InvoiceState,
    outcome: PromiseOutcome | None,
) -> Skip | None:
    """Return the Skip for a state that stops chasing regardless of dates, or None."""
    if invoice.open_balance <= 0:
        return Skip(SkipReason.PAID, promise_outcome=outcome)
    if invoice.due_date is None:
        return Skip(SkipReason.NO_DUE_DATE, promise_outcome=outcome)
    if invoice.disputed:
        return Skip(SkipReason.DISPUTED, promise_outcome=outcome)
    if invoice.customer_paused_until is not None and today < invoice.customer_paused_until:
        return Skip(SkipReason.PAUSED, invoice.customer_paused_until, outcome)
    if invoice.snoozed_until is not None and today < invoice.snoozed_until:
        return Skip(SkipReason.SNOOZED, invoice.snoozed_until, outcome)

    promise = invoice.promise
    if promise is not None and promise.status == PromiseStatus.OPEN and outcome is None:
        return Skip(SkipReason.PROMISED, promise_grace_end(policy, promise) + timedelta(days=1), outcome)

    if invoice.open_balance < policy.minimum_open_amount_for(invoice.currency):
        return Skip(SkipReason.BELOW_MINIMUM, promise_outcome=outcome)
    # Credit notes and unapplied payments may already cover everything the customer owes.
    net_balance = invoice.customer_net_balance.get(invoice.currency)
    if net_balance is not None and net_balance <= 0:
        return Skip(SkipReason.CUSTOMER_IN_NET_CREDIT, promise_outcome=outcome)
    if invoice.last_reminded_on is not None and invoice.last_reminded_on >= today:
        return Skip(SkipReason.ALREADY_SENT_TODAY, today + timedelta(days=1), outcome)
    return None


def _due_reminder(
    today: date,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    invoice: InvoiceState,
    outcome: PromiseOutcome | None,
) -> Decision:
    """Return the reminder that today's date calls for, ignoring whether today is a working day."""
    assert invoice.due_date is not None
    due_date = invoice.due_date
    # A level above the policy's last one (the policy lost levels) counts as the last level.
    current = min(invoice.dunning_level, len(policy.levels))
    first_level_on = level_due_on(policy, calendar, due_date, 1)

    # Only the next level is considered, so levels are reached in order, one per run.
    if current < len(policy.levels):
        next_level_on = level_due_on(policy, calendar, due_date, current + 1)
        if today >= next_level_on:
            return Send(SendKind.LEVEL, current + 1, outcome)
    else:
        next_level_on = None

    if current >= 1 and today >= first_level_on:
        return _repeat_reminder(today, policy, calendar, invoice, current, next_level_on, outcome)

    if current == 0 and today < due_date:
        return _pre_due_reminder(today, policy, calendar, invoice, first_level_on, outcome)

    # NOTE: an invoice with a dunning level whose due date was moved later waits here for
    # level 1's new date. Resetting its level is left to the importer.
    resumes_on = next_level_on if current == 0 else first_level_on
    return Skip(SkipReason.NOT_DUE_YET, calendar.next_working_day(resumes_on), outcome)


def _repeat_reminder(
    today: date,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    invoice: InvoiceState,
    current: int,
    next_level_on: date | None,
    outcome: PromiseOutcome | None,
) -> Decision:
    if invoice.last_reminded_on is None:
        # The level was set without a reminder (for example by an import), so remind now.
        return Send(SendKind.REPEAT, current, outcome)

    interval = policy.tier_for(invoice.customer_tier).repeat_interval_days
    repeat_on = invoice.last_reminded_on + timedelta(days=interval)
    if today >= repeat_on:
        return Send(SendKind.REPEAT, current, outcome)

    resumes_on = repeat_on if next_level_on is None else min(repeat_on, next_level_on)
    return Skip(SkipReason.WAITING_REPEAT_INTERVAL, calendar.next_working_day(resumes_on), outcome)


def _pre_due_reminder(
    today: date,
    policy: ReminderPolicy,
    calendar: WorkdayCalendar,
    invoice: InvoiceState,
    first_level_on: date,
    outcome: PromiseOutcome | None,
) -> Decision:
    assert invoice.due_date is not None
    reminder_dates = sorted(invoice.due_date - timedelta(days=days) for days in policy.pre_due_days)

    reached = [day for day in reminder_dates if day <= today]
    if reached and (invoice.last_reminded_on is None or invoice.last_reminded_on < reached[-1]):
        return Send(SendKind.PRE_DUE, 0, outcome)

    # A pre-due reminder pushed by non-working days onto the due date is not sent at all.
    upcoming = [calendar.next_working_day(day) for day in reminder_dates if day > today]
    upcoming = [day for day in upcoming if day < invoice.due_date]
    resumes_on = upcoming[0] if upcoming else calendar.next_working_day(first_level_on)
    return Skip(SkipReason.NOT_DUE_YET, resumes_on, outcome)


@dataclass(frozen=True)
class InvoiceDecision:
    """One invoice's decision, with the owner and customer its card would be about."""

    invoice_id: int
    # The recipient the card goes to, such as "owner:12" (see ReminderCard.recipient_key).
    owner_key: str
    customer_id: int
    decision: Decision


@dataclass(frozen=True)
class CardDecision:
    """The one reminder card an owner gets today about one customer.

    `send` is the strongest decision among the invoices and sets the card's level, tone
    and recipients. `invoice_ids` lists every invoice with a Send decision, strongest
    first; each of them is recorded as reminded today.
    """

    owner_key: str
    customer_id: int
    send: Send
    invoice_ids: tuple[int, ...]


_KIND_STRENGTH = {SendKind.PRE_DUE: 0, SendKind.REPEAT: 1, SendKind.LEVEL: 2}


def plan_cards(decisions: Iterable[InvoiceDecision]) -> list[CardDecision]:
    """Group Send decisions into at most one card per owner and customer.

    The strongest decision has the highest level; at equal levels a new level beats a
    repeat. Ties go to the lowest invoice id so runs are repeatable. Cards come out
    sorted by owner key and customer id.
    """
    groups: dict[tuple[str, int], list[InvoiceDecision]] = {}
    for item in decisions:
        if isinstance(item.decision, Send):
            groups.setdefault((item.owner_key, item.customer_id), []).append(item)

    cards = []
    for (owner_key, customer_id), items in sorted(groups.items()):
        items.sort(key=_strength_order)
        lead = items[0].decision
        assert isinstance(lead, Send)
        cards.append(CardDecision(owner_key, customer_id, lead, tuple(item.invoice_id for item in items)))
    return cards


def _strength_order(item: InvoiceDecision) -> tuple[int, int, int]:
    send = item.decision
    assert isinstance(send, Send)
    return (-send.level, -_KIND_STRENGTH[send.kind], item.invoice_id)
