from __future__ import annotations

import os

from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import load_settings
from bot.services import Services, build_services
from tests.bot_server import running_bot, slack_settings
from tests.databases import PostgresTemplate, SqliteTemplate
from tests.slack_standin import SlackStandIn

# The real receivables exports sit beside the repository; ARREARS_SHARED_DATA points elsewhere.
SHARED_DATA = Path(
    os.environ.get("ARREARS_SHARED_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data")
)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_template():
    template = PostgresTemplate()
    yield template
    template.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A freshly migrated, empty database; every test that uses it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_template").copy(tmp_path)
        return
    template = request.getfixturevalue("postgres_template")
    url = template.copy(tmp_path)
    yield url
    template.drop_copy(url)


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path):
    """A freshly migrated SQLite database, for tests that do not need to run on both stores."""
    return sqlite_template.copy(tmp_path)


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 3, 16, 1, 30, tzinfo=timezone.utc))


@pytest.fixture
def settings_env(monkeypatch, tmp_path):
    """Point settings at nothing outside the test: no .env file, no inherited variables."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL", "PORT",
        "ARREARS_TIMEZONE", "ARREARS_DEFAULT_LOCALE", "ARREARS_DEFAULT_CURRENCY", "ARREARS_DIGEST_CHANNELS",
        "ARREARS_DIGEST_TIME", "ARREARS_REMINDER_TIME", "ARREARS_FALLBACK_CHANNEL",
    ):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def make_services(settings_env, clock):
    """Build Services on a given database with settings overrides and the pinned clock."""
    built: list[Services] = []

    def factory(database_url: str, **overrides) -> Services:
        settings = load_settings(database_url=database_url, timezone="Asia/Shanghai", **overrides)
        services = build_services(settings, clock=clock)
        built.append(services)
        return services

    yield factory
    for services in built:
        services.engine.dispose()


@pytest.fixture
def shared_data() -> Path:
    """The folder of real receivables exports beside the repository; tests skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real receivables exports not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def standin():
    """A SlackStandIn on loopback; the bot's WebClient reaches it through SLACK_API_URL."""
    with SlackStandIn() as slack:
        yield slack


@pytest.fixture
def make_bot_server(database_url, make_services, standin):
    """Start the real bot on 127.0.0.1 with settings overrides, e.g. `make_bot_server(ARREARS_FALLBACK_CHANNEL="C0FALL")`.

    Overrides are keyed by environment variable name: pydantic-settings ignores a field name
    that differs from its alias (`fallback_channel=` has no effect).

    The bot runs on a migrated database (both stores) and talks to `standin`; every server stops
    when the test ends. Each call returns a BotServer with `url`, `sender` (a SlackSender signing
    with the bot's secret), `services` and `standin`.
    """
    with ExitStack() as stack:
        def factory(**overrides):
            services = make_services(database_url, **{**slack_settings(standin), **overrides})
            return stack.enter_context(running_bot(services, standin))

        yield factory


@pytest.fixture
def bot_server(make_bot_server):
    """The real bot with the default test settings; see `make_bot_server`."""
    return make_bot_server()
