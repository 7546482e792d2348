"""Access rules for a reminder card's buttons, and the "not allowed" message that names the role needed.

An owner acts on their own cards, and finance and admins on any card. A card in the
fallback channel has no owner in Slack, so anyone who can see it may act on it. Escalating
to legal needs the legal role, a place among the people the legal level names, or admin.
Resolving a dispute needs finance or admin.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.i18n import Translator
from bot.permissions import (
    Permissions,
    Role,
    can_act_on_card,
    can_escalate,
    can_resolve_dispute,
    required_role_to_escalate,
)
from bot.policy import DunningLevel
from bot.store.models import Owner, ReminderCard

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Denial:
    """Why a user may not act: the roles that would allow it, and what they tried."""

    roles: tuple[Role, ...]
    owner_user_id: str | None = None
    level_name: str | None = None

    def message(self, tr: Translator) -> str:
        roles = ", ".join(tr.gettext(role.label) for role in self.roles)
        if self.level_name is not None:
            return tr.gettext(
                "Escalating to %(level)s needs one of these roles: %(roles)s. Nothing was changed."
            ) % {"level": self.level_name, "roles": roles}
        if self.owner_user_id is not None:
            return tr.gettext(
                "This card belongs to <@%(owner)s>. Acting on it needs one of these roles: %(roles)s. "
                "Nothing was changed."
            ) % {"owner": self.owner_user_id, "roles": roles}
        return tr.gettext("This needs one of these roles: %(roles)s. Nothing was changed.") % {"roles": roles}


def card_owner_user_id(session: Session, card: ReminderCard) -> str | None:
    owner = session.get(Owner, card.owner_id) if card.owner_id is not None else None
    return owner.slack_user_id if owner else None


def check_card_access(permissions: Permissions, session: Session, card: ReminderCard, user_id: str) -> Denial | None:
    """Return None when the user may act on the card, else the Denial to show them."""
    if card.recipient_key.startswith("channel:"):
        return None
    owner_user_id = card_owner_user_id(session, card)
    if owner_user_id is not None and owner_user_id == user_id:
        # Checked first because reading roles may ask Slack for user group members.
        return None
    roles = permissions.roles_of(session, user_id)
    if can_act_on_card(roles, user_id, owner_user_id):
        return None
    logger.info("user %s may not act on reminder card %s (owner user %s, roles %s)",
                user_id, card.id, owner_user_id, sorted(roles))
    return Denial((Role.OWNER, Role.FINANCE, Role.ADMIN), owner_user_id=owner_user_id)


def check_escalation_access(
    permissions: Permissions,
    session: Session,
    card: ReminderCard,
    user_id: str,
    next_level: DunningLevel,
    locale: str,
) -> Denial | None:
    """Return None when the user may escalate the card to `next_level`, else the Denial."""
    required = required_role_to_escalate(next_level.key)
    if required is None:
        return check_card_access(permissions, session, card, user_id)

    roles = permissions.roles_of(session, user_id)
    owner_user_id = card_owner_user_id(session, card)
    if can_escalate(roles, user_id, owner_user_id, next_level.key):
        return None
    recipients = next_level.recipients
    named = recipients.users + ((recipients.usergroup,) if recipients.usergroup else ())
    if named and permissions.is_among(user_id, named):
        return None
    logger.info("user %s may not escalate reminder card %s to level %s (roles %s)",
                user_id, card.id, next_level.key, sorted(roles))
    return Denial((required, Role.ADMIN), level_name=next_level.display_name(locale))


def check_resolve_access(permissions: Permissions, session: Session, card: ReminderCard, user_id: str) -> Denial | None:
    roles = permissions.roles_of(session, user_id)
    if can_resolve_dispute(roles):
        return None
    logger.info("user %s may not resolve disputes on reminder card %s (roles %s)", user_id, card.id, sorted(roles))
    return Denial((Role.FINANCE, Role.ADMIN))
