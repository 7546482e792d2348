"""State shared by the subcommands of one `arrears` invocation."""

from __future__ import annotations

from datetime import date

import click
from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock, SystemClock
from bot.config import ConfigError, Settings, load_settings
from bot.i18n import Translator, get_translator
from bot.services import Services, build_services
from bot.store.migrate import is_schema_current


class CliContext:
    """Builds settings and services on first use, so `--help` works without any configuration."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._settings: Settings | None = None
        self._services: Services | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings()
            except ConfigError as error:
                raise click.ClickException(str(error)) from error
        return self._settings

    @property
    def services(self) -> Services:
        if self._services is None:
            self._require_current_schema()
            self._services = build_services(self.settings, clock=self._clock)
        return self._services

    def _require_current_schema(self) -> None:
        try:
            current = is_schema_current(self.settings.database_url)
        except SQLAlchemyError as error:
            raise click.ClickException(self.translator.gettext(
                "Cannot open the database in DATABASE_URL (%(error)s). Check the URL and that the server is running."
            ) % {"error": error.__class__.__name__ + ": " + str(error.orig if hasattr(error, "orig") else error)}) from error
        if not current:
            raise click.ClickException(self.translator.gettext(
                "The database in DATABASE_URL has no tables yet, or older ones. Run `arrears db upgrade` first."
            ))

    @property
    def translator(self) -> Translator:
        """The translator for command-line output, in ARREARS_DEFAULT_LOCALE."""
        return get_translator(self.settings.default_locale)

    def as_of_or_today(self, as_of: date | None) -> date:
        return as_of if as_of is not None else self.services.today()


pass_cli = click.make_pass_decorator(CliContext)
