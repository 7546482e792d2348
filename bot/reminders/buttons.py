"""The buttons on a reminder card: their action ids, labels, values and activity names."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.i18n import N_


class CardButton(StrEnum):
    """A reminder card button; the value is the Slack `action_id`."""

    LOG_CONTACT = "reminder_log_contact"
    SNOOZE = "reminder_snooze"
    ESCALATE = "reminder_escalate"

    @property
    def label(self) -> str:
        """The untranslated label; show it with `tr.gettext(button.label)`."""
        return _LABELS[self]

    @property
    def activity_action(self) -> str:
        """The `Activity.action` recorded when someone presses this button."""
        return _ACTIVITY_ACTIONS[self]


_LABELS = {
    CardButton.LOG_CONTACT: N_("Log contact"),
    CardButton.SNOOZE: N_("Snooze"),
    CardButton.ESCALATE: N_("Escalate"),
}

_ACTIVITY_ACTIONS = {
    CardButton.LOG_CONTACT: "reminder.log_contact_pressed",
    CardButton.SNOOZE: "reminder.snooze_pressed",
    CardButton.ESCALATE: "reminder.escalate_pressed",
}

PRESSED_ACTIONS = frozenset(_ACTIVITY_ACTIONS.values())

ACTIONS_BLOCK_ID = "reminder_card_actions"
_VALUE_PATTERN = re.compile(r"card:([0-9]{1,18})")


def button_value(card_id: int) -> str:
    """Return the button value that names a reminder card, such as `card:42`."""
    return f"card:{card_id}"


def parse_button_value(value: str) -> int:
    """Return the card id in a button value; raise ValueError for anything else."""
    match = _VALUE_PATTERN.fullmatch(value)
    if match is None:
        raise ValueError(f"invalid reminder card button value {value!r}; expected card:<id>")
    return int(match[1])


def button_for_action_activity(action: str) -> CardButton | None:
    """Return the button whose press was recorded as `action`, or None for other activity."""
    for button, activity_action in _ACTIVITY_ACTIONS.items():
        if activity_action == action:
            return button
    return None
