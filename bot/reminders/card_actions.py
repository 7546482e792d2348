"""What a reminder card's actions change in the store: contacts, promises, snoozes, disputes, escalations.

Each function applies one action in one transaction, together with its activity entries.
The handler builds the action's key from the Slack payload, and every entry's `dedup_key`
starts with it. The unique index on `dedup_key` makes a repeated delivery of the same action
roll back as a whole, so the function returns `duplicate=True` and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import SUPPORTED_LOCALES
from bot.money import from_stored
from bot.policy import DunningLevel, ReminderPolicy
from bot.reminders.card_data import card_documents
from bot.reminders.contact_terms import ContactOutcome
from bot.reminders.group_card import stored_card_plan
from bot.reminders.form_input import ContactRequest, DisputeRequest, SnoozeRequest
from bot.reminders.forms import InvoiceChoice
from bot.reminders.promises import make_promise
from bot.services import Services
from bot.store.db import transaction
from bot.store.models import Activity, Invoice, ReminderCard

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionContext:
    """The user, the card message acted on, and the key that makes the action take effect once."""

    user_id: str
    card_id: int
    channel: str
    message_ts: str
    dedup_key: str


@dataclass(frozen=True)
class AffectedInvoice:
    invoice_id: int
    number: str
    currency: str
    open_balance: Decimal
    from_level: int = 0
    to_level: int = 0


@dataclass(frozen=True)
class ActionResult:
    """The outcome of an action; `duplicate` is True when the same action had already been applied."""

    duplicate: bool
    customer_id: int | None = None
    invoices: tuple[AffectedInvoice, ...] = ()
    # Set when the action marked invoices disputed, so that finance can be notified.
    disputed: tuple[AffectedInvoice, ...] = ()
    dispute_reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class NothingToDo(Exception):
    """Raised when the action has no invoice left to apply to, such as Escalate on the last level."""


def card_choices(session: Session, card: ReminderCard, as_of: date) -> dict[int, InvoiceChoice]:
    """Return the card's overdue open invoices (chased, snoozed or disputed), keyed by id, oldest first."""
    return {
        document.invoice_id: InvoiceChoice(document.invoice_id, document.number, document.currency,
                                           document.open_balance)
        for document in card_documents(session, as_of, card.customer_id, card.owner_id)
    }


def log_contact(services: Services, context: ActionContext, request: ContactRequest) -> ActionResult:
    """Record a contact, with a promise to pay or a dispute when the outcome is one."""
    today = services.today()
    now = services.clock.now()

    def apply(session: Session, card: ReminderCard) -> ActionResult:
        invoices = _affected(session, card, today, request.invoice_ids)
        numbers = [invoice.number for invoice in invoices]
        details: dict[str, Any] = {
            "channel": request.channel.value,
            "outcome": request.outcome.value,
            "contact_date": request.contact_date.isoformat(),
            "note": request.note,
            "invoice_numbers": numbers,
        }
        if request.outcome is ContactOutcome.PROMISED:
            details["promise"] = _promise(session, card, context, request, today, now, numbers)

        session.add(_activity(context, card, now, "contact.logged", context.dedup_key, details))
        disputed: tuple[AffectedInvoice, ...] = ()
        if request.outcome is ContactOutcome.DISPUTE:
            disputed = _mark_disputed(session, card, context, invoices, request.note, now,
                                      operation=f"{context.dedup_key}:dispute")
        return ActionResult(False, card.customer_id, invoices, disputed,
                            request.note if disputed else None, details)

    return _apply_once(services, context, apply)


def snooze(services: Services, context: ActionContext, request: SnoozeRequest) -> ActionResult:
    """Set `snoozed_until` on exactly the chosen invoices; the card's other invoices keep theirs."""
    today = services.today()
    now = services.clock.now()

    def apply(session: Session, card: ReminderCard) -> ActionResult:
        invoices = _affected(session, card, today, request.invoice_ids)
        numbers = [invoice.number for invoice in invoices]
        for invoice in invoices:
            row = session.get_one(Invoice, invoice.invoice_id)
            previous = row.snoozed_until
            row.snoozed_until = request.until
            row.updated_at = now
            session.add(_activity(context, card, now, "invoice.snoozed", _invoice_key(context, invoice), {
                "operation": context.dedup_key,
                "invoice_number": invoice.number,
                "invoice_numbers": numbers,
                "until": request.until.isoformat(),
                "previous_until": previous.isoformat() if previous else None,
            }, invoice_id=invoice.invoice_id))
        return ActionResult(False, card.customer_id, invoices, details={"until": request.until.isoformat()})

    return _apply_once(services, context, apply)


