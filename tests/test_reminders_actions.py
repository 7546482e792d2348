"""The reminder card's workflow through the real bot: signed Slack requests in, the stand-in's calls out.

Every test runs on SQLite and PostgreSQL with the clock pinned to 2026-03-16 09:30 in
Asia/Shanghai. The stand-in's trigger clock is a manual one, so an expired trigger_id is
tested without sleeping.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.digest.blocks import build_digest_blocks
from bot.digest.data import gather_digest
from bot.i18n import get_translator
from bot.policy import load_policy
from bot.reminders.promises import refresh_promises
from bot.store.db import transaction
from bot.store.models import Activity, Customer, Invoice, Promise, PromiseInvoice, PromiseStatus, ReminderCard
from tests.blockkit_limits import validate_view
from tests.ledger_builder import LedgerBuilder
from tests.slack_standin import TRIGGER_TTL_SECONDS, SlackStandIn

AS_OF = date(2026, 3, 16)
CARD_CHANNEL = "D0ALICE"
CARD_TS = "1773625000.000100"

POLICY = """
promise_grace_days = 3

[tiers.normal]
repeat_interval_days = 7

[[levels]]
key = "sales"
name = { en = "Owner reminder", zh_CN = "负责人提醒" }
threshold_days = 1
tone = "friendly"
recipients = { owner = true }

[[levels]]
key = "finance"
name = { en = "Finance follow-up", zh_CN = "财务跟进" }
threshold_days = 7
tone = "firm"
recipients = { owner = true, users = ["U0FIN"] }

[[levels]]
key = "legal"
name = { en = "Final notice", zh_CN = "最终通知" }
threshold_days = 30
tone = "final"
recipients = { owner = true, users = ["U0LAW"], usergroup = "S0LEGAL", channel = "C0LEGAL" }
"""


class ManualMonotonic:
    """A monotonic clock for the stand-in's trigger_id expiry that advances only when a test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def trigger_clock():
    return ManualMonotonic()


@pytest.fixture
def standin(trigger_clock):
    with SlackStandIn(monotonic=trigger_clock) as slack:
        slack.add_user("U0ALICE", "Alice")
        slack.add_user("U0FIN", "Fiona")
        slack.add_user("U0LAW", "Larry")
        slack.add_user("U0ADMIN", "Ada")
        slack.add_user("U0MALLORY", "Mallory")
        slack.usergroups["S0LEGAL"] = ["U0LAW"]
        yield slack


@pytest.fixture
def server(make_bot_server, tmp_path):
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(POLICY, encoding="utf-8")
    return make_bot_server(
        ARREARS_POLICY_FILE=str(policy_file),
        ARREARS_FINANCE="U0FIN",
        ARREARS_LEGAL="U0LAW",
        ARREARS_ADMINS="U0ADMIN",
        ARREARS_ESCALATION_CHANNEL="C0ESC",
    )


# Set-up -----------------------------------------------------------------------------------------------

def _card(server, invoices=(("INV-1", "1000.00"),), *, level: int = 1, currency: str = "CNY") -> ReminderCard:
    """Store a customer with overdue invoices and a card already sent to Alice, and post its message."""
    services = server.services
    with transaction(services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME <!channel> & Co", owner=owner)
        for number, amount in invoices:
            invoice = book.invoice(customer, number, amount, date(2026, 3, 1), currency=currency)
            invoice.dunning_level = level
        card = ReminderCard(
            recipient_key=f"owner:{owner.id}", owner_id=owner.id, customer_id=customer.id, sent_on=AS_OF,
            locale="en", state="sent", channel=CARD_CHANNEL, message_ts=CARD_TS,
            created_at=services.clock.now(), updated_at=services.clock.now(),
        )
        session.add(card)
        session.flush()
        session.expunge(card)
    server.standin.messages[(CARD_CHANNEL, CARD_TS)] = _message(CARD_CHANNEL, CARD_TS)
    return card


def _message(channel: str, ts: str):
    from tests.slack_standin import Message
    return Message(channel, ts, "card", [{"type": "section", "text": {"type": "mrkdwn", "text": "card"}}])


def _press(server, card, *, user_id: str = "U0ALICE", action_id: str, value: str | None = None,
           action_ts: str = "1773625800.000100", trigger_id: str | None = None, headers=None):
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "team_id": "T0STANDIN"},
        "channel": {"id": card.channel},
        "container": {"type": "message", "message_ts": card.message_ts, "channel_id": card.channel},
        "message": {"ts": card.message_ts, "blocks": []},
        "trigger_id": trigger_id or server.standin.issue_trigger(),
        "response_url": server.standin.response_url(),
        "actions": [{"type": "button", "action_id": action_id, "block_id": "reminder_card_actions",
                     "value": value or f"card:{card.id}", "action_ts": action_ts}],
    }
    result = server.sender.interaction(payload, headers=headers)
    assert result.status == 200
    return payload


