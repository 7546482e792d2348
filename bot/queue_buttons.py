"""Reminder card buttons on `/arrears mine`, whose cards are built on request without a ReminderCard row.

A sent reminder card's buttons carry `card:<ReminderCard id>`, and Escalate carries
`card:<id>:to:<level>` (bot.reminders.buttons). A card in `/arrears mine` has no row when
it is shown, so its buttons carry `queue:<customer id>:<Slack user id>` instead, and
Escalate carries `queue:<customer id>:<Slack user id>:to:<level>`. The card lists the
customer's invoices whose effective owner has that Slack user id. The action ids stay the
CardButton values, so the listeners in bot.handlers.reminder_actions receive presses on
both kinds of card. On a `queue:` press they find or insert the day's ReminderCard row for
that user and customer (bot.queue_cards) and run the same workflow on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUEUE_VALUE_PREFIX = "queue:"
# Each card's actions block needs a block_id that is unique within the message.
QUEUE_ACTIONS_BLOCK_PREFIX = "queue_card_actions:"
_VALUE_PATTERN = re.compile(r"queue:([0-9]{1,18}):([A-Z0-9]{1,32})(?::to:([0-9]{1,4}))?")


@dataclass(frozen=True)
class QueueCardTarget:
    customer_id: int
    slack_user_id: str
    # The dunning level an Escalate button offers, or None on the other buttons.
    target_level: int | None = None


def queue_button_value(customer_id: int, slack_user_id: str, target_level: int | None = None) -> str:
    """Return the button value of a queue card, such as `queue:42:U0123ABCD` or `queue:42:U0123ABCD:to:2`."""
    value = f"{QUEUE_VALUE_PREFIX}{customer_id}:{slack_user_id}"
    return value if target_level is None else f"{value}:to:{target_level}"


def is_queue_button_value(value: str) -> bool:
    return value.startswith(QUEUE_VALUE_PREFIX)


def parse_queue_button_value(value: str) -> QueueCardTarget:
    """Return the customer and user a queue card button names; raise ValueError for anything else."""
    match = _VALUE_PATTERN.fullmatch(value)
    if match is None:
        raise ValueError(
            f"invalid queue card button value {value!r}; expected queue:<customer id>:<Slack user id>[:to:<level>]"
        )
    target_level = int(match[3]) if match[3] is not None else None
    return QueueCardTarget(customer_id=int(match[1]), slack_user_id=match[2], target_level=target_level)


def queue_actions_block_id(customer_id: int) -> str:
    return f"{QUEUE_ACTIONS_BLOCK_PREFIX}{customer_id}"
