"""The ReminderCard row behind a card of `/arrears mine`, inserted when one of its buttons is pressed.

A queue card is built on request and has no row until someone presses one of its buttons.
The first press inserts a row for the queue's user, the customer and the local day, and
later presses that day reuse it. Its recipient key `queue:<Slack user id>` differs from the
daily run's `owner:<id>` and `channel:...` keys, so the run's claims never meet it. Its
state is `on_request`, and its message_ts stays NULL because an ephemeral message cannot
be changed with chat.update (see bot.queue_redraw for how it is drawn again).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.queue_buttons import QueueCardTarget, parse_queue_button_value
from bot.reminders.buttons import CardButton
from bot.reminders.card_data import card_documents
from bot.reminders.claims import CardState, find_card
from bot.services import Services
from bot.store.db import transaction
from bot.store.models import Customer, ReminderCard
from bot.store.owner_queue import owner_ids_of_user

logger = logging.getLogger(__name__)

QUEUE_RECIPIENT_PREFIX = "queue:"


@dataclass(frozen=True)
class QueueClick:
    """One button press on a queue card, read from a `block_actions` payload."""

    user_id: str
    button: CardButton
    target: QueueCardTarget
    action_ts: str
    # The channel where `/arrears mine` ran, and the ts of its ephemeral reply.
    channel_id: str
    message_ts: str


def parse_queue_click(body: dict[str, Any], action: dict[str, Any]) -> QueueClick:
    """Read a queue card button press from a Slack payload; raise ValueError when a field is missing or invalid."""
    try:
        container = body["container"]
        return QueueClick(
            user_id=str(body["user"]["id"]),
            button=CardButton(action["action_id"]),
            target=parse_queue_button_value(str(action["value"])),
            action_ts=str(action["action_ts"]),
            channel_id=str(container["channel_id"]),
            message_ts=str(container["message_ts"]),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"queue card payload is missing {error}") from error


def queue_recipient_key(slack_user_id: str) -> str:
    return f"{QUEUE_RECIPIENT_PREFIX}{slack_user_id}"


def queue_user_id(card: ReminderCard) -> str | None:
    """Return the Slack user whose queue showed the card, or None for a card the daily run sent."""
    if not card.recipient_key.startswith(QUEUE_RECIPIENT_PREFIX):
        return None
    return card.recipient_key[len(QUEUE_RECIPIENT_PREFIX):]


def queue_card_for(services: Services, target: QueueCardTarget, *, channel: str, locale: str) -> ReminderCard | None:
    """Return today's ReminderCard row for the queue card `target`, inserting it on the first press.

    Returns None when the queue's user owns none of the customer's overdue invoices any more.
    Two concurrent first presses insert one row: the unique key (recipient_key, customer_id,
    sent_on) rejects the second INSERT, and that press reads the winner's row.
    """
    recipient_key = queue_recipient_key(target.slack_user_id)
    today = services.today()
    existing = find_card(services.sessions, recipient_key, target.customer_id, today)
    if existing is not None:
        return existing

    with services.sessions() as session:
        owner_id = queue_card_owner(session, target.slack_user_id, target.customer_id, today)
    if owner_id is None:
        logger.info("queue card of customer %s for %s: the user owns none of its overdue invoices",
                    target.customer_id, target.slack_user_id)
        return None

    now = services.clock.now()
    try:
        with transaction(services.sessions) as session:
            card = ReminderCard(
                recipient_key=recipient_key, owner_id=owner_id, customer_id=target.customer_id, sent_on=today,
                locale=locale, state=CardState.ON_REQUEST, channel=channel, message_ts=None,
                created_at=now, updated_at=now,
            )
            session.add(card)
        logger.info("queue card of customer %s for %s stored as reminder card %s (owner %s)",
                    target.customer_id, target.slack_user_id, card.id, owner_id)
        return card
    except IntegrityError as error:
        winner = find_card(services.sessions, recipient_key, target.customer_id, today)
        if winner is None:
            # The INSERT failed for another reason than the unique key.
            raise error
        return winner


def queue_card_owner(session: Session, slack_user_id: str, customer_id: int, as_of: date) -> int | None:
    """Pick the user's owner row that owns the customer's overdue invoices on `as_of`, or None.

    When several of the user's owner rows own some, the customer's own owner wins, else the lowest id.
    NOTE: the card's forms and Escalate then act only on that owner row's invoices, although
    the queue card lists the invoices of all the user's owner rows.
    """
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None
    owning = [
        owner_id for owner_id in owner_ids_of_user(session, slack_user_id)
        if card_documents(session, as_of, customer_id, owner_id)
    ]
    if customer.owner_id in owning:
        return customer.owner_id
    return owning[0] if owning else None
