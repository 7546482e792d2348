"""Slack users: the language a user reads, and the user behind an email address."""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot.clock import Clock
from bot.i18n import normalize_locale
from bot.services import Services

logger = logging.getLogger(__name__)

# A user rarely changes their Slack language, and users.info is rate limited (Tier 4).
LOCALE_TTL = timedelta(hours=1)


@dataclass(frozen=True)
class _CachedLocale:
    locale: str
    expires_at: datetime


class LocaleCache:
    """Locales by Slack user id, each kept until LOCALE_TTL has passed on `clock`. Safe across threads."""

    def __init__(self, clock: Clock, ttl: timedelta = LOCALE_TTL) -> None:
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[str, _CachedLocale] = {}

    def get(self, user_id: str) -> str | None:
        with self._lock:
            entry = self._entries.get(user_id)
            if entry is None:
                return None
            if self._clock.now() >= entry.expires_at:
                del self._entries[user_id]
                return None
            return entry.locale

    def put(self, user_id: str, locale: str) -> None:
        with self._lock:
            self._entries[user_id] = _CachedLocale(locale, self._clock.now() + self._ttl)


# One cache per Services, so tests with their own stand-in and clock never share entries.
# Services is an unhashable dataclass, so the registry is keyed by id() and each entry is
# dropped when its Services is garbage-collected.
_caches: dict[int, LocaleCache] = {}
_caches_lock = threading.Lock()


def _locale_cache(services: Services) -> LocaleCache:
    key = id(services)
    with _caches_lock:
        cache = _caches.get(key)
        if cache is None:
            cache = LocaleCache(services.clock)
            _caches[key] = cache
            weakref.finalize(services, _forget_cache, key)
        return cache


def _forget_cache(key: int) -> None:
    with _caches_lock:
        _caches.pop(key, None)


def user_locale(services: Services, user_id: str) -> str:
    """Return the catalog locale of a Slack user from users.info, or the default locale when that call fails."""
    cache = _locale_cache(services)
    cached = cache.get(user_id)
    if cached is not None:
        return cached

    default = services.settings.default_locale
    try:
        response = services.slack.users_info(user=user_id, include_locale=True)
    except SlackApiError as error:
        logger.warning("users.info failed for user %s (%s); using locale %s",
                       user_id, error.response.get("error"), default)
        return default
    except Exception as error:  # noqa: BLE001 - a network failure must not stop the reply
        logger.warning("users.info failed for user %s (%r); using locale %s", user_id, error, default)
        return default

    slack_locale = (response.get("user") or {}).get("locale")
    locale = normalize_locale(slack_locale, default=default)
    cache.put(user_id, locale)
    return locale


def find_user_by_email(services: Services, email: str) -> str | None:
    """Return the Slack user id registered with `email`, or None when no user has it.

    Raises SlackApiError for every other failure (a missing users:read.email scope, a bad token).
    """
    try:
        response = services.slack.users_lookupByEmail(email=email)
    except SlackApiError as error:
        if error.response.get("error") == "users_not_found":
            return None
        raise
    return response["user"]["id"]
