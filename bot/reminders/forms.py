"""The modals behind a reminder card's buttons: Log contact, Snooze and Dispute.

Pure functions from the card's invoices and a translator to Slack view payloads. Each view
carries its card (id, channel and message ts) in `private_metadata`, so the submission can
act on the card and redraw it. Limits from Slack's view reference: title 24 characters,
100 blocks, private_metadata 3,000 characters, 100 options per select, 75 characters per
option text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.i18n import N_, Translator
from bot.reminders.contact_terms import CHANNEL_LABELS, OUTCOME_LABELS

LOG_CONTACT_FORM = "reminder_log_contact_form"
SNOOZE_FORM = "reminder_snooze_form"
DISPUTE_FORM = "reminder_dispute_form"
# A view without a submit button, shown while the real form loads or to explain why it cannot.
NOTICE_VIEW = "reminder_form_notice"

MAX_VIEW_TITLE = 24
MAX_VIEW_BUTTON = 24
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_NOTE = 3000
MAX_REASON = 1000
MAX_AMOUNT_TEXT = 30


class Field:
    """Block ids of the form inputs; each input's action id is its block id plus `_input`."""

    CHANNEL = "contact_channel"
    OUTCOME = "contact_outcome"
    CONTACT_DATE = "contact_date"
    PROMISE_DATE = "promise_date"
    PROMISE_AMOUNT = "promise_amount"
    INVOICES = "invoices"
    NOTE = "note"
    SNOOZE_FOR = "snooze_for"
    SNOOZE_UNTIL = "snooze_until"
    REASON = "dispute_reason"


def action_id(block_id: str) -> str:
    return f"{block_id}_input"


# Snooze choices: the number of days, or "date" for the date picker.
SNOOZE_CHOICES = (
    ("1", N_("1 day")),
    ("3", N_("3 days")),
    ("7", N_("1 week")),
    ("14", N_("2 weeks")),
    ("date", N_("Until a date")),
)
SNOOZE_UNTIL_DATE = "date"


@dataclass(frozen=True)
class FormCard:
    """The card a form acts on, as stored in the view's private_metadata."""

    card_id: int
    channel: str
    message_ts: str

    def to_metadata(self) -> str:
        return json.dumps({"card": self.card_id, "channel": self.channel, "ts": self.message_ts})

    @classmethod
    def from_metadata(cls, text: str) -> FormCard:
        """Read the card back; raise ValueError when the metadata is not what `to_metadata` wrote."""
        try:
            data = json.loads(text)
            return cls(int(data["card"]), str(data["channel"]), str(data["ts"]))
        except (TypeError, KeyError, json.JSONDecodeError) as error:
            raise ValueError(f"invalid reminder form metadata {text[:100]!r}") from error


@dataclass(frozen=True)
class InvoiceChoice:
    invoice_id: int
    number: str
    currency: str
    open_balance: Decimal


