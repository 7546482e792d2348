"""The HTTP side of the bot: Slack requests at /slack/events and a health check at /healthz."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any, Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from waitress import wasyncore
from waitress.server import create_server

from bot.services import Services

logger = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def create_wsgi_app(bolt_app: App, services: Services) -> WsgiApp:
    """Route POST /slack/events to Bolt and GET /healthz to the health check, and return 404 for the rest."""
    slack_handler = SlackRequestHandler(bolt_app, path=SLACK_EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        route = (environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        if route == ("POST", SLACK_EVENTS_PATH):
            return slack_handler(environ, start_response)
        if route == ("GET", HEALTH_PATH):
            return _health(services, start_response)
        return _json_response(start_response, "404 Not Found", {"error": "not found"})

    return application


def _health(services: Services, start_response: Callable[..., Any]) -> Iterable[bytes]:
    try:
        with services.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        logger.error("health check failed: database unreachable (%s)", error.__class__.__name__, exc_info=True)
        return _json_response(start_response, "503 Service Unavailable", {"status": "unavailable", "database": "error"})
    return _json_response(start_response, "200 OK", {"status": "ok", "database": "ok"})


def _json_response(start_response: Callable[..., Any], status: str, payload: dict[str, Any]) -> Iterable[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class HttpServer:
    """A waitress server for a WSGI app that another thread can stop.

    Port 0 binds an ephemeral port; `url` then reports the one the OS chose.
    """

    def __init__(self, wsgi_app: WsgiApp, host: str, port: int, threads: int = 8) -> None:
        self._server = create_server(wsgi_app, host=host, port=port, threads=threads)
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host = self._server.effective_host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self._server.effective_port}"

    def serve_forever(self) -> None:
        """Serve requests until stop() is called from another thread."""
        try:
            self._server.run()
        finally:
            self._stopped.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Close the listening socket and wait for the serving thread and the worker threads to finish."""
        # The map of sockets belongs to the serving thread's loop, so it is closed from that thread.
        # The trigger runs the callback there, and the loop ends once the map is empty.
        # NOTE: `_map` is private to waitress (checked with 3.0), which offers no public way to stop.
        try:
            self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))
        except OSError as error:
            # The serving loop has ended and closed its trigger already, so there is nothing left to wake.
            logger.debug("HTTP server at %s was already closing: %s", self.url, error)
        if not self._stopped.wait(timeout):
            logger.warning("HTTP server at %s did not stop within %s seconds", self.url, timeout)
        self._server.task_dispatcher.shutdown()
