"""The overdue invoices a Slack user owns, per customer and currency, split by what the reminder policy does today.

A user owns an invoice when its effective owner (the invoice's own owner, else the
customer's owner) is an owner row carrying the user's Slack id. Several owner rows may
carry the same id, for example one imported by name and one by email.

Each overdue invoice is decided by the dunning engine (bot.dunning), as the daily run
decides it, so the queue chases what the run chases. The engine runs per invoice in
Python, so the totals are summed here from the rows that bot.reminders.invoice_states
reads in four queries. Decimal sums are exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.aging import days_past_due
from bot.dunning import Send, SkipReason
from bot.policy import ReminderPolicy
from bot.reminders.invoice_states import DunningRow, load_dunning_rows
from bot.reminders.selection import decide_rows
from bot.store.models import Customer, Owner
from bot.workdays import WorkdayCalendar

# The queue's verdict on an overdue invoice: chased, or held back for one of the reasons below.
TO_CHASE = "to_chase"
HELD_PAUSED = SkipReason.PAUSED.value
HELD_DISPUTED = SkipReason.DISPUTED.value
HELD_SNOOZED = SkipReason.SNOOZED.value
HELD_PROMISED = SkipReason.PROMISED.value
HELD_BELOW_MINIMUM = SkipReason.BELOW_MINIMUM.value
HELD_NET_CREDIT = SkipReason.CUSTOMER_IN_NET_CREDIT.value
# Chased, but the next reminder is not due yet: the repeat interval or the next level's date.
WAITING = "waiting"

_VERDICTS = {
    # Reminded today already, or due on the next working day: the owner chases it now.
    SkipReason.ALREADY_SENT_TODAY.value: TO_CHASE,
    SkipReason.NOT_WORKING_DAY.value: TO_CHASE,
    SkipReason.WAITING_REPEAT_INTERVAL.value: WAITING,
    SkipReason.NOT_DUE_YET.value: WAITING,
}


@dataclass(frozen=True)
class QueueCurrency:
    """One customer's overdue invoices in one currency that the user owns."""

    currency: str
    # Every overdue invoice, whether or not it is chased today.
    overdue_amount: Decimal
    overdue_count: int
    # The invoices the reminder policy chases today (see TO_CHASE).
    to_chase_amount: Decimal
    to_chase_count: int
    oldest_due_date: date


@dataclass(frozen=True)
class QueueCustomer:
    customer_id: int
    code: str
    name: str
    paused_until: date | None
    # Sorted by currency code; amounts are never added across currencies.
    currencies: tuple[QueueCurrency, ...]
    max_days_past_due: int
    # Overdue invoices not chased today, by the engine's reason (the first that applies).
    paused_count: int
    disputed_count: int
    snoozed_count: int
    promised_count: int = 0
    below_minimum_count: int = 0
    net_credit_count: int = 0
    waiting_count: int = 0
    # The invoices chased today, oldest due date first: the ones the customer's card lists.
    to_chase_invoice_ids: tuple[int, ...] = ()
    # The invoices held by an open promise to pay, whose promise the card still shows.
    promised_invoice_ids: tuple[int, ...] = ()

    @property
    def to_chase_count(self) -> int:
        return sum(currency.to_chase_count for currency in self.currencies)

    @property
    def held_count(self) -> int:
        return (self.paused_count + self.disputed_count + self.snoozed_count + self.promised_count
                + self.below_minimum_count + self.net_credit_count)


def owner_ids_of_user(session: Session, slack_user_id: str) -> list[int]:
    """Return the ids of every owner row linked to the Slack user, lowest first."""
    statement = select(Owner.id).where(Owner.slack_user_id == slack_user_id).order_by(Owner.id)
    return list(session.scalars(statement))


def queue_customers(
    session: Session,
    as_of: date,
    owner_ids: list[int],
    policy: ReminderPolicy,
    calendar: WorkdayCalendar | None = None,
    *,
    customer_id: int | None = None,
) -> list[QueueCustomer]:
    """Total, per customer and currency, the overdue invoices whose effective owner is in `owner_ids`.

    Only invoices (not credit notes) with a positive open balance and a due date before
    `as_of` count. Each is decided by the dunning engine with `policy` and `calendar`
    (default: the policy's own). `customer_id` narrows the queue to one customer. The list
    is sorted by customer id; callers rank it.
    """
    if not owner_ids:
        return []

    calendar = calendar or policy.calendar.build()
    rows = [
        row for row in load_dunning_rows(session, as_of, customer_id=customer_id, owner_ids=owner_ids)
        if row.state.open_balance > 0 and row.state.due_date is not None and row.state.due_date < as_of
    ]
    decisions, _ = decide_rows(rows, as_of, policy, calendar, log_skips=False)
    verdicts = {item.invoice_id: _verdict(item.decision) for item in decisions}

    by_customer: dict[int, list[DunningRow]] = defaultdict(list)
    for row in rows:
        by_customer[row.customer_id].append(row)
    customers = session.scalars(select(Customer).where(Customer.id.in_(by_customer))).all()
    return [
        _queue_customer(customer, by_customer[customer.id], verdicts, as_of)
        for customer in sorted(customers, key=lambda customer: customer.id)
    ]


def _verdict(decision) -> str:
    if isinstance(decision, Send):
        return TO_CHASE
    return _VERDICTS.get(decision.reason.value, decision.reason.value)


def _queue_customer(customer: Customer, rows: list[DunningRow], verdicts: dict[int, str], as_of: date) -> QueueCustomer:
    by_currency: dict[str, list[DunningRow]] = defaultdict(list)
    for row in rows:
        by_currency[row.state.currency].append(row)
    currencies = tuple(_queue_currency(currency, by_currency[currency], verdicts) for currency in sorted(by_currency))

    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[verdicts[row.invoice_id]] += 1
    oldest = min(currency.oldest_due_date for currency in currencies)
    # The rows come in due date order, so the card's invoices do too.
    chased = tuple(row.invoice_id for row in rows if verdicts[row.invoice_id] == TO_CHASE)
    return QueueCustomer(
        customer_id=customer.id,
        code=customer.code,
        name=customer.name,
        paused_until=customer.paused_until,
        currencies=currencies,
        max_days_past_due=days_past_due(oldest, as_of),
        paused_count=counts[HELD_PAUSED],
        disputed_count=counts[HELD_DISPUTED],
        snoozed_count=counts[HELD_SNOOZED],
        promised_count=counts[HELD_PROMISED],
        below_minimum_count=counts[HELD_BELOW_MINIMUM],
        net_credit_count=counts[HELD_NET_CREDIT],
        waiting_count=counts[WAITING],
        to_chase_invoice_ids=chased,
        promised_invoice_ids=tuple(row.invoice_id for row in rows if verdicts[row.invoice_id] == HELD_PROMISED),
    )


def _queue_currency(currency: str, rows: list[DunningRow], verdicts: dict[int, str]) -> QueueCurrency:
    chased = [row for row in rows if verdicts[row.invoice_id] == TO_CHASE]
    due_dates = [row.state.due_date for row in rows if row.state.due_date is not None]
    return QueueCurrency(
        currency=currency,
        overdue_amount=sum((row.state.open_balance for row in rows), Decimal(0)),
        overdue_count=len(rows),
        to_chase_amount=sum((row.state.open_balance for row in chased), Decimal(0)),
        to_chase_count=len(chased),
        oldest_due_date=min(due_dates),
    )
