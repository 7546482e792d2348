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
from bot.policy import DunningLevel
from bot.reminders.buttons import ACTIONS_BLOCK_ID, CardButton, button_value
from bot.reminders.card_events import CardEvent, event_line

MAX_LISTED_INVOICES = 20
# Slack allows 3,000 characters per section text. User text is cut to the limits below
# before escaping, which can make it up to five times longer (`&` becomes `&amp;`).
MAX_SECTION_TEXT = 3000
MAX_CUSTOMER_NAME = 300
MAX_OWNER_NAME = 200
MAX_INVOICE_NUMBER = 64
MAX_NOTIFICATION_TEXT = 3000
MAX_DISPUTE_REASON = 500
MAX_LEVEL_NAME = 100
MAX_BUTTON_TEXT = 75
# Slack's limits on a confirmation dialog: title 100, text 300, buttons 30 characters.
MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30
# A context block holds at most 10 elements; three recent actions keep the card short.
MAX_EVENTS_SHOWN = 3


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
class HeldInvoice:
    """An overdue invoice of the card that is not chased for now: snoozed, disputed, or both."""

    invoice_id: int
    number: str
    currency: str
    open_balance: Decimal
    snoozed_until: date | None
    disputed: bool
    dispute_reason: str | None = None


@dataclass(frozen=True)
class CardPromise:
    """An open or broken promise to pay on the card's invoices."""

    amount: Decimal
    currency: str
    pay_by: date
    broken: bool
    invoice_numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Escalation:
    """The dunning level the card's invoices reach if escalated now; `next_level` is None at the last level."""

    current_level: int
    next_level: DunningLevel | None
    last_level: DunningLevel | None = None


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
    # Overdue invoices of the card that are snoozed or disputed.
    on_hold: tuple[HeldInvoice, ...] = ()
    promises: tuple[CardPromise, ...] = ()
    # The latest actions taken on the card, newest first; each `at` is local time.
    events: tuple[CardEvent, ...] = ()
    escalation: Escalation | None = None


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
        # A card can mix overdue invoices with ones due soon; only the first count as overdue.
        overdue = [invoice for invoice in invoices if invoice.days_past_due > 0]
        due_soon = [invoice for invoice in invoices if invoice.days_past_due <= 0]
        if overdue:
            blocks += _total_sections(_totals_by_currency(overdue), tr.gettext("*Total overdue*"), tr)
        if due_soon:
            blocks += _total_sections(_totals_by_currency(due_soon), tr.gettext("*Total due soon*"), tr)
    elif card_data.pre_due:
        blocks.append(_section(tr.gettext("Nothing is left to chase on this card.")))
    else:
        blocks.append(_section(tr.gettext("Nothing overdue is left to chase on this card.")))

    if any(credit.credit_notes or credit.unapplied_payments for credit in card_data.credits):
        blocks += _credit_sections(card_data.credits, totals, tr)

    if card_data.on_hold:
        blocks += _on_hold_sections(card_data.on_hold, tr)
    if card_data.promises:
        blocks += _promise_sections(card_data.promises, tr)

    if card_data.events:
        blocks.append(_events_context(card_data.events, tr))
    if card_data.last_action is not None:
        blocks.append(_context(_last_action_line(card_data.last_action, tr)))
    if invoices or card_data.on_hold:
        blocks.append(_actions(card_data, tr))

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


def _total_sections(totals: dict[str, _CurrencyTotal], heading: str, tr: Translator) -> list[dict[str, Any]]:
    lines = [heading]
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


def _on_hold_sections(on_hold: tuple[HeldInvoice, ...], tr: Translator) -> list[dict[str, Any]]:
    lines = [tr.gettext("*Not chased for now*")]
    for invoice in sorted(on_hold, key=lambda item: item.number)[:MAX_LISTED_INVOICES]:
        lines.append("• " + _held_line(invoice, tr))
    hidden = len(on_hold) - MAX_LISTED_INVOICES
    if hidden > 0:
        lines.append(tr.ngettext("…and %(count)s more invoice", "…and %(count)s more invoices", hidden)
                     % {"count": tr.number(hidden)})
    return [_section(text) for text in _pack_lines(lines)]


