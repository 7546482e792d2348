"""Reading and checking what someone submitted in a reminder card's form.

Each reader returns a typed request or raises FormErrors, which maps block ids to
translated messages for Slack's `response_action: errors`. `invoices` is the card's open
invoices at submission time, keyed by id, so an invoice paid since the form opened is
reported instead of acted on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.i18n import Translator
from bot.money import AMOUNT_SCALE
from bot.reminders.contact_terms import ContactChannel, ContactOutcome
from bot.reminders.forms import SNOOZE_UNTIL_DATE, Field, InvoiceChoice, action_id

# Separators people type in amounts: thousands commas, spaces and the full-width comma.
_AMOUNT_SEPARATORS = re.compile(r"[,\s\u00a0\uff0c]")


class FormErrors(Exception):
    """Raised with the messages to show next to the form fields, keyed by block id."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ContactRequest:
    channel: ContactChannel
    outcome: ContactOutcome
    contact_date: date
    invoice_ids: tuple[int, ...]
    note: str
    # Set only when the outcome is PROMISED.
    promise_date: date | None = None
    promise_amount: Decimal | None = None
    promise_currency: str | None = None


@dataclass(frozen=True)
class SnoozeRequest:
    # The first local day on which the invoices are chased again.
    until: date
    invoice_ids: tuple[int, ...]


@dataclass(frozen=True)
class DisputeRequest:
    reason: str
    invoice_ids: tuple[int, ...]


def read_contact(values: dict[str, Any], today: date, invoices: Mapping[int, InvoiceChoice],
                 tr: Translator) -> ContactRequest:
    errors: dict[str, str] = {}
    channel = _choice(values, Field.CHANNEL, ContactChannel)
    outcome = _choice(values, Field.OUTCOME, ContactOutcome)
    if channel is None:
        errors[Field.CHANNEL] = tr.gettext("Choose how you reached the customer.")
    if outcome is None:
        errors[Field.OUTCOME] = tr.gettext("Choose the outcome of the contact.")

    contact_date = _date(values, Field.CONTACT_DATE)
    if contact_date is None:
        errors[Field.CONTACT_DATE] = tr.gettext("Choose the date of the contact.")
    elif contact_date > today:
        errors[Field.CONTACT_DATE] = tr.gettext("The contact date cannot be in the future.")

    invoice_ids = _invoices(values, invoices, errors, tr)
    note = (_text(values, Field.NOTE) or "").strip()
    if outcome is ContactOutcome.DISPUTE and not note:
        errors[Field.NOTE] = tr.gettext("Describe what the customer disputes; it becomes the dispute reason.")

    promise: dict[str, Any] = {}
    if outcome is ContactOutcome.PROMISED:
        promise = _promise(values, today, invoice_ids, invoices, errors, tr)

    if errors:
        raise FormErrors(errors)
    assert channel is not None
    assert outcome is not None
    assert contact_date is not None
    return ContactRequest(channel, outcome, contact_date, invoice_ids, note, **promise)


def read_snooze(values: dict[str, Any], today: date, invoices: Mapping[int, InvoiceChoice],
                tr: Translator) -> SnoozeRequest:
    errors: dict[str, str] = {}
    choice = _selected_value(values, Field.SNOOZE_FOR)
    until: date | None = None
    if choice == SNOOZE_UNTIL_DATE:
        until = _date(values, Field.SNOOZE_UNTIL)
        if until is None:
            errors[Field.SNOOZE_UNTIL] = tr.gettext("Choose the date on which chasing resumes.")
        elif until <= today:
            errors[Field.SNOOZE_UNTIL] = tr.gettext("Choose a date after today.")
    elif choice is not None and choice.isdigit() and 0 < int(choice) <= 366:
        until = today + timedelta(days=int(choice))
    else:
        errors[Field.SNOOZE_FOR] = tr.gettext("Choose how long to snooze.")

    invoice_ids = _invoices(values, invoices, errors, tr)
    if errors:
        raise FormErrors(errors)
    assert until is not None
    return SnoozeRequest(until, invoice_ids)


