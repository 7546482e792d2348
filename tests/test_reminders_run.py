"""The reminder run against the Slack stand-in: recipients, idempotency, claims and Slack errors."""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.config import ConfigError
from bot.jobs.reminders import NOTHING_LEFT_REASON, DeliveryOutcome, run_reminders
from bot.reminders.claims import CLAIM_LEASE, CardState
from bot.store.db import transaction
from bot.store.models import Activity, Invoice, Owner, Payment, ReminderCard
from tests.bot_server import slack_settings
from tests.ledger_builder import LedgerBuilder

AS_OF = date(2026, 3, 16)
OVERDUE = date(2026, 3, 1)


def _services(make_services, database_url, standin, **overrides):
    return make_services(database_url, **{**slack_settings(standin), **overrides})


def _add_owner_with_invoice(services, key, *, slack_user_id=None, email=None, customer_code="C001",
                            customer_name="ACME Trading", amount="1000.00"):
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner(key, key.title(), slack_user_id=slack_user_id) if key else None
        if owner is not None and email:
            owner.email = email
        customer = book.customer(customer_code, customer_name, owner=owner)
        invoice = book.invoice(customer, f"INV-{customer_code}", amount, OVERDUE)
    return owner, customer, invoice


def _cards(services) -> list[ReminderCard]:
    with services.sessions() as session:
        return list(session.scalars(select(ReminderCard).order_by(ReminderCard.id)))


def _activities(services, action: str) -> list[Activity]:
    with services.sessions() as session:
        return list(session.scalars(select(Activity).where(Activity.action == action).order_by(Activity.id)))


def test_run_sends_dm_to_owner_with_slack_id(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    standin.add_user("U0ALICE", "Alice", "alice@example.com", locale="zh-CN")
    owner, customer, invoice = _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")

    result = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.SENT) == 1
    [post] = standin.calls_to("chat.postMessage")
    assert post.params["channel"] == "U0ALICE"
    [message] = standin.messages_in("D0ALICE")
    assert "¥1,000.00" in message.text
    assert "CN¥" not in message.text

    [card] = _cards(services)
    assert card.state == CardState.SENT
    assert card.recipient_key == f"owner:{owner.id}"
    assert card.channel == "D0ALICE"
    assert card.message_ts == message.ts
    assert card.locale == "zh_CN"
    assert card.sent_on == AS_OF

    [sent] = _activities(services, "reminder.sent")
    assert sent.actor == "system"
    assert sent.customer_id == customer.id
    assert sent.owner_id == owner.id
    assert sent.channel == "D0ALICE"
    assert sent.message_ts == message.ts
    assert sent.details["invoices"] == [{"number": "INV-C001", "currency": "CNY", "open_balance": "1000.0000"}]
    assert sent.details["trigger"] == "command"

    with services.sessions() as session:
        assert session.get(Owner, owner.id).locale == "zh_CN"
        assert session.get(Invoice, invoice.id).last_reminded_on == AS_OF


def test_run_finds_owner_by_email(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    standin.add_user("U0BOB", "Bob", "Bob@Example.com")
    owner, _customer, _invoice = _add_owner_with_invoice(services, "bob", email="bob@example.com")

    result = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.SENT) == 1
    assert [call.params["email"] for call in standin.calls_to("users.lookupByEmail")] == ["bob@example.com"]
    assert len(standin.messages_in("D0BOB")) == 1
    with services.sessions() as session:
        stored = session.get(Owner, owner.id)
        assert stored.slack_user_id == "U0BOB"
        assert stored.slack_checked_at is not None


