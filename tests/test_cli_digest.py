from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from bot.services import build_services
from bot.config import load_settings
from bot.store.db import transaction
from bot.store.models import DigestPost
from tests.ledger_builder import LedgerBuilder
from tests.slack_standin import SlackStandIn


def _seed(database_url: str) -> None:
    services = build_services(load_settings(DATABASE_URL=database_url))
    with transaction(services.sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("ACME", "Acme <!channel>")
        ledger.invoice(customer, "INV-1", "120.50", date(2026, 3, 1))
    services.engine.dispose()


def test_cli_digest_dry_run(sqlite_url, settings_env):
    _seed(sqlite_url)
    settings_env.setenv("DATABASE_URL", sqlite_url)

    result = CliRunner().invoke(main, ["digest", "--dry-run", "--as-of", "2026-03-16", "--locale", "zh_CN"])

    assert result.exit_code == 0, result.output
    assert "2026年3月16日" in result.output
    assert "¥120.50" in result.output
    assert "Acme <!channel>" in result.output


def test_cli_digest_posts_and_reports(sqlite_url, settings_env):
    _seed(sqlite_url)
    with SlackStandIn() as standin:
        for name, value in {
            "DATABASE_URL": sqlite_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret",
            "SLACK_API_URL": standin.api_url, "ARREARS_DIGEST_CHANNELS": "C0AAAA",
        }.items():
            settings_env.setenv(name, value)

        first = CliRunner().invoke(main, ["digest", "--as-of", "2026-03-16"])
        second = CliRunner().invoke(main, ["digest", "--as-of", "2026-03-16"])
        standin.fail_next("chat.postMessage", status=200, error="not_in_channel")
        failed = CliRunner().invoke(main, ["digest", "--as-of", "2026-03-17"])

    assert first.exit_code == 0, first.output
    assert "Posted the digest to C0AAAA" in first.output
    assert "Skipped C0AAAA" in second.output
    assert failed.exit_code == 1
    assert "Failed to post the digest to C0AAAA: not_in_channel" in failed.output

    services = build_services(load_settings(DATABASE_URL=sqlite_url))
    with services.sessions() as session:
        states = sorted((post.as_of, post.state) for post in session.scalars(select(DigestPost)))
    services.engine.dispose()
    assert states == [(date(2026, 3, 16), "posted"), (date(2026, 3, 17), "failed")]


def test_cli_digest_no_channels(sqlite_url, settings_env):
    settings_env.setenv("DATABASE_URL", sqlite_url)
    settings_env.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    settings_env.setenv("SLACK_SIGNING_SECRET", "secret")

    result = CliRunner().invoke(main, ["digest", "--as-of", "2026-03-16"])

    assert result.exit_code == 0
    assert "No digest channels are configured" in result.output