def _open_form(server, card, action_id: str, user_id: str = "U0ALICE") -> dict:
    """Press a form button and return the form once the bot has replaced the loading view with it."""
    updates_before = len(server.standin.calls_to("views.update"))
    _press(server, card, user_id=user_id, action_id=action_id)
    server.standin.wait_for(lambda: len(server.standin.calls_to("views.update")) > updates_before)
    view_id = server.standin.calls_to("views.update")[-1].params["view_id"]
    return server.standin.views[view_id]


def _submit(server, view: dict, values: dict, *, user_id: str = "U0ALICE", headers=None):
    return server.sender.view_submission(user_id=user_id, view=view, state_values=values, headers=headers)


def _contact_values(view: dict, *, outcome: str = "promised", contact_date: date = AS_OF,
                    promise_date: date | None = date(2026, 3, 20), amount: str | None = "600.00",
                    invoices: list[str] | None = None, note: str = "Spoke to AP <b>") -> dict:
    invoice_block = next(block for block in view["blocks"] if block["block_id"] == "invoices")
    options = invoice_block["element"]["options"]
    if invoices is not None:
        options = [option for option in options if option["text"]["text"].split(" · ")[0] in invoices]
    return {
        "contact_channel": {"contact_channel_input": {"type": "static_select",
                                                      "selected_option": {"value": "phone"}}},
        "contact_outcome": {"contact_outcome_input": {"type": "static_select",
                                                      "selected_option": {"value": outcome}}},
        "contact_date": {"contact_date_input": {"type": "datepicker", "selected_date": contact_date.isoformat()}},
        "promise_date": {"promise_date_input": {"type": "datepicker",
                                                "selected_date": promise_date.isoformat() if promise_date else None}},
        "promise_amount": {"promise_amount_input": {"type": "plain_text_input", "value": amount}},
        "invoices": {"invoices_input": {"type": "multi_static_select", "selected_options": options}},
        "note": {"note_input": {"type": "plain_text_input", "value": note}},
    }


def _invoice_values(view: dict, numbers: list[str] | None) -> dict:
    block = next(block for block in view["blocks"] if block["block_id"] == "invoices")
    options = [option for option in block["element"]["options"]
               if numbers is None or option["text"]["text"].split(" · ")[0] in numbers]
    return {"invoices": {"invoices_input": {"type": "multi_static_select", "selected_options": options}}}


def _card_text(server, card) -> str:
    return json.dumps(server.standin.messages[(card.channel, card.message_ts)].blocks, ensure_ascii=False)


def _wait_updates(server, card, count: int):
    server.standin.wait_for(lambda: server.standin.messages[(card.channel, card.message_ts)].updates >= count)


def _activities(server, action: str | None = None) -> list[Activity]:
    with server.services.sessions() as session:
        query = select(Activity).order_by(Activity.id)
        if action is not None:
            query = query.where(Activity.action == action)
        return list(session.scalars(query))


def _invoices(server) -> dict[str, Invoice]:
    with server.services.sessions() as session:
        return {invoice.number: invoice for invoice in session.scalars(select(Invoice))}