def test_run_uses_fallback_channel_without_slack_user(make_services, database_url, standin, caplog):
    services = _services(make_services, database_url, standin, ARREARS_FALLBACK_CHANNEL="C0FALL", ARREARS_DEFAULT_LOCALE="en")
    owner, _customer, _invoice = _add_owner_with_invoice(services, "carol", email="carol@example.com")
    _add_owner_with_invoice(services, None, customer_code="C002", customer_name="Nobody's Customer")

    with caplog.at_level(logging.WARNING, logger="bot.reminders.recipients"):
        result = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.SENT) == 2
    carol_card, orphan_card = standin.messages_in("C0FALL")
    assert "This reminder is for Carol. It was posted here because no Slack user is linked to that owner." \
        in str(carol_card.blocks)
    assert "These invoices have no owner, so the reminder was posted here." in str(orphan_card.blocks)
    assert any("no Slack user has the email of owner" in record.getMessage() for record in caplog.records)
    assert [card.recipient_key for card in _cards(services)] == [f"channel:C0FALL:owner:{owner.id}", "channel:C0FALL"]
    assert all(card.locale == "en" for card in _cards(services))


def test_run_records_undeliverable_without_fallback(make_services, database_url, standin, caplog):
    services = _services(make_services, database_url, standin)
    owner, customer, _invoice = _add_owner_with_invoice(services, "dave")

    with caplog.at_level(logging.ERROR, logger="bot.jobs.reminders"):
        result = run_reminders(services, AS_OF, echo=lambda _line: None)
    run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.UNDELIVERABLE) == 1
    assert standin.calls_to("chat.postMessage") == []
    [entry] = _activities(services, "reminder.undeliverable")
    assert entry.customer_id == customer.id
    assert entry.owner_id == owner.id
    assert "has no Slack user and ARREARS_FALLBACK_CHANNEL is not set" in entry.details["reason"]
    assert entry.details["invoice_numbers"] == ["INV-C001"]
    assert any(record.levelno == logging.ERROR and "cannot be delivered" in record.getMessage()
               for record in caplog.records)


