"""The notice sent to a dunning level's extra recipients: a pure function from notice data to Slack text and blocks.

The owner gets the reminder card itself. Users listed on the level get this notice as a
direct message, and the level's channel gets it with the level's user group mentioned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.escape import escape_mrkdwn
from bot.i18n import Translator

MAX_LISTED_INVOICES = 15
# Slack allows 3,000 characters per section text. User text is cut to the limits below
# before escaping, which can make it up to five times longer, so the headline stays within it.
MAX_SECTION_TEXT = 3000
MAX_CUSTOMER_CHARS = 200
MAX_CODE_CHARS = 64
MAX_LEVEL_CHARS = 100
MAX_OWNER_CHARS = 100
MAX_NUMBER_CHARS = 64


@dataclass(frozen=True)
class NoticeInvoice:
    number: str
    currency: str
    open_balance: Decimal
    due_date: date
    days_past_due: int


@dataclass(frozen=True)
class LevelNotice:
    """One customer's invoices that reached a dunning level, for one owner."""

    level_name: str
    customer_name: str
    customer_code: str
    owner_name: str | None
    owner_slack_user_id: str | None
    invoices: tuple[NoticeInvoice, ...]
    # A Slack user group id such as S0123ABCD, mentioned when the notice goes to a channel.
    usergroup: str | None = None


def build_level_notice(notice: LevelNotice, tr: Translator, *, mention_usergroup: bool) -> tuple[str, list[dict[str, Any]]]:
    """Return the notification text and blocks of a level notice in `tr`'s locale."""
    values = {
        "customer": escape_mrkdwn(_shorten(notice.customer_name, MAX_CUSTOMER_CHARS)),
        "code": escape_mrkdwn(_shorten(notice.customer_code, MAX_CODE_CHARS)),
        "level": escape_mrkdwn(_shorten(notice.level_name, MAX_LEVEL_CHARS)),
        "owner": _owner_reference(notice, tr),
    }
    headline = tr.gettext("*%(customer)s* (%(code)s) reached dunning level *%(level)s*. Owner: %(owner)s.") % values
    if mention_usergroup and notice.usergroup:
        headline = f"<!subteam^{notice.usergroup}> " + headline

    lines = [_invoice_line(invoice, tr) for invoice in notice.invoices[:MAX_LISTED_INVOICES]]
    hidden = len(notice.invoices) - MAX_LISTED_INVOICES
    if hidden > 0:
        lines.append(tr.ngettext("…and %(count)s more invoice", "…and %(count)s more invoices", hidden)
                     % {"count": tr.number(hidden)})

    blocks = [_section(headline)] + [_section(text) for text in _pack_lines(lines)]
    text = tr.gettext("%(customer)s reached dunning level %(level)s") % values
    return text, blocks


def _owner_reference(notice: LevelNotice, tr: Translator) -> str:
    if notice.owner_slack_user_id:
        return f"<@{notice.owner_slack_user_id}>"
    if notice.owner_name:
        return escape_mrkdwn(_shorten(notice.owner_name, MAX_OWNER_CHARS))
    return tr.gettext("no owner")


def _invoice_line(invoice: NoticeInvoice, tr: Translator) -> str:
    days = tr.ngettext("%(count)s day past due", "%(count)s days past due", invoice.days_past_due) % {
        "count": tr.number(invoice.days_past_due)
    }
    return "• " + tr.gettext("%(number)s: %(amount)s, due %(due)s, %(days)s") % {
        "number": escape_mrkdwn(_shorten(invoice.number, MAX_NUMBER_CHARS)),
        "amount": tr.money(invoice.open_balance, invoice.currency),
        "due": tr.date(invoice.due_date),
        "days": days,
    }


def _pack_lines(lines: list[str]) -> list[str]:
    """Join lines into as few texts as fit in one section each."""
    texts: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= MAX_SECTION_TEXT:
            current = candidate
            continue
        texts.append(current)
        current = line
    if current:
        texts.append(current)
    return texts


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
