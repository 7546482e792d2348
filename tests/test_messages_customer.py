"""Message builders of `/arrears` against Block Kit limits, with the largest inputs the store allows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.aging import Bucket
from bot.customer_overview import CustomerOverview, RecentActivity
from bot.i18n import get_translator
from bot.messages.customer import (
    CustomerChoice,
    customer_choices_message,
    customer_message,
    customer_not_found_message,
)
from bot.messages.help import SubcommandUsage, help_message
from bot.store.balances import AgingSummary, BucketTotal, CurrencyAging, OpenDocument
from tests.blockkit_limits import validate_blocks

AS_OF = date(2026, 3, 16)
LONG_NAME = "<!channel> " + "北京某某科技有限公司" * 49  # 500 characters, the column's maximum
CURRENCIES = ["AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "HKD", "JPY", "KRW", "SGD", "TWD", "USD",
              "NZD", "SEK", "NOK", "DKK", "INR", "BRL", "MXN", "ZAR", "THB", "MYR", "IDR", "PHP",
              "VND", "PLN", "CZK", "HUF", "ILS", "AED", "SAR", "TRY", "RUB", "CLP", "COP", "PEN",
              "ARS", "EGP", "NGN", "KES", "PKR", "BDT", "LKR", "QAR", "KWD", "BHD", "OMR", "JOD"]


def _aging(currency: str) -> CurrencyAging:
    amount = Decimal("123456789012.3456")
    return CurrencyAging(
        currency=currency,
        buckets=tuple(BucketTotal(bucket, 999_999, amount) for bucket in Bucket),
        outstanding=amount, outstanding_count=999_999, overdue_amount=amount, overdue_count=999_999,
        disputed_amount=amount, disputed_count=3, credits=amount, net=Decimal(0),
    )


def _document(index: int) -> OpenDocument:
    return OpenDocument(
        invoice_id=index, number=f"<@U{index}>" + "9" * 250, kind="invoice", customer_id=1,
        customer_code="C" * 255, customer_name=LONG_NAME, owner_id=None, owner_name=None, owner_key=None,
        owner_slack_user_id=None, currency="CNY", amount=Decimal("1e12"), open_balance=Decimal("1e12"),
        issue_date=None, due_date=date(2020, 1, 1), days_past_due=2266, bucket=Bucket.OVER_90,
        disputed=True, dunning_level=3, snoozed_until=None,
    )


def _overview(currency_count: int) -> CustomerOverview:
    return CustomerOverview(
        customer_id=1, code="C" * 255, name=LONG_NAME, owner_name="<!here>" * 36, owner_slack_user_id=None,
        as_of=AS_OF,
        aging=AgingSummary(AS_OF, tuple(_aging(currency) for currency in CURRENCIES[:currency_count])),
        largest_open=tuple(_document(index) for index in range(10)),
        last_activity=RecentActivity(AS_OF, "x" * 64, "U1"),
    )


def test_customer_message_within_limits():
    for locale in ("en", "zh_CN"):
        message = customer_message(get_translator(locale), _overview(len(CURRENCIES)))

        assert validate_blocks(message["blocks"]) == []
        assert "<!channel>" not in message["text"]


def test_customer_message_drops_extra_currencies():
    message = customer_message(get_translator("en"), _overview(len(CURRENCIES)))

    assert "more currencies are not shown" in str(message["blocks"])


def test_customer_message_escapes_user_text():
    message = customer_message(get_translator("en"), _overview(1))
    mrkdwn = [block for block in message["blocks"] if block["type"] != "header"]

    assert "<!here>" not in str(mrkdwn)
    assert "<@U1>" not in str(mrkdwn)
    assert "<!channel>" not in str(mrkdwn)


def test_customer_message_without_open_invoices():
    overview = CustomerOverview(
        customer_id=1, code="ACME", name="Acme", owner_name=None, owner_slack_user_id=None, as_of=AS_OF,
        aging=AgingSummary(AS_OF, ()), largest_open=(), last_activity=None,
    )

    message = customer_message(get_translator("en"), overview)

    assert validate_blocks(message["blocks"]) == []
    assert "No open invoices as of Mar 16, 2026." in str(message["blocks"])


def test_customer_choices_within_limits():
    choices = [CustomerChoice(index, "C" * 255, LONG_NAME) for index in range(15)]

    message = customer_choices_message(get_translator("en"), "x" * 3000, choices, more=True)

    assert validate_blocks(message["blocks"]) == []
    assert "Only the first 15 matches are shown" in str(message["blocks"])


def test_customer_not_found_within_limits():
    message = customer_not_found_message(get_translator("en"), "<!channel>" * 400)

    assert validate_blocks(message["blocks"]) == []
    assert "<!channel>" not in message["text"]


def test_help_message_within_limits():
    usages = [SubcommandUsage("customer", "<name or code>", "Show a customer.")]

    message = help_message(get_translator("en"), "/arrears", usages, unknown_subcommand="`<!channel>`" * 100)

    assert validate_blocks(message["blocks"]) == []
    assert "<!channel>" not in str(message["blocks"])
