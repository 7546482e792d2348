"""Loading the card of a planned reminder group: its invoices, including pre-due ones, and its tone.

`load_card_data` shows only overdue invoices, which suits a card re-rendered after a
button press. A run's card shows exactly the invoices the engine decided to chase, which
can include invoices not yet due, so the invoices are read here. The rest of the card
(customer, owner, credits, held invoices and promises) comes from `load_card_data`.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from bot.dunning import SendKind
from bot.reminders.card import CardData, CardInvoice, Delivery
from bot.policy import ReminderPolicy
from bot.reminders.card_data import escalation_for, load_card_data
from bot.reminders.selection import ReminderGroup
from bot.services import Services
from bot.store.balances import open_documents


def load_reminder_card(
    services: Services,
    group: ReminderGroup,
    delivery: Delivery,
    as_of: date,
    *,
    card_id: int,
    policy: ReminderPolicy,
) -> CardData:
    """Load the card for `group` in a session of its own, with the open balances as they are now."""
    with services.sessions() as session:
        base = load_card_data(
            session, as_of, customer_id=group.customer_id, owner_id=group.owner_id,
            delivery=delivery, card_id=card_id, invoice_ids=(), policy=policy,
        )
        documents = open_documents(session, as_of, customer_id=group.customer_id, order="oldest")

    planned_ids = set(group.invoice_ids)
    invoices = tuple(
        CardInvoice(
            invoice_id=document.invoice_id,
            number=document.number,
            currency=document.currency,
            open_balance=document.open_balance,
            due_date=document.due_date,
            days_past_due=document.days_past_due,
            dunning_level=_card_level(group, document.invoice_id, document.dunning_level),
        )
        for document in documents
        if document.invoice_id in planned_ids and document.due_date is not None
    )
    return dataclasses.replace(
        base,
        invoices=invoices,
        tone=group.tone.value,
        pre_due=group.kind == SendKind.PRE_DUE,
        # Escalate leads on from the levels the invoices reach with this card.
        escalation=escalation_for(policy, [invoice.dunning_level for invoice in invoices]),
    )


def _card_level(group: ReminderGroup, invoice_id: int, stored_level: int) -> int:
    # The card shows the level each invoice reaches with this reminder, not the one it had before.
    send = group.send_for(invoice_id)
    return send.level if send.kind == SendKind.LEVEL else stored_level
