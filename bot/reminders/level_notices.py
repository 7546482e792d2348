"""Notifying a dunning level's extra recipients when a card moves invoices to that level.

A level's recipients may list users, a user group and a channel besides the owner. When
a reminder card moves invoices to such a level, each listed user gets a direct message
and the channel gets a post that mentions the user group. The notice for one group of
invoices at one level is sent once: an `invoice.level_notified` activity with a dedup key
records it, and a run that finds the key sends nothing.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from datetime import date

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.dunning import SendKind
from bot.i18n import get_translator
from bot.policy import DunningLevel, ReminderPolicy
from bot.reminders.card import CardData
from bot.reminders.level_notice import LevelNotice, NoticeInvoice, build_level_notice
from bot.reminders.selection import ReminderGroup
from bot.services import Services
from bot.slack.users import user_locale
from bot.store.db import transaction
from bot.store.models import Activity

logger = logging.getLogger(__name__)

ACTION = "invoice.level_notified"


def notify_level_recipients(
    services: Services,
    policy: ReminderPolicy,
    group: ReminderGroup,
    data: CardData,
    as_of: date,
    *,
    owner_has_card: bool = True,
) -> int:
    """Send the notices for the levels this card moved invoices to; return how many were recorded.

    The owner is left out of the listed users when `owner_has_card`, because the card
    already lists these invoices for them. Slack errors are logged and listed on the activity; they never undo
    the sent card.
    """
    recorded = 0
    for number, invoice_ids in sorted(_reached_levels(group, data).items()):
        level = policy.level(min(number, len(policy.levels)))
        users = [user for user in level.recipients.users if not (owner_has_card and user == data.owner_slack_user_id)]
        if not users and not level.recipients.channel:
            continue
        dedup_key = _dedup_key(level, group, invoice_ids)
        if _already_notified(services, dedup_key):
            logger.info("level %s notice for customer %s invoices %s was already sent", level.key, group.customer_id,
                        invoice_ids)
            continue
        recorded += _notify(services, level, group, data, invoice_ids, users, dedup_key, as_of)
    return recorded


def _reached_levels(group: ReminderGroup, data: CardData) -> dict[int, list[int]]:
    # Only invoices still on the card count, because the card is what was sent.
    on_card = {invoice.invoice_id for invoice in data.invoices}
    reached: dict[int, list[int]] = defaultdict(list)
    for item in group.sends:
        if item.send.kind == SendKind.LEVEL and item.invoice_id in on_card:
            reached[item.send.level].append(item.invoice_id)
    return {number: sorted(ids) for number, ids in reached.items()}


def _dedup_key(level: DunningLevel, group: ReminderGroup, invoice_ids: list[int]) -> str:
    # The invoice ids are hashed so that a large group still fits the 255-character key.
    digest = hashlib.sha256(",".join(map(str, invoice_ids)).encode()).hexdigest()[:24]
    return f"{ACTION}:{level.key}:{group.customer_id}:{group.owner_id or 'none'}:{digest}"


def _already_notified(services: Services, dedup_key: str) -> bool:
    with services.sessions() as session:
        return session.scalar(select(Activity.id).where(Activity.dedup_key == dedup_key)) is not None


def _notify(
    services: Services,
    level: DunningLevel,
    group: ReminderGroup,
    data: CardData,
    invoice_ids: list[int],
    users: list[str],
    dedup_key: str,
    as_of: date,
) -> int:
    delivered: list[dict[str, str]] = []
    failed: list[dict[str, str]] = []
    for user in users:
        _post(services, level, data, invoice_ids, user, user_locale(services, user), False, delivered, failed)
    channel = level.recipients.channel
    if channel:
        _post(services, level, data, invoice_ids, channel, services.settings.default_locale, True, delivered, failed)

    try:
        with transaction(services.sessions) as session:
            session.add(Activity(
                occurred_at=services.clock.now(),
                actor="system",
                action=ACTION,
                customer_id=group.customer_id,
                invoice_id=invoice_ids[0],
                owner_id=group.owner_id,
                dedup_key=dedup_key,
                details={
                    "level": level.key,
                    "as_of": as_of.isoformat(),
                    "card_id": data.card_id,
                    "invoice_numbers": [invoice.number for invoice in data.invoices if invoice.invoice_id in invoice_ids],
                    "delivered": delivered,
                    "failed": failed,
                },
            ))
    except IntegrityError:
        # Another run recorded the same notice between the check and the insert.
        logger.info("level notice %s was recorded by another run", dedup_key)
        return 0
    logger.info("level %s notice for customer %s (owner %s) sent to %d destinations, %d failed",
                level.key, group.customer_id, group.owner_id, len(delivered), len(failed))
    return 1


def _post(
    services: Services,
    level: DunningLevel,
    data: CardData,
    invoice_ids: list[int],
    destination: str,
    locale: str,
    in_channel: bool,
    delivered: list[dict[str, str]],
    failed: list[dict[str, str]],
) -> None:
    notice = LevelNotice(
        level_name=level.display_name(locale),
        customer_name=data.customer_name,
        customer_code=data.customer_code,
        owner_name=data.owner_name,
        owner_slack_user_id=data.owner_slack_user_id,
        invoices=tuple(
            NoticeInvoice(invoice.number, invoice.currency, invoice.open_balance, invoice.due_date,
                          invoice.days_past_due)
            for invoice in data.invoices if invoice.invoice_id in invoice_ids
        ),
        usergroup=level.recipients.usergroup,
    )
    text, blocks = build_level_notice(notice, get_translator(locale), mention_usergroup=in_channel)
    try:
        response = services.slack.chat_postMessage(channel=destination, text=text, blocks=blocks)
    except (SlackClientError, OSError) as error:
        reason = (f"Slack error {error.response.get('error')!r}" if isinstance(error, SlackApiError)
                  else f"{error.__class__.__name__}: {error}")
        logger.error("level %s notice for customer %s to %s failed: %s", level.key, data.customer_code,
                     destination, reason)
        failed.append({"to": destination, "error": reason})
        return
    delivered.append({"to": destination, "channel": response["channel"], "ts": response["ts"]})
