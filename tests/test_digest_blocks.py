import json
from datetime import date, timedelta
from decimal import Decimal

from bot.aging import Bucket
from bot.digest.blocks import TOP_CUSTOMERS_SHOWN, build_digest_blocks, build_digest_text
from bot.digest.data import DigestData
from bot.i18n import get_translator
from bot.store.balances import AgingSummary, BucketTotal, CurrencyAging, OverdueCustomer
from bot.store.digest_changes import CurrencyChange
from tests.blockkit_limits import validate_blocks

AS_OF = date(2026, 3, 16)
EN = get_translator("en")
ZH = get_translator("zh_CN")


def _aging(currency: str, overdue: str = "1500.50", credits: str = "0", disputed: int = 0) -> CurrencyAging:
    buckets = tuple(BucketTotal(bucket, 0, Decimal(0)) for bucket in Bucket)
    buckets = tuple(
        BucketTotal(Bucket.DAYS_1_30, 3, Decimal(overdue)) if total.bucket == Bucket.DAYS_1_30 else total
        for total in buckets
    )
    return CurrencyAging(
        currency=currency, buckets=buckets, outstanding=Decimal(overdue), outstanding_count=3,
        overdue_amount=Decimal(overdue), overdue_count=3, disputed_amount=Decimal(0), disputed_count=disputed,
        credits=Decimal(credits), net=Decimal(overdue) - Decimal(credits),
    )


def _customer(rank: int, currency: str = "CNY", name: str | None = None, owner_name: str | None = "Alice",
              slack_user_id: str | None = None) -> OverdueCustomer:
    return OverdueCustomer(
        customer_id=rank, customer_code=f"C{rank:04d}", customer_name=name or f"Customer {rank}",
        owner_id=1 if owner_name else None, owner_name=owner_name, owner_key=owner_name,
        owner_slack_user_id=slack_user_id, currency=currency, overdue_amount=Decimal(10_000 - rank),
        overdue_count=2, oldest_due_date=AS_OF - timedelta(days=40), max_days_past_due=40, rank=rank,
    )


def _data(currencies=("CNY",), customers=(), counts=None, changes=(), previous=None) -> DigestData:
    return DigestData(
        as_of=AS_OF,
        summary=AgingSummary(AS_OF, tuple(_aging(currency) for currency in currencies)),
        top_customers=tuple(customers),
        overdue_customer_counts=counts if counts is not None else {
            currency: sum(1 for customer in customers if customer.currency == currency) for currency in currencies
        },
        previous_as_of=previous,
        changes=tuple(changes),
    )


