"""The notice to a dunning level's extra recipients: wording, mentions, escaping and Block Kit limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.i18n import get_translator
from bot.reminders.level_notice import MAX_LISTED_INVOICES, LevelNotice, NoticeInvoice, build_level_notice
from tests.blockkit_limits import validate_blocks

EN = get_translator("en")


def _notice(**changes) -> LevelNotice:
    values = {
        "level_name": "Finance follow-up",
        "customer_name": "ACME Trading",
        "customer_code": "C001",
        "owner_name": "Alice",
        "owner_slack_user_id": "U0ALICE",
        "invoices": (NoticeInvoice("INV-1", "CNY", Decimal("1000"), date(2026, 3, 1), 15),),
        "usergroup": "S0FIN",
    }
    values.update(changes)
    return LevelNotice(**values)


def test_level_notice_in_channel_mentions_usergroup():
    text, blocks = build_level_notice(_notice(), EN, mention_usergroup=True)

    headline = blocks[0]["text"]["text"]
    assert headline.startswith("<!subteam^S0FIN> ")
    assert "*ACME Trading* (C001) reached dunning level *Finance follow-up*. Owner: <@U0ALICE>." in headline
    assert blocks[1]["text"]["text"] == "• INV-1: CN¥1,000.00, due Mar 1, 2026, 15 days past due"
    assert text == "ACME Trading reached dunning level Finance follow-up"


def test_level_notice_direct_has_no_mention():
    _text, blocks = build_level_notice(_notice(), EN, mention_usergroup=False)

    assert "subteam" not in str(blocks)


def test_level_notice_escapes_names():
    _text, blocks = build_level_notice(_notice(customer_name="<!channel> & Co", owner_slack_user_id=None,
                                              owner_name="<@U0EVIL>"), EN, mention_usergroup=False)

    assert "<!channel>" not in str(blocks)
    assert "<@U0EVIL>" not in str(blocks)
    assert "&lt;!channel&gt; &amp; Co" in blocks[0]["text"]["text"]


def test_level_notice_within_block_kit_limits():
    long_invoices = tuple(
        NoticeInvoice("&" * 300 + str(index), "CNY", Decimal("1000"), date(2026, 3, 1), 15) for index in range(40)
    )
    notice = _notice(customer_name="&" * 1000, customer_code="<" * 300, level_name=">" * 300, owner_slack_user_id=None,
                     owner_name="&" * 500, invoices=long_invoices)

    _text, blocks = build_level_notice(notice, EN, mention_usergroup=True)

    assert validate_blocks(blocks) == []
    listed = str(blocks).count("• ")
    assert listed == MAX_LISTED_INVOICES
    assert "…and 25 more invoices" in str(blocks)


def test_level_notice_in_chinese():
    zh = get_translator("zh_CN")

    _text, blocks = build_level_notice(_notice(level_name="财务跟进"), zh, mention_usergroup=False)

    assert "财务跟进" in blocks[0]["text"]["text"]
    assert "¥1,000.00" in blocks[1]["text"]["text"]
