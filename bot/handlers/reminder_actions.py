"""The reminder card's buttons: Log contact, Snooze and Escalate.

Each press is acknowledged at once, then recorded in the activity log and shown on the card,
which is redrawn from the store. Recording is all the buttons do so far.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.i18n import get_translator
from bot.reminders.buttons import CardButton
from bot.reminders.clicks import ClickResult, parse_click, record_click, redraw_card
from bot.services import Services
from bot.slack.users import user_locale

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    listener = _card_button_listener(services)
    for button in CardButton:
        app.action(button.value)(listener)


def _card_button_listener(services: Services):
    def on_card_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        try:
            click = parse_click(body, action)
        except ValueError as error:
            logger.warning("ignoring reminder card button press: %s", error)
            return

        outcome = record_click(services, click)
        if outcome.result is ClickResult.RECORDED:
            redraw_card(services, click.card_id, channel=click.channel_id, message_ts=click.message_ts)
        elif outcome.result is ClickResult.NOT_OWNER:
            tr = get_translator(user_locale(services, click.user_id))
            owner = f"<@{outcome.owner_user_id}>" if outcome.owner_user_id else tr.gettext("its owner")
            respond(text=tr.gettext("This reminder card belongs to %(owner)s, so your press was not recorded.")
                    % {"owner": owner}, response_type="ephemeral", replace_original=False)
        elif outcome.result is ClickResult.UNKNOWN_CARD:
            tr = get_translator(user_locale(services, click.user_id))
            respond(text=tr.gettext("This reminder card is no longer in the database, so your press was not recorded."),
                    response_type="ephemeral", replace_original=False)

    return on_card_button
