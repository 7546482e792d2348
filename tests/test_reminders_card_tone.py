"""The reminder card's tone and pre-due wording, which the reminder run sets from the policy's level."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.i18n import get_translator
from bot.reminders.card import CardData, CardInvoice, Delivery, build_reminder_card

AS_OF = date(2026, 3, 16)
EN = get_translator("en")


def _card(days_past_due: int = 15, **changes) -> CardData:
    invoice = CardInvoice(invoice_id=1, number="INV-1", currency="CNY", open_balance=Decimal("1000"),
                          due_date=AS_OF - timedelta(days=days_past_due), days_past_due=days_past_due,
                          dunning_level=1)
    fields = {
        "card_id": 42, "as_of": AS_OF, "customer_code": "C001", "customer_name": "ACME Trading",
        "owner_name": "Alice", "owner_slack_user_id": "U0ALICE", "delivery": Delivery.DIRECT,
        "invoices": (invoice,),
    }
    fields.update(changes)
    return CardData(**fields)


@pytest.mark.parametrize(("tone", "title"), [
    (None, "*Overdue invoices: ACME Trading* (C001)"),
    ("friendly", "*Overdue invoices: ACME Trading* (C001)"),
    ("firm", ":warning: *Overdue invoices, payment needed now: ACME Trading* (C001)"),
    ("final", ":rotating_light: *Final notice, overdue invoices: ACME Trading* (C001)"),
])
def test_card_title_follows_tone(tone, title):
    _text, blocks = build_reminder_card(_card(tone=tone), EN)

    assert blocks[0]["text"]["text"] == title


def test_card_pre_due_wording():
    text, blocks = build_reminder_card(_card(days_past_due=-3, pre_due=True, tone="friendly"), EN)

    assert blocks[0]["text"]["text"] == ":calendar: *Invoices due soon: ACME Trading* (C001)"
    assert "INV-1: CN¥1,000.00, due Mar 19, 2026, 3 days until due, dunning level 1" in str(blocks)
    assert text == "Invoices due soon for ACME Trading: CN¥1,000.00"


def test_card_tone_in_chinese():
    _text, blocks = build_reminder_card(_card(tone="final"), get_translator("zh_CN"))

    title = blocks[0]["text"]["text"]
    assert title.startswith(":rotating_light: ")
    assert "Final notice" not in title