def notice_view(title: str, text: str, tr: Translator, card: FormCard | None = None) -> dict[str, Any]:
    """Return a view with one message and a Close button, such as "Loading…" or "Not allowed"."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": NOTICE_VIEW,
        "title": _plain(title, MAX_VIEW_TITLE),
        "close": _plain(tr.gettext("Close"), MAX_VIEW_BUTTON),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}],
    }
    if card is not None:
        view["private_metadata"] = card.to_metadata()
    return view


def log_contact_view(card: FormCard, invoices: list[InvoiceChoice], today: date, tr: Translator) -> dict[str, Any]:
    blocks = [
        _input(Field.CHANNEL, tr.gettext("How did you reach the customer?"), _static_select(
            [(value, tr.gettext(label)) for value, label in CHANNEL_LABELS.items()], initial="phone")),
        _input(Field.OUTCOME, tr.gettext("Outcome"), _static_select(
            [(value, tr.gettext(label)) for value, label in OUTCOME_LABELS.items()])),
        _input(Field.CONTACT_DATE, tr.gettext("Contact date"), {
            "type": "datepicker", "action_id": action_id(Field.CONTACT_DATE), "initial_date": today.isoformat(),
        }),
        _input(Field.PROMISE_DATE, tr.gettext("Promised payment date"), {
            "type": "datepicker", "action_id": action_id(Field.PROMISE_DATE),
        }, optional=True, hint=tr.gettext("Required when the outcome is Promised to pay.")),
        _input(Field.PROMISE_AMOUNT, tr.gettext("Promised amount"), {
            "type": "plain_text_input", "action_id": action_id(Field.PROMISE_AMOUNT), "max_length": MAX_AMOUNT_TEXT,
        }, optional=True, hint=tr.gettext("Required when the outcome is Promised to pay, in the invoices' currency.")),
        _invoices_input(invoices, tr),
        _input(Field.NOTE, tr.gettext("Note"), {
            "type": "plain_text_input", "action_id": action_id(Field.NOTE), "multiline": True,
            "max_length": MAX_NOTE,
        }, optional=True, hint=tr.gettext("Required when the outcome is Dispute: it becomes the dispute reason.")),
    ]
    return _form(LOG_CONTACT_FORM, tr.gettext("Log contact"), tr.gettext("Save"), card, blocks, tr)


def snooze_view(card: FormCard, invoices: list[InvoiceChoice], tr: Translator) -> dict[str, Any]:
    options = [_option(value, tr.gettext(label)) for value, label in SNOOZE_CHOICES]
    blocks = [
        _input(Field.SNOOZE_FOR, tr.gettext("Snooze for"), {
            "type": "radio_buttons", "action_id": action_id(Field.SNOOZE_FOR),
            "options": options, "initial_option": options[0],
        }),
        _input(Field.SNOOZE_UNTIL, tr.gettext("Date on which chasing resumes"), {
            "type": "datepicker", "action_id": action_id(Field.SNOOZE_UNTIL),
        }, optional=True, hint=tr.gettext("Used when you choose Until a date.")),
        _invoices_input(invoices, tr),
    ]
    return _form(SNOOZE_FORM, tr.gettext("Snooze"), tr.gettext("Snooze"), card, blocks, tr)


def dispute_view(card: FormCard, invoices: list[InvoiceChoice], tr: Translator) -> dict[str, Any]:
    blocks = [
        _input(Field.REASON, tr.gettext("Reason for the dispute"), {
            "type": "plain_text_input", "action_id": action_id(Field.REASON), "multiline": True,
            "max_length": MAX_REASON,
        }),
        _invoices_input(invoices, tr),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": tr.gettext(
            "Chasing stops for the disputed invoices, they stay in every report, and finance is told."
        )}]},
    ]
    return _form(DISPUTE_FORM, tr.gettext("Dispute"), tr.gettext("Mark disputed"), card, blocks, tr)


def _form(callback_id: str, title: str, submit: str, card: FormCard, blocks: list[dict[str, Any]],
          tr: Translator) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title, MAX_VIEW_TITLE),
        "submit": _plain(submit, MAX_VIEW_BUTTON),
        "close": _plain(tr.gettext("Cancel"), MAX_VIEW_BUTTON),
        "private_metadata": card.to_metadata(),
        "blocks": blocks,
    }


def _invoices_input(invoices: list[InvoiceChoice], tr: Translator) -> dict[str, Any]:
    # NOTE: a card with more than MAX_OPTIONS invoices offers only the oldest MAX_OPTIONS of them.
    options = [_option(str(invoice.invoice_id), _invoice_text(invoice, tr)) for invoice in invoices[:MAX_OPTIONS]]
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": action_id(Field.INVOICES),
        "options": options,
        "initial_options": options,
    }
    return _input(Field.INVOICES, tr.gettext("Invoices"), element)


def _invoice_text(invoice: InvoiceChoice, tr: Translator) -> str:
    amount = tr.money(invoice.open_balance, invoice.currency)
    number = invoice.number[: max(MAX_OPTION_TEXT - len(amount) - 3, 8)]
    return f"{number} · {amount}"


def _static_select(choices: list[tuple[str, str]], initial: str | None = None) -> dict[str, Any]:
    options = [_option(value, label) for value, label in choices]
    element: dict[str, Any] = {"type": "static_select", "options": options}
    if initial is not None:
        element["initial_option"] = next(option for option in options if option["value"] == initial)
    return element


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
           hint: str | None = None) -> dict[str, Any]:
    element = {**element, "action_id": action_id(block_id)}
    block: dict[str, Any] = {
        "type": "input", "block_id": block_id, "label": _plain(label, 2000), "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": _plain(text, MAX_OPTION_TEXT), "value": value}


def _plain(text: str, limit: int) -> dict[str, str]:
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return {"type": "plain_text", "text": text}
