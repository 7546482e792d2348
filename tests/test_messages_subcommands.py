"""Message builders of `/arrears mine`, `invoice` and the App Home tab against Block Kit limits, with extreme inputs."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from bot.aging import Bucket
from bot.home_overview import HomeOverview
from bot.i18n import get_translator
from bot.invoice_overview import HistoryEntry, InvoiceOverview
from bot.messages.home import home_view, outsider_home_view
from bot.messages.invoice import invoice_message
from bot.messages.mine import my_queue_message
from bot.my_queue import MyQueue, QueueCard, overdue_amount, rank_customers, to_chase_amount
from bot.pauses import INDEFINITE_PAUSE_UNTIL
from bot.permissions import Role
from bot.reminders.card import CardData, CardInvoice, Delivery
from bot.store.invoice_history import AppliedCreditNote, AppliedPayment, CoveringPromise
from bot.store.owner_queue import QueueCurrency, QueueCustomer
from bot.store.user_promises import PromiseList, PromiseSummary
from tests.blockkit_limits import validate_blocks, validate_view

AS_OF = date(2026, 3, 16)
LONG_NAME = "<!channel> " + "北京某某科技有限公司" * 48
LOCALES = ("en", "zh_CN")
CURRENCIES = ["AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "HKD", "JPY", "SGD", "USD", "NZD", "SEK", "NOK"]


def _currency(code: str, amount: str = "123456789012.3456", to_chase: str | None = None) -> QueueCurrency:
    return QueueCurrency(
        currency=code, overdue_amount=Decimal(amount), overdue_count=999_999,
        to_chase_amount=Decimal(to_chase if to_chase is not None else amount), to_chase_count=999_999,
        oldest_due_date=date(2020, 1, 1),
    )


def _customer(customer_id: int, currencies: tuple[QueueCurrency, ...], name: str = LONG_NAME) -> QueueCustomer:
    return QueueCustomer(
        customer_id=customer_id, code="C" * 255, name=name, paused_until=None, currencies=currencies,
        max_days_past_due=2266, paused_count=3, disputed_count=2, snoozed_count=1,
    )


def _card(customer_id: int) -> QueueCard:
    invoices = tuple(
        CardInvoice(invoice_id=index, number=f"<@U{index}>" + "9" * 250, currency="CNY",
                    open_balance=Decimal("1e12"), due_date=date(2020, 1, 1), days_past_due=2266, dunning_level=3)
        for index in range(40)
    )
    data = CardData(card_id=0, as_of=AS_OF, customer_code="C" * 255, customer_name=LONG_NAME,
                    owner_name="<!here>" * 30, owner_slack_user_id="U0OLGA", delivery=Delivery.DIRECT,
                    invoices=invoices)
    return QueueCard(customer_id, data)


def _queue(count: int) -> MyQueue:
    customers = tuple(_customer(index, (_currency("CNY"),)) for index in range(count))
    return MyQueue(slack_user_id="U0OLGA", as_of=AS_OF, owner_ids=(1, 2), customers=customers)


@pytest.mark.parametrize("locale", LOCALES)
def test_my_queue_message_within_limits(locale):
    queue = _queue(500)
    cards = [_card(index) for index in range(10)]

    message = my_queue_message(get_translator(locale), queue, cards)

    assert validate_blocks(message["blocks"]) == []
    assert "<!channel>" not in str(message)
    assert "<!here>" not in str(message)


def test_my_queue_message_counts_hidden_customers():
    message = my_queue_message(get_translator("en"), _queue(500), [_card(index) for index in range(10)])

    shown = sum(1 for block in message["blocks"] if block["type"] == "actions")
    assert 1 <= shown < 10
    assert f"…and {500 - shown} more customers" in str(message)


def test_my_queue_message_block_ids_unique():
    message = my_queue_message(get_translator("en"), _queue(3), [_card(index) for index in range(3)])

    block_ids = [block["block_id"] for block in message["blocks"] if "block_id" in block]
    assert len(block_ids) == len(set(block_ids))


def test_rank_customers_within_currency():
    customers = [
        _customer(1, (_currency("USD", "900"),), name="u900"),
        _customer(2, (_currency("CNY", "100"),), name="c100"),
        _customer(3, (_currency("CNY", "500"), _currency("USD", "1")), name="c500"),
        _customer(4, (_currency("EUR", "50"),), name="e50"),
        _customer(5, (_currency("CNY", "0", to_chase="0"),), name="zero"),
    ]

    by_code = [customer.name for customer in rank_customers(customers, overdue_amount, None)]
    leading_usd = [customer.name for customer in rank_customers(customers, overdue_amount, "USD")]

    assert by_code == ["c500", "c100", "e50", "u900", "zero"]
    assert leading_usd == ["u900", "c500", "c100", "e50", "zero"]


def test_rank_customers_by_amount_to_chase():
    customers = [
        _customer(1, (_currency("CNY", "900", to_chase="10"),), name="mostly held"),
        _customer(2, (_currency("CNY", "100", to_chase="100"),), name="all to chase"),
    ]

    ranked = [customer.name for customer in rank_customers(customers, to_chase_amount, "CNY")]

    assert ranked == ["all to chase", "mostly held"]


def _invoice_overview() -> InvoiceOverview:
    moment = datetime(2026, 3, 10, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    return InvoiceOverview(
        invoice_id=1, number="<!channel>" + "9" * 245, kind="invoice", status="open", currency="CNY",
        amount=Decimal("1e12"), open_balance=Decimal("1e12"), issue_date=None, due_date=date(2020, 1, 1),
        days_past_due=2266, bucket=Bucket.OVER_90, disputed=True, dispute_reason="<!here> " + "理" * 5000,
        dunning_level=3, snoozed_until=date(2026, 4, 1), customer_code="C" * 255, customer_name=LONG_NAME,
        customer_paused_until=INDEFINITE_PAUSE_UNTIL, owner_name="<!here>" * 30, owner_slack_user_id=None,
        reported_paid=Decimal("1e11"), settled_on=date(2026, 1, 1), applies_to_number=None,
        payments=tuple(AppliedPayment("<!here>" + "P" * 248, "CNY", Decimal("1e9"), None, "<b>" * 20)
                       for _ in range(500)),
        credit_notes=tuple(AppliedCreditNote("<!here>" + "N" * 248, "CNY", Decimal("1e9"), None, "void")
                           for _ in range(500)),
        promises=tuple(CoveringPromise(index, "CNY", Decimal("1e9"), AS_OF, "broken", "U0OLGA", 99)
                       for index in range(500)),
        activity=tuple(HistoryEntry(moment, "x" * 64, "y" * 64, {"note": "<!here>" * 500}) for _ in range(15)),
        activity_total=10_000,
        as_of=AS_OF,
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_invoice_message_within_limits(locale):
    message = invoice_message(get_translator(locale), _invoice_overview(), "Asia/Shanghai")

    assert validate_blocks(message["blocks"]) == []
    assert "<!channel>" not in str(message["blocks"][1:])
    assert "<!here>" not in str(message)


def test_invoice_message_paused_indefinitely():
    message = invoice_message(get_translator("en"), _invoice_overview(), "Asia/Shanghai")

    assert "paused until someone resumes them" in str(message)
    assert "Dec 31, 9999" not in str(message)


def _promise(index: int) -> PromiseSummary:
    return PromiseSummary(
        promise_id=index, customer_code="C" * 255, customer_name=LONG_NAME, currency="CNY", amount=Decimal("1e12"),
        pay_by=AS_OF, status="open", resolved_on=None, invoice_numbers=("<!here>" + "9" * 248,) * 3,
        invoice_count=999,
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_home_view_within_limits(locale):
    customers = tuple(_customer(index, tuple(_currency(code) for code in CURRENCIES)) for index in range(300))
    promises = PromiseList(tuple(_promise(index) for index in range(15)), 10_000)
    overview = HomeOverview(
        as_of=AS_OF, roles=frozenset(Role),
        queue=MyQueue(slack_user_id="U0OLGA", as_of=AS_OF, owner_ids=(1,), customers=customers),
        promises_due=promises, due_until=AS_OF + timedelta(days=6), broken_promises=promises,
        broken_since=AS_OF - timedelta(days=30), leading_currency="CNY",
    )

    view = home_view(get_translator(locale), overview)

    assert validate_view(view) == []
    assert "<!channel>" not in str(view)
    assert "<!here>" not in str(view)


@pytest.mark.parametrize("locale", LOCALES)
def test_outsider_home_view_within_limits(locale):
    tr = get_translator(locale)

    view = outsider_home_view(tr, [tr.gettext(role.label) for role in Role])

    assert validate_view(view) == []
