"""The outcome of a reminder run: what happened to each group's card."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    # The card's level sends no card to the owner; its other recipients got the level's notice.
    NOTICE_ONLY = "notice_only"
    WOULD_SEND = "would_send"
    ALREADY_CLAIMED = "already_claimed"
    SKIPPED = "skipped"
    FAILED = "failed"
    UNDELIVERABLE = "undeliverable"


@dataclass(frozen=True)
class ReminderDelivery:
    """The outcome of one group's card in a run."""

    owner_id: int | None
    customer_id: int
    outcome: DeliveryOutcome
    recipient_key: str | None = None
    card_id: int | None = None
    channel: str | None = None
    message_ts: str | None = None
    # For skipped, failed and undeliverable cards: the reason or the Slack error, in English.
    reason: str | None = None
    # The planned decision of the card: "pre_due", "level" or "repeat", and its dunning level.
    kind: str | None = None
    level: int | None = None


@dataclass
class ReminderRunResult:
    as_of: date
    dry_run: bool
    deliveries: list[ReminderDelivery] = field(default_factory=list)
    # How many invoices were left unchased, per skip reason (bot.dunning.SkipReason values and "not_open").
    skipped: Mapping[str, int] = field(default_factory=dict)
    # True when `as_of` is not a working day in the policy's calendar; nothing is sent then unless `forced`.
    not_working_day: bool = False
    holiday_name: str | None = None
    forced: bool = False

    def count(self, outcome: DeliveryOutcome) -> int:
        return sum(1 for delivery in self.deliveries if delivery.outcome is outcome)
