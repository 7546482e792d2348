"""The lines a reminder card shows about the latest actions on it, such as
"<@U1> logged a call: promised ¥12,000.00 by 3月20日 · 10:32".

Pure functions of the stored activity details and a translator. Every piece of user text
(notes, reasons, invoice numbers) is cut and escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_skeleton, format_time

from bot.escape import escape_mrkdwn
from bot.i18n import Translator
from bot.reminders.contact_terms import (
    LOGGED_SENTENCES,
    OUTCOME_PHRASES,
    PROMISED_PHRASE,
    ContactChannel,
    ContactOutcome,
)

# The actions a card lists as its recent activity.
CARD_EVENT_ACTIONS = (
    "contact.logged",
    "invoice.snoozed",
    "invoice.escalated",
    "invoice.disputed",
    "invoice.dispute_resolved",
)
MAX_NOTE = 300
MAX_NUMBERS_TEXT = 300


@dataclass(frozen=True)
class CardEvent:
    """One action taken on a card; `at` is local time in the configured zone."""

    user_id: str
    action: str
    at: datetime
    details: dict[str, Any] = field(default_factory=dict)


def event_line(event: CardEvent, tr: Translator) -> str:
    """Return the line for one action, ending with its local time."""
    user = f"<@{escape_mrkdwn(event.user_id)}>"
    details = event.details
    if event.action == "contact.logged":
        text = _contact_line(user, details, tr)
    elif event.action == "invoice.snoozed":
        text = tr.gettext("%(user)s snoozed %(invoices)s until %(date)s") % {
            "user": user, "invoices": _numbers(details), "date": tr.date(_date(details.get("until"))),
        }
    elif event.action == "invoice.escalated":
        names = details.get("to_level_names") or {}
        level = names.get(tr.locale) or names.get("en") or str(details.get("to_level", ""))
        text = tr.gettext("%(user)s escalated %(invoices)s to %(level)s") % {
            "user": user, "invoices": _numbers(details), "level": escape_mrkdwn(level),
        }
    elif event.action == "invoice.disputed":
        text = tr.gettext("%(user)s marked %(invoices)s as disputed: %(reason)s") % {
            "user": user, "invoices": _numbers(details), "reason": _note(details.get("reason")),
        }
    elif event.action == "invoice.dispute_resolved":
        text = tr.gettext("%(user)s resolved the dispute on %(invoices)s") % {
            "user": user, "invoices": _numbers(details),
        }
    else:
        text = f"{user} {escape_mrkdwn(event.action)}"
    return f"{text} · {format_time(event.at, format='short', locale=tr.babel_locale)}"


def _contact_line(user: str, details: dict[str, Any], tr: Translator) -> str:
    try:
        channel = ContactChannel(details.get("channel"))
        outcome = ContactOutcome(details.get("outcome"))
    except ValueError:
        return tr.gettext("%(user)s logged a contact") % {"user": user}

    promise = details.get("promise") or {}
    if outcome is ContactOutcome.PROMISED and promise:
        outcome_text = tr.gettext(PROMISED_PHRASE) % {
            "amount": tr.money(_amount(promise.get("amount")), str(promise.get("currency", ""))),
            "date": _month_day(_date(promise.get("pay_by")), tr),
        }
    elif outcome is ContactOutcome.PROMISED:
        outcome_text = tr.gettext("promised to pay")
    else:
        outcome_text = tr.gettext(OUTCOME_PHRASES[outcome])

    text = tr.gettext(LOGGED_SENTENCES[channel]) % {"user": user, "outcome": outcome_text}
    note = details.get("note")
    if note:
        text += " — " + _note(note)
    return text


def _month_day(value: date | None, tr: Translator) -> str:
    # A promise falls within weeks of today, so the month and day ("Mar 20", "3月20日") are enough.
    if value is None:
        return tr.date(None)
    return format_skeleton("MMMd", value, locale=tr.babel_locale)


def _numbers(details: dict[str, Any]) -> str:
    numbers = details.get("invoice_numbers") or []
    return escape_mrkdwn(_cut(", ".join(str(number) for number in numbers), MAX_NUMBERS_TEXT))


def _note(text: object) -> str:
    # Cut before escaping, so that an entity such as &amp; is never split.
    raw = " ".join(str(text or "").split())
    return escape_mrkdwn(_cut(raw, MAX_NOTE))


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _amount(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)
