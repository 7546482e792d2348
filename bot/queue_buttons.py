"""Reminder card buttons on `/arrears mine`, where the cards are built on request and have no ReminderCard row.

A sent reminder card's buttons carry `card:<ReminderCard id>` (bot.reminders.buttons). A card
in `/arrears mine` is built for the user who ran the command, so its buttons carry
`queue:<customer id>:<Slack user id>` instead: the customer, and the user whose invoices of
that customer the card lists (the invoices whose effective owner has that Slack user id). A
handler of the card buttons can act on the same invoices from these two ids. The action ids
stay the CardButton values, so one listener receives presses on both kinds of card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUEUE_VALUE_PREFIX = "queue:"
# Each card's actions block needs a block_id that is unique within the message.
QUEUE_ACTIONS_BLOCK_PREFIX = "queue_card_actions:"
_VALUE_PATTERN = re.compile(r"queue:([0-9]{1,18}):([A-Z0-9]{1,32})")


@dataclass(frozen=True)
class QueueCardTarget:
    customer_id: int
    slack_user_id: str


def queue_button_value(customer_id: int, slack_user_id: str) -> str:
    """Return the button value of a queue card, such as `queue:42:U0123ABCD`."""
    return f"{QUEUE_VALUE_PREFIX}{customer_id}:{slack_user_id}"


def is_queue_button_value(value: str) -> bool:
    return value.startswith(QUEUE_VALUE_PREFIX)


def parse_queue_button_value(value: str) -> QueueCardTarget:
    """Return the customer and user a queue card button names; raise ValueError for anything else."""
    match = _VALUE_PATTERN.fullmatch(value)
    if match is None:
        raise ValueError(f"invalid queue card button value {value!r}; expected queue:<customer id>:<Slack user id>")
    return QueueCardTarget(customer_id=int(match[1]), slack_user_id=match[2])


def queue_actions_block_id(customer_id: int) -> str:
    return f"{QUEUE_ACTIONS_BLOCK_PREFIX}{customer_id}"