def dispute(services: Services, context: ActionContext, request: DisputeRequest) -> ActionResult:
    """Mark the chosen invoices disputed with the reason; chasing stops, reports still include them."""
    today = services.today()
    now = services.clock.now()

    def apply(session: Session, card: ReminderCard) -> ActionResult:
        invoices = _affected(session, card, today, request.invoice_ids)
        disputed = _mark_disputed(session, card, context, invoices, request.reason, now, operation=context.dedup_key)
        return ActionResult(False, card.customer_id, invoices, disputed, request.reason)

    return _apply_once(services, context, apply)


def resolve_disputes(services: Services, context: ActionContext) -> ActionResult:
    """Clear the dispute on every disputed invoice of the card, so chasing resumes."""
    today = services.today()
    now = services.clock.now()

    def apply(session: Session, card: ReminderCard) -> ActionResult:
        documents = [document for document in card_documents(session, today, card.customer_id, card.owner_id)
                     if document.disputed]
        if not documents:
            raise NothingToDo("no disputed invoice on the card")
        numbers = [document.number for document in documents]
        invoices = []
        for document in documents:
            row = session.get_one(Invoice, document.invoice_id)
            reason = row.dispute_reason
            row.disputed = False
            row.dispute_reason = None
            row.updated_at = now
            invoice = AffectedInvoice(document.invoice_id, document.number, document.currency, document.open_balance)
            invoices.append(invoice)
            session.add(_activity(context, card, now, "invoice.dispute_resolved", _invoice_key(context, invoice), {
                "operation": context.dedup_key,
                "invoice_number": document.number,
                "invoice_numbers": numbers,
                "reason": reason,
            }, invoice_id=document.invoice_id))
        return ActionResult(False, card.customer_id, tuple(invoices))

    return _apply_once(services, context, apply)


def escalate(services: Services, context: ActionContext, policy: ReminderPolicy, target: int) -> ActionResult:
    """Move the card's chased invoices up to dunning level `target`, one step above the card's highest level.

    `target` is the level the person confirmed in the dialog, so a card escalated meanwhile
    by someone else is not moved two levels. Invoices already at `target` or above stay.
    """
    today = services.today()
    now = services.clock.now()
    level = policy.level(target)

    def apply(session: Session, card: ReminderCard) -> ActionResult:
        # A sent card escalates only the invoices it listed. A card without a stored plan, such as an
        # on-request queue card or one sent before plans were stored, covers all of the owner's invoices.
        plan = stored_card_plan(card)
        listed = set(plan.invoice_ids) if plan is not None else None
        documents = [
            document for document in card_documents(session, today, card.customer_id, card.owner_id)
            if not document.disputed and not (document.snoozed_until and document.snoozed_until > today)
            and document.dunning_level < target
            and (listed is None or document.invoice_id in listed)
        ]
        if not documents:
            raise NothingToDo(f"no invoice of the card is below level {target}")
        numbers = [document.number for document in documents]
        invoices = []
        for document in documents:
            row = session.get_one(Invoice, document.invoice_id)
            from_level = row.dunning_level
            row.dunning_level = target
            row.updated_at = now
            invoice = AffectedInvoice(document.invoice_id, document.number, document.currency,
                                      document.open_balance, from_level, target)
            invoices.append(invoice)
            session.add(_activity(context, card, now, "invoice.escalated", _invoice_key(context, invoice), {
                "operation": context.dedup_key,
                "invoice_number": document.number,
                "invoice_numbers": numbers,
                "from_level": from_level,
                "to_level": target,
                "to_level_key": level.key,
                "to_level_names": _level_names(level),
            }, invoice_id=document.invoice_id))
        return ActionResult(False, card.customer_id, tuple(invoices), details={"to_level": target})

    return _apply_once(services, context, apply)