def _ephemeral_text(server, payload) -> str:
    return server.last_response(payload["response_url"])["text"]


# Opening forms -----------------------------------------------------------------------------------------

def test_log_contact_opens_before_slow_work(server):
    card = _card(server)
    server.standin.slow_down("users.info", 2.5)

    view = _open_form(server, card, "reminder_log_contact")

    methods = [call.method for call in server.standin.calls]
    assert methods.index("views.open") < methods.index("users.info")
    assert view["callback_id"] == "reminder_log_contact_form"
    assert json.loads(view["private_metadata"]) == {"card": card.id, "channel": CARD_CHANNEL, "ts": CARD_TS}
    assert validate_view(view) == []
    [invoice_block] = [block for block in view["blocks"] if block["block_id"] == "invoices"]
    assert invoice_block["element"]["initial_options"] == invoice_block["element"]["options"]


def test_expired_trigger_gets_explanation(server, trigger_clock):
    card = _card(server)
    trigger_id = server.standin.issue_trigger()
    trigger_clock.now += TRIGGER_TTL_SECONDS + 1

    payload = _press(server, card, action_id="reminder_snooze", trigger_id=trigger_id)

    assert "Press the button again" in _ephemeral_text(server, payload)
    assert server.standin.calls_to("views.update") == []


def test_form_by_other_user_not_allowed(server):
    card = _card(server)

    view = _open_form(server, card, "reminder_dispute", user_id="U0MALLORY")

    text = json.dumps(view["blocks"])
    assert "This card belongs to <@U0ALICE>" in text
    assert "invoice owner, finance, admin" in text
    assert "submit" not in view


# Log contact -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "block_id", "message"), [
    ({"contact_date": AS_OF + timedelta(days=1)}, "contact_date", "cannot be in the future"),
    ({"promise_date": AS_OF - timedelta(days=1)}, "promise_date", "cannot be in the past"),
    ({"amount": "1000.01"}, "promise_amount", "more than the CN¥1,000.00 still open"),
    ({"amount": "0"}, "promise_amount", "more than zero"),
    ({"amount": "lots"}, "promise_amount", "as a number"),
    ({"promise_date": None}, "promise_date", "promised to pay by"),
    ({"outcome": "dispute", "note": ""}, "note", "dispute reason"),
])
def test_log_contact_field_errors(server, changes, block_id, message):
    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")

    result = _submit(server, view, _contact_values(view, **changes))

    body = result.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == [block_id]
    assert message in body["errors"][block_id]
    assert _activities(server, "contact.logged") == []


def test_promise_recorded_and_shown(server):
    card = _card(server, invoices=(("INV-1", "1000.00"), ("INV-2", "500.00")))
    view = _open_form(server, card, "reminder_log_contact")

    result = _submit(server, view, _contact_values(view, amount="1,200.00"))

    assert result.status == 200
    assert result.body == ""
    _wait_updates(server, card, 1)
    text = _card_text(server, card)
    assert "<@U0ALICE> logged a call: promised CN¥1,200.00 by Mar 20" in text
    assert "Spoke to AP &lt;b&gt;" in text
    assert "*Promises to pay*" in text
    with server.services.sessions() as session:
        [promise] = session.scalars(select(Promise)).all()
        assert promise.amount == Decimal("1200.0000")
        assert promise.currency == "CNY"
        assert promise.pay_by == date(2026, 3, 20)
        assert promise.balance_when_made_units == 15_000_000
        assert promise.made_by == "U0ALICE"
        assert len(session.scalars(select(PromiseInvoice)).all()) == 2
    [contact] = _activities(server, "contact.logged")
    assert contact.details["outcome"] == "promised"
    assert contact.details["channel"] == "phone"
    assert contact.details["invoice_numbers"] == ["INV-1", "INV-2"]
    assert contact.details["note"] == "Spoke to AP <b>"
    assert len(_activities(server, "promise.made")) == 1


