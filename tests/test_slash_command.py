"""`/arrears` through signed HTTP requests to the running bot, with replies read from the stand-in."""

from __future__ import annotations

import threading
from datetime import date, datetime, timezone

import pytest

from bot.messages.customer import OPEN_CUSTOMER_ACTION
from bot.store.db import transaction
from bot.store.models import Activity
from tests.blockkit_limits import validate_blocks
from tests.bot_server import BotServer, response_text, running_bot, slack_settings
from tests.ledger_builder import LedgerBuilder

ALICE = "U0ALICE"
LI = "U0LILEI"
OWNER = "U0OWNER"


@pytest.fixture
def server(make_bot_server) -> BotServer:
    # Alice and Li Lei are in finance, so they may read balances.
    bot_server = make_bot_server(ARREARS_FINANCE=f"{ALICE},{LI}")
    bot_server.standin.add_user(ALICE, "Alice", "alice@example.com", locale="en-US")
    bot_server.standin.add_user(LI, "Li Lei", "li@example.com", locale="zh-CN")
    bot_server.standin.add_user(OWNER, "Olga Owner", "olga@example.com")
    with transaction(bot_server.services.sessions) as session:
        ledger = LedgerBuilder(session)
        olga = ledger.owner("olga@example.com", "Olga Owner", slack_user_id=OWNER)
        bob = ledger.owner("Bob Builder", "Bob <b> & Co")

        acme = ledger.customer("ACME", "Acme Corp", owner=olga)
        # Today is 2026-03-16 in Asia/Shanghai.
        ledger.invoice(acme, "INV-100", "1200.00", date(2026, 3, 1))  # 15 days past due
        ledger.invoice(acme, "INV-101", "800.50", date(2026, 4, 1))  # not due
        ledger.invoice(acme, "INV-102", "300.00", date(2025, 11, 1))  # 135 days past due
        ledger.invoice(acme, "INV-103", "99.99", date(2026, 2, 1), currency="USD")
        session.add(Activity(occurred_at=datetime(2026, 3, 10, 2, 0, tzinfo=timezone.utc), actor=OWNER,
                             action="reminder.sent", customer_id=acme.id))

        ledger.customer("ACME-2", "AAA Acme Trading")
        ledger.customer("X-ACME", "Roadrunner Supplies (acme reseller)")
        shouty = ledger.customer("SHOUT", "<!channel> Holdings & <@U0ALICE>", owner=bob)
        ledger.invoice(shouty, "<!here>-1", "10.00", date(2026, 3, 15))
        beijing = ledger.customer("BJ-001", "北京某某科技有限公司")
        ledger.invoice(beijing, "FP-2026-001", "50000.00", date(2026, 1, 31))
    return bot_server


def _ask(server: BotServer, text: str, user_id: str = ALICE) -> tuple[dict, float]:
    response_url = server.standin.response_url()

    result = server.sender.slash_command(text, user_id=user_id, response_url=response_url)

    assert result.status == 200, result.body
    assert result.body == ""
    payload = server.last_response(response_url)
    assert validate_blocks(payload["blocks"]) == []
    return payload, result.elapsed


@pytest.mark.parametrize("text", ["help", "", "   ", "HELP"])
def test_slash_help_lists_subcommands(server, text):
    payload, _ = _ask(server, text)

    body = response_text(payload)
    assert payload["response_type"] == "ephemeral"
    assert "/arrears customer <name or code>" in body.replace("&lt;", "<").replace("&gt;", ">")
    assert "/arrears help" in body


def test_slash_unknown_subcommand_shows_usage(server):
    payload, _ = _ask(server, "frobnicate <!channel> now")

    body = response_text(payload)
    assert "frobnicate" in body
    assert "/arrears customer" in body
    assert "<!channel>" not in body


def test_slash_customer_by_code(server):
    payload, _ = _ask(server, "customer ACME")

    body = response_text(payload)
    assert payload["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Acme Corp", "emoji": True}}
    assert "CN¥2,300.50 outstanding, CN¥1,500.00 overdue" in body
    assert "$99.99 outstanding, $99.99 overdue" in body
    assert "INV-102" in body
    assert "135 days past due" in body
    assert "15 days past due" in body
    assert "due in 16 days" in body
    assert f"<@{OWNER}>" in body
    assert "Reminder sent" in body
    assert "Mar 10, 2026" in body


def test_slash_customer_largest_invoices_first(server):
    payload, _ = _ask(server, "customer acme corp")

    body = response_text(payload)
    assert body.index("INV-100") < body.index("INV-101") < body.index("INV-102")


def test_slash_customer_aging_buckets(server):
    payload, _ = _ask(server, "customer ACME")

    [cny] = [block for block in payload["blocks"] if "CN¥2,300.50" in block.get("text", {}).get("text", "")]
    fields = [field["text"] for field in cny["fields"]]
    assert "*Not due*\nCN¥800.50 (1 invoice)" in fields
    assert "*1-30 days*\nCN¥1,200.00 (1 invoice)" in fields
    assert "*31-60 days*\nCN¥0.00 (0 invoices)" in fields
    assert "*Over 90 days*\nCN¥300.00 (1 invoice)" in fields


def test_slash_customer_escapes_names(server):
    payload, _ = _ask(server, "customer shout")

    body = response_text(payload)
    assert "&lt;!channel&gt; Holdings &amp; &lt;@U0ALICE&gt;" in body
    assert "Bob &lt;b&gt; &amp; Co" in body
    assert "&lt;!here&gt;-1" in body
    assert "<!channel>" not in body.replace(payload["blocks"][0]["text"]["text"], "")
    assert "<!here>" not in body
    assert "<@U0ALICE>" not in body.replace(payload["blocks"][0]["text"]["text"], "")


