"""The request every subcommand receives: the services, the user with their roles and language, and the typed text."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Translator
from bot.permissions import Permissions, Role
from bot.services import Services


@dataclass(frozen=True)
class SlashRequest:
    services: Services
    permissions: Permissions
    tr: Translator
    user_id: str
    # The text after the subcommand name, stripped, or empty when there is none.
    argument: str
    # Unique per slash command (its trigger_id) or button press; recorded changes use it as their dedup key.
    request_key: str
    # Empty for subcommands open to everyone, which skip the role look-up.
    roles: frozenset[Role] = frozenset()
