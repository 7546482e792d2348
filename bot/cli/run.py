"""`arrears run`: serve Slack requests and run the scheduled jobs until SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import signal
import threading
from urllib.error import URLError

import click
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.error import BoltError

from bot.app import create_app
from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.config import ConfigError
from bot.jobs.scheduler import create_scheduler
from bot.policy import PolicyError, load_policy
from bot.services import Services
from bot.store.migrate import upgrade
from bot.web import SLACK_EVENTS_PATH, HttpServer, create_wsgi_app
from bot.workdays import WorkdayCalendar

logger = logging.getLogger(__name__)


class BotRunner:
    """The long-running bot: the scheduler plus HTTP on a port, or Socket Mode when SLACK_APP_TOKEN is set.

    The constructor binds the HTTP port, so a port in use fails before anything starts.
    `run()` blocks until `stop()` is called, from a signal handler or another thread.
    """

    def __init__(self, services: Services, host: str = "0.0.0.0", port: int | None = None,
                 calendar: WorkdayCalendar | None = None) -> None:
        settings = services.settings
        self.services = services
        self.app: App = create_app(services)
        self.scheduler = create_scheduler(services, calendar)
        self._stopping = threading.Event()
        self._http: HttpServer | None = None
        self._socket_mode: SocketModeHandler | None = None
        if settings.socket_mode:
            self._socket_mode = SocketModeHandler(self.app, settings.slack_app_token)
        else:
            wsgi_app = create_wsgi_app(self.app, services)
            self._http = HttpServer(wsgi_app, host, settings.port if port is None else port)

    @property
    def mode(self) -> str:
        return "socket" if self._socket_mode is not None else "http"

    @property
    def url(self) -> str | None:
        """The base URL of the HTTP server, or None in Socket Mode."""
        return self._http.url if self._http is not None else None

    def run(self) -> None:
        """Start the scheduler and the Slack transport, and block until stop() is called."""
        self.scheduler.start()
        serving: threading.Thread | None = None
        try:
            if self._http is not None:
                serving = threading.Thread(target=self._serve_http, name="http", daemon=True)
                serving.start()
                logger.info("serving Slack requests at %s%s", self._http.url, SLACK_EVENTS_PATH)
            else:
                self._socket_mode.connect()
                logger.info("connected to Slack in Socket Mode")
            self._stopping.wait()
        finally:
            self._shut_down(serving)

    def stop(self) -> None:
        """Ask run() to shut down. Safe to call from a signal handler."""
        self._stopping.set()

    def _serve_http(self) -> None:
        try:
            self._http.serve_forever()
        finally:
            # If the server dies on its own, the whole bot stops instead of running without HTTP.
            self._stopping.set()

    def _shut_down(self, serving: threading.Thread | None) -> None:
        logger.info("shutting down")
        if self._http is not None:
            self._http.stop()
        if serving is not None:
            serving.join(timeout=10)
        if self._socket_mode is not None:
            self._socket_mode.close()
        # Wait for a running job, so a digest or reminder run is not cut off between claim and send.
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        logger.info("stopped")


@main.command("run")
@click.option("--host", default="0.0.0.0", show_default=True,
              help="Address the HTTP server listens on; the port comes from PORT. Ignored in Socket Mode.")
@pass_cli
def run_command(cli: CliContext, host: str) -> None:
    """Serve Slack requests and post the digest and reminders on schedule.

    Serves HTTP at /slack/events on PORT, or connects in Socket Mode when
    SLACK_APP_TOKEN is set. Upgrades the database schema first.
    """
    tr = cli.translator
    settings = cli.settings
    try:
        settings.require_slack()
    except ConfigError as error:
        raise click.ClickException(str(error)) from error

    try:
        # Checked before anything contacts Slack, so a mistyped ARREARS_POLICY_FILE is the error shown.
        load_policy(settings.policy_file)
    except PolicyError as error:
        raise click.ClickException(error.render(tr)) from error

    upgrade(settings.database_url)
    try:
        runner = BotRunner(cli.services, host=host)
    except PolicyError as error:
        raise click.ClickException(error.render(tr)) from error
    except BoltError as error:
        # Bolt calls auth.test while it starts, so a revoked or mistyped token fails here.
        raise click.ClickException(
            tr.gettext("Slack rejected SLACK_BOT_TOKEN (%(error)s). Copy the Bot User OAuth Token "
                       "from your Slack app's OAuth & Permissions page.") % {"error": error}
        ) from error
    except URLError as error:
        # Bolt's auth.test at start-up could not reach Slack at all; URLError is an OSError, so it comes first.
        raise click.ClickException(
            tr.gettext("Cannot reach the Slack API at %(url)s (%(error)s). Check SLACK_API_URL and the network.")
            % {"url": settings.slack_api_url, "error": error.reason}
        ) from error
    except OSError as error:
        raise click.ClickException(
            tr.gettext("Cannot listen on %(host)s:%(port)s (%(error)s). Set PORT to a free port.")
            % {"host": host, "port": settings.port, "error": error}
        ) from error

    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda _number, _frame: runner.stop())
    runner.run()
