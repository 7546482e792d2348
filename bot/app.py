"""The Bolt app: Slack credentials, the shared Web API client, and every handler module."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App

import bot.handlers
from bot.services import Services

logger = logging.getLogger(__name__)

# Bolt acks only once a listener thread has picked up the request, and each listener keeps
# its thread while it does the slow work after the ack. Bolt's default of 5 threads made a
# burst of 6 slow replies miss Slack's 3-second ack deadline, so the pool is larger.
# NOTE: more than this many replies waiting on Slack or the database at once still delay acks.
LISTENER_THREADS = 32


def create_app(services: Services) -> App:
    """Build the Bolt app on `services.slack`, with signature checks on and every handler registered.

    Raises ConfigError when SLACK_BOT_TOKEN or SLACK_SIGNING_SECRET is missing.
    """
    settings = services.settings
    settings.require_slack()

    app = App(
        name="arrears",
        logger=logging.getLogger("bot.bolt"),
        # The shared client carries SLACK_API_URL and the retry policy, and Bolt takes the token from it.
        client=services.slack,
        signing_secret=settings.slack_signing_secret,
        # Bolt's RequestVerification middleware stays on, as by default. It returns 401 for a bad
        # signature and for a timestamp more than 5 minutes from now, which stops replays.
        request_verification_enabled=True,
        # Bolt sends the HTTP response as soon as a listener acks, and the listener's slow work continues after.
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="bolt-listener"),
    )
    register_handlers(app, services)
    return app


def register_handlers(app: App, services: Services) -> None:
    """Call `register(app, services)` of every public module in bot/handlers/, in name order."""
    for module_info in sorted(pkgutil.iter_modules(bot.handlers.__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bot.handlers.{module_info.name}")
        register = getattr(module, "register", None)
        if register is None:
            raise TypeError(
                f"bot.handlers.{module_info.name} has no register(app, services); "
                "add one, or prefix the module name with _ if it is a helper"
            )
        register(app, services)
        logger.debug("registered handlers of bot.handlers.%s", module_info.name)
