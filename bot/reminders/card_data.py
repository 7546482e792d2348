"""Loading what a reminder card shows from the store, as of a given day."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.money import from_stored
from bot.policy import ReminderPolicy, load_policy
from bot.reminders.buttons import PRESSED_ACTIONS, button_for_action_activity
from bot.reminders.card import (
    CardData,
    CardInvoice,
    CardPromise,
    CurrencyCredits,
    Delivery,
    Escalation,
    HeldInvoice,
    LastAction,
)
from bot.reminders.card_events import CARD_EVENT_ACTIONS, CardEvent
from bot.reminders.promises import card_promises
from bot.reminders.selection import ReminderGroup, skip_reason
from bot.services import Services
from bot.store.balance_sql import document_balances, unapplied_payments
from bot.store.balances import OpenDocument, open_documents
from bot.store.models import Activity, Customer, DocumentKind, Invoice, Owner, ReminderCard

# Activities read to find the latest few distinct actions on a card; one action on many
# invoices writes one activity per invoice.
_EVENT_ROWS_READ = 60


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
    policy: ReminderPolicy | None = None,
    message: tuple[str, str] | None = None,
    zone: ZoneInfo | None = None,
) -> CardData:
    """Read the customer's invoices still to chase on `as_of` for this owner, and its credits.

    The invoices are those the selection rule still picks for (owner, customer) with the
    balances as they are now, so an invoice paid, snoozed or disputed since the selection is
    gone. `invoice_ids` narrows them further to the invoices a run selected.

    With `policy`, the card also lists the snoozed and disputed invoices, the open and
    broken promises, and the level Escalate leads to. With `message` (channel, ts) and
    `zone`, it shows the latest actions taken on that message.
    """
    customer = session.get_one(Customer, customer_id)
    owner = session.get(Owner, owner_id) if owner_id is not None else None
    invoices = tuple(_invoices_to_chase(session, as_of, customer, owner_id, invoice_ids))

    extras: dict = {}
    if policy is not None:
        held = tuple(_held_invoices(session, as_of, customer_id, owner_id))
        extras["on_hold"] = held
        covered = [invoice.invoice_id for invoice in invoices] + [invoice.invoice_id for invoice in held]
        extras["promises"] = tuple(
            CardPromise(view.amount, view.currency, view.pay_by, view.broken, view.invoice_numbers)
            for view in card_promises(session, as_of, policy, covered)
        )
        extras["escalation"] = escalation_for(policy, [invoice.dunning_level for invoice in invoices])
    if message is not None and zone is not None:
        extras["events"] = tuple(load_card_events(session, message[0], message[1], zone))

    return CardData(
        card_id=card_id,
        as_of=as_of,
        customer_code=customer.code,
        customer_name=customer.name,
        owner_name=owner.display_name if owner else None,
        owner_slack_user_id=owner.slack_user_id if owner and delivery is Delivery.DIRECT else None,
        delivery=delivery,
        invoices=invoices,
        credits=tuple(_customer_credits(session, as_of, customer_id)),
        last_action=last_action,
        **extras,
    )


def escalation_for(policy: ReminderPolicy, levels: Collection[int]) -> Escalation:
    """Return where Escalate leads from the highest dunning level among `levels`."""
    count = len(policy.levels)
    current = min(max(levels, default=0), count)
    next_level = policy.level(current + 1) if current < count else None
    return Escalation(current_level=current, next_level=next_level, last_level=policy.levels[-1])


def card_documents(session: Session, as_of: date, customer_id: int, owner_id: int | None) -> list[OpenDocument]:
    """List the customer's overdue invoices with an open balance that belong to this owner, oldest first.

    These are the invoices a card's forms offer: the ones chased today and the ones
    snoozed or disputed. Credit notes are left out.
    """
    documents = open_documents(session, as_of, customer_id=customer_id, overdue_only=True, order="oldest")
    return [
        document for document in documents
        if document.kind == DocumentKind.INVOICE and document.owner_id == owner_id
    ]


def card_policy(services: Services) -> ReminderPolicy:
    """Load the reminder policy that cards use for levels and promise grace (ARREARS_POLICY_FILE or the default)."""
    return load_policy(services.settings.policy_file)


def load_card_events(session: Session, channel: str, message_ts: str, zone: ZoneInfo) -> list[CardEvent]:
    """Return the latest distinct actions recorded on the message, newest first, one per operation."""
    rows = session.scalars(
        select(Activity)
        .where(Activity.channel == channel)
        .where(Activity.message_ts == message_ts)
        .where(Activity.action.in_(CARD_EVENT_ACTIONS))
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(_EVENT_ROWS_READ)
    ).all()

    events: list[CardEvent] = []
    seen: set[str] = set()
    for activity in rows:
        details = activity.details or {}
        # Per-invoice activities of one action share an operation key.
        operation = str(details.get("operation") or activity.dedup_key or activity.id)
        if operation in seen:
            continue
        seen.add(operation)
        events.append(CardEvent(activity.actor, activity.action, _local(activity.occurred_at, zone), details))
    return events


def _local(moment, zone: ZoneInfo):
    if moment.tzinfo is None:
        # SQLite returns naive datetimes; the store writes them in UTC.
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone)


def _held_invoices(session: Session, as_of: date, customer_id: int, owner_id: int | None) -> list[HeldInvoice]:
    held = []
    for document in card_documents(session, as_of, customer_id, owner_id):
        snoozed = document.snoozed_until is not None and document.snoozed_until > as_of
        if not (document.disputed or snoozed):
            continue
        reason = session.scalar(select(Invoice.dispute_reason).where(Invoice.id == document.invoice_id))
        held.append(HeldInvoice(
            invoice_id=document.invoice_id,
            number=document.number,
            currency=document.currency,
            open_balance=document.open_balance,
            snoozed_until=document.snoozed_until if snoozed else None,
            disputed=document.disputed,
            dispute_reason=reason if document.disputed else None,
        ))
    return held


def load_group_card(services: Services, group: ReminderGroup, delivery: Delivery, as_of: date, *, card_id: int) -> CardData:
    """Load the card of a selected group in a session of its own, narrowed to the group's invoices."""
    policy = card_policy(services)
    with services.sessions() as session:
        return load_card_data(
            session, as_of, customer_id=group.customer_id, owner_id=group.owner_id,
            delivery=delivery, card_id=card_id, invoice_ids=group.invoice_ids, policy=policy,
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
