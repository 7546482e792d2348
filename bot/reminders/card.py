"""The reminder card: a pure function from card data and a translator to Slack text and blocks.

Nothing here reads the store or calls Slack, so every limit can be tested directly. The
card stays within Block Kit's limits for any number of invoices: it lists at most
MAX_LISTED_INVOICES of them, states how many more there are, and still totals all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from babel.dates import format_time

from bot.escape import escape_mrkdwn
from bot.i18n import N_, Translator
from bot.reminders.buttons import ACTIONS_BLOCK_ID, CardButton, button_value

MAX_LISTED_INVOICES = 20
# Slack allows 3,000 characters per section text. User text is cut to the limits below
# before escaping, which can make it up to five times longer (`&` becomes `&amp;`).
MAX_SECTION_TEXT = 3000
MAX_CUSTOMER_NAME = 300
MAX_OWNER_NAME = 200
MAX_INVOICE_NUMBER = 64
MAX_NOTIFICATION_TEXT = 3000


class Delivery(StrEnum):
    """The destination of a card: the owner's direct messages, or the fallback channel and the reason."""

    DIRECT = "direct"
    NO_SLACK_USER = "no_slack_user"
    NO_OWNER = "no_owner"


@dataclass(frozen=True)
class CardInvoice:
    invoice_id: int
    number: str
    currency: str
    open_balance: Decimal
    due_date: date
    days_past_due: int
    dunning_level: int


@dataclass(frozen=True)
class CurrencyCredits:
    """Money the customer has on account in one currency, as positive amounts.

    `credit_notes` is the negative open balances turned positive: credit notes not applied
    to an invoice, and invoices paid beyond their amount.
    """

    currency: str
    credit_notes: Decimal
    unapplied_payments: Decimal


@dataclass(frozen=True)
class LastAction:
    """The latest button press recorded on the card; `at` is local time in the configured zone."""

    user_id: str
    button: CardButton
    at: datetime


@dataclass(frozen=True)
class CardData:
    card_id: int
    as_of: date
    customer_code: str
    customer_name: str
    owner_name: str | None
    owner_slack_user_id: str | None
    delivery: Delivery
    invoices: tuple[CardInvoice, ...]
    credits: tuple[CurrencyCredits, ...] = ()
    last_action: LastAction | None = None
    # The dunning level's tone ("friendly", "firm" or "final"), set by the reminder run; None reads as friendly.
    tone: str | None = None
    # True for a reminder sent before the invoices fall due.
    pre_due: bool = False


def build_reminder_card(card_data: CardData, tr: Translator) -> tuple[str, list[dict[str, Any]]]:
    """Return the notification text and the blocks of a reminder card in `tr`'s locale."""
    invoices = sorted(card_data.invoices, key=lambda invoice: (-invoice.days_past_due, invoice.number))
    totals = _totals_by_currency(invoices)

    blocks: list[dict[str, Any]] = [
        _section(_title(card_data, tr)),
        _context(_owner_line(card_data, tr)),
    ]
    if card_data.delivery is not Delivery.DIRECT:
        blocks.append(_context(_delivery_note(card_data, tr)))

    if invoices:
        blocks += _invoice_sections(invoices, tr)
        blocks += _total_sections(totals, tr)
    else:
        blocks.append(_section(tr.gettext("Nothing overdue is left to chase on this card.")))

    if any(credit.credit_notes or credit.unapplied_payments for credit in card_data.credits):
        blocks += _credit_sections(card_data.credits, totals, tr)

    if card_data.last_action is not None:
        blocks.append(_context(_last_action_line(card_data.last_action, tr)))
    if invoices:
        blocks.append(_actions(card_data.card_id, tr))

    return _notification_text(card_data, totals, tr), blocks


# Title templates and their leading emoji by tone; a stronger tone reads firmer and stands out more.
_PRE_DUE_TITLE = (":calendar: ", N_("*Invoices due soon: %(customer)s* (%(code)s)"))
_TONE_TITLES = {
    "friendly": ("", N_("*Overdue invoices: %(customer)s* (%(code)s)")),
    "firm": (":warning: ", N_("*Overdue invoices, payment needed now: %(customer)s* (%(code)s)")),
    "final": (":rotating_light: ", N_("*Final notice, overdue invoices: %(customer)s* (%(code)s)")),
}


def _title(card_data: CardData, tr: Translator) -> str:
    if card_data.pre_due:
        emoji, template = _PRE_DUE_TITLE
    else:
        emoji, template = _TONE_TITLES.get(card_data.tone or "friendly", _TONE_TITLES["friendly"])
    return emoji + tr.gettext(template) % {
        "customer": _escaped(card_data.customer_name, MAX_CUSTOMER_NAME),
        "code": _escaped(card_data.customer_code, MAX_CUSTOMER_NAME),
    }


def _owner_line(card_data: CardData, tr: Translator) -> str:
    return tr.gettext("Owner: %(owner)s · As of %(date)s") % {
        "owner": _owner_reference(card_data, tr),
        "date": tr.date(card_data.as_of),
    }


def _owner_reference(card_data: CardData, tr: Translator) -> str:
    if card_data.owner_slack_user_id:
        return f"<@{card_data.owner_slack_user_id}>"
    if card_data.owner_name:
        return _escaped(card_data.owner_name, MAX_OWNER_NAME)
    return tr.gettext("no owner")


def _delivery_note(card_data: CardData, tr: Translator) -> str:
    if card_data.delivery is Delivery.NO_SLACK_USER:
        return tr.gettext(
            "This reminder is for %(owner)s. It was posted here because no Slack user is linked to that owner."
        ) % {"owner": _escaped(card_data.owner_name or "", MAX_OWNER_NAME)}
    return tr.gettext("These invoices have no owner, so the reminder was posted here.")


