"""The digest's section on broken promises to pay: content, escaping and Block Kit limits."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from bot.digest.blocks import build_digest_blocks
from bot.i18n import get_translator
from bot.store.broken_promises import BrokenPromise
from tests.blockkit_limits import validate_blocks
from tests.test_digest_blocks import _data

EN = get_translator("en")


def _promise(index: int, name: str = "ACME", slack_user_id: str | None = "U0ALICE") -> BrokenPromise:
    return BrokenPromise(
        promise_id=index, customer_code=f"C{index:04d}", customer_name=name, amount=Decimal("600.00"),
        currency="CNY", pay_by=date(2026, 3, 10), owner_name="Alice", owner_slack_user_id=slack_user_id,
    )


def test_broken_promise_line():
    data = replace(_data(), broken_promises=(_promise(1, name="<!channel> & Co"),))

    text = json.dumps(build_digest_blocks(data, EN), ensure_ascii=False)

    assert "*Broken promises to pay*" in text
    assert "*&lt;!channel&gt; &amp; Co* (C0001): CN¥600.00 promised by Mar 10, 2026 · <@U0ALICE>" in text


def test_broken_promise_without_slack_owner():
    data = replace(_data(), broken_promises=(_promise(1, slack_user_id=None),))

    text = json.dumps(build_digest_blocks(data, EN), ensure_ascii=False)

    assert "promised by Mar 10, 2026 · Alice" in text


def test_broken_promises_within_limits():
    currencies = tuple(f"C{index:02d}" for index in range(30))
    data = replace(_data(currencies=currencies),
                   broken_promises=tuple(_promise(index, name="N" * 500) for index in range(1, 1001)))

    blocks = build_digest_blocks(data, EN)

    assert validate_blocks(blocks) == []
    [section] = [block for block in blocks if block.get("text", {}).get("text", "").startswith("*Broken promises")]
    assert section["text"]["text"].endswith(" more")
