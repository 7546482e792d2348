"""Buttons on the cards of `/arrears mine`, through signed HTTP requests to the real bot and the Slack stand-in.

Every test runs on SQLite and PostgreSQL with the clock pinned to 2026-03-16 in
Asia/Shanghai. Olga owns ACME and BETA (see tests/subcommand_ledger.py); Alice is finance.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier

import pytest
from sqlalchemy import select

from bot.jobs.reminders import run_reminders
from bot.queue_buttons import parse_queue_button_value
from bot.queue_cards import queue_card_for
from bot.reminders.buttons import CardButton
from bot.store.db import transaction
from bot.store.models import Activity, Customer, Invoice, ReminderCard
from tests.blockkit_limits import validate_blocks
from tests.bot_server import BotServer, response_text
from tests.subcommand_ledger import ALICE, LARA, NEWBIE, NOBODY, OLGA, SubcommandLedger, build_subcommand_ledger

AS_OF = date(2026, 3, 16)
CHANNEL = "C0GENERAL"
REPLY_TS = "1773625000.000200"


@pytest.fixture
def server(make_bot_server) -> BotServer:
    bot_server = make_bot_server(ARREARS_FINANCE=ALICE, ARREARS_LEGAL=LARA)
    for user_id, name in ((ALICE, "Alice"), (OLGA, "Olga Owner"), (LARA, "Lara Legal"), (NOBODY, "Nobody"),
                          (NEWBIE, "Newbie Seller")):
        bot_server.standin.add_user(user_id, name, f"{name.split()[0].lower()}@example.com")
    return bot_server


@pytest.fixture
def ledger(server: BotServer) -> SubcommandLedger:
    with transaction(server.services.sessions) as session:
        return build_subcommand_ledger(session)


def _mine(server: BotServer, user_id: str = OLGA) -> dict:
    response_url = server.standin.response_url()
    result = server.sender.slash_command("mine", user_id=user_id, response_url=response_url, channel_id=CHANNEL,
                                         trigger_id=server.standin.issue_trigger())
    assert result.status == 200, result.body
    return server.last_response(response_url)


def _button_value(reply: dict, customer_id: int, button: CardButton) -> str:
    [actions] = [block for block in reply["blocks"] if block.get("block_id") == f"queue_card_actions:{customer_id}"]
    [element] = [element for element in actions["elements"] if element["action_id"] == button.value]
    return element["value"]


def _press(server: BotServer, button: CardButton, value: str, *, user_id: str = OLGA,
           action_ts: str = "1773625800.000100", headers: dict[str, str] | None = None) -> dict:
    """Press a queue card button as Slack sends it from an ephemeral message; return the payload."""
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "team_id": "T0STANDIN"},
        "channel": {"id": CHANNEL},
        "container": {"type": "message", "message_ts": REPLY_TS, "channel_id": CHANNEL, "is_ephemeral": True},
        "trigger_id": server.standin.issue_trigger(),
        "response_url": server.standin.response_url(),
        "actions": [{"type": "button", "action_id": button.value, "block_id": "queue_card_actions:1",
                     "value": value, "action_ts": action_ts}],
    }
    result = server.sender.interaction(payload, headers=headers)
    assert result.status == 200, result.body
    return payload


def _open_form(server: BotServer, button: CardButton, value: str, *, user_id: str = OLGA) -> dict:
    updates_before = len(server.standin.calls_to("views.update"))
    _press(server, button, value, user_id=user_id)
    server.standin.wait_for(lambda: len(server.standin.calls_to("views.update")) > updates_before)
    view_id = server.standin.calls_to("views.update")[-1].params["view_id"]
    return server.standin.views[view_id]


def _snooze_values(view: dict, numbers: list[str], days: str = "7") -> dict:
    block = next(block for block in view["blocks"] if block["block_id"] == "invoices")
    options = [option for option in block["element"]["options"] if option["text"]["text"].split(" · ")[0] in numbers]
    return {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": days}}},
        "invoices": {"invoices_input": {"type": "multi_static_select", "selected_options": options}},
    }


def _invoice(server: BotServer, number: str) -> Invoice:
    with server.services.sessions() as session:
        return session.scalars(select(Invoice).where(Invoice.number == number)).one()


def _activities(server: BotServer, action: str) -> list[Activity]:
    with server.services.sessions() as session:
        return list(session.scalars(select(Activity).where(Activity.action == action).order_by(Activity.id)))


def _cards(server: BotServer) -> list[ReminderCard]:
    with server.services.sessions() as session:
        return list(session.scalars(select(ReminderCard).order_by(ReminderCard.id)))


def test_queue_snooze_form_updates_card(server, ledger):
    reply = _mine(server)
    value = _button_value(reply, ledger.beta.id, CardButton.SNOOZE)

    view = _open_form(server, CardButton.SNOOZE, value)

    assert view["callback_id"] == "reminder_snooze_form"
    [card] = _cards(server)
    assert card.recipient_key == f"queue:{OLGA}"
    assert card.customer_id == ledger.beta.id
    assert card.sent_on == AS_OF
    assert card.state == "on_request"
    assert card.channel == CHANNEL
    assert card.message_ts is None
    assert card.locale == "en"
    assert json.loads(view["private_metadata"]) == {"card": card.id, "channel": CHANNEL, "ts": REPLY_TS}

    result = server.sender.view_submission(user_id=OLGA, view=view, state_values=_snooze_values(view, ["B-1"]))
    assert result.status == 200
    [posted] = server.standin.wait_for(lambda: server.standin.ephemeral)

    assert _invoice(server, "B-1").snoozed_until == date(2026, 3, 23)
    assert _invoice(server, "B-2").snoozed_until is None
    [snoozed] = _activities(server, "invoice.snoozed")
    assert snoozed.actor == OLGA
    assert snoozed.channel == CHANNEL
    assert snoozed.details["card_id"] == card.id
    assert posted["channel"] == CHANNEL
    assert posted["user"] == OLGA
    assert validate_blocks(posted["blocks"]) == []
    text = json.dumps(posted["blocks"], ensure_ascii=False)
    assert "Beta Trading" in text
    assert "B-1: CN¥5,000.00, snoozed until Mar 23, 2026" in text
    buttons = [element for block in posted["blocks"] if block["type"] == "actions" for element in block["elements"]]
    assert {parse_queue_button_value(button["value"]).customer_id for button in buttons} == {ledger.beta.id}
    assert server.standin.calls_to("chat.update") == []


def test_queue_second_press_reuses_card(server, ledger):
    reply = _mine(server)
    _open_form(server, CardButton.SNOOZE, _button_value(reply, ledger.beta.id, CardButton.SNOOZE))
    _open_form(server, CardButton.LOG_CONTACT, _button_value(reply, ledger.beta.id, CardButton.LOG_CONTACT))
    _open_form(server, CardButton.DISPUTE, _button_value(reply, ledger.acme.id, CardButton.DISPUTE))

    assert [(card.recipient_key, card.customer_id) for card in _cards(server)] == [
        (f"queue:{OLGA}", ledger.beta.id), (f"queue:{OLGA}", ledger.acme.id),
    ]


def test_queue_escalate_replaces_reply(server, ledger):
    reply = _mine(server)
    value = _button_value(reply, ledger.beta.id, CardButton.ESCALATE)
    assert parse_queue_button_value(value).target_level == 1

    payload = _press(server, CardButton.ESCALATE, value)
    replaced = server.last_response(payload["response_url"])

    assert replaced["replace_original"] is True
    assert validate_blocks(replaced["blocks"]) == []
    assert "Your overdue queue" in response_text(replaced)
    assert "Acme Corp" in response_text(replaced)
    assert _invoice(server, "B-1").dunning_level == 1
    assert _invoice(server, "B-2").dunning_level == 1
    escalated = _activities(server, "invoice.escalated")
    assert {activity.details["to_level"] for activity in escalated} == {1}
    assert {activity.channel for activity in escalated} == {CHANNEL}
    assert _button_value(replaced, ledger.beta.id, CardButton.ESCALATE).endswith(":to:2")


def test_queue_escalate_double_press_one_effect(server, ledger):
    reply = _mine(server)
    value = _button_value(reply, ledger.beta.id, CardButton.ESCALATE)

    first = _press(server, CardButton.ESCALATE, value, action_ts="1.1")
    server.last_response(first["response_url"])
    retry = _press(server, CardButton.ESCALATE, value, action_ts="1.1",
                   headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    second = _press(server, CardButton.ESCALATE, value, action_ts="1.2")

    assert "already at" in server.last_response(second["response_url"])["text"]
    assert [response for response in server.standin.responses if response["url"] in retry["response_url"]] == []
    assert len(_activities(server, "invoice.escalated")) == 2  # B-1 and B-2, once each
    assert _invoice(server, "B-1").dunning_level == 1
    assert len(_cards(server)) == 1


def test_queue_press_without_role_rejected(server, ledger):
    reply = _mine(server)

    payload = _press(server, CardButton.ESCALATE, _button_value(reply, ledger.beta.id, CardButton.ESCALATE),
                     user_id=NOBODY)
    view = _open_form(server, CardButton.SNOOZE, _button_value(reply, ledger.beta.id, CardButton.SNOOZE),
                      user_id=NOBODY)

    assert f"This card belongs to <@{OLGA}>" in server.last_response(payload["response_url"])["text"]
    assert f"This card belongs to <@{OLGA}>" in json.dumps(view["blocks"])
    assert "submit" not in view
    assert _invoice(server, "B-1").dunning_level == 0
    assert _activities(server, "invoice.escalated") == []


def test_queue_finance_may_act(server, ledger):
    reply = _mine(server)

    payload = _press(server, CardButton.ESCALATE, _button_value(reply, ledger.beta.id, CardButton.ESCALATE),
                     user_id=ALICE)
    server.last_response(payload["response_url"])

    assert _invoice(server, "B-1").dunning_level == 1
    assert {activity.actor for activity in _activities(server, "invoice.escalated")} == {ALICE}


def test_queue_customer_no_longer_owned(server, ledger):
    reply = _mine(server)
    value = _button_value(reply, ledger.beta.id, CardButton.ESCALATE)
    with transaction(server.services.sessions) as session:
        beta = session.get_one(Customer, ledger.beta.id)
        beta.owner_id = None

    payload = _press(server, CardButton.ESCALATE, value)

    assert "None of this customer's overdue invoices is yours any more" in server.last_response(
        payload["response_url"])["text"]
    assert _cards(server) == []
    assert _invoice(server, "B-1").dunning_level == 0


def test_queue_card_leaves_daily_run_alone(server, ledger):
    reply = _mine(server)
    _open_form(server, CardButton.SNOOZE, _button_value(reply, ledger.beta.id, CardButton.SNOOZE))

    result = run_reminders(server.services, AS_OF, echo=lambda _line: None)

    run_cards = [card for card in _cards(server) if card.recipient_key.startswith("owner:")]
    assert {card.customer_id for card in run_cards} >= {ledger.acme.id, ledger.beta.id}
    assert {card.state for card in run_cards} == {"sent"}
    [queue_card] = [card for card in _cards(server) if card.recipient_key.startswith("queue:")]
    assert queue_card.state == "on_request"
    assert queue_card.message_ts is None
    dm = [message for message in server.standin.messages.values() if message.channel == "D0OLGA"]
    assert any("Beta Trading" in message.text + json.dumps(message.blocks) for message in dm)
    assert result.deliveries


def test_queue_resolve_dispute_by_finance(server, ledger):
    reply = _mine(server)
    value = _button_value(reply, ledger.acme.id, CardButton.RESOLVE_DISPUTE)

    owner_press = _press(server, CardButton.RESOLVE_DISPUTE, value, action_ts="2.1")
    finance_press = _press(server, CardButton.RESOLVE_DISPUTE, value, user_id=ALICE, action_ts="2.2")
    replaced = server.last_response(finance_press["response_url"])

    assert "finance, admin" in server.last_response(owner_press["response_url"])["text"]
    assert _invoice(server, "INV-103").disputed is False
    assert replaced["replace_original"] is True
    [resolved] = _activities(server, "invoice.dispute_resolved")
    assert resolved.actor == ALICE


def test_queue_concurrent_first_presses_one_card(server, ledger):
    reply = _mine(server)
    target = parse_queue_button_value(_button_value(reply, ledger.beta.id, CardButton.SNOOZE))
    barrier = Barrier(4)

    def first_press(_index: int) -> int:
        barrier.wait()
        card = queue_card_for(server.services, target, channel=CHANNEL, locale="en")
        assert card is not None
        return card.id

    with ThreadPoolExecutor(max_workers=4) as pool:
        card_ids = set(pool.map(first_press, range(4)))

    assert len(card_ids) == 1
    assert len(_cards(server)) == 1