def test_slash_customer_header_is_plain_text(server):
    payload, _ = _ask(server, "customer SHOUT")

    header = payload["blocks"][0]
    assert header["text"]["type"] == "plain_text"
    assert header["text"]["text"] == "<!channel> Holdings & <@U0ALICE>"
    assert "<!channel>" not in payload["text"]


def test_slash_customer_partial_chinese_name(server):
    payload, _ = _ask(server, "customer 某某科技")

    body = response_text(payload)
    assert payload["blocks"][0]["text"]["text"] == "北京某某科技有限公司"
    assert "FP-2026-001" in body
    assert "CN¥50,000.00 outstanding" in body
    assert "No owner" in body
    assert "None recorded" in body


def test_slash_customer_several_matches_lists_choices(server):
    payload, _ = _ask(server, "customer acm")

    buttons = [block["accessory"] for block in payload["blocks"] if "accessory" in block]
    body = response_text(payload)
    assert "Several customers match “acm”" in body
    assert [button["action_id"] for button in buttons] == [OPEN_CUSTOMER_ACTION] * 3
    assert "AAA Acme Trading" in body
    assert "Roadrunner Supplies (acme reseller)" in body


def test_slash_customer_choice_opens_customer(server):
    listing, _ = _ask(server, "customer acm")
    [acme_button] = [block["accessory"] for block in listing["blocks"]
                     if "accessory" in block and "Acme Corp" in block["text"]["text"]]
    response_url = server.standin.response_url()

    result = server.sender.block_action(
        user_id=ALICE, action_id=OPEN_CUSTOMER_ACTION, value=acme_button["value"], channel_id="C0GENERAL",
        message_ts="1700000000.000100", trigger_id=server.standin.issue_trigger(), response_url=response_url,
    )

    assert result.status == 200
    payload = server.last_response(response_url)
    assert payload["replace_original"] is True
    assert payload["blocks"][0]["text"]["text"] == "Acme Corp"
    assert validate_blocks(payload["blocks"]) == []


def test_slash_customer_choice_invalid_value(server):
    response_url = server.standin.response_url()

    result = server.sender.block_action(
        user_id=ALICE, action_id=OPEN_CUSTOMER_ACTION, value="not-a-number", channel_id="C0GENERAL",
        message_ts="1700000000.000100", trigger_id=server.standin.issue_trigger(), response_url=response_url,
    )

    assert result.status == 200
    assert "no longer exists" in response_text(server.last_response(response_url))


def test_slash_customer_not_found(server):
    payload, _ = _ask(server, "customer Globex <b>&")

    body = response_text(payload)
    assert "No customer matches “Globex &lt;b&gt;&amp;”" in body
    assert "customer code" in body
    assert "<b>" not in body


def test_slash_customer_without_query(server):
    payload, _ = _ask(server, "customer")

    assert "Which customer?" in response_text(payload)


def test_slash_chinese_user_gets_chinese(server):
    payload, _ = _ask(server, "customer ACME", user_id=LI)

    body = response_text(payload)
    # Babel's zh_CN date format; the message catalog is translated separately.
    assert "2026年3月16日" in body
    assert "Mar 16, 2026" not in body


def test_slash_acks_while_slack_is_slow(server):
    server.standin.slow_down("users.info", 5.0)

    payload, elapsed = _ask(server, "customer ACME")

    assert elapsed < 3.0
    assert payload["blocks"][0]["text"]["text"] == "Acme Corp"


def test_slash_user_locale_is_cached(server):
    _ask(server, "help")
    _ask(server, "help")

    assert len(server.standin.calls_to("users.info")) == 1


def test_slash_customer_exact_code_wins(server):
    # "acme" also matches ACME-2 and X-ACME, but it is ACME's code in other letter case.
    payload, _ = _ask(server, "customer acme")

    assert payload["blocks"][0]["text"]["text"] == "Acme Corp"


def test_slash_failure_gets_apology(make_services, standin, tmp_path):
    # An empty database file has no tables, so every query fails after the ack.
    services = make_services(f"sqlite:///{tmp_path}/empty.db", **slack_settings(standin))
    standin.add_user(ALICE, "Alice")

    with running_bot(services, standin) as broken:
        response_url = standin.response_url()
        result = broken.sender.slash_command("customer ACME", user_id=ALICE, response_url=response_url)
        payload = broken.last_response(response_url)

    assert result.status == 200
    assert "something went wrong" in payload["text"]


def test_slash_acks_burst_while_slack_is_slow(server):
    # Every reply waits 4 seconds on users.info, so each slow reply holds a listener thread.
    users = [f"U0BURST{index:02d}" for index in range(12)]
    for user_id in users:
        server.standin.add_user(user_id, user_id)
    server.standin.slow_down("users.info", 4.0, count=len(users))
    results: dict[str, object] = {}

    def ask(user_id: str) -> None:
        results[user_id] = server.sender.slash_command("help", user_id=user_id,
                                                      response_url=server.standin.response_url())

    threads = [threading.Thread(target=ask, args=(user_id,)) for user_id in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == sorted(users)
    for user_id, result in results.items():
        assert result.status == 200, user_id
        assert result.elapsed < 3.0, (user_id, result.elapsed)
    server.standin.wait_for(lambda: len(server.standin.responses) == len(users), timeout=30)
