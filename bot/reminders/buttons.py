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
    DISPUTE = "reminder_dispute"
    RESOLVE_DISPUTE = "reminder_resolve_dispute"

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
    CardButton.DISPUTE: N_("Dispute"),
    CardButton.RESOLVE_DISPUTE: N_("Resolve dispute"),
}

_ACTIVITY_ACTIONS = {
    CardButton.LOG_CONTACT: "reminder.log_contact_pressed",
    CardButton.SNOOZE: "reminder.snooze_pressed",
    CardButton.ESCALATE: "reminder.escalate_pressed",
    CardButton.DISPUTE: "reminder.dispute_pressed",
    CardButton.RESOLVE_DISPUTE: "reminder.resolve_dispute_pressed",
}

# The buttons that open a form (a modal) rather than acting at once.
FORM_BUTTONS = frozenset({CardButton.LOG_CONTACT, CardButton.SNOOZE, CardButton.DISPUTE})

PRESSED_ACTIONS = frozenset(_ACTIVITY_ACTIONS.values())

ACTIONS_BLOCK_ID = "reminder_card_actions"
# "card:<id>", and for Escalate "card:<id>:to:<level>" with the level the card offers to escalate to.
_VALUE_PATTERN = re.compile(r"card:([0-9]{1,18})(?::to:([0-9]{1,4}))?")


def button_value(card_id: int, target_level: int | None = None) -> str:
    """Return the button value that names a reminder card, such as `card:42` or `card:42:to:2`."""
    if target_level is None:
        return f"card:{card_id}"
    return f"card:{card_id}:to:{target_level}"


def parse_button_value(value: str) -> int:
    """Return the card id in a button value; raise ValueError for anything else."""
    return _match_value(value)[0]


def parse_target_level(value: str) -> int | None:
    """Return the dunning level an Escalate button offers, or None when the value names none."""
    return _match_value(value)[1]


def _match_value(value: str) -> tuple[int, int | None]:
    match = _VALUE_PATTERN.fullmatch(value)
    if match is None:
        raise ValueError(f"invalid reminder card button value {value!r}; expected card:<id> or card:<id>:to:<level>")
    return int(match[1]), int(match[2]) if match[2] is not None else None


def button_for_action_activity(action: str) -> CardButton | None:
    """Return the button whose press was recorded as `action`, or None for other activity."""
    for button, activity_action in _ACTIVITY_ACTIONS.items():
        if activity_action == action:
            return button
    return None
