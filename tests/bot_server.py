"""The real bot (Bolt app, WSGI routes, waitress) on loopback, talking to a SlackStandIn.

Use the `bot_server` fixture from tests/conftest.py, or `running_bot(services, standin)` directly.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from bot.app import create_app
from bot.services import Services
from bot.web import SLACK_EVENTS_PATH, HttpServer, create_wsgi_app
from tests.slack_requests import HttpResult, SlackSender
from tests.slack_standin import SlackStandIn

BOT_TOKEN = "xoxb-arrears-test"
SIGNING_SECRET = "arrears-test-signing-secret"


def slack_settings(standin: SlackStandIn) -> dict[str, str]:
    """Settings overrides that point the bot at the stand-in, for `make_services(database_url, **...)`."""
    return {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": standin.api_url,
    }


@dataclass
class BotServer:
    url: str
    sender: SlackSender
    services: Services
    standin: SlackStandIn

    @property
    def events_url(self) -> str:
        return self.url + SLACK_EVENTS_PATH

    def get(self, path: str) -> HttpResult:
        """Send a GET request to the bot, returning any status instead of raising."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return HttpResult(response.status, response.read().decode(), 0.0)
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, error.read().decode(), 0.0)

    def last_response(self, response_url: str) -> dict:
        """Wait for the bot to post to `response_url` and return the latest payload it posted there."""
        path = response_url[len(self.standin.base_url):]

        def posted() -> list[dict]:
            return [response for response in list(self.standin.responses) if response["url"] == path]

        return self.standin.wait_for(posted, timeout=10)[-1]


@contextmanager
def running_bot(services: Services, standin: SlackStandIn) -> Iterator[BotServer]:
    """Serve the bot on 127.0.0.1 at an ephemeral port until the block ends."""
    bolt_app = create_app(services)
    server = HttpServer(create_wsgi_app(bolt_app, services), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, name="bot-http", daemon=True)
    thread.start()
    try:
        yield BotServer(
            url=server.url,
            sender=SlackSender(server.url + SLACK_EVENTS_PATH, SIGNING_SECRET),
            services=services,
            standin=standin,
        )
    finally:
        server.stop()
        thread.join(timeout=10)


def response_text(payload: dict) -> str:
    """All text of a respond() payload, blocks included, for assertions."""
    return payload.get("text", "") + "\n" + json.dumps(payload.get("blocks", []), ensure_ascii=False)
