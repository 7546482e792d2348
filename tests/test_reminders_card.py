"""The reminder card builder: content, escaping, locales and Block Kit limits."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import get_translator
from bot.reminders.buttons import CardButton, button_value, parse_button_value
from bot.reminders.card import (
    MAX_LISTED_INVOICES,
    CardData,
    CardInvoice,
    CurrencyCredits,
    Delivery,
    LastAction,
    build_reminder_card,
)
from tests.blockkit_limits import validate_blocks

AS_OF = date(2026, 3, 16)
EN = get_translator("en")


def _invoice(number: str, amount: str = "100.00", currency: str = "CNY", days: int = 15, level: int = 0) -> CardInvoice:
    return CardInvoice(invoice_id=0, number=number, currency=currency, open_balance=Decimal(amount),
                       due_date=AS_OF - timedelta(days=days), days_past_due=days, dunning_level=level)


def _card(**changes) -> CardData:
    fields = {
        "card_id": 42, "as_of": AS_OF, "customer_code": "C001", "customer_name": "ACME Trading",
        "owner_name": "Alice", "owner_slack_user_id": "U0ALICE", "delivery": Delivery.DIRECT,
        "invoices": (_invoice("INV-1", "1000.00", days=15, level=2),),
    }
    fields.update(changes)
    return CardData(**fields)


def _all_text(text: str, blocks: list) -> str:
    return text + "\n" + json.dumps(blocks, ensure_ascii=False)


def test_card_lists_invoice_details():
    text, blocks = build_reminder_card(_card(), EN)

    rendered = _all_text(text, blocks)
    assert "ACME Trading" in rendered
    assert "C001" in rendered
    assert "<@U0ALICE>" in rendered
    assert "INV-1: CN¥1,000.00, due Mar 1, 2026, 15 days past due, dunning level 2" in rendered
    assert "CN¥1,000.00 in 1 invoice" in rendered
    assert validate_blocks(blocks) == []


def test_card_buttons_carry_card_id():
    _, blocks = build_reminder_card(_card(), EN)

    actions = blocks[-1]
    assert actions["type"] == "actions"
    assert [element["action_id"] for element in actions["elements"]] == [
        "reminder_log_contact", "reminder_snooze", "reminder_escalate", "reminder_dispute",
    ]
    assert [element["text"]["text"] for element in actions["elements"]] == [
        "Log contact", "Snooze", "Escalate", "Dispute",
    ]
    assert {element["value"] for element in actions["elements"]} == {"card:42"}


def test_button_value_round_trip():
    assert parse_button_value(button_value(7)) == 7
    for bad in ("7", "card:", "card:x", "card:1:2", "card:١"):
        with pytest.raises(ValueError):
            parse_button_value(bad)


def test_card_limits_300_invoices_4_currencies():
    currencies = ["CNY", "USD", "EUR", "JPY"]
    invoices = tuple(
        _invoice(f"INV-{index:04d}-" + "X" * 200, "1234.5", currencies[index % 4], days=1 + index, level=index % 4)
        for index in range(300)
    )

    text, blocks = build_reminder_card(_card(invoices=invoices), EN)

    assert validate_blocks(blocks) == []
    rendered = _all_text(text, blocks)
    assert "…and 280 more invoices" in rendered
    # Totals cover all 300 invoices, not only the listed ones: 75 per currency.
    assert "CN¥92,587.50 in 75 invoices" in rendered
    assert "$92,587.50 in 75 invoices" in rendered
    assert "€92,587.50 in 75 invoices" in rendered
    assert "¥92,588 in 75 invoices" in rendered
    assert len(text) <= 3000


def test_card_lists_oldest_invoices_first():
    invoices = tuple(_invoice(f"INV-{days}", days=days) for days in range(1, MAX_LISTED_INVOICES + 6))

    _, blocks = build_reminder_card(_card(invoices=invoices), EN)

    rendered = json.dumps(blocks)
    assert "INV-25:" in rendered
    assert "INV-6:" in rendered
    assert "INV-5:" not in rendered
    assert rendered.index("INV-25:") < rendered.index("INV-6:")


def test_card_escapes_customer_name():
    card = _card(customer_name="<!channel> & <@U0BOSS>", customer_code="<!here>", owner_slack_user_id=None,
                 owner_name="<!everyone>", delivery=Delivery.NO_SLACK_USER,
                 invoices=(_invoice("<!subteam^S1>"),))

    text, blocks = build_reminder_card(card, EN)

    rendered = _all_text(text, blocks)
    for control in ("<!channel>", "<@U0BOSS>", "<!here>", "<!everyone>", "<!subteam^S1>"):
        assert control not in rendered
    assert "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;" in rendered
    assert "&lt;!everyone&gt;" in rendered
    assert "&lt;!subteam^S1&gt;" in rendered


def test_card_long_names_within_limits():
    card = _card(customer_name="&" * 500, customer_code="<" * 255, owner_name=">" * 255,
                 owner_slack_user_id=None, delivery=Delivery.NO_SLACK_USER,
                 invoices=tuple(_invoice("&" * 255 + str(index)) for index in range(40)))

    text, blocks = build_reminder_card(card, EN)

    assert validate_blocks(blocks) == []
    assert len(text) <= 3000


def test_card_zh_cn_formats():
    zh = get_translator("zh_CN")

    text, blocks = build_reminder_card(_card(), zh)

    rendered = _all_text(text, blocks)
    assert "¥1,000.00" in rendered
    assert "CN¥" not in rendered
    assert "2026年3月1日" in rendered
    assert "2026年3月16日" in rendered
    assert validate_blocks(blocks) == []


def test_card_shows_credits_and_net_credit():
    credits = (CurrencyCredits("CNY", Decimal("800.00"), Decimal("300.00")),
               CurrencyCredits("USD", Decimal("0"), Decimal("0")))

    _, blocks = build_reminder_card(_card(credits=credits), EN)

    rendered = json.dumps(blocks, ensure_ascii=False)
    assert "credit notes and overpayments CN¥800.00" in rendered
    assert "unapplied payments CN¥300.00" in rendered
    assert "overdue net of credits -CN¥100.00" in rendered
    assert "(the customer is in net credit)" in rendered
    assert "USD:" not in rendered


def test_card_without_credits_has_no_credit_section():
    _, blocks = build_reminder_card(_card(credits=(CurrencyCredits("CNY", Decimal(0), Decimal(0)),)), EN)

    assert "Credits on the customer" not in json.dumps(blocks)


def test_card_fallback_channel_notes():
    _, no_user = build_reminder_card(
        _card(owner_slack_user_id=None, delivery=Delivery.NO_SLACK_USER, owner_name="Wang Wei"), EN)
    _, no_owner = build_reminder_card(
        _card(owner_slack_user_id=None, owner_name=None, delivery=Delivery.NO_OWNER), EN)

    assert "This reminder is for Wang Wei. It was posted here because no Slack user is linked to that owner." \
        in json.dumps(no_user)
    assert "Owner: Wang Wei" in json.dumps(no_user)
    assert "These invoices have no owner, so the reminder was posted here." in json.dumps(no_owner)
    assert "Owner: no owner" in json.dumps(no_owner)


def test_card_shows_last_action():
    at = datetime(2026, 3, 16, 10, 32, tzinfo=ZoneInfo("Asia/Shanghai"))

    _, blocks = build_reminder_card(_card(last_action=LastAction("U0ALICE", CardButton.SNOOZE, at)), EN)
    _, zh_blocks = build_reminder_card(
        _card(last_action=LastAction("U0ALICE", CardButton.SNOOZE, at)), get_translator("zh_CN"))

    assert "Recorded: <@U0ALICE> pressed Snooze at 10:32" in json.dumps(blocks, ensure_ascii=False)
    assert "10:32" in json.dumps(zh_blocks, ensure_ascii=False)


def test_card_with_nothing_left_has_no_buttons():
    text, blocks = build_reminder_card(_card(invoices=()), EN)

    assert "Nothing overdue is left to chase" in text
    assert all(block["type"] != "actions" for block in blocks)
    assert validate_blocks(blocks) == []


def test_card_total_excludes_invoices_due_soon():
    from bot.i18n import get_translator
    from bot.reminders.card import build_reminder_card
    from bot.reminders.card_data import CardData, CardInvoice, Delivery
    from datetime import date
    from decimal import Decimal

    data = CardData(
        card_id=1, as_of=date(2026, 3, 31), customer_code="K-2002", customer_name="上海海川贸易有限公司",
        owner_name="王芳", owner_slack_user_id=None, delivery=Delivery.DIRECT,
        invoices=(
            CardInvoice(1, "XS-1", "CNY", Decimal("128000"), date(2025, 12, 12), 109, 1),
            CardInvoice(2, "XS-2", "CNY", Decimal("9800"), date(2026, 4, 1), -1, 0),
        ),
    )

    _text, blocks = build_reminder_card(data, get_translator("en"))
    texts = [block.get("text", {}).get("text", "") for block in blocks if block["type"] == "section"]
    overdue = next(text for text in texts if text.startswith("*Total overdue*"))
    due_soon = next(text for text in texts if text.startswith("*Total due soon*"))
    assert "CN¥128,000.00 in 1 invoice" in overdue
    assert "CN¥9,800.00 in 1 invoice" in due_soon