def _apply_once(services: Services, context: ActionContext, apply) -> ActionResult:
    try:
        with transaction(services.sessions) as session:
            if _already_applied(session, context.dedup_key):
                return _duplicate(context)
            card = session.get_one(ReminderCard, context.card_id)
            result = apply(session, card)
    except IntegrityError:
        # A concurrent delivery of the same action committed first, and this one rolled back.
        return _duplicate(context)
    logger.info("reminder card %s: %s applied %s to invoices %s", context.card_id, context.user_id,
                context.dedup_key, [invoice.number for invoice in result.invoices])
    return result


def _already_applied(session: Session, dedup_key: str) -> bool:
    # Actions on several invoices key each entry as "<action key>:<invoice id>".
    matches = or_(Activity.dedup_key == dedup_key, Activity.dedup_key.startswith(dedup_key + ":", autoescape=True))
    return session.scalar(select(Activity.id).where(matches).limit(1)) is not None


def _duplicate(context: ActionContext) -> ActionResult:
    logger.info("reminder card %s: %s by %s was already applied; ignoring the repeat delivery",
                context.card_id, context.dedup_key, context.user_id)
    return ActionResult(duplicate=True)


def _affected(session: Session, card: ReminderCard, today: date, invoice_ids: Iterable[int]) -> tuple[AffectedInvoice, ...]:
    choices = card_choices(session, card, today)
    missing = [invoice_id for invoice_id in invoice_ids if invoice_id not in choices]
    if missing:
        raise NothingToDo(f"invoices {missing} are no longer open on reminder card {card.id}")
    return tuple(
        AffectedInvoice(choice.invoice_id, choice.number, choice.currency, choice.open_balance)
        for choice in (choices[invoice_id] for invoice_id in invoice_ids)
    )


def _promise(session: Session, card: ReminderCard, context: ActionContext, request: ContactRequest,
             today: date, now: datetime, numbers: list[str]) -> dict[str, Any]:
    assert request.promise_amount is not None and request.promise_date is not None
    assert request.promise_currency is not None
    promise, superseded = make_promise(
        session, customer_id=card.customer_id, made_by=context.user_id, invoice_ids=request.invoice_ids,
        currency=request.promise_currency, amount=request.promise_amount, pay_by=request.promise_date,
        as_of=today, now=now,
    )
    details = {
        "promise_id": promise.id,
        "amount": str(request.promise_amount),
        "currency": request.promise_currency,
        "pay_by": request.promise_date.isoformat(),
        "balance_when_made": str(from_stored(promise.balance_when_made_units)),
        "superseded": [old.id for old in superseded],
    }
    session.add(_activity(context, card, now, "promise.made", f"{context.dedup_key}:promise",
                          {**details, "invoice_numbers": numbers, "operation": context.dedup_key}))
    return details


def _mark_disputed(session: Session, card: ReminderCard, context: ActionContext,
                   invoices: tuple[AffectedInvoice, ...], reason: str, now: datetime,
                   *, operation: str) -> tuple[AffectedInvoice, ...]:
    numbers = [invoice.number for invoice in invoices]
    for invoice in invoices:
        row = session.get_one(Invoice, invoice.invoice_id)
        row.disputed = True
        row.dispute_reason = reason
        row.updated_at = now
        session.add(_activity(context, card, now, "invoice.disputed", f"{operation}:{invoice.invoice_id}", {
            "operation": operation,
            "invoice_number": invoice.number,
            "invoice_numbers": numbers,
            "reason": reason,
        }, invoice_id=invoice.invoice_id))
    return invoices


def _activity(context: ActionContext, card: ReminderCard, now: datetime, action: str, dedup_key: str,
              details: dict[str, Any], *, invoice_id: int | None = None) -> Activity:
    return Activity(
        occurred_at=now,
        actor=context.user_id,
        action=action,
        customer_id=card.customer_id,
        invoice_id=invoice_id,
        owner_id=card.owner_id,
        channel=context.channel,
        message_ts=context.message_ts,
        dedup_key=dedup_key,
        details={"card_id": card.id, **details},
    )


def _invoice_key(context: ActionContext, invoice: AffectedInvoice) -> str:
    return f"{context.dedup_key}:{invoice.invoice_id}"


def _level_names(level: DunningLevel) -> dict[str, str]:
    return {locale: level.display_name(locale) for locale in SUPPORTED_LOCALES}

