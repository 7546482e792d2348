"""The reminder run following the reminder policy, day by day with the clock pinned, against the Slack stand-in.

Every test writes its own policy file (China's calendar, levels at 1, 7 and 30 days) and
points ARREARS_POLICY_FILE at it, then moves the clock from day to day.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timezone
from decimal import Decimal

from sqlalchemy import select

from bot.jobs.reminders import DeliveryOutcome, run_reminders
from bot.money import to_stored
from bot.store.db import transaction
from bot.store.models import Activity, Invoice, Payment, Promise, PromiseInvoice, ReminderCard
from tests.bot_server import slack_settings
from tests.ledger_builder import LedgerBuilder

POLICY = """
pre_due_days = [3]
promise_grace_days = 3
default_tier = "normal"

[minimum_open_amount]
default = 1
CNY = 100

[calendar]
country = "CN"

[tiers.normal]
repeat_interval_days = 7

[[levels]]
key = "sales"
name = "Owner reminder"
threshold_days = 1
tone = "friendly"

[[levels]]
key = "finance"
name = "Finance follow-up"
threshold_days = 7
tone = "firm"
recipients = { owner = true, users = ["U0FIN"], usergroup = "S0FIN", channel = "C0FIN" }

[[levels]]
key = "legal"
name = "Final notice"
threshold_days = 30
tone = "final"
"""

# Issued well before every due date used here, so each invoice exists on every run date.
ISSUED = date(2025, 6, 1)


def _services(make_services, database_url, standin, tmp_path, policy: str = POLICY, **overrides):
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(policy, encoding="utf-8")
    return make_services(database_url, **{
        **slack_settings(standin), "ARREARS_POLICY_FILE": str(policy_file), "ARREARS_DEFAULT_LOCALE": "en",
        **overrides,
    })


def _on(clock, day: date) -> None:
    # 02:00 UTC is 10:00 in Asia/Shanghai, the zone the test services use.
    clock.set(datetime.combine(day, time(2, 0), tzinfo=timezone.utc))


def _run(services, **options):
    return run_reminders(services, echo=lambda _line: None, **options)


def _ledger(services, *invoices: tuple[str, str, date | None]):
    """Add owner Alice (U0ALICE), customer ACME and the given (number, amount, due date) invoices."""
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME Trading", owner=owner)
        rows = [book.invoice(customer, number, amount, due, issued=ISSUED) for number, amount, due in invoices]
    return customer, rows


def _invoice(services, invoice_id: int) -> Invoice:
    with services.sessions() as session:
        return session.get_one(Invoice, invoice_id)


def _activities(services, action: str) -> list[Activity]:
    with services.sessions() as session:
        return list(session.scalars(select(Activity).where(Activity.action == action).order_by(Activity.id)))


def _cards(services) -> list[ReminderCard]:
    with services.sessions() as session:
        return list(session.scalars(select(ReminderCard).order_by(ReminderCard.id)))


def _card_texts(standin, channel: str = "D0ALICE") -> list[str]:
    return [str(message.blocks) for message in standin.messages_in(channel)]


def test_level_due_saturday_sent_monday(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    # Level 1 falls due one day after Friday 13 March 2026, on Saturday.
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 13)))

    _on(clock, date(2026, 3, 14))
    saturday = _run(services)
    _on(clock, date(2026, 3, 15))
    _run(services)
    assert standin.calls_to("chat.postMessage") == []
    assert saturday.not_working_day
    assert saturday.skipped == {"not_working_day": 1}

    _on(clock, date(2026, 3, 16))
    monday = _run(services)

    assert monday.count(DeliveryOutcome.SENT) == 1
    assert len(standin.messages_in("D0ALICE")) == 1
    stored = _invoice(services, invoice.id)
    assert stored.dunning_level == 1
    assert stored.last_reminded_on == date(2026, 3, 16)


def test_level_due_on_holiday_sent_next_working_day(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    # Level 1 falls due on 1 October 2025, the first day of the National Day holiday (1 to 8 October).
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2025, 9, 30)))

    for day in range(1, 9):
        _on(clock, date(2025, 10, day))
        result = _run(services)
        assert result.not_working_day, day
    assert result.holiday_name is not None
    assert standin.calls_to("chat.postMessage") == []

    _on(clock, date(2025, 10, 9))
    result = _run(services)

    assert result.count(DeliveryOutcome.SENT) == 1
    assert _invoice(services, invoice.id).dunning_level == 1


def test_makeup_sunday_is_working_day(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    # Sunday 28 September 2025 is a make-up working day for the National Day holiday.
    _ledger(services, ("INV-1", "1000", date(2025, 9, 27)))

    _on(clock, date(2025, 9, 28))
    result = _run(services)

    assert not result.not_working_day
    assert result.count(DeliveryOutcome.SENT) == 1
    [card] = _cards(services)
    assert card.sent_on == date(2025, 9, 28)


def test_missed_days_caught_up(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    # Level 1 fell due on 11 March; the bot was down until Friday 13 March.
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 10)))

    _on(clock, date(2026, 3, 13))
    result = _run(services)

    assert result.count(DeliveryOutcome.SENT) == 1
    assert _invoice(services, invoice.id).dunning_level == 1


def test_two_levels_due_sent_one_per_run(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    standin.add_user("U0FIN", "Fiona", "fiona@example.com")
    # On 16 March the invoice is 15 days past due, beyond both level 1 (1 day) and level 2 (7 days).
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))

    _on(clock, date(2026, 3, 16))
    _run(services)
    assert _invoice(services, invoice.id).dunning_level == 1
    assert standin.messages_in("C0FIN") == []

    _on(clock, date(2026, 3, 17))
    second = _run(services)
    _run(services)

    assert second.count(DeliveryOutcome.SENT) == 1
    assert _invoice(services, invoice.id).dunning_level == 2
    first_card, second_card = _card_texts(standin)
    assert ":warning:" not in first_card
    assert ":warning: *Overdue invoices, payment needed now: ACME Trading* (C001)" in second_card
    [sent_first, sent_second] = _activities(services, "reminder.sent")
    assert (sent_first.details["kind"], sent_first.details["level"], sent_first.details["tone"]) == ("level", 1, "friendly")
    assert (sent_second.details["kind"], sent_second.details["level"], sent_second.details["tone"]) == ("level", 2, "firm")

    # Level 2 names a user, a user group and a channel besides the owner: each gets one notice.
    [direct] = standin.messages_in("D0FIN")
    assert "reached dunning level *Finance follow-up*" in str(direct.blocks)
    assert "<!subteam^S0FIN>" not in str(direct.blocks)
    [posted] = standin.messages_in("C0FIN")
    assert str(posted.blocks).count("<!subteam^S0FIN>") == 1
    assert "INV-1: CN¥1,000.00" in str(posted.blocks)
    [notice] = _activities(services, "invoice.level_notified")
    assert notice.invoice_id == invoice.id
    assert notice.details["level"] == "finance"
    assert notice.details["failed"] == []
    assert len(notice.details["delivered"]) == 2

    _on(clock, date(2026, 3, 18))
    third = _run(services)
    assert third.skipped == {"waiting_repeat_interval": 1}
    assert len(standin.messages_in("D0ALICE")) == 2


def test_repeat_follows_tier_interval(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    # Level 1 on 11 March; level 2 (7 days) would come on 17 March, so check the repeat before it.
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 10)))
    with transaction(services.sessions) as session:
        stored = session.get_one(Invoice, invoice.id)
        stored.dunning_level = 2
        stored.last_reminded_on = date(2026, 3, 9)

    _on(clock, date(2026, 3, 13))
    waiting = _run(services)
    _on(clock, date(2026, 3, 16))
    repeated = _run(services)

    assert waiting.skipped == {"waiting_repeat_interval": 1}
    assert repeated.count(DeliveryOutcome.SENT) == 1
    [sent] = _activities(services, "reminder.sent")
    assert (sent.details["kind"], sent.details["level"]) == ("repeat", 2)
    assert _invoice(services, invoice.id).dunning_level == 2


def test_below_minimum_not_chased(make_services, database_url, standin, tmp_path, clock, caplog):
    services = _services(make_services, database_url, standin, tmp_path)
    _customer, [small] = _ledger(services, ("INV-SMALL", "99.99", date(2026, 3, 1)))

    _on(clock, date(2026, 3, 16))
    with caplog.at_level(logging.DEBUG, logger="bot.reminders.selection"):
        result = _run(services)

    assert result.deliveries == []
    assert result.skipped == {"below_minimum": 1}
    assert standin.calls_to("chat.postMessage") == []
    [line] = [message for message in caplog.messages if f"invoice {small.id} (INV-SMALL" in message]
    assert ": below_minimum," in line
    assert "reminders for 2026-03-16: 1 invoices left out as below_minimum" in caplog.messages


def test_partial_payment_card_shows_remainder(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    with transaction(services.sessions) as session:
        LedgerBuilder(session).payment(customer, "400", date(2026, 3, 5), invoice=invoice)

    _on(clock, date(2026, 3, 16))
    _run(services)

    [card] = _card_texts(standin)
    assert "INV-1: CN¥600.00" in card
    assert "1,000.00" not in card


def test_credit_note_covering_debt_not_chased(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    customer, _invoices = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    with transaction(services.sessions) as session:
        # Not applied to the invoice, so the invoice stays open while the customer owes nothing net.
        LedgerBuilder(session).credit_note(customer, "CN-1", "1000", issued=ISSUED)

    _on(clock, date(2026, 3, 16))
    result = _run(services)

    assert result.deliveries == []
    assert result.skipped == {"customer_in_net_credit": 1}
    assert standin.calls_to("chat.postMessage") == []


def test_unapplied_payment_partly_covering_still_chased(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    customer, _invoices = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    with transaction(services.sessions) as session:
        LedgerBuilder(session).payment(customer, "300", date(2026, 3, 2))

    _on(clock, date(2026, 3, 16))
    result = _run(services)

    assert result.count(DeliveryOutcome.SENT) == 1


def _promise(services, customer, invoice, *, amount: str, pay_by: date, balance: str = "1000") -> None:
    with transaction(services.sessions) as session:
        promise = Promise(
            customer_id=customer.id, made_by="U0ALICE", currency="CNY", amount_units=to_stored(Decimal(amount)),
            pay_by=pay_by, balance_when_made_units=to_stored(Decimal(balance)), status="open",
            created_at=services.clock.now(), updated_at=services.clock.now(),
        )
        session.add(promise)
        session.flush()
        session.add(PromiseInvoice(promise_id=promise.id, invoice_id=invoice.id))


def test_promise_broken_after_grace_resumes(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    # Promised by Friday 20 March; the grace period of 3 days ends on Monday 23 March.
    _promise(services, customer, invoice, amount="1000", pay_by=date(2026, 3, 20))

    for day in (16, 20, 23):
        _on(clock, date(2026, 3, day))
        result = _run(services)
        assert result.skipped == {"promised": 1}, day
    assert standin.calls_to("chat.postMessage") == []

    _on(clock, date(2026, 3, 24))
    resumed = _run(services)

    assert resumed.count(DeliveryOutcome.SENT) == 1
    # One level per run, even after a pause of three weeks.
    assert _invoice(services, invoice.id).dunning_level == 1


def test_promise_kept_resumes_for_remainder(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    _promise(services, customer, invoice, amount="400", pay_by=date(2026, 3, 25))

    _on(clock, date(2026, 3, 16))
    promised = _run(services)
    with transaction(services.sessions) as session:
        LedgerBuilder(session).payment(customer, "400", date(2026, 3, 16), invoice=invoice)
    _on(clock, date(2026, 3, 17))
    kept = _run(services)

    assert promised.skipped == {"promised": 1}
    # The promise is kept, and the 600 still owed is chased again.
    assert kept.count(DeliveryOutcome.SENT) == 1
    [card] = _card_texts(standin)
    assert "INV-1: CN¥600.00" in card


def test_snoozed_one_of_three(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    _customer, [first, snoozed, third] = _ledger(
        services,
        ("INV-1", "1000", date(2026, 3, 1)),
        ("INV-2", "2000", date(2026, 3, 2)),
        ("INV-3", "3000", date(2026, 3, 3)),
    )
    with transaction(services.sessions) as session:
        session.get_one(Invoice, snoozed.id).snoozed_until = date(2026, 3, 20)

    _on(clock, date(2026, 3, 16))
    result = _run(services)

    assert result.skipped == {"snoozed": 1}
    [card] = _card_texts(standin)
    assert "INV-1: CN¥1,000.00, due" in card
    assert "INV-3: CN¥3,000.00, due" in card
    assert "CN¥4,000.00 in 2 invoices" in card
    # The snoozed invoice is listed apart, as not chased for now.
    assert "INV-2: CN¥2,000.00, due" not in card
    assert "INV-2: CN¥2,000.00, snoozed until Mar 20, 2026" in card
    assert _invoice(services, first.id).dunning_level == 1
    assert _invoice(services, snoozed.id).dunning_level == 0
    assert _invoice(services, snoozed.id).last_reminded_on is None
    assert _invoice(services, third.id).dunning_level == 1


def test_payment_before_send_keeps_level(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    customer, [paid, open_invoice] = _ledger(
        services, ("INV-PAID", "1000", date(2026, 3, 1)), ("INV-OPEN", "500", date(2026, 3, 1)),
    )

    def import_payment(_card: ReminderCard) -> None:
        # A payment imported a moment after the run planned the card and before it posts it.
        with transaction(services.sessions) as session:
            session.add(Payment(reference="PAY-LATE", customer_id=customer.id, invoice_id=paid.id, currency="CNY",
                                amount_units=to_stored(Decimal(1000)), paid_on=date(2026, 3, 16),
                                created_at=services.clock.now()))

    _on(clock, date(2026, 3, 16))
    result = _run(services, before_send=import_payment)

    assert result.count(DeliveryOutcome.SENT) == 1
    [card] = _card_texts(standin)
    assert "INV-OPEN" in card
    assert "INV-PAID" not in card
    assert _invoice(services, paid.id).dunning_level == 0
    assert _invoice(services, open_invoice.id).dunning_level == 1


def test_failed_send_keeps_level(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 10)))
    standin.fail_next("chat.postMessage", status=200, error="channel_not_found")

    _on(clock, date(2026, 3, 16))
    failed = _run(services)
    assert failed.count(DeliveryOutcome.FAILED) == 1
    assert _invoice(services, invoice.id).dunning_level == 0
    assert _invoice(services, invoice.id).last_reminded_on is None

    retried = _run(services)

    assert retried.count(DeliveryOutcome.SENT) == 1
    assert _invoice(services, invoice.id).dunning_level == 1


def test_run_twice_one_card_and_notice(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    with transaction(services.sessions) as session:
        session.get_one(Invoice, invoice.id).dunning_level = 1

    _on(clock, date(2026, 3, 16))
    _run(services)
    second = _run(services)

    assert second.deliveries == []
    assert len(standin.messages_in("D0ALICE")) == 1
    assert len(standin.messages_in("C0FIN")) == 1
    assert len(_activities(services, "invoice.level_notified")) == 1
    assert _invoice(services, invoice.id).dunning_level == 2


def test_pre_due_reminder_keeps_level(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    # Due on Thursday 19 March; the pre-due reminder goes three days before, on Monday.
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 19)))

    _on(clock, date(2026, 3, 16))
    result = _run(services)
    _on(clock, date(2026, 3, 17))
    next_day = _run(services)

    assert result.count(DeliveryOutcome.SENT) == 1
    [card] = _card_texts(standin)
    assert ":calendar: *Invoices due soon: ACME Trading* (C001)" in card
    assert "3 days until due" in card
    [message] = standin.messages_in("D0ALICE")
    assert message.text.startswith("Invoices due soon for ACME Trading")
    stored = _invoice(services, invoice.id)
    assert stored.dunning_level == 0
    assert stored.last_reminded_on == date(2026, 3, 16)
    assert next_day.skipped == {"not_due_yet": 1}


def test_forced_run_on_holiday_sends(make_services, database_url, standin, tmp_path, clock):
    services = _services(make_services, database_url, standin, tmp_path)
    _ledger(services, ("INV-1", "1000", date(2025, 9, 20)))

    _on(clock, date(2025, 10, 1))
    result = _run(services, force=True)

    assert result.not_working_day
    assert result.forced
    assert result.count(DeliveryOutcome.SENT) == 1


def test_working_day_threshold_end_to_end(make_services, database_url, standin, tmp_path, clock):
    policy = POLICY.replace('threshold_days = 1\ntone = "friendly"',
                            'threshold_days = 3\ncounted_in = "working_days"\ntone = "friendly"')
    services = _services(make_services, database_url, standin, tmp_path, policy=policy)
    # Due Friday 13 March 2026: three working days later is Wednesday 18 March, not Monday 16.
    _ledger(services, ("INV-1", "1000", date(2026, 3, 13)))

    for day in (16, 17):
        _on(clock, date(2026, 3, day))
        assert _run(services).skipped == {"not_due_yet": 1}, day
    _on(clock, date(2026, 3, 18))
    result = _run(services)

    assert result.count(DeliveryOutcome.SENT) == 1


def test_policy_file_from_environment(settings_env, make_services, database_url, standin, tmp_path, clock):
    policy_file = tmp_path / "strict.toml"
    policy_file.write_text(POLICY.replace("CNY = 100", "CNY = 5000"), encoding="utf-8")
    settings_env.setenv("ARREARS_POLICY_FILE", str(policy_file))
    services = make_services(database_url, **slack_settings(standin))
    _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))

    _on(clock, date(2026, 3, 16))
    result = _run(services)

    assert services.settings.policy_file == str(policy_file)
    assert result.skipped == {"below_minimum": 1}


def test_level_without_owner_sends_notice_only(make_services, database_url, standin, tmp_path, clock):
    policy = POLICY.replace('recipients = { owner = true, users = ["U0FIN"]', 'recipients = { owner = false, users = ["U0FIN"]')
    services = _services(make_services, database_url, standin, tmp_path, policy=policy)
    standin.add_user("U0FIN", "Fiona", "fiona@example.com")
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    with transaction(services.sessions) as session:
        session.get_one(Invoice, invoice.id).dunning_level = 1

    _on(clock, date(2026, 3, 16))
    result = _run(services)
    again = _run(services)

    assert [delivery.outcome for delivery in result.deliveries] == [DeliveryOutcome.NOTICE_ONLY]
    assert [delivery.outcome for delivery in again.deliveries] == []
    assert standin.messages_in("D0ALICE") == []
    assert _activities(services, "reminder.sent") == []
    [direct] = standin.messages_in("D0FIN")
    assert "reached dunning level *Finance follow-up*" in str(direct.blocks)
    [posted] = standin.messages_in("C0FIN")
    assert "INV-1: CN¥1,000.00" in str(posted.blocks)
    assert len(_activities(services, "invoice.level_notified")) == 1
    stored = _invoice(services, invoice.id)
    assert stored.dunning_level == 2
    assert stored.last_reminded_on == date(2026, 3, 16)
    [card] = _cards(services)
    assert card.state == "notice_only"
    assert card.recipient_key.startswith("notice:owner:")
    assert card.invoice_ids == [invoice.id]


def test_level_without_owner_in_dry_run(make_services, database_url, standin, tmp_path, clock):
    policy = POLICY.replace('recipients = { owner = true, users = ["U0FIN"]', 'recipients = { owner = false, users = ["U0FIN"]')
    services = _services(make_services, database_url, standin, tmp_path, policy=policy)
    _customer, [invoice] = _ledger(services, ("INV-1", "1000", date(2026, 3, 1)))
    with transaction(services.sessions) as session:
        session.get_one(Invoice, invoice.id).dunning_level = 1
    lines: list[str] = []

    _on(clock, date(2026, 3, 16))
    result = run_reminders(services, dry_run=True, echo=lines.append)

    assert [delivery.outcome for delivery in result.deliveries] == [DeliveryOutcome.NOTICE_ONLY]
    assert "Would send no card about ACME Trading (C001) to its owner" in "\n".join(lines)
    assert _cards(services) == []
