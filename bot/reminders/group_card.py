"""Loading a reminder card from its plan: the invoices it was sent about, including pre-due ones, and its tone.

`load_card_data` shows only overdue invoices, which suits a card without a plan. A run's
card shows exactly the invoices the engine decided to chase, which can include invoices
not yet due, so the invoices are read here. When the card is marked sent, its plan is
stored on the ReminderCard row (`store_card_plan`). A redraw after a button press reads
it back (`load_sent_card`), so the redrawn card keeps the invoices and the tone of the
card that was sent. The rest of the card (customer, owner, credits, held
invoices, promises and recent actions) comes from `load_card_data`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dunning import SendKind
from bot.policy import ReminderPolicy, Tone
from bot.reminders.card import CardData, CardInvoice, CardPromise, Delivery, HeldInvoice, LastAction
from bot.reminders.card_data import escalation_for, load_card_data
from bot.reminders.promises import card_promises
from bot.reminders.selection import ReminderGroup
from bot.services import Services
from bot.store.balances import OpenDocument, open_documents
from bot.store.models import DocumentKind, Invoice, ReminderCard


@dataclass(frozen=True)
class CardPlan:
    """The content a card is sent with: its invoices, the kind and level of its strongest decision, and its tone."""

    invoice_ids: tuple[int, ...]
    kind: SendKind
    level: int
    tone: Tone


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
    plan = CardPlan(group.invoice_ids, group.kind, group.level, group.tone)
    with services.sessions() as session:
        return _load_planned_card(
            session, as_of, plan, customer_id=group.customer_id, owner_id=group.owner_id, delivery=delivery,
            card_id=card_id, policy=policy, level_of=lambda document: _card_level(group, document),
        )


def store_card_plan(session: Session, card_id: int, group: ReminderGroup, data: CardData) -> None:
    """Store on the card row the invoices the sent card lists and its decision, for later redraws."""
    card = session.get_one(ReminderCard, card_id)
    card.invoice_ids = [invoice.invoice_id for invoice in data.invoices]
    card.kind = group.kind.value
    card.level = group.level
    card.tone = group.tone.value


def stored_card_plan(card: ReminderCard) -> CardPlan | None:
    """Return the plan stored when the card was sent, or None for a card sent before plans were stored."""
    if card.invoice_ids is None or card.kind is None or card.tone is None:
        return None
    return CardPlan(tuple(int(invoice_id) for invoice_id in card.invoice_ids), SendKind(card.kind),
                    card.level or 0, Tone(card.tone))


def load_sent_card(
    session: Session,
    card: ReminderCard,
    plan: CardPlan,
    as_of: date,
    *,
    delivery: Delivery,
    policy: ReminderPolicy,
    last_action: LastAction | None = None,
    message: tuple[str, str] | None = None,
    zone: ZoneInfo | None = None,
) -> CardData:
    """Load a sent card again from its stored plan, with the balances, snoozes and disputes as they are now.

    An invoice paid since the card was sent leaves it, and one snoozed or disputed moves to
    the held list. Each invoice shows the dunning level it has now.
    NOTE: a customer paused since the card was sent still shows its invoices, because the
    card has no line that states the customer's reminders are paused.
    """
    return _load_planned_card(
        session, as_of, plan, customer_id=card.customer_id, owner_id=card.owner_id, delivery=delivery,
        card_id=card.id, policy=policy, level_of=lambda document: document.dunning_level,
        last_action=last_action, message=message, zone=zone,
    )


def _load_planned_card(
    session: Session,
    as_of: date,
    plan: CardPlan,
    *,
    customer_id: int,
    owner_id: int | None,
    delivery: Delivery,
    card_id: int,
    policy: ReminderPolicy,
    level_of: Callable[[OpenDocument], int],
    last_action: LastAction | None = None,
    message: tuple[str, str] | None = None,
    zone: ZoneInfo | None = None,
) -> CardData:
    base = load_card_data(
        session, as_of, customer_id=customer_id, owner_id=owner_id, delivery=delivery, card_id=card_id,
        invoice_ids=(), last_action=last_action, policy=policy, message=message, zone=zone,
    )
    documents = _planned_documents(session, as_of, customer_id, owner_id, plan.invoice_ids)
    chased = [document for document in documents if not _is_held(document, as_of)]
    invoices = tuple(_card_invoice(document, level_of(document)) for document in chased)

    # The held list of `load_card_data` has overdue invoices only. A planned pre-due invoice
    # snoozed or disputed since is added to it, so that it stays on the card.
    listed = {held.invoice_id for held in base.on_hold}
    newly_held = [document for document in documents if _is_held(document, as_of) and document.invoice_id not in listed]
    on_hold = base.on_hold + tuple(_held_invoice(session, document, as_of) for document in newly_held)

    covered = [invoice.invoice_id for invoice in invoices] + [held.invoice_id for held in on_hold]
    promises = tuple(
        CardPromise(view.amount, view.currency, view.pay_by, view.broken, view.invoice_numbers)
        for view in card_promises(session, as_of, policy, covered)
    )
    return dataclasses.replace(
        base,
        invoices=invoices,
        on_hold=on_hold,
        promises=promises,
        tone=plan.tone.value,
        pre_due=plan.kind == SendKind.PRE_DUE,
        # Escalate leads on from the levels the invoices reach with this card.
        escalation=escalation_for(policy, [invoice.dunning_level for invoice in invoices]),
    )


def _planned_documents(
    session: Session, as_of: date, customer_id: int, owner_id: int | None, invoice_ids: Collection[int]
) -> list[OpenDocument]:
    # An invoice given to another owner since the plan leaves this owner's card.
    planned = set(invoice_ids)
    return [
        document
        for document in open_documents(session, as_of, customer_id=customer_id, order="oldest")
        if document.invoice_id in planned
        and document.kind == DocumentKind.INVOICE
        and document.owner_id == owner_id
        and document.due_date is not None
    ]


def _is_held(document: OpenDocument, as_of: date) -> bool:
    return document.disputed or _snoozed_until(document, as_of) is not None


def _snoozed_until(document: OpenDocument, as_of: date) -> date | None:
    # A snooze lasts up to and including the day before its date.
    snoozed_until = document.snoozed_until
    return snoozed_until if snoozed_until is not None and snoozed_until > as_of else None


def _card_invoice(document: OpenDocument, level: int) -> CardInvoice:
    assert document.due_date is not None
    return CardInvoice(
        invoice_id=document.invoice_id,
        number=document.number,
        currency=document.currency,
        open_balance=document.open_balance,
        due_date=document.due_date,
        days_past_due=document.days_past_due,
        dunning_level=level,
    )


def _held_invoice(session: Session, document: OpenDocument, as_of: date) -> HeldInvoice:
    reason = session.scalar(select(Invoice.dispute_reason).where(Invoice.id == document.invoice_id))
    return HeldInvoice(
        invoice_id=document.invoice_id,
        number=document.number,
        currency=document.currency,
        open_balance=document.open_balance,
        snoozed_until=_snoozed_until(document, as_of),
        disputed=document.disputed,
        dispute_reason=reason if document.disputed else None,
    )


def _card_level(group: ReminderGroup, document: OpenDocument) -> int:
    # The card shows the level each invoice reaches with this reminder, not the one it had before.
    send = group.send_for(document.invoice_id)
    return send.level if send.kind == SendKind.LEVEL else document.dunning_level
