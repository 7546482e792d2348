"""The reminder policy: when invoices are chased, who is reminded, how often, and on which days."""

from __future__ import annotations

import logging
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

import holidays
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.config import SUPPORTED_LOCALES
from bot.i18n import N_
from bot.policy.errors import policy_error
from bot.workdays import DEFAULT_WEEKEND, WorkdayCalendar

log = logging.getLogger(__name__)

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
SLACK_USERGROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
SLACK_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
# Level keys and tier names end up in logs, action values and the database.
POLICY_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
DEFAULT_MINIMUM_KEY = "default"

_warned_unknown_tiers: set[str | None] = set()

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DayCount(StrEnum):
    """The unit in which a level's threshold counts the days after the due date."""

    CALENDAR = "calendar_days"
    WORKING = "working_days"


class Tone(StrEnum):
    """The wording strength of a reminder card."""

    FRIENDLY = "friendly"
    FIRM = "firm"
    FINAL = "final"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Recipients(_Section):
    """The people and channels that get a level's card or a notice of it."""

    # The invoice's owner, or the customer's owner when the invoice has none.
    owner: bool = True
    users: tuple[str, ...] = ()
    usergroup: str | None = None
    channel: str | None = None

    @field_validator("users")
    @classmethod
    def _check_users(cls, users: tuple[str, ...]) -> tuple[str, ...]:
        for position, user in enumerate(users):
            if not SLACK_USER_ID.match(user):
                raise policy_error(
                    N_("is not a Slack user id; copy it from the person's profile (it looks like U0123ABCD)"),
                    at=(position,), value=user,
                )
        return users

    @field_validator("usergroup")
    @classmethod
    def _check_usergroup(cls, usergroup: str | None) -> str | None:
        if usergroup is not None and not SLACK_USERGROUP_ID.match(usergroup):
            raise policy_error(N_("is not a Slack user group id; it looks like S0123ABCD"))
        return usergroup

    @field_validator("channel")
    @classmethod
    def _check_channel(cls, channel: str | None) -> str | None:
        if channel is not None and not SLACK_CHANNEL_ID.match(channel):
            raise policy_error(N_("is not a Slack channel id; copy it from the channel details (it looks like C0123ABCD)"))
        return channel

    @model_validator(mode="after")
    def _check_someone_is_reached(self) -> Recipients:
        if not (self.owner or self.users or self.usergroup or self.channel):
            raise policy_error(
                N_("names nobody; set owner = true or list users, a usergroup or a channel"),
                value={"owner": self.owner},
            )
        if self.usergroup and not self.channel:
            raise policy_error(
                N_("a user group can only be mentioned in a channel; set channel as well"),
                at=("usergroup",), value=self.usergroup,
            )
        return self


class DunningLevel(_Section):
    """One escalation step, reached a number of days after the due date."""

    key: str
    # Either one label for every language or a table of labels by locale (en, zh_CN).
    name: str | dict[str, str]
    threshold_days: int = Field(ge=0)
    counted_in: DayCount = DayCount.CALENDAR
    tone: Tone
    recipients: Recipients = Recipients()

    @field_validator("key")
    @classmethod
    def _check_key(cls, key: str) -> str:
        if not POLICY_KEY.match(key):
            raise policy_error(N_("must be a short lowercase name such as \"finance\" (letters, digits, - and _)"))
        return key

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str | dict[str, str]) -> str | dict[str, str]:
        labels = name if isinstance(name, dict) else {"": name}
        for locale, label in labels.items():
            if locale and locale not in SUPPORTED_LOCALES:
                raise policy_error(
                    N_("is not a supported locale; use %(locales)s"),
                    at=(locale,), value=locale, locales=", ".join(SUPPORTED_LOCALES),
                )
            if not label.strip():
                raise policy_error(N_("must not be empty"), at=(locale,) if locale else (), value=label)
        return name

    def display_name(self, locale: str) -> str:
        """Return the label in `locale`, falling back to English and then to any label given."""
        if isinstance(self.name, str):
            return self.name
        return self.name.get(locale) or self.name.get("en") or next(iter(self.name.values()))


