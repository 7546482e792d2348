"""Roles and the permission checks built on them, resolved against Slack user groups.

Roles come from ARREARS_FINANCE, ARREARS_LEGAL and ARREARS_ADMINS, each a list of Slack
user ids or user group ids. The owner role is not configured: a user is an owner when an
owner row in the store carries their Slack user id.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.services import Services
from bot.store.models import Owner

logger = logging.getLogger(__name__)

# Group membership changes rarely, and usergroups.users.list is rate limited (Tier 2).
USERGROUP_TTL = timedelta(minutes=10)


class Role(StrEnum):
    OWNER = "owner"
    FINANCE = "finance"
    LEGAL = "legal"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """The untranslated role name; show it with `tr.gettext(role.label)`."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OWNER: N_("invoice owner"),
    Role.FINANCE: N_("finance"),
    Role.LEGAL: N_("legal"),
    Role.ADMIN: N_("admin"),
}


@dataclass(frozen=True)
class _CachedMembers:
    members: frozenset[str]
    expires_at: datetime


class UsergroupCache:
    """Members of Slack user groups, fetched with usergroups.users.list and kept for USERGROUP_TTL."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._lock = threading.Lock()
        self._entries: dict[str, _CachedMembers] = {}

    def members(self, usergroup_id: str) -> frozenset[str]:
        now = self._services.clock.now()
        with self._lock:
            entry = self._entries.get(usergroup_id)
            if entry is not None and now < entry.expires_at:
                return entry.members
        try:
            response = self._services.slack.usergroups_users_list(usergroup=usergroup_id)
            members = frozenset(response.get("users") or ())
        except SlackApiError as error:
            # Fail closed: a group that cannot be read grants its role to no one until the next look-up.
            logger.error("usergroups.users.list failed for usergroup=%s: %s", usergroup_id, error.response.get("error"))
            return frozenset()
        with self._lock:
            self._entries[usergroup_id] = _CachedMembers(members, now + USERGROUP_TTL)
        return members


class Permissions:
    """Role checks for one running bot; create one per Services and reuse it."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._usergroups = UsergroupCache(services)

    def roles_of(self, session: Session, user_id: str) -> frozenset[Role]:
        settings = self._services.settings
        roles = set()
        for role, principals in ((Role.FINANCE, settings.finance), (Role.LEGAL, settings.legal),
                                 (Role.ADMIN, settings.admins)):
            if self._is_among(user_id, principals):
                roles.add(role)
        if session.scalar(select(Owner.id).where(Owner.slack_user_id == user_id).limit(1)) is not None:
            roles.add(Role.OWNER)
        return frozenset(roles)

    def is_among(self, user_id: str, principals: tuple[str, ...]) -> bool:
        """Return True when the user is one of `principals` (user ids) or a member of one of its user groups (S…)."""
        return self._is_among(user_id, principals)

    def _is_among(self, user_id: str, principals: tuple[str, ...]) -> bool:
        if user_id in principals:
            return True
        return any(
            user_id in self._usergroups.members(principal)
            for principal in principals
            if principal.startswith("S")
        )


def can_read_balances(roles: frozenset[Role]) -> bool:
    """Return whether the roles may read balances: owners, finance, legal and admins may, and anyone else may not."""
    return bool(roles)


def can_resolve_dispute(roles: frozenset[Role]) -> bool:
    """Finance decides whether a disputed invoice is chased again, and admins may too."""
    return bool(roles & {Role.FINANCE, Role.ADMIN})


def can_act_on_card(roles: frozenset[Role], user_id: str, card_owner_user_id: str | None) -> bool:
    """Return whether the user may act on a card: an owner on their own cards, finance and admins on any card."""
    if roles & {Role.FINANCE, Role.ADMIN}:
        return True
    return card_owner_user_id is not None and user_id == card_owner_user_id


def required_role_to_escalate(next_level_key: str) -> Role | None:
    """Return the role that escalating to `next_level_key` needs beyond acting on the card, if any.

    Only the people of the next level (legal) or admins can hand an invoice to legal.
    """
    if next_level_key == Role.LEGAL:
        return Role.LEGAL
    return None


def can_escalate(roles: frozenset[Role], user_id: str, card_owner_user_id: str | None, next_level_key: str) -> bool:
    """Return True when the user may move a card's invoices up to the level `next_level_key`.

    Admins always may. Escalating to legal needs the legal role; any other level needs
    the right to act on the card. `bot.reminders.access` also lets the people a policy
    level names escalate to that level.
    """
    if Role.ADMIN in roles:
        return True
    required = required_role_to_escalate(next_level_key)
    if required is not None:
        return required in roles
    return can_act_on_card(roles, user_id, card_owner_user_id)