def _all_text(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_digest_blocks_within_limits_500_customers_5_currencies():
    currencies = ("CNY", "EUR", "GBP", "JPY", "USD")
    customers = [_customer(rank, currency, name="N" * 500) for currency in currencies for rank in range(1, 501)]
    changes = [CurrencyChange(currency, 5, Decimal("1"), 3, Decimal("2"), Decimal("5"), Decimal("4")) for currency in currencies]

    blocks = build_digest_blocks(_data(currencies, customers, changes=changes, previous=AS_OF - timedelta(days=1)), EN)

    assert validate_blocks(blocks) == []
    assert len(blocks) <= 50
    text = _all_text(blocks)
    assert text.count("…and 495 more customers") == 5
    for currency in currencies:
        assert f"Top overdue customers, {currency}" in text


def test_digest_blocks_many_currencies_named_at_end():
    currencies = tuple(f"X{index:02d}" for index in range(40))
    customers = [_customer(1, currency) for currency in currencies]

    blocks = build_digest_blocks(_data(currencies, customers), EN)

    assert validate_blocks(blocks) == []
    shown = (50 - 4) // 3
    assert f"…and {40 - shown} more currencies: X{shown:02d}" in _all_text(blocks)


def test_digest_blocks_long_lines_cut_with_count():
    # Names full of "&" triple in length when escaped, so fewer lines fit in 3,000 characters.
    customers = [_customer(rank, name="&" * 500, owner_name="<" * 500) for rank in range(1, 6)]
    blocks = build_digest_blocks(_data(customers=customers, counts={"CNY": 5}), EN)

    assert validate_blocks(blocks) == []
    top = next(block for block in blocks if "Top overdue" in block.get("text", {}).get("text", ""))
    assert len(top["text"]["text"]) <= 3000
    assert "&amp;" in top["text"]["text"]


def test_digest_blocks_escape_names():
    customers = [
        _customer(1, name="<!channel> & Sons", owner_name="<!here>"),
        _customer(2, name="Plain", owner_name=None),
    ]
    blocks = build_digest_blocks(_data(customers=customers), EN)

    text = _all_text(blocks)
    assert "<!channel>" not in text
    assert "<!here>" not in text
    assert "&lt;!channel&gt; &amp; Sons" in text
    assert "&lt;!here&gt;" in text
    assert "no owner" in text


def test_digest_blocks_mention_owner_with_slack_id():
    customers = [_customer(1, owner_name="Alice", slack_user_id="U0ALICE")]
    text = _all_text(build_digest_blocks(_data(customers=customers), EN))

    assert "<@U0ALICE>" in text
    assert "Alice" not in text


def test_digest_blocks_zh_cn_formatting():
    customers = [_customer(1)]
    changes = [CurrencyChange("CNY", 1, Decimal("70"), 0, Decimal(0), Decimal("2000"), Decimal("1500.50"))]
    blocks = build_digest_blocks(_data(customers=customers, changes=changes, previous=date(2026, 3, 13)), ZH)

    text = _all_text(blocks)
    assert blocks[0]["text"]["text"].endswith("2026年3月16日")
    assert "¥1,500.50" in text
    assert "CN¥" not in text
    assert "2026年3月13日" in text
    assert "−¥499.50" in text


def test_digest_blocks_en_formatting():
    changes = [CurrencyChange("CNY", 1, Decimal("70"), 2, Decimal("30"), Decimal("1000"), Decimal("1500.50"))]
    blocks = build_digest_blocks(_data(changes=changes, previous=date(2026, 3, 13)), EN)

    text = _all_text(blocks)
    assert blocks[0]["text"]["text"] == "Receivables digest: Mar 16, 2026"
    assert "CN¥1,500.50" in text
    assert "What changed since Mar 13, 2026" in text
    assert "1 newly overdue invoice (CN¥70.00)" in text
    assert "2 invoices paid or credited (CN¥30.00)" in text
    assert "overdue +CN¥500.50" in text


def test_digest_blocks_bucket_fields():
    blocks = build_digest_blocks(_data(), EN)

    totals = blocks[2]
    assert totals["text"]["text"].startswith("*CNY*\nOutstanding: CN¥1,500.50 in 3 invoices")
    assert [field["text"].split("\n")[0] for field in totals["fields"]] == [
        "*Not due*", "*1-30 days*", "*31-60 days*", "*61-90 days*", "*Over 90 days*",
    ]
    assert totals["fields"][1]["text"] == "*1-30 days*\nCN¥1,500.50 · 3 invoices"


def test_digest_blocks_credits_and_disputed():
    aging = _aging("USD", overdue="100", credits="30", disputed=1)
    data = DigestData(AS_OF, AgingSummary(AS_OF, (aging,)), (), {})
    text = build_digest_blocks(data, EN)[2]["text"]["text"]

    assert "Credits: $30.00 · Net: $70.00" in text
    assert "Disputed, included above: $0.00 in 1 invoice" in text


def test_digest_blocks_empty_ledger():
    data = DigestData(AS_OF, AgingSummary(AS_OF, ()), (), {})
    blocks = build_digest_blocks(data, EN)

    assert validate_blocks(blocks) == []
    assert blocks[1]["text"]["text"] == "No open invoices or credits as of Mar 16, 2026."
    assert build_digest_text(data, EN) == "Receivables digest for Mar 16, 2026: No open invoices or credits."


def test_digest_text_fallback_short():
    currencies = tuple(f"X{index:02d}" for index in range(400))
    text = build_digest_text(_data(currencies), EN)

    assert text.startswith("Receivables digest for Mar 16, 2026: X00:")
    assert len(text) <= 3000


def test_digest_text_fallback_content():
    text = build_digest_text(_data(("CNY", "USD")), EN)

    assert text == (
        "Receivables digest for Mar 16, 2026: "
        "CNY: CN¥1,500.50 overdue in 3 invoices, CN¥1,500.50 outstanding; "
        "USD: $1,500.50 overdue in 3 invoices, $1,500.50 outstanding"
    )