def read_dispute(values: dict[str, Any], invoices: Mapping[int, InvoiceChoice], tr: Translator) -> DisputeRequest:
    errors: dict[str, str] = {}
    reason = (_text(values, Field.REASON) or "").strip()
    if not reason:
        errors[Field.REASON] = tr.gettext("Describe what the customer disputes.")
    invoice_ids = _invoices(values, invoices, errors, tr)
    if errors:
        raise FormErrors(errors)
    return DisputeRequest(reason, invoice_ids)


def _promise(values: dict[str, Any], today: date, invoice_ids: tuple[int, ...],
             invoices: Mapping[int, InvoiceChoice], errors: dict[str, str], tr: Translator) -> dict[str, Any]:
    pay_by = _date(values, Field.PROMISE_DATE)
    if pay_by is None:
        errors[Field.PROMISE_DATE] = tr.gettext("Enter the date the customer promised to pay by.")
    elif pay_by < today:
        errors[Field.PROMISE_DATE] = tr.gettext("The promised date cannot be in the past.")

    amount = _amount(_text(values, Field.PROMISE_AMOUNT))
    if amount is None:
        errors[Field.PROMISE_AMOUNT] = tr.gettext("Enter the promised amount as a number, such as 12000.00.")
    elif amount <= 0:
        errors[Field.PROMISE_AMOUNT] = tr.gettext("The promised amount must be more than zero.")

    selected = [invoices[invoice_id] for invoice_id in invoice_ids]
    currencies = sorted({invoice.currency for invoice in selected})
    if len(currencies) > 1:
        errors[Field.INVOICES] = tr.gettext(
            "A promise covers invoices in one currency; these are in %(currencies)s. Choose invoices in one currency."
        ) % {"currencies": ", ".join(currencies)}
        return {}
    if not currencies:
        return {}

    currency = currencies[0]
    open_total = sum((invoice.open_balance for invoice in selected), Decimal(0))
    if amount is not None and amount > open_total and Field.PROMISE_AMOUNT not in errors:
        errors[Field.PROMISE_AMOUNT] = tr.gettext(
            "The promised amount is more than the %(total)s still open on the chosen invoices."
        ) % {"total": tr.money(open_total, currency)}
    return {"promise_date": pay_by, "promise_amount": amount, "promise_currency": currency}


def _invoices(values: dict[str, Any], invoices: Mapping[int, InvoiceChoice], errors: dict[str, str],
              tr: Translator) -> tuple[int, ...]:
    element = values.get(Field.INVOICES, {}).get(action_id(Field.INVOICES), {})
    chosen: list[int] = []
    for option in element.get("selected_options") or []:
        try:
            chosen.append(int(option["value"]))
        except (KeyError, TypeError, ValueError):
            continue
    if not chosen:
        errors[Field.INVOICES] = tr.gettext("Choose at least one invoice.")
        return ()
    gone = [invoice_id for invoice_id in chosen if invoice_id not in invoices]
    if gone:
        errors[Field.INVOICES] = tr.ngettext(
            "%(count)s of the chosen invoices is no longer open; close this form and open it again from the card.",
            "%(count)s of the chosen invoices are no longer open; close this form and open it again from the card.",
            len(gone),
        ) % {"count": tr.number(len(gone))}
        return ()
    return tuple(sorted(set(chosen)))


def _element(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return values.get(block_id, {}).get(action_id(block_id)) or {}


def _selected_value(values: dict[str, Any], block_id: str) -> str | None:
    option = _element(values, block_id).get("selected_option") or {}
    return option.get("value")


def _choice(values: dict[str, Any], block_id: str, kind):
    value = _selected_value(values, block_id)
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def _date(values: dict[str, Any], block_id: str) -> date | None:
    text = _element(values, block_id).get("selected_date")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _text(values: dict[str, Any], block_id: str) -> str | None:
    return _element(values, block_id).get("value")


def _amount(text: str | None) -> Decimal | None:
    if not text:
        return None
    cleaned = _AMOUNT_SEPARATORS.sub("", text)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -AMOUNT_SCALE:  # type: ignore[operator]
        return None
    return amount
