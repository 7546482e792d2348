"""Loading what a reminder card shows from the store, as of a given day."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.money import from_stored
from bot.reminders.buttons import PRESSED_ACTIONS, button_for_action_activity
from bot.reminders.card import CardData, CardInvoice, CurrencyCredits, Delivery, LastAction
from bot.reminders.selection import ReminderGroup, skip_reason
from bot.services import Services
from bot.store.balance_sql import document_balances, unapplied_payments
from bot.store.balances import open_documents
from bot.store.models import Activity, Customer, DocumentKind, Owner, ReminderCard


def load_card_data(
    session: Session,
    as_of: date,
    *,
    customer_id: int,
    owner_id: int | None,
    delivery: Delivery,
    card_id: int = 0,
    invoice_ids: Collection[int] | None = None,
    last_action: LastAction | None = None,
) -> CardData:
    """Read the customer's invoices still to chase on `as_of` for this owner, and its credits.

    The invoices are those the selection rule still picks for (owner, customer) with the
    balances as they are now, so an invoice paid, snoozed or disputed since the selection is
    gone. `invoice_ids` narrows them further to the invoices a run selected.
    """
    customer = session.get_one(Customer, customer_id)
    owner = session.get(Owner, owner_id) if owner_id is not None else None

    return CardData(
        card_id=card_id,
        as_of=as_of,
        customer_code=customer.code,
        customer_name=customer.name,
        owner_name=owner.display_name if owner else None,
        owner_slack_user_id=owner.slack_user_id if owner and delivery is Delivery.DIRECT else None,
        delivery=delivery,
        invoices=tuple(_invoices_to_chase(session, as_of, customer, owner_id, invoice_ids)),
        credits=tuple(_customer_credits(session, as_of, customer_id)),
        last_action=last_action,
    )


def load_group_card(services: Services, group: ReminderGroup, delivery: Delivery, as_of: date, *, card_id: int) -> CardData:
    """Load the card of a selected group in a session of its own, narrowed to the group's invoices."""
    with services.sessions() as session:
        return load_card_data(
            session, as_of, customer_id=group.customer_id, owner_id=group.owner_id,
            delivery=delivery, card_id=card_id, invoice_ids=group.invoice_ids,
        )


def load_last_action(session: Session, channel: str | None, message_ts: str | None, zone: ZoneInfo) -> LastAction | None:
    """Return the latest button press recorded on the message, with its time in `zone`."""
    if channel is None or message_ts is None:
        return None
    activity = session.scalars(
        select(Activity)
        .where(Activity.channel == channel)
        .where(Activity.message_ts == message_ts)
        .where(Activity.action.in_(PRESSED_ACTIONS))
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(1)
    ).first()
    if activity is None:
        return None

    occurred_at = activity.occurred_at
    if occurred_at.tzinfo is None:
        # SQLite returns naive datetimes; the store writes them in UTC.
        occurred_at = occurred_at.replace(tzinfo=timezone.utc)
    button = button_for_action_activity(activity.action)
    assert button is not None, f"activity {activity.id} action {activity.action!r} is not a button press"
    return LastAction(user_id=activity.actor, button=button, at=occurred_at.astimezone(zone))


def delivery_for(card: ReminderCard) -> Delivery:
    """Return where a claimed card goes, from its recipient key and owner."""
    if card.recipient_key.startswith("owner:"):
        return Delivery.DIRECT
    return Delivery.NO_SLACK_USER if card.owner_id is not None else Delivery.NO_OWNER


def _invoices_to_chase(
    session: Session,
    as_of: date,
    customer: Customer,
    owner_id: int | None,
    invoice_ids: Collection[int] | None,
) -> list[CardInvoice]:
    documents = open_documents(session, as_of, customer_id=customer.id, overdue_only=True, order="oldest")
    invoices = []
    for document in documents:
        if document.kind != DocumentKind.INVOICE or document.owner_id != owner_id:
            continue
        if invoice_ids is not None and document.invoice_id not in invoice_ids:
            continue
        reason = skip_reason(
            open_balance=document.open_balance,
            due_date=document.due_date,
            disputed=document.disputed,
            snoozed_until=document.snoozed_until,
            paused_until=customer.paused_until,
            as_of=as_of,
        )
        if reason is not None:
            continue
        invoices.append(CardInvoice(
            invoice_id=document.invoice_id,
            number=document.number,
            currency=document.currency,
            open_balance=document.open_balance,
            due_date=document.due_date,
            days_past_due=document.days_past_due,
            dunning_level=document.dunning_level,
        ))
    return invoices


def _customer_credits(session: Session, as_of: date, customer_id: int) -> list[CurrencyCredits]:
    docs = document_balances(as_of, customer_id=customer_id)
    credit_note_rows = session.execute(
        select(docs.c.currency, func.sum(docs.c.open_units).label("units"))
        .where(docs.c.open_units < 0)
        .group_by(docs.c.currency)
    ).all()
    payments = unapplied_payments(as_of, customer_id=customer_id)
    payment_rows = session.execute(select(payments.c.currency, payments.c.units)).all()

    credit_notes = {row.currency: -int(row.units) for row in credit_note_rows}
    unapplied = {row.currency: int(row.units or 0) for row in payment_rows}
    return [
        CurrencyCredits(
            currency=currency,
            credit_notes=from_stored(credit_notes.get(currency, 0)),
            unapplied_payments=from_stored(unapplied.get(currency, 0)),
        )
        for currency in sorted(set(credit_notes) | set(unapplied))
    ]
