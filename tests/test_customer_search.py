from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.store.customers import customer_matches, last_activity
from bot.store.db import transaction
from bot.store.models import Activity, Customer
from tests.ledger_builder import LedgerBuilder


@pytest.fixture
def sessions(database_url, make_services):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        ledger = LedgerBuilder(session)
        ledger.customer("BJ-001", "北京某某科技有限公司")
        ledger.customer("DE-7", "Ärzte Bedarf GmbH")
        ledger.customer("ACME", "Acme Corp")
        ledger.customer("ACME-2", "AAA Acme Trading")
        ledger.customer("X-ACME", "Roadrunner Supplies (acme reseller)")
        ledger.customer("P100", "100% Fruit_Juice Ltd")
        ledger.customer("P101", "1000 Fruits Juice Ltd")
    return services.sessions


def _codes(sessions, query, limit=10):
    with sessions() as session:
        return [customer.code for customer in customer_matches(session, query, limit)]


def test_customer_matches_chinese_substring(sessions):
    assert _codes(sessions, "某某科技") == ["BJ-001"]


def test_customer_matches_non_ascii_case(sessions):
    assert _codes(sessions, "ärzte") == ["DE-7"]
    assert _codes(sessions, "ÄRZTE") == ["DE-7"]


def test_customer_matches_full_width_query(sessions):
    assert _codes(sessions, "ＡＣＭＥ") == ["ACME", "ACME-2", "X-ACME"]


def test_customer_matches_exact_code_first(sessions):
    assert _codes(sessions, "ACME") == ["ACME", "ACME-2", "X-ACME"]
    assert _codes(sessions, "acme") == ["ACME", "ACME-2", "X-ACME"]
    assert _codes(sessions, "acme-2") == ["ACME-2"]
    assert _codes(sessions, "ACME", limit=1) == ["ACME"]


def test_customer_matches_wildcards_literal(sessions):
    assert _codes(sessions, "100%") == ["P100"]
    assert _codes(sessions, "fruit_") == ["P100"]
    assert _codes(sessions, "  ") == []


def test_customer_search_text_follows_rename(sessions):
    with transaction(sessions) as session:
        customer = session.scalars(select(Customer).where(Customer.code == "ACME")).one()
        customer.name = "Öko Handel"

    assert _codes(sessions, "öko") == ["ACME"]
    assert _codes(sessions, "corp") == []


def test_last_activity_includes_invoice_entries(database_url, make_services):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        other = ledger.customer("C2")
        invoice = ledger.invoice(customer, "INV-1", "10", None)
        session.add_all([
            Activity(occurred_at=datetime(2026, 3, 1, tzinfo=timezone.utc), actor="system", action="a.customer", customer_id=customer.id),
            Activity(occurred_at=datetime(2026, 3, 2, tzinfo=timezone.utc), actor="system", action="b.invoice", invoice_id=invoice.id),
            Activity(occurred_at=datetime(2026, 3, 3, tzinfo=timezone.utc), actor="system", action="c.other", customer_id=other.id),
        ])

    with services.sessions() as session:
        assert last_activity(session, customer.id).action == "b.invoice"
        assert last_activity(session, other.id).action == "c.other"
        assert last_activity(session, 999) is None
