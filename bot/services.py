"""The dependencies that commands, jobs and handlers share: settings, clock, store and Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from slack_sdk import WebClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock, local_today
from bot.config import Settings
from bot.slack.client import make_web_client
from bot.store.db import make_engine, make_session_factory


@dataclass
class Services:
    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    _slack: WebClient | None = field(default=None, repr=False)

    @property
    def slack(self) -> WebClient:
        """The Web API client, built on first use so offline commands never need a token."""
        if self._slack is None:
            self.settings.require_slack()
            self._slack = make_web_client(self.settings)
        return self._slack

    def today(self) -> date:
        return local_today(self.clock, self.settings.zone)


def build_services(
    settings: Settings,
    clock: Clock | None = None,
    slack: WebClient | None = None,
) -> Services:
    engine = make_engine(settings.database_url)
    return Services(
        settings=settings,
        clock=clock or SystemClock(),
        engine=engine,
        sessions=make_session_factory(engine),
        _slack=slack,
    )
