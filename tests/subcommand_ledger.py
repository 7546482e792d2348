"""A small ledger for the `/arrears` subcommand and App Home tests: owners, invoices, promises and activity.

Today is 2026-03-16 in Asia/Shanghai (the pinned clock). Olga owns ACME and BETA through
the customer, and INV-300 of GAMMA through the invoice; Bob (no Slack user) owns GAMMA.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy.orm import Session

from bot.money import to_stored
from bot.store.models import Activity, Customer, Invoice, Promise, PromiseInvoice, PromiseStatus
from tests.ledger_builder import CREATED_AT, LedgerBuilder

ALICE = "U0ALICE"  # finance
OLGA = "U0OLGA"  # owner
LARA = "U0LARA"  # legal
NOBODY = "U0NOBODY"  # no role
NEWBIE = "U0NEWBIE"  # a Slack user with no owner row yet
TODAY = date(2026, 3, 16)


@dataclass
class SubcommandLedger:
    acme: Customer
    beta: Customer
    gamma: Customer
    inv_100: Invoice


def add_promise(session: Session, customer: Customer, invoices: list[Invoice], amount: str, pay_by: date,
                status: str = PromiseStatus.OPEN, made_by: str = OLGA, resolved_on: date | None = None,
                currency: str = "CNY") -> Promise:
    promise = Promise(
        customer_id=customer.id, made_by=made_by, currency=currency, amount_units=to_stored(Decimal(amount)),
        pay_by=pay_by, balance_when_made_units=to_stored(Decimal(amount)), status=status, resolved_on=resolved_on,
        created_at=CREATED_AT, updated_at=CREATED_AT,
    )
    session.add(promise)
    session.flush()
    for invoice in invoices:
        session.add(PromiseInvoice(promise_id=promise.id, invoice_id=invoice.id))
    session.flush()
    return promise


def build_subcommand_ledger(session: Session) -> SubcommandLedger:
    ledger = LedgerBuilder(session)
    olga = ledger.owner("olga@example.com", "Olga Owner", slack_user_id=OLGA)
    bob = ledger.owner("Bob Builder", "Bob <b> & Co")

    acme = ledger.customer("ACME", "Acme Corp", owner=olga)
    inv_100 = ledger.invoice(acme, "INV-100", "1200.00", date(2026, 3, 1))  # 15 days past due
    ledger.invoice(acme, "INV-101", "800.50", date(2026, 4, 1))  # not due
    ledger.invoice(acme, "INV-102", "300.00", date(2025, 11, 1))  # 135 days past due
    disputed = ledger.invoice(acme, "INV-103", "50.00", date(2026, 2, 1), disputed=True)
    disputed.dispute_reason = "Goods <!channel> arrived damaged"
    snoozed = ledger.invoice(acme, "INV-104", "70.00", date(2026, 2, 1))
    snoozed.snoozed_until = date(2026, 3, 20)
    ledger.invoice(acme, "INV-1000", "10.00", date(2026, 3, 1))

    beta = ledger.customer("BETA", "Beta Trading", owner=olga)
    ledger.invoice(beta, "B-1", "5000.00", date(2026, 3, 10))
    ledger.invoice(beta, "B-2", "99.99", date(2026, 2, 1), currency="USD")

    gamma = ledger.customer("GAMMA", "Gamma Goods", owner=bob)
    ledger.invoice(gamma, "INV-300", "400.00", date(2026, 3, 5), owner=olga)
    ledger.invoice(gamma, "INV-301", "900.00", date(2026, 3, 5))

    # INV-100: 1200 - 200 paid - 100 credited = 900 open.
    ledger.payment(acme, "200.00", date(2026, 3, 5), invoice=inv_100)
    ledger.credit_note(acme, "CN-100", "100.00", applies_to=inv_100, issued=date(2026, 3, 6))
    inv_100.dunning_level = 2

    add_promise(session, acme, [inv_100], "900.00", date(2026, 3, 19))  # due this week
    add_promise(session, acme, [inv_100], "300.00", date(2026, 4, 5))  # due later
    add_promise(session, beta, [], "1000.00", date(2026, 3, 1), status=PromiseStatus.BROKEN,
                resolved_on=date(2026, 3, 2))
    add_promise(session, gamma, [], "10.00", date(2026, 3, 17), made_by=ALICE)  # neither Olga's nor her invoice's

    session.add_all([
        Activity(occurred_at=datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc), actor=ALICE,
                 action="invoice.disputed", customer_id=acme.id, invoice_id=inv_100.id,
                 details={"reason": "Customer says <b>price</b> is wrong"}),
        Activity(occurred_at=datetime(2026, 3, 12, 1, 0, tzinfo=timezone.utc), actor="system",
                 action="reminder.sent", customer_id=acme.id,
                 details={"invoices": [{"number": "INV-100"}, {"number": "INV-102"}]}),
        Activity(occurred_at=datetime(2026, 3, 13, 1, 0, tzinfo=timezone.utc), actor="system",
                 action="reminder.sent", customer_id=acme.id, details={"invoices": [{"number": "INV-1000"}]}),
    ])
    session.flush()
    return SubcommandLedger(acme=acme, beta=beta, gamma=gamma, inv_100=inv_100)
