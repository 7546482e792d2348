"""The `/arrears` slash command and the buttons in its replies: ack at once, then reply ephemerally.

The subcommands and their access rules are in bot.subcommands.router.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from slack_bolt import Ack, App, Respond

from bot.i18n import get_translator
from bot.messages.customer import OPEN_CUSTOMER_ACTION
from bot.messages.errors import failure_message
from bot.messages.invoice import OPEN_INVOICE_ACTION
from bot.permissions import Permissions
from bot.services import Services
from bot.slack.users import user_locale
from bot.subcommands.choices import CHOOSE_CUSTOMER_ACTION
from bot.subcommands.router import (
    COMMAND,
    Asker,
    answer_command,
    answer_customer_action_choice,
    answer_customer_choice,
    answer_invoice_choice,
)

__all__ = ["COMMAND", "register"]

logger = logging.getLogger(__name__)

# Buttons in replies. Each press replaces the reply that contains the button.
CHOICE_ANSWERS: dict[str, Callable[[Asker, str], dict]] = {
    OPEN_CUSTOMER_ACTION: answer_customer_choice,
    OPEN_INVOICE_ACTION: answer_invoice_choice,
    CHOOSE_CUSTOMER_ACTION: answer_customer_action_choice,
}


def register(app: App, services: Services) -> None:
    permissions = Permissions(services)

    @app.command(COMMAND)
    def handle_arrears_command(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        user_id = command.get("user_id", "")
        text = command.get("text") or ""
        # Slack gives every command invocation its own trigger_id.
        request_key = command.get("trigger_id") or f"{user_id}:{services.clock.now().isoformat()}"
        asker = Asker(services, permissions, user_id, request_key)
        _respond_safely(services, respond, user_id, lambda: answer_command(asker, text),
                        context=f"{COMMAND} {text[:50]!r}")

    for action_id, answer in CHOICE_ANSWERS.items():
        app.action(action_id)(_choice_listener(services, permissions, action_id, answer))


def _choice_listener(services: Services, permissions: Permissions, action_id: str,
                     answer: Callable[[Asker, str], dict]):
    def handle_choice(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        user_id = (body.get("user") or {}).get("id", "")
        value = action.get("value", "")
        request_key = f"{action.get('action_ts') or services.clock.now().isoformat()}:{user_id}"
        asker = Asker(services, permissions, user_id, request_key)
        _respond_safely(services, respond, user_id, lambda: answer(asker, value),
                        context=f"{action_id} {value[:50]!r}", replace_original=True)

    return handle_choice


def _respond_safely(services: Services, respond: Respond, user_id: str, build: Callable[[], dict],
                    *, context: str, replace_original: bool | None = None) -> None:
    # The request is acked already, so a failure can only be reported through the response URL.
    try:
        reply = build()
    except Exception:
        logger.exception("building the reply to %s for user %s failed", context, user_id)
        reply = failure_message(get_translator(user_locale(services, user_id)))

    try:
        response = respond(response_type="ephemeral", replace_original=replace_original, **reply)
    except OSError as error:
        logger.error("posting the reply to %s for user %s to the response URL failed: %r", context, user_id, error)
        return
    if response.status_code != 200:
        logger.error("response URL rejected the reply to %s for user %s: HTTP %s %s",
                     context, user_id, response.status_code, str(response.body)[:200])
