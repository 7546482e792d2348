"""Telling people about an escalation or a dispute raised from a reminder card.

An escalation goes to the people of the level reached (direct messages to its users, its
user group mentioned in its channel) and to ARREARS_ESCALATION_CHANNEL. A dispute goes to
finance: a direct message to each ARREARS_FINANCE user, and a mention of each finance user
group in ARREARS_ESCALATION_CHANNEL. A failed post is logged and the others still go out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.escape import escape_mrkdwn
from bot.i18n import Translator, get_translator
from bot.policy import DunningLevel
from bot.reminders.card_actions import AffectedInvoice
from bot.services import Services
from bot.slack.users import user_locale
from bot.store.models import Customer

logger = logging.getLogger(__name__)

MAX_LISTED = 20
MAX_SECTION_TEXT = 3000
MAX_NAME = 300
MAX_REASON = 1000


@dataclass(frozen=True)
class NoticeSubject:
    """The customer and invoices a notice is about, and who acted."""

    customer_code: str
    customer_name: str
    actor_user_id: str
    invoices: tuple[AffectedInvoice, ...]


def load_subject(services: Services, customer_id: int, actor_user_id: str,
                 invoices: tuple[AffectedInvoice, ...]) -> NoticeSubject:
    with services.sessions() as session:
        customer = session.get_one(Customer, customer_id)
        return NoticeSubject(customer.code, customer.name, actor_user_id, invoices)


def escalation_text(subject: NoticeSubject, level: DunningLevel, tr: Translator, mention: str | None = None) -> str:
    heading = tr.gettext("%(user)s escalated %(customer)s (%(code)s) to %(level)s.") % {
        "user": f"<@{subject.actor_user_id}>",
        "customer": _escaped(subject.customer_name, MAX_NAME),
        "code": _escaped(subject.customer_code, MAX_NAME),
        "level": escape_mrkdwn(level.display_name(tr.locale)),
    }
    return _with_invoices(_mentioned(mention, heading), subject.invoices, tr)


def dispute_text(subject: NoticeSubject, reason: str, tr: Translator, mention: str | None = None) -> str:
    heading = tr.gettext("%(user)s marked invoices of %(customer)s (%(code)s) as disputed: %(reason)s") % {
        "user": f"<@{subject.actor_user_id}>",
        "customer": _escaped(subject.customer_name, MAX_NAME),
        "code": _escaped(subject.customer_code, MAX_NAME),
        "reason": _escaped(" ".join(reason.split()), MAX_REASON),
    }
    return _with_invoices(_mentioned(mention, heading), subject.invoices, tr)


def notify_escalation(services: Services, subject: NoticeSubject, level: DunningLevel) -> None:
    recipients = level.recipients
    mention = f"<!subteam^{recipients.usergroup}>" if recipients.usergroup else None
    for user_id in recipients.users:
        _post(services, user_id, escalation_text(subject, level, _user_tr(services, user_id)))

    channels = _unique([recipients.channel, services.settings.escalation_channel])
    tr = get_translator(services.settings.default_locale)
    for channel in channels:
        _post(services, channel, escalation_text(subject, level, tr, mention))
    if not channels and not recipients.users:
        logger.warning("escalation notice for customer %s to level %s not sent: the level lists no users or "
                       "channel and ARREARS_ESCALATION_CHANNEL is not set", subject.customer_code, level.key)


def notify_dispute(services: Services, subject: NoticeSubject, reason: str) -> None:
    finance = services.settings.finance
    users = [principal for principal in finance if not principal.startswith("S")]
    groups = [principal for principal in finance if principal.startswith("S")]
    for user_id in users:
        _post(services, user_id, dispute_text(subject, reason, _user_tr(services, user_id)))

    channel = services.settings.escalation_channel
    if channel and groups:
        mention = " ".join(f"<!subteam^{group}>" for group in groups)
        _post(services, channel, dispute_text(subject, reason, get_translator(services.settings.default_locale),
                                              mention))
    elif groups:
        logger.warning("dispute notice for customer %s not sent to finance user groups %s: "
                       "ARREARS_ESCALATION_CHANNEL is not set", subject.customer_code, groups)
    if not finance:
        logger.warning("dispute notice for customer %s not sent: ARREARS_FINANCE is not set", subject.customer_code)


def _with_invoices(heading: str, invoices: tuple[AffectedInvoice, ...], tr: Translator) -> str:
    lines = [heading]
    for invoice in invoices[:MAX_LISTED]:
        lines.append("• " + tr.gettext("%(number)s: %(amount)s") % {
            "number": _escaped(invoice.number, 64), "amount": tr.money(invoice.open_balance, invoice.currency),
        })
    hidden = len(invoices) - MAX_LISTED
    if hidden > 0:
        lines.append(tr.ngettext("…and %(count)s more invoice", "…and %(count)s more invoices", hidden)
                     % {"count": tr.number(hidden)})
    totals: dict[str, Decimal] = {}
    for invoice in invoices:
        totals[invoice.currency] = totals.get(invoice.currency, Decimal(0)) + invoice.open_balance
    lines.append(tr.gettext("Total: %(amounts)s") % {
        "amounts": ", ".join(tr.money(amount, currency) for currency, amount in sorted(totals.items())),
    })
    text = "\n".join(lines)
    return text if len(text) <= MAX_SECTION_TEXT else text[: MAX_SECTION_TEXT - 1] + "…"


def _post(services: Services, channel: str, text: str) -> None:
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    try:
        services.slack.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SlackApiError as error:
        logger.error("notice to %s failed: %s", channel, error.response.get("error"))
    except (SlackClientError, OSError) as error:
        logger.error("notice to %s failed: %r", channel, error)


def _user_tr(services: Services, user_id: str) -> Translator:
    return get_translator(user_locale(services, user_id))


def _mentioned(mention: str | None, text: str) -> str:
    return f"{mention} {text}" if mention else text


def _unique(channels: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for channel in channels:
        if channel and channel not in seen:
            seen.append(channel)
    return seen


def _escaped(text: str, limit: int) -> str:
    return escape_mrkdwn(text if len(text) <= limit else text[: limit - 1] + "…")
