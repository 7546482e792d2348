"""The App Home tab: published with views.publish each time a user opens it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.home_overview import load_home_overview
from bot.i18n import get_translator
from bot.messages.home import home_view, outsider_home_view
from bot.permissions import Permissions
from bot.reminders.card_data import card_policy
from bot.services import Services
from bot.slack.users import user_locale
from bot.subcommands.access import BALANCE_READER_ROLES, may_read_balances

logger = logging.getLogger(__name__)


def build_home(services: Services, permissions: Permissions, user_id: str) -> dict:
    """Build the Home tab view of a user: their receivables with a role, an explanation without one."""
    tr = get_translator(user_locale(services, user_id))
    with services.sessions() as session:
        roles = permissions.roles_of(session, user_id)
        if not may_read_balances(roles):
            return outsider_home_view(tr, [tr.gettext(role.label) for role in BALANCE_READER_ROLES])
        overview = load_home_overview(session, user_id, roles, services.today(),
                                      services.settings.default_currency, card_policy(services))
    return home_view(tr, overview)


def publish_home(services: Services, permissions: Permissions, user_id: str) -> bool:
    """Build and publish a user's Home tab; return False when building or views.publish failed (logged)."""
    try:
        view = build_home(services, permissions, user_id)
    except Exception:
        logger.exception("building the Home tab of user %s failed", user_id)
        return False

    try:
        services.slack.views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        logger.error("views.publish failed for the Home tab of user %s: %s %s", user_id,
                     error.response.get("error"), error.response.get("response_metadata"))
        return False
    except (SlackClientError, OSError) as error:
        logger.error("views.publish failed for the Home tab of user %s: %r", user_id, error)
        return False
    logger.debug("published the Home tab of user %s (%d blocks)", user_id, len(view["blocks"]))
    return True


def register(app: App, services: Services) -> None:
    permissions = Permissions(services)

    @app.event("app_home_opened")
    def handle_app_home_opened(event: dict[str, Any]) -> None:
        # Slack sends this event for the Messages tab too, which has no view to publish.
        if event.get("tab") != "home":
            return
        user_id = event.get("user")
        if not user_id:
            logger.warning("app_home_opened event without a user (tab %s); nothing published", event.get("tab"))
            return
        publish_home(services, permissions, user_id)
