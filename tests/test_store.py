from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.store.db import transaction
from bot.store.models import Activity, Customer, Invoice


def _now():
    return datetime(2026, 3, 16, tzinfo=timezone.utc)


def test_amount_sums_are_exact(database_url, make_services):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        customer = Customer(code="0001", name="ACME", created_at=_now(), updated_at=_now())
        session.add(customer)
        session.flush()
        for index in range(10):
            invoice = Invoice(
                number=f"INV-{index}", customer_id=customer.id, currency="USD",
                due_date=date(2026, 3, 1), created_at=_now(), updated_at=_now(),
            )
            invoice.amount = Decimal("0.10")
            session.add(invoice)

    with services.sessions() as session:
        total = session.scalar(select(func.sum(Invoice.amount_units)))
    assert total == 10_000
    assert Decimal(total) / 10_000 == Decimal("1")


def test_activity_rejects_update(database_url, make_services):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        session.add(Activity(occurred_at=_now(), actor="system", action="test.recorded"))

    with pytest.raises(RuntimeError, match="append-only"):
        with transaction(services.sessions) as session:
            entry = session.scalars(select(Activity)).one()
            entry.actor = "someone-else"
