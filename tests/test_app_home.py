"""The App Home tab: signed app_home_opened events in, views.publish calls read from the stand-in."""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from datetime import date

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.store.db import transaction
from bot.store.models import Customer, PromiseStatus
from tests.blockkit_limits import validate_view
from tests.bot_server import SIGNING_SECRET, BotServer
from tests.ledger_builder import LedgerBuilder
from tests.subcommand_ledger import ALICE, LARA, NOBODY, OLGA, add_promise, build_subcommand_ledger

_event_ids = itertools.count(1)


@pytest.fixture
def server(make_bot_server) -> BotServer:
    bot_server = make_bot_server(ARREARS_FINANCE=ALICE, ARREARS_LEGAL=LARA, ARREARS_DEFAULT_CURRENCY="CNY")
    for user_id, name in ((ALICE, "Alice"), (OLGA, "Olga Owner"), (LARA, "Lara Legal"), (NOBODY, "Nobody")):
        bot_server.standin.add_user(user_id, name)
    return bot_server


@pytest.fixture
def ledger(server: BotServer):
    with transaction(server.services.sessions) as session:
        return build_subcommand_ledger(session)


def _open_home(server: BotServer, user_id: str, tab: str = "home") -> int:
    """Send an app_home_opened event as Slack does: JSON, signed with the signing secret."""
    body = json.dumps({
        "token": "unused", "team_id": "T0STANDIN", "api_app_id": "A0ARREARS", "type": "event_callback",
        "event_id": f"Ev{next(_event_ids):08d}", "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": tab,
                  "event_ts": f"{time.time():.6f}"},
    })
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    request = urllib.request.Request(server.events_url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature,
    })
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def _home(server: BotServer, user_id: str) -> dict:
    assert _open_home(server, user_id) == 200
    view = server.standin.wait_for(lambda: server.standin.home_views.get(user_id), timeout=10)
    assert validate_view(view) == []
    return view


def _text(view: dict) -> str:
    # Babel separates some parts with narrow no-break spaces.
    return json.dumps(view["blocks"], ensure_ascii=False).replace("\u202f", " ")


def test_home_owner_queue_per_currency(server, ledger):
    view = _home(server, OLGA)

    text = _text(view)
    assert view["type"] == "home"
    assert "Your roles: invoice owner" in text
    assert "*CNY*: CN¥6,730.00 overdue in 7 invoices at 3 customers" in text
    assert "*USD*: $99.99 overdue in 1 invoice at 1 customer" in text
    assert text.index("*CNY*") < text.index("*USD*")
    assert "Beta Trading (BETA): CN¥5,000.00, oldest 6 days past due" in text
    assert "Acme Corp (ACME): CN¥1,330.00, oldest 135 days past due" in text
    assert "Gamma Goods (GAMMA): CN¥400.00, oldest 11 days past due" in text
    assert text.index("Beta Trading") < text.index("Acme Corp") < text.index("Gamma Goods")
    assert "These totals include overdue invoices not chased today: 1 disputed, 1 snoozed, and 1 promised to pay." in text


def test_home_owner_promises(server, ledger):
    text = _text(_home(server, OLGA))

    due = text[text.index("Promises to pay due by Mar 22, 2026"):text.index("broken since")]
    assert "Mar 19, 2026 · Acme Corp: CN¥900.00 for INV-100" in due
    assert "Apr 5, 2026" not in due  # due after this week
    assert "Gamma Goods" not in due  # neither logged by Olga nor on her invoices
    broken = text[text.index("Promises to pay broken since Feb 14, 2026"):]
    assert "Mar 1, 2026 · Beta Trading: CN¥1,000.00" in broken


def test_home_promise_past_date_still_open(server, ledger):
    with transaction(server.services.sessions) as session:
        add_promise(session, session.get(Customer, ledger.acme.id), [], "5.00", date(2026, 3, 14))

    text = _text(_home(server, OLGA))

    assert "Mar 14, 2026 · Acme Corp: CN¥5.00 for no invoices · date passed, not settled yet" in text


def test_home_finance_without_queue(server, ledger):
    text = _text(_home(server, ALICE))

    assert "Your roles: finance" in text
    assert "No customers or invoices are assigned to you" in text
    # Alice logged the Gamma promise due tomorrow.
    assert "Mar 17, 2026 · Gamma Goods: CN¥10.00" in text


def test_home_outsider_sees_no_balances(server, ledger):
    view = _home(server, NOBODY)

    text = _text(view)
    assert "You have no arrears role" in text
    assert "invoice owner, finance, legal, or admin" in text
    for leaked in ("CN¥", "Acme", "Beta", "INV-"):
        assert leaked not in text


def test_home_messages_tab_publishes_nothing(server, ledger):
    assert _open_home(server, OLGA, tab="messages") == 200
    time.sleep(0.5)  # NOTE: waits for a call that must not come; no event marks that the listener finished.

    assert server.standin.calls_to("views.publish") == []


def test_home_big_queue_within_limits(server):
    currencies = ["AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "HKD", "JPY", "SGD", "USD", "NZD", "SEK"]
    with transaction(server.services.sessions) as session:
        builder = LedgerBuilder(session)
        olga = builder.owner("olga", "Olga", slack_user_id=OLGA)
        for index in range(40):
            customer = builder.customer(f"C{index:03d}", "<!channel> " + "名" * 489, owner=olga)
            for currency in currencies:
                invoice = builder.invoice(customer, f"N{index}-{currency}-" + "9" * 200, "1000.00",
                                          date(2025, 6, 1), currency=currency)
                add_promise(session, customer, [invoice], "10.00", date(2026, 3, 18), currency=currency)
                add_promise(session, customer, [invoice], "10.00", date(2026, 3, 1), currency=currency,
                            status=PromiseStatus.BROKEN, resolved_on=date(2026, 3, 2))

    view = _home(server, OLGA)

    text = _text(view)
    assert len(view["blocks"]) <= 100
    assert "2 more currencies are not shown" in text
    assert "more customers" in text
    assert "more promises" in text
    assert "<!channel>" not in text
