"""Recipients of an owner's reminder cards: the owner's Slack user, or else the fallback channel.

An owner's Slack user is `owner.slack_user_id`, else the user that `users.lookupByEmail`
finds for `owner.email` (the id is then stored on the owner). Without either, and for
invoices with no owner at all, the card goes to ARREARS_FALLBACK_CHANNEL. Without that
channel the card cannot be delivered, and the caller must record why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta, timezone

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.reminders.card import Delivery
from bot.services import Services
from bot.slack.users import find_user_by_email, user_locale
from bot.store.db import transaction
from bot.store.models import Owner

logger = logging.getLogger(__name__)

# How long a locale stored on the owner row is used before users.info is asked again.
LOCALE_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Recipient:
    """The destination of one owner's cards, and the language they are written in.

    `key` is the ReminderCard recipient key: `owner:<id>` for a direct message,
    `channel:<channel id>:owner:<id>` for an owner's card in the fallback channel and
    `channel:<channel id>` for invoices without an owner. `post_to` is the Slack user id
    (chat.postMessage opens the direct message) or the channel id. In a dry run it is None
    for an owner whose user would first be looked up by `lookup_email`.
    """

    delivery: Delivery
    key: str
    post_to: str | None
    locale: str
    owner_id: int | None
    owner_name: str | None
    lookup_email: str | None = None


@dataclass(frozen=True)
class Undeliverable:
    """An owner whose cards have nowhere to go, and why, in English for the log and activity."""

    owner_id: int | None
    owner_name: str | None
    reason: str


class RecipientResolver:
    """Resolves owners to recipients once per run, remembering each result for the run.

    With `dry_run=True` it calls no Slack method and writes nothing: an owner known only
    by email is reported with `lookup_email` set instead of being looked up.
    """

    def __init__(self, services: Services, *, dry_run: bool = False) -> None:
        self._services = services
        self._dry_run = dry_run
        self._resolved: dict[int | None, Recipient | Undeliverable] = {}

    def resolve(self, owner_id: int | None) -> Recipient | Undeliverable:
        if owner_id not in self._resolved:
            self._resolved[owner_id] = self._resolve(owner_id)
        return self._resolved[owner_id]

    def _resolve(self, owner_id: int | None) -> Recipient | Undeliverable:
        if owner_id is None:
            return self._fallback(None, Delivery.NO_OWNER)

        with self._services.sessions() as session:
            owner = session.get_one(Owner, owner_id)

        if owner.slack_user_id:
            return self._direct(owner, owner.slack_user_id)
        if self._dry_run and owner.email:
            return Recipient(
                Delivery.DIRECT, f"owner:{owner.id}", None, owner.locale or self._default_locale,
                owner.id, owner.display_name, lookup_email=owner.email,
            )

        user_id = self._find_by_email(owner)
        if user_id:
            return self._direct(owner, user_id)
        return self._fallback(owner, Delivery.NO_SLACK_USER)

    def _direct(self, owner: Owner, user_id: str) -> Recipient:
        return Recipient(
            Delivery.DIRECT, f"owner:{owner.id}", user_id, self._owner_locale(owner, user_id),
            owner.id, owner.display_name,
        )

    def _find_by_email(self, owner: Owner) -> str | None:
        if not owner.email:
            logger.warning("owner %s (%s) has no Slack user id and no email to look one up", owner.id, owner.key)
            return None
        try:
            user_id = find_user_by_email(self._services, owner.email)
        except SlackApiError as error:
            logger.error("users.lookupByEmail failed for owner %s (%s): %s; sending to the fallback channel",
                         owner.id, owner.key, error.response.get("error"))
            return None
        except (SlackClientError, OSError) as error:
            logger.error("users.lookupByEmail failed for owner %s (%s): %r; sending to the fallback channel",
                         owner.id, owner.key, error)
            return None

        if user_id is None:
            logger.warning("no Slack user has the email of owner %s (%s)", owner.id, owner.key)
        else:
            logger.info("owner %s (%s) is Slack user %s, found by email", owner.id, owner.key, user_id)
        self._store_on_owner(owner.id, slack_user_id=user_id)
        return user_id

    def _owner_locale(self, owner: Owner, user_id: str) -> str:
        now = self._services.clock.now()
        checked_at = owner.slack_checked_at
        if checked_at is not None and checked_at.tzinfo is None:
            # SQLite returns naive datetimes; the store writes them in UTC.
            checked_at = checked_at.replace(tzinfo=timezone.utc)
        if owner.locale and checked_at is not None and now - checked_at < LOCALE_MAX_AGE:
            return owner.locale
        if self._dry_run:
            return owner.locale or self._default_locale

        locale = user_locale(self._services, user_id)
        self._store_on_owner(owner.id, locale=locale)
        return locale

    def _store_on_owner(self, owner_id: int, *, slack_user_id: str | None = None, locale: str | None = None) -> None:
        now = self._services.clock.now()
        with transaction(self._services.sessions) as session:
            owner = session.get_one(Owner, owner_id)
            if slack_user_id is not None:
                owner.slack_user_id = slack_user_id
            if locale is not None:
                owner.locale = locale
            owner.slack_checked_at = now
            owner.updated_at = now

    def _fallback(self, owner: Owner | None, delivery: Delivery) -> Recipient | Undeliverable:
        channel = self._services.settings.fallback_channel
        if channel is None:
            return Undeliverable(
                owner.id if owner else None,
                owner.display_name if owner else None,
                _undeliverable_reason(owner),
            )
        key = f"channel:{channel}:owner:{owner.id}" if owner else f"channel:{channel}"
        return Recipient(
            delivery, key, channel, self._default_locale,
            owner.id if owner else None, owner.display_name if owner else None,
        )

    @property
    def _default_locale(self) -> str:
        return self._services.settings.default_locale


def _undeliverable_reason(owner: Owner | None) -> str:
    if owner is None:
        return "the invoices have no owner and ARREARS_FALLBACK_CHANNEL is not set"
    return f"owner {owner.id} ({owner.key}) has no Slack user and ARREARS_FALLBACK_CHANNEL is not set"
