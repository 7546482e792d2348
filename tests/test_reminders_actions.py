"""The reminder card's buttons, pressed through the real bot with signed Slack requests."""

from __future__ import annotations

import json
import logging
from datetime import date

from sqlalchemy import select

from bot.jobs.reminders import run_reminders
from bot.store.db import transaction
from bot.store.models import Activity, ReminderCard
from tests.ledger_builder import LedgerBuilder

AS_OF = date(2026, 3, 16)


def _send_card(server, *, owner_user_id: str | None = "U0ALICE") -> ReminderCard:
    services = server.services
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id=owner_user_id)
        customer = book.customer("C001", "ACME Trading", owner=owner)
        book.invoice(customer, "INV-1", "1000.00", date(2026, 3, 1))
    run_reminders(services, AS_OF, echo=lambda _line: None)
    with services.sessions() as session:
        return session.scalars(select(ReminderCard)).one()


def _press_payload(server, card: ReminderCard, *, user_id: str, action_id: str, action_ts: str = "1773625800.000100"):
    return {
        "type": "block_actions",
        "user": {"id": user_id, "team_id": "T0STANDIN"},
        "channel": {"id": card.channel},
        "container": {"type": "message", "message_ts": card.message_ts, "channel_id": card.channel},
        "message": {"ts": card.message_ts, "blocks": []},
        "trigger_id": server.standin.issue_trigger(),
        "response_url": server.standin.response_url(),
        "actions": [{"type": "button", "action_id": action_id, "block_id": "reminder_card_actions",
                     "value": f"card:{card.id}", "action_ts": action_ts}],
    }


def _presses(server) -> list[Activity]:
    with server.services.sessions() as session:
        return list(session.scalars(select(Activity).where(Activity.action.like("reminder.%_pressed"))))


def _message(server, card: ReminderCard):
    return server.standin.messages[(card.channel, card.message_ts)]


def _logged(caplog, text: str):
    return lambda: any(text in record.getMessage() for record in caplog.records)


def test_press_recorded_and_card_updated(make_bot_server):
    bot_server = make_bot_server(ARREARS_TIMEZONE="Asia/Shanghai")
    card = _send_card(bot_server)

    result = bot_server.sender.interaction(
        _press_payload(bot_server, card, user_id="U0ALICE", action_id="reminder_snooze"))

    assert result.status == 200
    message = bot_server.standin.wait_for(lambda: _message(bot_server, card).updates and _message(bot_server, card))
    # The pinned clock reads 01:30 UTC, which is 09:30 in Asia/Shanghai.
    assert "Recorded: <@U0ALICE> pressed Snooze at 9:30" in json.dumps(message.blocks)
    assert "INV-1" in json.dumps(message.blocks)
    [update] = bot_server.standin.calls_to("chat.update")
    assert update.params["channel"] == card.channel
    assert update.params["ts"] == card.message_ts
    [press] = _presses(bot_server)
    assert press.actor == "U0ALICE"
    assert press.action == "reminder.snooze_pressed"
    assert press.customer_id == card.customer_id
    assert press.owner_id == card.owner_id
    assert press.details["card_id"] == card.id


def test_press_delivered_twice_recorded_once(bot_server, caplog):
    card = _send_card(bot_server)
    payload = _press_payload(bot_server, card, user_id="U0ALICE", action_id="reminder_log_contact")

    with caplog.at_level(logging.INFO, logger="bot.reminders.clicks"):
        first = bot_server.sender.interaction(payload)
        bot_server.standin.wait_for(lambda: _message(bot_server, card).updates == 1)
        second = bot_server.sender.interaction(payload, headers={"X-Slack-Retry-Num": "1",
                                                                 "X-Slack-Retry-Reason": "http_timeout"})
        bot_server.standin.wait_for(_logged(caplog, "already recorded"))

    assert first.status == 200
    assert second.status == 200
    assert len(_presses(bot_server)) == 1
    assert len(bot_server.standin.calls_to("chat.update")) == 1


def test_second_press_shows_latest_action(bot_server):
    card = _send_card(bot_server)

    bot_server.sender.interaction(_press_payload(bot_server, card, user_id="U0ALICE", action_id="reminder_snooze",
                                                 action_ts="1773625800.000100"))
    bot_server.standin.wait_for(lambda: _message(bot_server, card).updates == 1)
    bot_server.sender.interaction(_press_payload(bot_server, card, user_id="U0ALICE", action_id="reminder_escalate",
                                                 action_ts="1773625801.000100"))
    bot_server.standin.wait_for(lambda: _message(bot_server, card).updates == 2)

    assert len(_presses(bot_server)) == 2
    blocks = json.dumps(_message(bot_server, card).blocks)
    assert "pressed Escalate" in blocks
    assert "pressed Snooze" not in blocks


def test_press_by_other_user_not_recorded(bot_server):
    card = _send_card(bot_server)
    payload = _press_payload(bot_server, card, user_id="U0MALLORY", action_id="reminder_escalate")

    result = bot_server.sender.interaction(payload)

    assert result.status == 200
    response = bot_server.last_response(payload["response_url"])
    assert response["response_type"] == "ephemeral"
    assert response["replace_original"] is False
    assert response["text"] == "This reminder card belongs to <@U0ALICE>, so your press was not recorded."
    assert _presses(bot_server) == []
    assert bot_server.standin.calls_to("chat.update") == []


def test_press_in_fallback_channel_by_anyone(make_bot_server):
    server = make_bot_server(ARREARS_FALLBACK_CHANNEL="C0FALL")
    card = _send_card(server, owner_user_id=None)
    assert card.channel == "C0FALL"

    server.sender.interaction(_press_payload(server, card, user_id="U0BOB", action_id="reminder_log_contact"))

    message = server.standin.wait_for(lambda: _message(server, card).updates and _message(server, card))
    assert "Recorded: <@U0BOB> pressed Log contact" in json.dumps(message.blocks)
    assert "no Slack user is linked to that owner" in json.dumps(message.blocks)
    [press] = _presses(server)
    assert press.actor == "U0BOB"


def test_press_on_unknown_card(bot_server):
    card = _send_card(bot_server)
    payload = _press_payload(bot_server, card, user_id="U0ALICE", action_id="reminder_snooze")
    payload["actions"][0]["value"] = "card:999"

    bot_server.sender.interaction(payload)

    response = bot_server.last_response(payload["response_url"])
    assert "no longer in the database" in response["text"]
    assert _presses(bot_server) == []