class CustomerTier(_Section):
    """The repeat interval of reminders at the same level, for one customer tier."""

    repeat_interval_days: int = Field(ge=1)


class CalendarPolicy(_Section):
    """The days on which reminders go out; the time zone comes from ARREARS_TIMEZONE."""

    # ISO 3166 code whose public holidays close the office, or none for weekends only.
    country: str | None = None
    subdivision: str | None = None
    # Weekday numbers, Monday = 0; the file names them ("sat", "sun").
    weekend: tuple[int, ...] = tuple(sorted(DEFAULT_WEEKEND))
    closed_dates: tuple[date, ...] = ()
    working_dates: tuple[date, ...] = ()

    @field_validator("country", mode="before")
    @classmethod
    def _normalize_country(cls, country: Any) -> Any:
        if isinstance(country, str):
            return country.strip().upper() or None
        return country

    @field_validator("country")
    @classmethod
    def _check_country(cls, country: str | None) -> str | None:
        if country is not None and country not in holidays.list_supported_countries():
            raise policy_error(N_("is not a country the holidays package knows; use an ISO 3166 code such as CN or US"))
        return country

    @field_validator("weekend", mode="before")
    @classmethod
    def _parse_weekday_names(cls, names: Any) -> Any:
        if not isinstance(names, (list, tuple)):
            return names
        numbers = []
        for position, name in enumerate(names):
            key = name.strip().lower()[:3] if isinstance(name, str) else None
            if key not in WEEKDAY_NAMES:
                raise policy_error(
                    N_("is not a weekday; use %(names)s"),
                    at=(position,), value=name, names=", ".join(WEEKDAY_NAMES),
                )
            numbers.append(WEEKDAY_NAMES.index(key))
        return tuple(sorted(set(numbers)))

    @field_validator("weekend")
    @classmethod
    def _check_weekend(cls, weekend: tuple[int, ...]) -> tuple[int, ...]:
        if len(weekend) == len(WEEKDAY_NAMES):
            raise policy_error(N_("closes every day of the week; leave at least one working weekday"), value=[
                WEEKDAY_NAMES[number] for number in weekend
            ])
        return weekend

    @model_validator(mode="after")
    def _check_calendar(self) -> CalendarPolicy:
        if self.subdivision is not None:
            if self.country is None:
                raise policy_error(N_("needs a country as well"), at=("subdivision",), value=self.subdivision)
            known = holidays.list_supported_countries()[self.country]
            if self.subdivision not in known:
                raise policy_error(
                    N_("is not a subdivision of %(country)s that the holidays package knows; use one of %(known)s"),
                    at=("subdivision",), value=self.subdivision,
                    country=self.country, known=", ".join(known) or "-",
                )
        both = sorted(set(self.closed_dates) & set(self.working_dates))
        if both:
            raise policy_error(
                N_("lists dates that closed_dates lists too; keep each date in one list"),
                at=("working_dates",), value=both,
            )
        return self

    def build(self, language: str | None = None) -> WorkdayCalendar:
        """Build the working-day calendar; `language` is a holidays package code for holiday names."""
        return WorkdayCalendar(
            country=self.country,
            subdivision=self.subdivision,
            weekend=self.weekend,
            closed_dates=self.closed_dates,
            working_dates=self.working_dates,
            language=language,
        )


