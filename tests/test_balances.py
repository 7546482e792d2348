from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.aging import Bucket
from bot.store.balances import aging_summary, open_documents, top_overdue_customers
from bot.store.db import transaction
from bot.store.models import DocumentStatus
from tests.ledger_builder import LedgerBuilder

AS_OF = date(2026, 3, 16)


@pytest.fixture
def sessions(database_url, make_services):
    return make_services(database_url).sessions


def _days_ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def _balances(sessions, as_of=AS_OF, **filters) -> dict[str, Decimal]:
    with sessions() as session:
        documents = open_documents(session, as_of, include_credits=True, **filters)
    return {document.number: document.open_balance for document in documents}


def test_partial_payment_leaves_rest_open(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        invoice = ledger.invoice(customer, "INV-1", "1000.00", _days_ago(15))
        ledger.payment(customer, "400.00", _days_ago(6), invoice=invoice)
        ledger.payment(customer, "0.50", None, invoice=invoice)

    assert _balances(sessions) == {"INV-1": Decimal("599.5")}


def test_overpayment_becomes_credit(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        invoice = ledger.invoice(customer, "INV-1", "100", _days_ago(5))
        ledger.payment(customer, "150", _days_ago(1), invoice=invoice)

    assert _balances(sessions) == {"INV-1": Decimal("-50")}
    with sessions() as session:
        assert open_documents(session, AS_OF) == []
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert summary.outstanding == 0
    assert summary.credits == Decimal("50")
    assert summary.net == Decimal("-50")


def test_applied_credit_note_reduces_invoice(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        invoice = ledger.invoice(customer, "INV-1", "500", _days_ago(43))
        ledger.credit_note(customer, "CN-1", "200", applies_to=invoice, issued=_days_ago(10))

    assert _balances(sessions) == {"INV-1": Decimal("300")}
    with sessions() as session:
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert summary.bucket(Bucket.DAYS_31_60).amount == Decimal("300")
    assert summary.credits == 0


def test_applied_credit_note_issued_later_not_counted(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        invoice = ledger.invoice(customer, "INV-1", "500", _days_ago(43))
        ledger.credit_note(customer, "CN-1", "200", applies_to=invoice, issued=AS_OF + timedelta(days=1))

    assert _balances(sessions) == {"INV-1": Decimal("500")}
    assert _balances(sessions, AS_OF + timedelta(days=1)) == {"INV-1": Decimal("300")}


def test_void_credit_note_not_applied(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        invoice = ledger.invoice(customer, "INV-1", "500", _days_ago(43))
        ledger.credit_note(customer, "CN-1", "200", applies_to=invoice, status=DocumentStatus.VOID)

    assert _balances(sessions) == {"INV-1": Decimal("500")}


def test_unapplied_credit_and_payment_are_credits(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-1", "1000", _days_ago(3))
        ledger.credit_note(customer, "CN-2", "80")
        ledger.payment(customer, "70", _days_ago(11))
        # Received after the as-of date, so not yet a credit.
        ledger.payment(customer, "5", AS_OF + timedelta(days=4))

    with sessions() as session:
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert summary.outstanding == Decimal("1000")
    assert summary.outstanding_count == 1
    assert summary.credits == Decimal("150")
    assert summary.net == Decimal("850")
    assert _balances(sessions) == {"INV-1": Decimal("1000"), "CN-2": Decimal("-80")}


def test_void_and_draft_excluded(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-VOID", "999", _days_ago(40), status=DocumentStatus.VOID)
        ledger.invoice(customer, "INV-DRAFT", "888", _days_ago(40), status=DocumentStatus.DRAFT)
        ledger.invoice(customer, "INV-OPEN", "10", _days_ago(40))

    assert _balances(sessions) == {"INV-OPEN": Decimal("10")}
    with sessions() as session:
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert summary.outstanding == Decimal("10")


def test_no_due_date_bucket_not_overdue(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-1", "300", None)

    with sessions() as session:
        [document] = open_documents(session, AS_OF)
        overdue = open_documents(session, AS_OF, overdue_only=True)
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert document.bucket == Bucket.NO_DUE_DATE
    assert document.days_past_due is None
    assert overdue == []
    assert summary.bucket(Bucket.NO_DUE_DATE).amount == Decimal("300")
    assert summary.overdue_amount == 0
    assert summary.outstanding == Decimal("300")


def test_currencies_never_summed(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-CNY", "1000", _days_ago(74))
        ledger.invoice(customer, "INV-USD", "250", _days_ago(74), currency="USD")
        ledger.payment(customer, "20", _days_ago(1), currency="USD")

    with sessions() as session:
        summary = aging_summary(session, AS_OF)
    assert [aging.currency for aging in summary.currencies] == ["CNY", "USD"]
    assert summary.for_currency("CNY").bucket(Bucket.DAYS_61_90).amount == Decimal("1000")
    assert summary.for_currency("USD").bucket(Bucket.DAYS_61_90).amount == Decimal("250")
    assert summary.for_currency("CNY").credits == 0
    assert summary.for_currency("USD").credits == Decimal("20")
    assert summary.for_currency("USD").net == Decimal("230")


def test_as_of_replay_excludes_later_documents(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-LATER", "100", AS_OF + timedelta(days=30), issued=AS_OF + timedelta(days=1))
        ledger.invoice(customer, "INV-TODAY", "100", AS_OF + timedelta(days=30), issued=AS_OF)
        ledger.invoice(customer, "INV-UNDATED", "100", AS_OF + timedelta(days=30), issued=None)

    assert set(_balances(sessions)) == {"INV-TODAY", "INV-UNDATED"}


def test_as_of_replay_settled_later_still_open(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-1", "100", _days_ago(10), reported_paid="100", settled_on=AS_OF + timedelta(days=2))
        ledger.invoice(customer, "INV-2", "100", _days_ago(10), reported_paid="100", settled_on=AS_OF)
        ledger.invoice(customer, "INV-3", "100", _days_ago(10), reported_paid="60", settled_on=None)
        later = ledger.invoice(customer, "INV-4", "100", _days_ago(10))
        ledger.payment(customer, "100", AS_OF + timedelta(days=1), invoice=later)

    assert _balances(sessions) == {"INV-1": Decimal("100"), "INV-3": Decimal("40"), "INV-4": Decimal("100")}
    assert _balances(sessions, AS_OF + timedelta(days=2)) == {"INV-3": Decimal("40")}


def test_disputed_stays_in_totals(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-1", "100", _days_ago(10), disputed=True)
        ledger.invoice(customer, "INV-2", "50", _days_ago(10))

    with sessions() as session:
        documents = open_documents(session, AS_OF)
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert {document.number: document.disputed for document in documents} == {"INV-1": True, "INV-2": False}
    assert summary.overdue_amount == Decimal("150")
    assert summary.disputed_amount == Decimal("100")
    assert summary.disputed_count == 1


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, Bucket.NOT_DUE), (0, Bucket.NOT_DUE), (1, Bucket.DAYS_1_30), (30, Bucket.DAYS_1_30),
        (31, Bucket.DAYS_31_60), (60, Bucket.DAYS_31_60), (61, Bucket.DAYS_61_90),
        (90, Bucket.DAYS_61_90), (91, Bucket.OVER_90), (400, Bucket.OVER_90),
    ],
)
def test_aging_bucket_boundaries_in_sql(sessions, days, bucket):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        ledger.invoice(customer, "INV-1", "1", _days_ago(days), issued=_days_ago(500))

    with sessions() as session:
        [document] = open_documents(session, AS_OF)
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert document.bucket == bucket
    assert document.days_past_due == days
    assert summary.bucket(bucket).count == 1
    assert summary.overdue_count == (1 if days > 0 else 0)


def test_summary_buckets_in_display_order(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        for days in (0, 1, 30, 31, 60, 61, 90, 91):
            ledger.invoice(customer, f"INV-{days}", str(days + 1), _days_ago(days), issued=_days_ago(500))
        ledger.invoice(customer, "INV-NONE", "1000", None)

    with sessions() as session:
        summary = aging_summary(session, AS_OF).for_currency("CNY")
    assert [(total.bucket, total.count, total.amount) for total in summary.buckets] == [
        (Bucket.NOT_DUE, 1, Decimal("1")),
        (Bucket.DAYS_1_30, 2, Decimal("33")),
        (Bucket.DAYS_31_60, 2, Decimal("93")),
        (Bucket.DAYS_61_90, 2, Decimal("153")),
        (Bucket.OVER_90, 1, Decimal("92")),
        (Bucket.NO_DUE_DATE, 1, Decimal("1000")),
    ]
    assert summary.outstanding == Decimal("1372")
    assert summary.outstanding_count == 9
    assert summary.overdue_amount == Decimal("371")
    assert summary.overdue_count == 7


def test_effective_owner_filters(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        alice = ledger.owner("alice", "Alice", slack_user_id="U0ALICE")
        bob = ledger.owner("bob", "Bob")
        customer = ledger.customer("C1", owner=alice)
        ledger.invoice(customer, "INV-ALICE", "100", _days_ago(10))
        ledger.invoice(customer, "INV-BOB", "40", _days_ago(10), owner=bob)
        ledger.payment(customer, "7", _days_ago(2))

    with sessions() as session:
        documents = {document.number: document for document in open_documents(session, AS_OF)}
        alice_summary = aging_summary(session, AS_OF, owner_id=alice.id).for_currency("CNY")
        bob_summary = aging_summary(session, AS_OF, owner_id=bob.id).for_currency("CNY")
    assert documents["INV-ALICE"].owner_name == "Alice"
    assert documents["INV-ALICE"].owner_slack_user_id == "U0ALICE"
    assert documents["INV-BOB"].owner_key == "bob"
    assert alice_summary.outstanding == Decimal("100")
    assert alice_summary.credits == Decimal("7")
    assert bob_summary.outstanding == Decimal("40")
    assert bob_summary.credits == 0


def test_open_documents_order_filter_limit(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        first = ledger.customer("C1")
        second = ledger.customer("C2")
        ledger.invoice(first, "INV-BIG", "900", _days_ago(2))
        ledger.invoice(first, "INV-OLD", "10", _days_ago(200))
        ledger.invoice(first, "INV-NODUE", "50", None)
        ledger.invoice(first, "INV-FUTURE", "500", AS_OF + timedelta(days=9))
        ledger.invoice(second, "INV-OTHER", "77", _days_ago(20))

    with sessions() as session:
        largest = open_documents(session, AS_OF, customer_id=first.id)
        oldest = open_documents(session, AS_OF, customer_id=first.id, order="oldest")
        overdue = open_documents(session, AS_OF, overdue_only=True, limit=2)
    assert [document.number for document in largest] == ["INV-BIG", "INV-FUTURE", "INV-NODUE", "INV-OLD"]
    assert [document.number for document in oldest] == ["INV-OLD", "INV-BIG", "INV-FUTURE", "INV-NODUE"]
    assert [document.number for document in overdue] == ["INV-BIG", "INV-OTHER"]
    assert largest[0].customer_code == "C1"
    assert largest[0].amount == Decimal("900")


def test_top_overdue_customers_ranked_per_currency(sessions):
    with transaction(sessions) as session:
        ledger = LedgerBuilder(session)
        owner = ledger.owner("alice", "Alice", slack_user_id="U0ALICE")
        big = ledger.customer("C1", "Big Buyer", owner=owner)
        small = ledger.customer("C2", "Small Buyer")
        third = ledger.customer("C3", "Third Buyer")
        ledger.invoice(big, "INV-1", "1000", _days_ago(5))
        ledger.invoice(big, "INV-2", "500", _days_ago(95))
        ledger.invoice(big, "INV-3", "9999", AS_OF)
        ledger.invoice(small, "INV-4", "20", _days_ago(1))
        ledger.invoice(third, "INV-5", "10", _days_ago(1))
        ledger.invoice(small, "INV-6", "5", _days_ago(40), currency="USD")

    with sessions() as session:
        top = top_overdue_customers(session, AS_OF, limit=2)
    assert [(row.currency, row.customer_code, row.rank) for row in top] == [
        ("CNY", "C1", 1), ("CNY", "C2", 2), ("USD", "C2", 1),
    ]
    assert top[0].overdue_amount == Decimal("1500")
    assert top[0].overdue_count == 2
    assert top[0].max_days_past_due == 95
    assert top[0].owner_slack_user_id == "U0ALICE"
    assert top[1].owner_id is None


def test_reported_paid_and_payments_not_double_counted(database_url, make_services):
    services = make_services(database_url)
    with transaction(services.sessions) as session:
        ledger = LedgerBuilder(session)
        customer = ledger.customer("C1")
        # The export marks INV-1 paid, and the payments file lists the same payment.
        paid = ledger.invoice(customer, "INV-1", "100", _days_ago(10), reported_paid="100")
        ledger.payment(customer, "100", AS_OF - timedelta(days=1), invoice=paid)
        # INV-2: a partial payment listed only in the payments file.
        partial = ledger.invoice(customer, "INV-2", "100", _days_ago(10))
        ledger.payment(customer, "40", AS_OF - timedelta(days=1), invoice=partial)

    with services.sessions() as session:
        documents = {document.number: document for document in open_documents(session, AS_OF, include_credits=True)}
        summary = aging_summary(session, AS_OF).for_currency("CNY")

    assert "INV-1" not in documents
    assert documents["INV-2"].open_balance == Decimal("60")
    assert summary.credits == Decimal("0")