def test_newer_promise_supersedes_older(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")
    _submit(server, view, _contact_values(view, amount="100"))
    _wait_updates(server, card, 1)

    view = _open_form(server, card, "reminder_log_contact")
    _submit(server, view, _contact_values(view, amount="200", promise_date=date(2026, 3, 25)))
    _wait_updates(server, card, 2)

    with server.services.sessions() as session:
        statuses = [promise.status for promise in session.scalars(select(Promise).order_by(Promise.id))]
    assert statuses == [PromiseStatus.SUPERSEDED, PromiseStatus.OPEN]


def test_promise_pauses_chasing(server):
    from bot.jobs.reminders import run_reminders

    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")
    _submit(server, view, _contact_values(view))
    _wait_updates(server, card, 1)

    result = run_reminders(server.services, AS_OF + timedelta(days=1), echo=lambda _line: None)

    assert result.deliveries == []
    assert result.skipped.get("promised") == 1


def test_promise_kept_by_payment(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")
    _submit(server, view, _contact_values(view, amount="600"))
    _wait_updates(server, card, 1)
    with transaction(server.services.sessions) as session:
        book = LedgerBuilder(session)
        invoice = session.scalars(select(Invoice).where(Invoice.number == "INV-1")).one()
        book.payment(invoice.customer, "600.00", date(2026, 3, 18), invoice=invoice)
    policy = load_policy(server.services.settings.policy_file)

    with transaction(server.services.sessions) as session:
        changed = refresh_promises(session, date(2026, 3, 18), policy)
        statuses = [status for _, status in changed]
    with transaction(server.services.sessions) as session:
        again = refresh_promises(session, date(2026, 3, 19), policy)

    assert statuses == [PromiseStatus.KEPT]
    assert again == []
    assert len(_activities(server, "promise.kept")) == 1


def test_promise_broken_after_grace(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")
    _submit(server, view, _contact_values(view, amount="600"))
    _wait_updates(server, card, 1)
    policy = load_policy(server.services.settings.policy_file)

    with transaction(server.services.sessions) as session:
        on_last_grace_day = refresh_promises(session, date(2026, 3, 23), policy)
    with transaction(server.services.sessions) as session:
        after_grace = refresh_promises(session, date(2026, 3, 24), policy)
        after_statuses = [status for _, status in after_grace]

    assert on_last_grace_day == []
    assert after_statuses == [PromiseStatus.BROKEN]
    [broken] = _activities(server, "promise.broken")
    assert broken.details["invoice_numbers"] == ["INV-1"]

    with server.services.sessions() as session:
        digest = gather_digest(session, date(2026, 3, 24))
    digest_text = json.dumps(build_digest_blocks(digest, get_translator("en")), ensure_ascii=False)
    assert "*Broken promises to pay*" in digest_text
    assert "ACME &lt;!channel&gt; &amp; Co" in digest_text
    assert "CN¥600.00" in digest_text
    assert "<@U0ALICE>" in digest_text


def test_broken_promise_shown_on_card(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")
    _submit(server, view, _contact_values(view, amount="600"))
    _wait_updates(server, card, 1)
    policy = load_policy(server.services.settings.policy_file)
    with transaction(server.services.sessions) as session:
        refresh_promises(session, date(2026, 3, 24), policy)

    view = _open_form(server, card, "reminder_snooze")
    _submit(server, view, {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": "1"}}},
        **_invoice_values(view, None),
    })
    _wait_updates(server, card, 2)

    assert "(INV-1): *broken*" in _card_text(server, card)


# Snooze --------------------------------------------------------------------------------------------------

def test_snooze_one_of_three(server):
    card = _card(server, invoices=(("INV-1", "100"), ("INV-2", "200"), ("INV-3", "300")))
    with transaction(server.services.sessions) as session:
        invoice = session.scalars(select(Invoice).where(Invoice.number == "INV-3")).one()
        invoice.snoozed_until = date(2026, 3, 10)
    view = _open_form(server, card, "reminder_snooze")

    _submit(server, view, {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": "7"}}},
        **_invoice_values(view, ["INV-2"]),
    })
    _wait_updates(server, card, 1)

    invoices = _invoices(server)
    assert invoices["INV-2"].snoozed_until == date(2026, 3, 23)
    assert invoices["INV-1"].snoozed_until is None
    assert invoices["INV-3"].snoozed_until == date(2026, 3, 10)
    [snoozed] = _activities(server, "invoice.snoozed")
    assert snoozed.invoice_id == invoices["INV-2"].id
    text = _card_text(server, card)
    assert "INV-2: CN¥200.00, snoozed until Mar 23, 2026" in text
    assert "<@U0ALICE> snoozed INV-2 until Mar 23, 2026" in text


def test_snooze_date_must_be_future(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_snooze")

    result = _submit(server, view, {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": "date"}}},
        "snooze_until": {"snooze_until_input": {"type": "datepicker", "selected_date": AS_OF.isoformat()}},
        **_invoice_values(view, None),
    })

    assert result.json() == {"response_action": "errors", "errors": {"snooze_until": "Choose a date after today."}}
    assert _invoices(server)["INV-1"].snoozed_until is None


# Dispute ------------------------------------------------------------------------------------------------

def test_dispute_stops_chasing_and_tells_finance(server):
    card = _card(server, invoices=(("INV-1", "100"), ("INV-2", "200")))
    view = _open_form(server, card, "reminder_dispute")

    _submit(server, view, {
        "dispute_reason": {"dispute_reason_input": {"type": "plain_text_input", "value": "Goods <!here> damaged"}},
        **_invoice_values(view, ["INV-1"]),
    })
    _wait_updates(server, card, 1)

    invoices = _invoices(server)
    assert invoices["INV-1"].disputed is True
    assert invoices["INV-1"].dispute_reason == "Goods <!here> damaged"
    assert invoices["INV-2"].disputed is False
    [disputed] = _activities(server, "invoice.disputed")
    assert disputed.details["reason"] == "Goods <!here> damaged"
    notice = server.standin.wait_for(lambda: server.standin.messages_in("D0FIN"))[0]
    assert "marked invoices of ACME &lt;!channel&gt; &amp; Co (C001) as disputed" in notice.text
    assert "Goods &lt;!here&gt; damaged" in notice.text
    text = _card_text(server, card)
    assert "INV-1: CN¥100.00, disputed: Goods &lt;!here&gt; damaged" in text
    assert "Resolve dispute" in text


def test_contact_outcome_dispute_marks_invoices(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")

    _submit(server, view, _contact_values(view, outcome="dispute", note="Wrong price", promise_date=None,
                                          amount=None))
    _wait_updates(server, card, 1)

    assert _invoices(server)["INV-1"].disputed is True
    assert len(_activities(server, "contact.logged")) == 1
    assert len(_activities(server, "invoice.disputed")) == 1
    server.standin.wait_for(lambda: server.standin.messages_in("D0FIN"))


def test_resolve_dispute_needs_finance(server):
    card = _card(server)
    with transaction(server.services.sessions) as session:
        invoice = session.scalars(select(Invoice)).one()
        invoice.disputed = True
        invoice.dispute_reason = "Wrong price"

    owner_press = _press(server, card, action_id="reminder_resolve_dispute", action_ts="1.1")
    assert "finance, admin" in _ephemeral_text(server, owner_press)
    assert _invoices(server)["INV-1"].disputed is True

    _press(server, card, user_id="U0FIN", action_id="reminder_resolve_dispute", action_ts="1.2")
    _wait_updates(server, card, 1)
    assert _invoices(server)["INV-1"].disputed is False
    assert "<@U0FIN> resolved the dispute on INV-1" in _card_text(server, card)


# Escalate ------------------------------------------------------------------------------------------------

def test_escalate_through_levels(server):
    card = _card(server, level=1)

    _press(server, card, action_id="reminder_escalate", value=f"card:{card.id}:to:2", action_ts="2.1")
    _wait_updates(server, card, 1)
    assert _invoices(server)["INV-1"].dunning_level == 2
    finance_notice = server.standin.wait_for(lambda: server.standin.messages_in("D0FIN"))[0]
    assert "<@U0ALICE> escalated ACME &lt;!channel&gt; &amp; Co (C001) to Finance follow-up." in finance_notice.text
    assert "Total: CN¥1,000.00" in finance_notice.text
    assert server.standin.wait_for(lambda: server.standin.messages_in("C0ESC"))
    text = _card_text(server, card)
    assert "Escalate to Final notice?" in text
    assert "<@U0ALICE> escalated INV-1 to Finance follow-up" in text

    _press(server, card, user_id="U0LAW", action_id="reminder_escalate", value=f"card:{card.id}:to:3",
           action_ts="2.2")
    _wait_updates(server, card, 2)
    assert _invoices(server)["INV-1"].dunning_level == 3
    legal_notice = server.standin.wait_for(lambda: server.standin.messages_in("C0LEGAL"))[0]
    assert legal_notice.text.startswith("<!subteam^S0LEGAL> <@U0LAW> escalated")
    assert server.standin.wait_for(lambda: server.standin.messages_in("D0LAW"))
    assert "Last level reached" in _card_text(server, card)
    escalations = _activities(server, "invoice.escalated")
    assert [(item.details["from_level"], item.details["to_level"]) for item in escalations] == [(1, 2), (2, 3)]

    last = _press(server, card, action_id="reminder_escalate", action_ts="2.3")
    assert "already at the last level, Final notice" in _ephemeral_text(server, last)


def test_legal_escalation_by_owner_rejected(server):
    card = _card(server, level=2)

    payload = _press(server, card, action_id="reminder_escalate", value=f"card:{card.id}:to:3")

    text = _ephemeral_text(server, payload)
    assert "Escalating to Final notice needs one of these roles: legal, admin." in text
    assert _invoices(server)["INV-1"].dunning_level == 2
    assert _activities(server, "invoice.escalated") == []


def test_legal_escalation_by_admin(server):
    card = _card(server, level=2)

    _press(server, card, user_id="U0ADMIN", action_id="reminder_escalate", value=f"card:{card.id}:to:3")
    _wait_updates(server, card, 1)

    assert _invoices(server)["INV-1"].dunning_level == 3


def test_escalate_by_other_user_rejected(server):
    card = _card(server, level=1)

    payload = _press(server, card, user_id="U0MALLORY", action_id="reminder_escalate",
                     value=f"card:{card.id}:to:2")

    assert "This card belongs to <@U0ALICE>" in _ephemeral_text(server, payload)
    assert _invoices(server)["INV-1"].dunning_level == 1
    assert _activities(server) == []


# Idempotency --------------------------------------------------------------------------------------------

def test_escalate_retried_delivery_one_effect(server, caplog):
    card = _card(server, level=1)
    value = f"card:{card.id}:to:2"

    with caplog.at_level(logging.INFO, logger="bot.reminders.card_actions"):
        _press(server, card, action_id="reminder_escalate", value=value, action_ts="3.1")
        _wait_updates(server, card, 1)
        _press(server, card, action_id="reminder_escalate", value=value, action_ts="3.1",
               headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
        server.standin.wait_for(lambda: any("already applied" in record.getMessage() for record in caplog.records))

    assert _invoices(server)["INV-1"].dunning_level == 2
    assert len(_activities(server, "invoice.escalated")) == 1
    assert len(server.standin.messages_in("D0FIN")) == 1


def test_escalate_double_click_one_effect(server):
    card = _card(server, level=1)
    value = f"card:{card.id}:to:2"

    _press(server, card, action_id="reminder_escalate", value=value, action_ts="4.1")
    _wait_updates(server, card, 1)
    second = _press(server, card, action_id="reminder_escalate", value=value, action_ts="4.2")

    assert "already at Finance follow-up or above" in _ephemeral_text(server, second)
    assert _invoices(server)["INV-1"].dunning_level == 2
    assert len(_activities(server, "invoice.escalated")) == 1


def test_contact_retried_submission_one_effect(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_log_contact")
    values = _contact_values(view)

    first = _submit(server, view, values)
    _wait_updates(server, card, 1)
    second = _submit(server, view, values, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"})

    assert first.status == 200
    assert second.status == 200
    server.standin.wait_for(lambda: len(server.standin.calls_to("chat.update")) >= 1)
    assert len(_activities(server, "contact.logged")) == 1
    with server.services.sessions() as session:
        assert len(session.scalars(select(Promise)).all()) == 1


def test_form_button_retry_opens_one_form(server):
    card = _card(server)
    trigger_id = server.standin.issue_trigger()

    first = _press(server, card, action_id="reminder_snooze", trigger_id=trigger_id, action_ts="5.1")
    server.standin.wait_for(lambda: server.standin.calls_to("views.update"))
    retry = _press(server, card, action_id="reminder_snooze", trigger_id=trigger_id, action_ts="5.1",
                   headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    server.standin.wait_for(lambda: len(server.standin.calls_to("views.open")) == 2)

    assert len(server.standin.views) == 1
    assert [response["url"] for response in server.standin.responses
            if response["url"] in (first["response_url"], retry["response_url"])] == []


def test_fallback_channel_card_open_to_anyone(server):
    card = _card(server)
    with transaction(server.services.sessions) as session:
        stored = session.get_one(ReminderCard, card.id)
        stored.recipient_key = f"channel:C0FALL:owner:{stored.owner_id}"

    view = _open_form(server, card, "reminder_snooze", user_id="U0MALLORY")
    _submit(server, view, {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": "3"}}},
        **_invoice_values(view, None),
    }, user_id="U0MALLORY")
    _wait_updates(server, card, 1)

    assert _invoices(server)["INV-1"].snoozed_until == date(2026, 3, 19)
    [snoozed] = _activities(server, "invoice.snoozed")
    assert snoozed.actor == "U0MALLORY"


def test_submission_by_other_user_changes_nothing(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_snooze")

    result = _submit(server, view, {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": "3"}}},
        **_invoice_values(view, None),
    }, user_id="U0MALLORY")

    body = result.json()
    assert body["response_action"] == "update"
    assert "This card belongs to <@U0ALICE>" in json.dumps(body["view"])
    assert _invoices(server)["INV-1"].snoozed_until is None
    assert _activities(server) == []


def test_finance_acts_on_any_card(server):
    card = _card(server)
    view = _open_form(server, card, "reminder_snooze", user_id="U0FIN")

    _submit(server, view, {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": "1"}}},
        **_invoice_values(view, None),
    }, user_id="U0FIN")
    _wait_updates(server, card, 1)

    assert _invoices(server)["INV-1"].snoozed_until == date(2026, 3, 17)


def test_sent_card_escalate_asks_first(server):
    from bot.jobs.reminders import run_reminders

    with transaction(server.services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME", owner=owner)
        book.invoice(customer, "INV-1", "1000.00", date(2026, 3, 1))

    run_reminders(server.services, AS_OF, echo=lambda _line: None)

    [message] = [message for message in server.standin.messages.values() if message.channel == "D0ALICE"]
    [actions] = [block for block in message.blocks if block["type"] == "actions"]
    escalate = next(element for element in actions["elements"] if element["action_id"] == "reminder_escalate")
    assert escalate["confirm"]["title"]["text"] == "Escalate?"
    assert [element["action_id"] for element in actions["elements"]] == [
        "reminder_log_contact", "reminder_snooze", "reminder_escalate", "reminder_dispute",
    ]


# Redraw of a card sent by the run ------------------------------------------------------------------

def _run_card(server) -> ReminderCard:
    """Run the reminders for AS_OF and return the one card sent to Alice."""
    from bot.jobs.reminders import run_reminders

    run_reminders(server.services, AS_OF, echo=lambda _line: None)
    with server.services.sessions() as session:
        [card] = session.scalars(select(ReminderCard).where(ReminderCard.state == "sent")).all()
        session.expunge(card)
    return card


def test_redraw_keeps_pre_due_card(server):
    from bot.reminders.clicks import redraw_card

    with transaction(server.services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME", owner=owner)
        # Due in three days, which is the default policy's pre-due reminder day.
        soon = book.invoice(customer, "INV-SOON", "800.00", AS_OF + timedelta(days=3))
    card = _run_card(server)
    assert card.invoice_ids == [soon.id]
    assert card.kind == "pre_due"
    assert "Invoices due soon" in _card_text(server, card)

    with transaction(server.services.sessions) as session:
        LedgerBuilder(session).payment(session.get_one(Customer, customer.id), "300.00", AS_OF, invoice=soon)
    assert redraw_card(server.services, card.id, channel=card.channel, message_ts=card.message_ts)

    text = _card_text(server, card)
    assert "Invoices due soon" in text
    assert "INV-SOON" in text
    assert "CN¥500.00" in text
    assert "Nothing overdue is left" not in text


def test_redraw_keeps_sent_tone_and_invoices(server):
    with transaction(server.services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME", owner=owner)
        # Fifteen days past due at level 1: the run moves it to the firm finance level.
        chased = book.invoice(customer, "INV-1", "1000.00", date(2026, 3, 1))
        chased.dunning_level = 1
        chased.last_reminded_on = date(2026, 3, 5)
        # Reminded two days ago and not yet due for level 2, so the run leaves it off the card.
        waiting = book.invoice(customer, "INV-2", "200.00", date(2026, 3, 10))
        waiting.dunning_level = 1
        waiting.last_reminded_on = date(2026, 3, 14)
    card = _run_card(server)
    assert card.invoice_ids == [chased.id]
    assert card.tone == "firm"
    assert card.level == 2
    sent_text = _card_text(server, card)
    assert "payment needed now" in sent_text
    assert "INV-2" not in sent_text

    view = _open_form(server, card, "reminder_log_contact")
    _submit(server, view, _contact_values(view, outcome="no_answer", promise_date=None, amount=None,
                                          invoices=["INV-1"]))
    _wait_updates(server, card, 1)

    text = _card_text(server, card)
    assert "payment needed now" in text
    assert "INV-1" in text
    assert "INV-2" not in text
    assert "logged a call" in text


def test_redraw_moves_snoozed_invoice_to_held(server):
    with transaction(server.services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME", owner=owner)
        book.invoice(customer, "INV-1", "100.00", date(2026, 3, 1))
        book.invoice(customer, "INV-2", "200.00", date(2026, 3, 1))
    card = _run_card(server)
    assert len(card.invoice_ids) == 2

    view = _open_form(server, card, "reminder_snooze")
    _submit(server, view, {
        "snooze_for": {"snooze_for_input": {"type": "radio_buttons", "selected_option": {"value": "7"}}},
        **_invoice_values(view, ["INV-2"]),
    })
    _wait_updates(server, card, 1)

    text = _card_text(server, card)
    assert "INV-2: CN¥200.00, snoozed until Mar 23, 2026" in text
    assert "INV-1" in text


def test_redraw_paid_pre_due_card(server):
    from bot.reminders.clicks import redraw_card

    with transaction(server.services.sessions) as session:
        book = LedgerBuilder(session)
        owner = book.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = book.customer("C001", "ACME", owner=owner)
        soon = book.invoice(customer, "INV-SOON", "800.00", AS_OF + timedelta(days=3))
    card = _run_card(server)

    with transaction(server.services.sessions) as session:
        LedgerBuilder(session).payment(session.get_one(Customer, customer.id), "800.00", AS_OF, invoice=soon)
    assert redraw_card(server.services, card.id, channel=card.channel, message_ts=card.message_ts)

    text = _card_text(server, card)
    assert "Invoices due soon" in text
    assert "Nothing is left to chase on this card." in text
    assert "INV-SOON" not in text