class ReminderPolicy(_Section):
    """The whole reminder policy, as loaded from a TOML file."""

    # Days before the due date on which a friendly pre-due reminder goes out.
    pre_due_days: tuple[int, ...] = (3,)
    # Calendar days after the promised date before an unpaid promise counts as broken.
    promise_grace_days: int = Field(default=3, ge=0)
    # The tier of customers whose tier the policy does not list.
    default_tier: str = "normal"
    # Open balances below these amounts are not chased: "default" or a currency code, to an amount.
    minimum_open_amount: dict[str, Decimal] = Field(default_factory=lambda: {DEFAULT_MINIMUM_KEY: Decimal(0)})
    calendar: CalendarPolicy = CalendarPolicy()
    tiers: dict[str, CustomerTier]
    levels: tuple[DunningLevel, ...]

    @field_validator("pre_due_days")
    @classmethod
    def _check_pre_due_days(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        for position, count in enumerate(days):
            if count < 1:
                raise policy_error(N_("must be at least 1 (days before the due date)"), at=(position,), value=count)
            if count in days[:position]:
                raise policy_error(N_("is listed twice"), at=(position,), value=count)
        return tuple(sorted(days, reverse=True))

    @field_validator("minimum_open_amount")
    @classmethod
    def _check_minimums(cls, minimums: dict[str, Decimal]) -> dict[str, Decimal]:
        for key, amount in minimums.items():
            if key != DEFAULT_MINIMUM_KEY and not CURRENCY.match(key):
                raise policy_error(
                    N_("is not a currency; use \"default\" or a three-letter ISO 4217 code such as CNY"),
                    at=(key,), value=key,
                )
            if not amount.is_finite() or amount < 0:
                raise policy_error(N_("must be zero or a positive amount"), at=(key,), value=amount)
        return minimums

    @field_validator("tiers")
    @classmethod
    def _check_tier_names(cls, tiers: dict[str, CustomerTier]) -> dict[str, CustomerTier]:
        if not tiers:
            raise policy_error(N_("must list at least one tier, such as [tiers.normal]"))
        for name in tiers:
            if not POLICY_KEY.match(name):
                raise policy_error(
                    N_("is not a valid tier name; use a short lowercase name such as \"strategic\""),
                    at=(name,), value=name,
                )
        return tiers

    @field_validator("levels")
    @classmethod
    def _check_level_order(cls, levels: tuple[DunningLevel, ...]) -> tuple[DunningLevel, ...]:
        if not levels:
            raise policy_error(N_("must list at least one level, as a [[levels]] table"))
        for position, level in enumerate(levels):
            earlier = levels[:position]
            if any(other.key == level.key for other in earlier):
                raise policy_error(N_("is used by an earlier level; each level needs its own key"), at=(position, "key"), value=level.key)
            if earlier and level.threshold_days <= earlier[-1].threshold_days:
                raise policy_error(
                    N_("must be greater than %(previous)s, the threshold of the level before it (\"%(key)s\")"),
                    at=(position, "threshold_days"), value=level.threshold_days,
                    previous=earlier[-1].threshold_days, key=earlier[-1].key,
                )
        return levels

    @model_validator(mode="after")
    def _check_default_tier(self) -> ReminderPolicy:
        if self.default_tier not in self.tiers:
            raise policy_error(
                N_("is not one of the tiers; use %(tiers)s"),
                at=("default_tier",), value=self.default_tier, tiers=", ".join(self.tiers),
            )
        return self

    def level(self, number: int) -> DunningLevel:
        """Return level `number`, counting from 1 in the order the file lists them."""
        if not 1 <= number <= len(self.levels):
            raise IndexError(f"the policy has levels 1 to {len(self.levels)}, not {number}")
        return self.levels[number - 1]

    def tier_for(self, name: str | None) -> CustomerTier:
        """Return the customer's tier, or the default tier when the policy does not list it."""
        tier = self.tiers.get(name or self.default_tier)
        if tier is None:
            # Warn once per tier name, not once per invoice of every such customer.
            if name not in _warned_unknown_tiers:
                _warned_unknown_tiers.add(name)
                log.warning("customer tier %r is not in the policy; using default tier %r", name, self.default_tier)
            return self.tiers[self.default_tier]
        return tier

    def minimum_open_amount_for(self, currency: str) -> Decimal:
        """Return the smallest open balance in `currency` that is still chased."""
        if currency in self.minimum_open_amount:
            return self.minimum_open_amount[currency]
        return self.minimum_open_amount.get(DEFAULT_MINIMUM_KEY, Decimal(0))
