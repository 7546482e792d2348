"""The reminder policy: dunning levels, customer tiers, minimums, promise grace and the calendar."""

from bot.policy.errors import PolicyError, PolicyProblem
from bot.policy.loading import default_policy_text, load_default_policy, load_policy, parse_policy
from bot.policy.model import (
    CalendarPolicy,
    CustomerTier,
    DayCount,
    DunningLevel,
    Recipients,
    ReminderPolicy,
    Tone,
)

__all__ = [
    "CalendarPolicy",
    "CustomerTier",
    "DayCount",
    "DunningLevel",
    "PolicyError",
    "PolicyProblem",
    "Recipients",
    "ReminderPolicy",
    "Tone",
    "default_policy_text",
    "load_default_policy",
    "load_policy",
    "parse_policy",
]