def _held_line(invoice: HeldInvoice, tr: Translator) -> str:
    values = {
        "number": _escaped(invoice.number, MAX_INVOICE_NUMBER),
        "amount": tr.money(invoice.open_balance, invoice.currency),
    }
    if invoice.disputed:
        values["reason"] = _escaped(invoice.dispute_reason or "", MAX_DISPUTE_REASON)
        return tr.gettext("%(number)s: %(amount)s, disputed: %(reason)s") % values
    values["date"] = tr.date(invoice.snoozed_until)
    return tr.gettext("%(number)s: %(amount)s, snoozed until %(date)s") % values


def _promise_sections(promises: tuple[CardPromise, ...], tr: Translator) -> list[dict[str, Any]]:
    lines = [tr.gettext("*Promises to pay*")]
    for promise in promises:
        values = {
            "amount": tr.money(promise.amount, promise.currency),
            "date": tr.date(promise.pay_by),
            "invoices": _escaped(", ".join(promise.invoice_numbers), MAX_SECTION_TEXT // 4),
        }
        if promise.broken:
            line = tr.gettext("%(amount)s by %(date)s (%(invoices)s): *broken*") % values
        else:
            line = tr.gettext("%(amount)s by %(date)s (%(invoices)s)") % values
        lines.append("• " + line)
    return [_section(text) for text in _pack_lines(lines)]


def _events_context(events: tuple[CardEvent, ...], tr: Translator) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": _shorten(event_line(event, tr), MAX_SECTION_TEXT)}
            for event in events[:MAX_EVENTS_SHOWN]
        ],
    }


def _actions(card_data: CardData, tr: Translator) -> dict[str, Any]:
    value = button_value(card_data.card_id)
    buttons = [CardButton.LOG_CONTACT, CardButton.SNOOZE, CardButton.ESCALATE, CardButton.DISPUTE]
    if any(invoice.disputed for invoice in card_data.on_hold):
        buttons.append(CardButton.RESOLVE_DISPUTE)

    elements = []
    for button in buttons:
        element: dict[str, Any] = {
            "type": "button",
            "action_id": button.value,
            "text": {"type": "plain_text", "text": tr.gettext(button.label)},
            "value": value,
        }
        if button is CardButton.ESCALATE:
            _describe_escalation(element, card_data.escalation, tr)
            if card_data.escalation is not None and card_data.escalation.next_level is not None:
                element["value"] = button_value(card_data.card_id, card_data.escalation.current_level + 1)
        if button is CardButton.RESOLVE_DISPUTE:
            element["confirm"] = _confirm(
                tr.gettext("Resolve dispute?"),
                tr.gettext("Chasing resumes for the disputed invoices on this card."),
                tr.gettext("Resolve"), tr,
            )
        elements.append(element)
    return {"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": elements}


def _describe_escalation(element: dict[str, Any], escalation: Escalation | None, tr: Translator) -> None:
    if escalation is None:
        # A card loaded without the policy cannot name the level, but still asks before escalating.
        element["confirm"] = _confirm(
            tr.gettext("Escalate?"),
            tr.gettext("Move the invoices on this card to the next dunning level?"),
            tr.gettext("Escalate"), tr,
        )
        return
    if escalation.next_level is None:
        # Pressing it only explains that there is no level left; it asks for no confirmation.
        element["text"]["text"] = _shorten(tr.gettext("Last level reached"), MAX_BUTTON_TEXT)
        return
    level_name = _shorten(escalation.next_level.display_name(tr.locale), MAX_LEVEL_NAME)
    element["confirm"] = _confirm(
        tr.gettext("Escalate?"),
        tr.gettext("Escalate to %(level)s?") % {"level": escape_mrkdwn(level_name)},
        tr.gettext("Escalate"), tr,
    )


def _confirm(title: str, text: str, confirm: str, tr: Translator) -> dict[str, Any]:
    return {
        "title": {"type": "plain_text", "text": _shorten(title, MAX_CONFIRM_TITLE)},
        "text": {"type": "mrkdwn", "text": _shorten(text, MAX_CONFIRM_TEXT)},
        "confirm": {"type": "plain_text", "text": _shorten(confirm, MAX_CONFIRM_BUTTON)},
        "deny": {"type": "plain_text", "text": _shorten(tr.gettext("Cancel"), MAX_CONFIRM_BUTTON)},
    }


def _notification_text(card_data: CardData, totals: dict[str, _CurrencyTotal], tr: Translator) -> str:
    customer = _escaped(card_data.customer_name, MAX_CUSTOMER_NAME)
    if not totals and card_data.pre_due:
        return tr.gettext("Nothing is left to chase for %(customer)s.") % {"customer": customer}
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
