"""Presses on a reminder card's buttons: reading them from the payload, and redrawing the card afterwards.

What each button does is in `bot.reminders.card_actions`; the handler is
`bot.handlers.reminder_actions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.i18n import get_translator
from bot.reminders.buttons import CardButton, parse_button_value
from bot.reminders.card import build_reminder_card
from bot.reminders.card_data import card_policy, delivery_for, load_card_data, load_last_action
from bot.reminders.group_card import load_sent_card, stored_card_plan
from bot.services import Services
from bot.store.models import ReminderCard

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardClick:
    """One button press on a reminder card, read from a `block_actions` payload."""

    user_id: str
    button: CardButton
    card_id: int
    action_ts: str
    channel_id: str
    message_ts: str


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


def redraw_card(services: Services, card_id: int, *, channel: str, message_ts: str) -> bool:
    """Rebuild the card from the store as of today and chat.update the message; return False on a Slack error.

    The card keeps the invoices and tone it was sent with (see `load_sent_card`).
    """
    policy = card_policy(services)
    zone = services.settings.zone
    with services.sessions() as session:
        card = session.get_one(ReminderCard, card_id)
        last_action = load_last_action(session, channel, message_ts, zone)
        plan = stored_card_plan(card)
        if plan is not None:
            data = load_sent_card(
                session, card, plan, services.today(), delivery=delivery_for(card), policy=policy,
                last_action=last_action, message=(channel, message_ts), zone=zone,
            )
        else:
            # A card sent before plans were stored shows the owner's overdue invoices still to chase.
            data = load_card_data(
                session, services.today(), customer_id=card.customer_id, owner_id=card.owner_id,
                delivery=delivery_for(card), card_id=card.id, last_action=last_action,
                policy=policy, message=(channel, message_ts), zone=zone,
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