def test_run_twice_sends_once(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")

    first = run_reminders(services, AS_OF, echo=lambda _line: None)
    second = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert first.count(DeliveryOutcome.SENT) == 1
    assert second.count(DeliveryOutcome.SENT) == 0
    # The first run recorded the day on the invoice, so the second one does not plan the card at all.
    assert second.deliveries == []
    assert second.skipped == {"already_sent_today": 1}
    assert len(standin.calls_to("chat.postMessage")) == 1
    assert len(_activities(services, "reminder.sent")) == 1


def test_run_next_day_sends_again(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")

    run_reminders(services, AS_OF, echo=lambda _line: None)
    result = run_reminders(services, AS_OF + timedelta(days=1), echo=lambda _line: None)

    assert result.count(DeliveryOutcome.SENT) == 1
    assert len(_cards(services)) == 2


def test_concurrent_runs_send_once(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    for index in range(5):
        _add_owner_with_invoice(services, f"owner{index}", slack_user_id=f"U0OWNER{index}",
                                customer_code=f"C00{index}")
    results = []
    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        results.append(run_reminders(services, AS_OF, echo=lambda _line: None))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(result.count(DeliveryOutcome.SENT) for result in results) == 5
    assert sum(result.count(DeliveryOutcome.ALREADY_CLAIMED) for result in results) == 5
    assert len(standin.calls_to("chat.postMessage")) == 5


def _claim_left_behind(services, owner, customer, age: timedelta) -> None:
    claimed_at = services.clock.now() - age
    with transaction(services.sessions) as session:
        session.add(ReminderCard(
            recipient_key=f"owner:{owner.id}", owner_id=owner.id, customer_id=customer.id, sent_on=AS_OF,
            locale="en", state=CardState.CLAIMED, created_at=claimed_at, updated_at=claimed_at,
        ))


def test_run_takes_over_abandoned_claim(make_services, database_url, standin, caplog):
    services = _services(make_services, database_url, standin)
    owner, customer, _invoice = _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    # A run that crashed an hour ago, after claiming and before marking the card sent.
    _claim_left_behind(services, owner, customer, CLAIM_LEASE + timedelta(minutes=45))

    with caplog.at_level(logging.WARNING, logger="bot.reminders.claims"):
        result = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.SENT) == 1
    [card] = _cards(services)
    assert card.state == CardState.SENT
    assert any("taking over reminder card" in record.getMessage() for record in caplog.records)


def test_run_leaves_fresh_claim_alone(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    owner, customer, _invoice = _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    # Another run claimed the card a minute ago and may still be posting it.
    _claim_left_behind(services, owner, customer, timedelta(minutes=1))

    result = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.ALREADY_CLAIMED) == 1
    assert standin.calls_to("chat.postMessage") == []
    [card] = _cards(services)
    assert card.state == CardState.CLAIMED


def test_run_retries_failed_card(make_services, database_url, standin, caplog):
    services = _services(make_services, database_url, standin)
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    standin.fail_next("chat.postMessage", status=200, error="channel_not_found")

    with caplog.at_level(logging.ERROR, logger="bot.jobs.reminders"):
        first = run_reminders(services, AS_OF, echo=lambda _line: None)
    [failed] = _cards(services)
    second = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert first.count(DeliveryOutcome.FAILED) == 1
    assert failed.state == CardState.FAILED
    assert "channel_not_found" in failed.error
    assert any(f"reminder card {failed.id}" in record.getMessage() and "channel_not_found" in record.getMessage()
               for record in caplog.records)
    assert second.count(DeliveryOutcome.SENT) == 1
    [card] = _cards(services)
    assert card.id == failed.id
    assert card.state == CardState.SENT
    assert card.error is None


def test_run_continues_after_slack_error(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE", customer_code="C001")
    _add_owner_with_invoice(services, "bob", slack_user_id="U0BOB", customer_code="C002")
    standin.fail_next("chat.postMessage", status=200, error="is_archived")

    result = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.FAILED) == 1
    assert result.count(DeliveryOutcome.SENT) == 1
    assert len(standin.messages_in("D0BOB")) == 1


def test_run_skips_card_paid_before_sending(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _owner, customer, invoice = _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")

    def import_payment(_card: ReminderCard) -> None:
        with transaction(services.sessions) as session:
            session.add(Payment(reference="PAY-LATE", customer_id=customer.id, invoice_id=invoice.id, currency="CNY",
                                amount_units=10_000_000, paid_on=AS_OF, created_at=services.clock.now()))

    result = run_reminders(services, AS_OF, echo=lambda _line: None, before_send=import_payment)

    assert result.count(DeliveryOutcome.SKIPPED) == 1
    assert standin.calls_to("chat.postMessage") == []
    [card] = _cards(services)
    assert card.state == CardState.SKIPPED
    assert card.error == NOTHING_LEFT_REASON
    assert _activities(services, "reminder.sent") == []


def test_run_drops_invoice_paid_before_sending(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _owner, customer, invoice = _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    with transaction(services.sessions) as session:
        LedgerBuilder(session).invoice(customer, "INV-STILL-OPEN", "250.00", OVERDUE)

    def import_payment(_card: ReminderCard) -> None:
        with transaction(services.sessions) as session:
            session.add(Payment(reference="PAY-LATE", customer_id=customer.id, invoice_id=invoice.id, currency="CNY",
                                amount_units=10_000_000, paid_on=AS_OF, created_at=services.clock.now()))

    run_reminders(services, AS_OF, echo=lambda _line: None, before_send=import_payment)

    with services.sessions() as session:
        assert session.get(Invoice, invoice.id).last_reminded_on is None
    [message] = standin.messages_in("D0ALICE")
    assert "INV-STILL-OPEN" in str(message.blocks)
    assert "INV-C001" not in str(message.blocks)
    [sent] = _activities(services, "reminder.sent")
    assert [invoice["number"] for invoice in sent.details["invoices"]] == ["INV-STILL-OPEN"]


def test_run_retries_rate_limited_post(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    standin.fail_next("chat.postMessage", status=429, retry_after=1)

    result = run_reminders(services, AS_OF, echo=lambda _line: None)

    assert result.count(DeliveryOutcome.SENT) == 1
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert len(standin.messages_in("D0ALICE")) == 1


def test_dry_run_prints_and_writes_nothing(make_services, database_url, standin):
    services = _services(make_services, database_url, standin, ARREARS_FALLBACK_CHANNEL="C0FALL")
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE", customer_name="<!channel> Ltd")
    bob, _customer, _invoice = _add_owner_with_invoice(services, "bob", email="bob@example.com",
                                                       customer_code="C002")
    _add_owner_with_invoice(services, "carol", customer_code="C003")
    lines: list[str] = []

    result = run_reminders(services, AS_OF, dry_run=True, echo=lines.append)

    output = "\n".join(lines)
    assert result.count(DeliveryOutcome.WOULD_SEND) == 3
    assert "Would send as a direct message to Alice, Slack user U0ALICE (en):" in output
    assert "<!channel> Ltd" in output
    assert "INV-C001: CN¥1,000.00" in output
    assert "the Slack user with email bob@example.com, looked up when sending" in output
    assert "Would send to channel C0FALL, for Carol, who has no Slack user (en):" in output
    assert "[Log contact] [Snooze] [Escalate]" in output
    assert standin.calls == []
    assert _cards(services) == []
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == 0
        assert session.get(Owner, bob.id).slack_checked_at is None


def test_dry_run_reports_undeliverable(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _add_owner_with_invoice(services, "dave")
    lines: list[str] = []

    result = run_reminders(services, AS_OF, dry_run=True, echo=lines.append)

    assert result.count(DeliveryOutcome.UNDELIVERABLE) == 1
    assert "Cannot send the reminder about ACME Trading (C001) to Dave: that owner has no Slack user" in lines[0]
    assert _activities(services, "reminder.undeliverable") == []


def test_run_uses_local_today_by_default(make_services, database_url, standin, clock):
    services = _services(make_services, database_url, standin, ARREARS_TIMEZONE="Asia/Shanghai")
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    # 18:00 UTC on the 16th is already 02:00 on the 17th in Asia/Shanghai, the configured zone.
    clock.set(datetime(2026, 3, 16, 18, 0, tzinfo=timezone.utc))

    run_reminders(services, echo=lambda _line: None, scheduled=True)

    [card] = _cards(services)
    assert card.sent_on == date(2026, 3, 17)
    [sent] = _activities(services, "reminder.sent")
    assert sent.details["trigger"] == "scheduler"


def test_run_without_token_claims_nothing(make_services, database_url, standin):
    services = _services(make_services, database_url, standin, slack_bot_token=None)
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")

    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        run_reminders(services, AS_OF, echo=lambda _line: None)

    assert _cards(services) == []


def test_dry_run_after_send_reports_sent(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    run_reminders(services, AS_OF, echo=lambda _line: None)
    lines: list[str] = []

    result = run_reminders(services, AS_OF, dry_run=True, echo=lines.append)

    assert result.deliveries == []
    assert result.skipped == {"already_sent_today": 1}


def test_dry_run_reports_claimed_card(make_services, database_url, standin):
    services = _services(make_services, database_url, standin)
    owner, customer, _invoice = _add_owner_with_invoice(services, "alice", slack_user_id="U0ALICE")
    # Another run is posting the card right now and has not recorded the invoice as reminded yet.
    _claim_left_behind(services, owner, customer, timedelta(minutes=1))
    lines: list[str] = []

    result = run_reminders(services, AS_OF, dry_run=True, echo=lines.append)

    assert result.count(DeliveryOutcome.ALREADY_CLAIMED) == 1
    assert lines[0] == ("Not sending again as a direct message to Alice, Slack user U0ALICE (en): "
                        "already sent or in progress today.")