def _invoice_sections(invoices: list[CardInvoice], tr: Translator) -> list[dict[str, Any]]:
    listed = invoices[:MAX_LISTED_INVOICES]
    lines = [_invoice_line(invoice, tr) for invoice in listed]
    blocks = [_section(text) for text in _pack_lines(lines)]

    hidden = len(invoices) - len(listed)
    if hidden:
        blocks.append(_context(
            tr.ngettext("…and %(count)s more invoice", "…and %(count)s more invoices", hidden)
            % {"count": tr.number(hidden)}
        ))
    return blocks


def _invoice_line(invoice: CardInvoice, tr: Translator) -> str:
    days = tr.ngettext("%(count)s day past due", "%(count)s days past due", invoice.days_past_due) % {
        "count": tr.number(invoice.days_past_due)
    }
    if invoice.days_past_due < 0:
        # A pre-due reminder lists invoices that are not due yet.
        until_due = -invoice.days_past_due
        days = tr.ngettext("%(count)s day until due", "%(count)s days until due", until_due) % {
            "count": tr.number(until_due)
        }
    return "• " + tr.gettext("%(number)s: %(amount)s, due %(due)s, %(days)s, dunning level %(level)s") % {
        "number": _escaped(invoice.number, MAX_INVOICE_NUMBER),
        "amount": tr.money(invoice.open_balance, invoice.currency),
        "due": tr.date(invoice.due_date),
        "days": days,
        "level": tr.number(invoice.dunning_level),
    }


@dataclass(frozen=True)
class _CurrencyTotal:
    currency: str
    amount: Decimal
    count: int


def _totals_by_currency(invoices: list[CardInvoice]) -> dict[str, _CurrencyTotal]:
    amounts: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for invoice in invoices:
        amounts[invoice.currency] = amounts.get(invoice.currency, Decimal(0)) + invoice.open_balance
        counts[invoice.currency] = counts.get(invoice.currency, 0) + 1
    return {
        currency: _CurrencyTotal(currency, amounts[currency], counts[currency])
        for currency in sorted(amounts)
    }


def _total_sections(totals: dict[str, _CurrencyTotal], tr: Translator) -> list[dict[str, Any]]:
    lines = [tr.gettext("*Total overdue*")]
    for total in totals.values():
        lines.append(tr.ngettext("%(amount)s in %(count)s invoice", "%(amount)s in %(count)s invoices", total.count) % {
            "amount": tr.money(total.amount, total.currency),
            "count": tr.number(total.count),
        })
    return [_section(text) for text in _pack_lines(lines)]


def _credit_sections(
    credits: tuple[CurrencyCredits, ...],
    totals: dict[str, _CurrencyTotal],
    tr: Translator,
) -> list[dict[str, Any]]:
    lines = [tr.gettext("*Credits on the customer's account*")]
    for credit in sorted(credits, key=lambda item: item.currency):
        if not (credit.credit_notes or credit.unapplied_payments):
            continue
        overdue = totals[credit.currency].amount if credit.currency in totals else Decimal(0)
        net = overdue - credit.credit_notes - credit.unapplied_payments
        line = tr.gettext(
            "%(currency)s: credit notes and overpayments %(credit_notes)s, unapplied payments %(payments)s, "
            "overdue net of credits %(net)s"
        ) % {
            "currency": credit.currency,
            "credit_notes": tr.money(credit.credit_notes, credit.currency),
            "payments": tr.money(credit.unapplied_payments, credit.currency),
            "net": tr.money(net, credit.currency),
        }
        if net <= 0:
            line += " " + tr.gettext("(the customer is in net credit)")
        lines.append(line)
    return [_section(text) for text in _pack_lines(lines)]


def _last_action_line(action: LastAction, tr: Translator) -> str:
    return tr.gettext("Recorded: %(user)s pressed %(button)s at %(time)s") % {
        "user": f"<@{action.user_id}>",
        "button": tr.gettext(action.button.label),
        "time": format_time(action.at, format="short", locale=tr.babel_locale),
    }


def _actions(card_id: int, tr: Translator) -> dict[str, Any]:
    value = button_value(card_id)
    return {
        "type": "actions",
        "block_id": ACTIONS_BLOCK_ID,
        "elements": [
            {
                "type": "button",
                "action_id": button.value,
                "text": {"type": "plain_text", "text": tr.gettext(button.label)},
                "value": value,
            }
            for button in CardButton
        ],
    }


def _notification_text(card_data: CardData, totals: dict[str, _CurrencyTotal], tr: Translator) -> str:
    customer = _escaped(card_data.customer_name, MAX_CUSTOMER_NAME)
    if not totals:
        return tr.gettext("Nothing overdue is left to chase for %(customer)s.") % {"customer": customer}
    amounts = ", ".join(tr.money(total.amount, total.currency) for total in totals.values())
    if card_data.pre_due:
        text = tr.gettext("Invoices due soon for %(customer)s: %(amounts)s") % {"customer": customer, "amounts": amounts}
    else:
        text = tr.gettext("Overdue invoices for %(customer)s: %(amounts)s") % {"customer": customer, "amounts": amounts}
    return _shorten(text, MAX_NOTIFICATION_TEXT)


def _pack_lines(lines: list[str]) -> list[str]:
    """Join lines into as few texts as fit in one section each; a line too long on its own is cut."""
    texts: list[str] = []
    current = ""
    for line in lines:
        line = _shorten(line, MAX_SECTION_TEXT)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= MAX_SECTION_TEXT:
            current = candidate
            continue
        texts.append(current)
        current = line
    if current:
        texts.append(current)
    return texts


def _escaped(text: str, limit: int) -> str:
    return escape_mrkdwn(_shorten(text, limit))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
