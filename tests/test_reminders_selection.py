"""Which invoices get a reminder card, grouped per owner and customer, and why others do not."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.dunning import Send, SendKind
from bot.policy import Tone
from bot.reminders.selection import SkipReason, select_reminders, skip_reason
from bot.store.db import transaction
from bot.store.models import DocumentStatus
from tests.ledger_builder import LedgerBuilder

AS_OF = date(2026, 3, 16)
OVERDUE = date(2026, 3, 1)


def _ids(*invoices) -> tuple[int, ...]:
    return tuple(invoice.id for invoice in invoices)


@pytest.fixture
def ledger(database_url, make_services):
    services = make_services(database_url)
    rows = {}
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        alice = rows["alice"] = book.owner("alice@example.com", "Alice", slack_user_id="U0ALICE")
        bob = rows["bob"] = book.owner("bob@example.com", "Bob")
        acme = rows["acme"] = book.customer("C001", "ACME", owner=alice)
        paused = rows["paused"] = book.customer("C002", "Paused Ltd", owner=alice)
        resumed = rows["resumed"] = book.customer("C003", "Resumed Ltd", owner=alice)
        orphan = rows["orphan"] = book.customer("C004", "No Owner Ltd")

        rows["overdue"] = book.invoice(acme, "INV-OVERDUE", "100", date(2026, 2, 1))
        rows["yesterday"] = book.invoice(acme, "INV-YESTERDAY", "50", date(2026, 3, 15))
        rows["due_today"] = book.invoice(acme, "INV-DUE-TODAY", "10", AS_OF)
        rows["future"] = book.invoice(acme, "INV-FUTURE", "10", date(2026, 4, 1))
        rows["no_due"] = book.invoice(acme, "INV-NO-DUE", "10", None)
        rows["disputed"] = book.invoice(acme, "INV-DISPUTED", "10", OVERDUE, disputed=True)
        rows["void"] = book.invoice(acme, "INV-VOID", "10", OVERDUE, status=DocumentStatus.VOID)
        rows["draft"] = book.invoice(acme, "INV-DRAFT", "10", OVERDUE, status=DocumentStatus.DRAFT)
        paid = rows["paid"] = book.invoice(acme, "INV-PAID", "10", OVERDUE)
        book.payment(acme, "10", date(2026, 3, 2), invoice=paid)
        credited = rows["credited"] = book.invoice(acme, "INV-CREDITED", "10", OVERDUE)
        book.credit_note(acme, "CN-1", "10", applies_to=credited)
        rows["reported_paid"] = book.invoice(acme, "INV-REPORTED", "10", OVERDUE, reported_paid="10")
        # The export states a payment that arrives only after the as-of date: still owed today.
        rows["settles_later"] = book.invoice(acme, "INV-SETTLES-LATER", "10", OVERDUE, reported_paid="10",
                                             settled_on=date(2026, 3, 20))
        snoozed = rows["snoozed"] = book.invoice(acme, "INV-SNOOZED", "10", OVERDUE)
        snoozed.snoozed_until = date(2026, 3, 17)
        snooze_over = rows["snooze_over"] = book.invoice(acme, "INV-SNOOZE-OVER", "10", OVERDUE)
        snooze_over.snoozed_until = AS_OF
        rows["bobs"] = book.invoice(acme, "INV-BOBS", "10", OVERDUE, owner=bob)
        book.credit_note(acme, "CN-UNAPPLIED", "5")

        rows["paused_invoice"] = book.invoice(paused, "INV-PAUSED", "10", OVERDUE)
        paused.paused_until = date(2026, 3, 31)
        rows["resumed_invoice"] = book.invoice(resumed, "INV-RESUMED", "10", OVERDUE)
        resumed.paused_until = AS_OF
        rows["orphan_invoice"] = book.invoice(orphan, "INV-ORPHAN", "10", OVERDUE)
        session.flush()
    return services, rows


def test_select_reminders_groups_by_owner_and_customer(ledger):
    services, rows = ledger

    with services.sessions() as session:
        groups = select_reminders(session, AS_OF)

    assert [(group.owner_id, group.customer_id, set(group.invoice_ids)) for group in groups] == [
        (rows["alice"].id, rows["acme"].id, set(_ids(
            rows["overdue"], rows["settles_later"], rows["snooze_over"], rows["yesterday"],
        ))),
        (rows["alice"].id, rows["resumed"].id, set(_ids(rows["resumed_invoice"]))),
        (rows["bob"].id, rows["acme"].id, set(_ids(rows["bobs"]))),
        (None, rows["orphan"].id, set(_ids(rows["orphan_invoice"]))),
    ]
    # Every invoice is overdue by at least the first level's one day and has no level yet.
    for group in groups:
        assert (group.kind, group.level, group.tone) == (SendKind.LEVEL, 1, Tone.FRIENDLY)
        assert all(item.send == Send(SendKind.LEVEL, 1) for item in group.sends)


def test_select_reminders_logs_every_reason(ledger, caplog):
    services, rows = ledger

    with caplog.at_level(logging.DEBUG, logger="bot.reminders.selection"):
        with services.sessions() as session:
            select_reminders(session, AS_OF)

    debug_lines = [record.getMessage() for record in caplog.records if record.levelno == logging.DEBUG]
    for number, reason in [
        ("INV-PAID", "paid"), ("INV-CREDITED", "paid"), ("INV-REPORTED", "paid"),
        ("INV-NO-DUE", "no_due_date"), ("INV-DUE-TODAY", "not_due_yet"), ("INV-FUTURE", "not_due_yet"),
        ("INV-DISPUTED", "disputed"), ("INV-SNOOZED", "snoozed"), ("INV-PAUSED", "paused"),
    ]:
        assert any(f"({number}," in line and f": {reason}, resumes on" in line for line in debug_lines), (number, reason)
    for number, status in [("INV-VOID", "status void"), ("INV-DRAFT", "status draft")]:
        assert any(f"({number}," in line and line.endswith(status) for line in debug_lines), number

    summary = [record.getMessage() for record in caplog.records if record.levelno == logging.INFO]
    assert "reminders for 2026-03-16: 7 invoices in 4 groups selected" in summary
    assert "reminders for 2026-03-16: 3 invoices left out as paid" in summary
    assert "reminders for 2026-03-16: 2 invoices left out as not_due_yet" in summary
    assert "reminders for 2026-03-16: 2 invoices left out as not_open" in summary
    assert "reminders for 2026-03-16: 1 invoices left out as snoozed" in summary


def test_select_reminders_ignores_credit_notes(ledger, caplog):
    services, _rows = ledger

    with caplog.at_level(logging.DEBUG, logger="bot.reminders.selection"):
        with services.sessions() as session:
            select_reminders(session, AS_OF)

    assert not any("CN-" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, None),
    ({"open_balance": 0}, SkipReason.PAID),
    ({"open_balance": -5}, SkipReason.PAID),
    ({"due_date": None}, SkipReason.NO_DUE_DATE),
    ({"due_date": AS_OF}, SkipReason.NOT_DUE),
    ({"paused_until": date(2026, 3, 17)}, SkipReason.PAUSED),
    ({"paused_until": AS_OF}, None),
    ({"disputed": True}, SkipReason.DISPUTED),
    ({"snoozed_until": date(2026, 3, 17)}, SkipReason.SNOOZED),
    ({"snoozed_until": AS_OF}, None),
    ({"open_balance": 0, "disputed": True}, SkipReason.PAID),
])
def test_skip_reason_rules(changes, expected):
    facts = {"open_balance": 100, "due_date": date(2026, 3, 15), "disputed": False,
             "snoozed_until": None, "paused_until": None, "as_of": AS_OF}
    facts.update(changes)

    assert skip_reason(**facts) is expected
