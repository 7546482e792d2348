"""A user's queue: the customers whose overdue invoices the user owns, largest first, and their cards."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable

from sqlalchemy.orm import Session

from bot.policy import ReminderPolicy
from bot.reminders.card import CardData, CardPromise, Delivery
from bot.reminders.card_data import escalation_for, load_card_data
from bot.reminders.promises import card_promises
from bot.store.owner_queue import QueueCurrency, QueueCustomer, owner_ids_of_user, queue_customers

AmountOf = Callable[[QueueCurrency], Decimal]


def to_chase_amount(currency: QueueCurrency) -> Decimal:
    return currency.to_chase_amount


def overdue_amount(currency: QueueCurrency) -> Decimal:
    return currency.overdue_amount


@dataclass(frozen=True)
class MyQueue:
    slack_user_id: str
    as_of: date
    owner_ids: tuple[int, ...]
    # Ranked by the amount the queue was loaded with, largest first (see rank_customers).
    customers: tuple[QueueCustomer, ...]


@dataclass(frozen=True)
class QueueCard:
    customer_id: int
    data: CardData


def load_my_queue(
    session: Session,
    slack_user_id: str,
    as_of: date,
    *,
    amount_of: AmountOf,
    leading_currency: str | None,
    policy: ReminderPolicy,
) -> MyQueue:
    """Read the customers with overdue invoices the user owns on `as_of`, ranked by `amount_of`.

    The reminder `policy` decides which of the invoices are chased today and which are held.
    """
    owner_ids = owner_ids_of_user(session, slack_user_id)
    customers = queue_customers(session, as_of, owner_ids, policy)
    return MyQueue(
        slack_user_id=slack_user_id,
        as_of=as_of,
        owner_ids=tuple(owner_ids),
        customers=tuple(rank_customers(customers, amount_of, leading_currency)),
    )


def rank_customers(
    customers: list[QueueCustomer], amount_of: AmountOf, leading_currency: str | None
) -> list[QueueCustomer]:
    """Sort customers by amount, largest first, comparing amounts only within one currency.

    Amounts in different currencies cannot be compared without exchange rates, so each
    customer is ranked by its amount in its first currency, taking `leading_currency`
    (ARREARS_DEFAULT_CURRENCY) first and then currency codes in order. Customers whose
    amount is zero in every currency come last.
    NOTE: a customer with a small amount in the leading currency and a large one in
    another currency ranks by the small one.
    """
    def first_currency(customer: QueueCustomer) -> QueueCurrency | None:
        positive = [currency for currency in customer.currencies if amount_of(currency) > 0]
        positive.sort(key=lambda currency: (currency.currency != leading_currency, currency.currency))
        return positive[0] if positive else None

    def key(customer: QueueCustomer) -> tuple:
        first = first_currency(customer)
        if first is None:
            return (1, True, "", Decimal(0), customer.name, customer.customer_id)
        return (0, first.currency != leading_currency, first.currency, -amount_of(first),
                customer.name, customer.customer_id)

    return sorted(customers, key=key)


def load_queue_cards(session: Session, queue: MyQueue, limit: int, policy: ReminderPolicy) -> list[QueueCard]:
    """Load the reminder card data of the first `limit` customers that still have invoices to chase.

    Each card lists the invoices the policy chases today of all the user's owner rows, so a
    customer appears once.
    With the reminder `policy`, the cards also show held invoices, promises and where Escalate leads.
    """
    cards = []
    for customer in queue.customers:
        if len(cards) == limit:
            break
        if customer.to_chase_count == 0:
            continue
        data = _merged_card_data(session, queue, customer, policy)
        if data.invoices:
            cards.append(QueueCard(customer.customer_id, data))
    return cards


def load_queue_card(session: Session, slack_user_id: str, as_of: date, customer_id: int,
                    policy: ReminderPolicy) -> QueueCard | None:
    """Load one customer's card as `/arrears mine` shows it, or None when the user has no owner row."""
    owner_ids = owner_ids_of_user(session, slack_user_id)
    if not owner_ids:
        return None
    customers = queue_customers(session, as_of, owner_ids, policy, customer_id=customer_id)
    queue = MyQueue(slack_user_id=slack_user_id, as_of=as_of, owner_ids=tuple(owner_ids), customers=tuple(customers))
    # A customer with nothing overdue left for the user keeps an empty card.
    customer = customers[0] if customers else _nothing_overdue(customer_id)
    return QueueCard(customer_id, _merged_card_data(session, queue, customer, policy))


def _nothing_overdue(customer_id: int) -> QueueCustomer:
    return QueueCustomer(customer_id=customer_id, code="", name="", paused_until=None, currencies=(),
                         max_days_past_due=0, paused_count=0, disputed_count=0, snoozed_count=0)


def _merged_card_data(session: Session, queue: MyQueue, customer: QueueCustomer, policy: ReminderPolicy) -> CardData:
    """Load the customer's card over all the user's owner rows, listing the invoices the policy chases today."""
    parts = [
        load_card_data(session, queue.as_of, customer_id=customer.customer_id, owner_id=owner_id,
                       delivery=Delivery.DIRECT, invoice_ids=customer.to_chase_invoice_ids, policy=policy)
        for owner_id in queue.owner_ids
    ]
    invoices = tuple(invoice for part in parts for invoice in part.invoices)
    on_hold = tuple(invoice for part in parts for invoice in part.on_hold)

    # The promises cover the invoices a promise holds back too, which the card does not list.
    covered = [invoice.invoice_id for invoice in (*invoices, *on_hold)] + list(customer.promised_invoice_ids)
    promises = tuple(
        CardPromise(view.amount, view.currency, view.pay_by, view.broken, view.invoice_numbers)
        for view in card_promises(session, queue.as_of, policy, covered)
    )
    return dataclasses.replace(
        parts[0],
        owner_slack_user_id=queue.slack_user_id,
        invoices=invoices,
        on_hold=on_hold,
        promises=promises,
        escalation=escalation_for(policy, [invoice.dunning_level for invoice in invoices]),
    )
