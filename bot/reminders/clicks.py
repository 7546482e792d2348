"""Presses on a reminder card's buttons: who may act, recording each press once, and redrawing the card.

Slack may deliver the same interaction twice (the second with X-Slack-Retry-Num), so each
press is recorded under a dedup key built from the payload. The unique `Activity.dedup_key`
turns the second delivery into a no-op.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.i18n import get_translator
from bot.reminders.buttons import CardButton, parse_button_value
from bot.reminders.card import build_reminder_card
from bot.reminders.card_data import card_policy, delivery_for, load_card_data, load_last_action
from bot.services import Services
from bot.store.db import transaction
from bot.store.models import Activity, Owner, ReminderCard

logger = logging.getLogger(__name__)

MAX_DEDUP_KEY = 255


@dataclass(frozen=True)
class CardClick:
    """One button press on a reminder card, read from a `block_actions` payload."""

    user_id: str
    button: CardButton
    card_id: int
    action_ts: str
    channel_id: str
    message_ts: str

    @property
    def dedup_key(self) -> str:
        key = f"reminder.click:{self.user_id}:{self.button.value}:{self.action_ts}:{self.message_ts}"
        if len(key) <= MAX_DEDUP_KEY:
            return key
        # Slack's ids are short, so this only guards against a malformed payload.
        return "reminder.click:sha256:" + hashlib.sha256(key.encode()).hexdigest()


def parse_click(body: dict[str, Any], action: dict[str, Any]) -> CardClick:
    """Read a card button press from a Slack payload; raise ValueError when a field is missing or invalid."""
    try:
        container = body["container"]
        return CardClick(
            user_id=str(body["user"]["id"]),
            button=CardButton(action["action_id"]),
            card_id=parse_button_value(str(action["value"])),
            action_ts=str(action["action_ts"]),
            channel_id=str(container["channel_id"]),
            message_ts=str(container["message_ts"]),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"reminder card payload is missing {error}") from error


class ClickResult(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    NOT_OWNER = "not_owner"
    UNKNOWN_CARD = "unknown_card"


@dataclass(frozen=True)
class ClickOutcome:
    result: ClickResult
    # The Slack user id of the card's owner, for telling someone else whose card it is.
    owner_user_id: str | None = None


def record_click(services: Services, click: CardClick) -> ClickOutcome:
    """Record a press as activity, once per Slack delivery, if the user may act on the card.

    The card's owner may act on a card sent to them. Anyone may act on a card in the
    fallback channel, because its owner has no Slack user or the invoices have no owner.
    """
    try:
        with transaction(services.sessions) as session:
            card = session.get(ReminderCard, click.card_id)
            if card is None:
                logger.warning("press of %s by %s on unknown reminder card %s (message %s in %s)",
                               click.button, click.user_id, click.card_id, click.message_ts, click.channel_id)
                return ClickOutcome(ClickResult.UNKNOWN_CARD)

            owner = session.get(Owner, card.owner_id) if card.owner_id is not None else None
            if not _may_act(card, owner, click.user_id):
                logger.info("press of %s on reminder card %s by %s not recorded: the card belongs to owner %s",
                            click.button, card.id, click.user_id, card.owner_id)
                return ClickOutcome(ClickResult.NOT_OWNER, owner.slack_user_id if owner else None)

            if session.scalar(select(Activity.id).where(Activity.dedup_key == click.dedup_key)) is not None:
                return _duplicate(click)
            _warn_if_other_message(card, click)
            session.add(_click_activity(services, card, click))
    except IntegrityError:
        # A concurrent delivery of the same press committed first.
        return _duplicate(click)

    logger.info("recorded %s by %s on reminder card %s", click.button, click.user_id, click.card_id)
    return ClickOutcome(ClickResult.RECORDED)


def _may_act(card: ReminderCard, owner: Owner | None, user_id: str) -> bool:
    if card.recipient_key.startswith("channel:"):
        return True
    # NOTE: only the owner acts on a direct-message card until roles (finance, admin) are checked.
    return owner is not None and owner.slack_user_id == user_id


def _duplicate(click: CardClick) -> ClickOutcome:
    logger.info("press of %s by %s on reminder card %s already recorded (%s); ignoring the repeat delivery",
                click.button, click.user_id, click.card_id, click.dedup_key)
    return ClickOutcome(ClickResult.DUPLICATE)


def _warn_if_other_message(card: ReminderCard, click: CardClick) -> None:
    if (card.channel, card.message_ts) != (click.channel_id, click.message_ts):
        logger.warning("reminder card %s is stored as message %s in %s but was pressed on message %s in %s",
                       card.id, card.message_ts, card.channel, click.message_ts, click.channel_id)


def _click_activity(services: Services, card: ReminderCard, click: CardClick) -> Activity:
    return Activity(
        occurred_at=services.clock.now(),
        actor=click.user_id,
        action=click.button.activity_action,
        customer_id=card.customer_id,
        owner_id=card.owner_id,
        channel=click.channel_id,
        message_ts=click.message_ts,
        dedup_key=click.dedup_key,
        details={"card_id": card.id, "action_id": click.button.value, "action_ts": click.action_ts},
    )


def redraw_card(services: Services, card_id: int, *, channel: str, message_ts: str) -> bool:
    """Rebuild the card from the store as of today and chat.update the message; return False on a Slack error."""
    with services.sessions() as session:
        card = session.get_one(ReminderCard, card_id)
        last_action = load_last_action(session, channel, message_ts, services.settings.zone)
        data = load_card_data(
            session, services.today(), customer_id=card.customer_id, owner_id=card.owner_id,
            delivery=delivery_for(card), card_id=card.id, last_action=last_action,
            policy=card_policy(services), message=(channel, message_ts), zone=services.settings.zone,
        )

    text, blocks = build_reminder_card(data, get_translator(card.locale))
    try:
        services.slack.chat_update(channel=channel, ts=message_ts, text=text, blocks=blocks)
    except SlackApiError as error:
        logger.error("chat.update failed for reminder card %s (message %s in %s): %s",
                     card_id, message_ts, channel, error.response.get("error"))
        return False
    except (SlackClientError, OSError) as error:
        logger.error("chat.update failed for reminder card %s (message %s in %s): %r",
                     card_id, message_ts, channel, error)
        return False
    return True
