"""`arrears remind` on the command line, against the Slack stand-in."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from bot.store.db import transaction
from bot.store.models import ReminderCard
from tests.bot_server import BOT_TOKEN, SIGNING_SECRET
from tests.ledger_builder import LedgerBuilder


def _environment(settings_env, database_url, standin, **extra) -> None:
    variables = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "ARREARS_TIMEZONE": "Asia/Shanghai",
        **extra,
    }
    for name, value in variables.items():
        settings_env.setenv(name, value)


def _ledger(make_services, database_url) -> None:
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        alice = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME Trading", owner=alice)
        book.invoice(customer, "INV-1", "1000.00", date(2026, 3, 1))


def test_remind_dry_run_prints_cards(settings_env, make_services, database_url, standin):
    _ledger(make_services, database_url)
    _environment(settings_env, database_url, standin)

    result = CliRunner().invoke(main, ["remind", "--as-of", "2026-03-16", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Would send as a direct message to Alice, Slack user U0ALICE (en):" in result.output
    assert "INV-1: CN¥1,000.00" in result.output
    assert "Dry run for Mar 16, 2026: 1 cards would be sent" in result.output
    assert standin.calls == []


def test_remind_sends_once_per_date(settings_env, make_services, database_url, standin):
    _ledger(make_services, database_url)
    _environment(settings_env, database_url, standin)

    first = CliRunner().invoke(main, ["remind", "--as-of", "2026-03-16"])
    second = CliRunner().invoke(main, ["remind", "--as-of", "2026-03-16"])

    assert first.exit_code == 0, first.output
    assert "Reminders for Mar 16, 2026: 1 sent" in first.output
    assert second.exit_code == 0, second.output
    assert "Reminders for Mar 16, 2026: 0 sent" in second.output
    assert "Invoices not chased: 1 already reminded today." in second.output
    assert len(standin.messages_in("D0ALICE")) == 1
    services = make_services(database_url)
    with services.sessions() as session:
        [card] = session.scalars(select(ReminderCard)).all()
    assert card.sent_on == date(2026, 3, 16)


def test_remind_fails_when_undeliverable(settings_env, make_services, database_url, standin):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        customer = book.customer("C009", "Orphan Ltd")
        book.invoice(customer, "INV-9", "10.00", date(2026, 3, 1))
    _environment(settings_env, database_url, standin)

    result = CliRunner().invoke(main, ["remind", "--as-of", "2026-03-16"])

    assert result.exit_code == 1
    assert "1 reminder card was not delivered" in result.output


def test_remind_without_token_explains(settings_env, make_services, database_url, standin):
    _ledger(make_services, database_url)
    _environment(settings_env, database_url, standin)
    settings_env.delenv("SLACK_BOT_TOKEN")

    result = CliRunner().invoke(main, ["remind", "--as-of", "2026-03-16"])

    assert result.exit_code == 1
    assert "missing SLACK_BOT_TOKEN" in result.output
    assert standin.calls == []


def test_remind_dry_run_shows_decision_and_skips(settings_env, make_services, database_url, standin):
    _ledger(make_services, database_url)
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        customer = book.customer("C002", "Snoozed Ltd", owner=book.owner("bob", "Bob", slack_user_id="U0BOB"))
        book.invoice(customer, "INV-2", "500.00", date(2026, 3, 1)).snoozed_until = date(2026, 3, 20)
        book.invoice(customer, "INV-3", "5.00", date(2026, 3, 1))
    _environment(settings_env, database_url, standin)

    result = CliRunner().invoke(main, ["remind", "--as-of", "2026-03-16", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Decision: new dunning level 1, Owner reminder (friendly tone)" in result.output
    assert "Invoices not chased: 1 snoozed, 1 below the minimum amount." in result.output


def test_remind_on_holiday_needs_force(settings_env, make_services, database_url, standin):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        customer = book.customer("C001", "ACME Trading", owner=book.owner("alice", "Alice", slack_user_id="U0ALICE"))
        book.invoice(customer, "INV-1", "1000.00", date(2025, 9, 20), issued=date(2025, 9, 1))
    _environment(settings_env, database_url, standin)

    closed = CliRunner().invoke(main, ["remind", "--as-of", "2025-10-01"])
    forced = CliRunner().invoke(main, ["remind", "--as-of", "2025-10-01", "--force"])

    assert closed.exit_code == 0, closed.output
    assert "Oct 1, 2025 is a public holiday (National Day), so no reminders are sent." in closed.output
    assert "Invoices not chased: 1 not a working day." in closed.output
    assert forced.exit_code == 0, forced.output
    assert "sending anyway because of --force" in forced.output
    assert "1 sent" in forced.output
    assert len(standin.messages_in("D0ALICE")) == 1
