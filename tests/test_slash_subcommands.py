"""`/arrears mine`, `invoice`, `pause`, `resume` and `owner`, and who may run them, through signed HTTP requests."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from bot.messages.invoice import OPEN_INVOICE_ACTION
from bot.pauses import INDEFINITE_PAUSE_UNTIL
from bot.queue_buttons import parse_queue_button_value
from bot.reminders.buttons import CardButton
from bot.store.db import transaction
from bot.store.models import Activity, Customer, Invoice, Owner, Payment
from bot.subcommands.choices import CHOOSE_CUSTOMER_ACTION
from tests.blockkit_limits import validate_blocks
from tests.bot_server import BotServer, response_text
from tests.ledger_builder import CREATED_AT, LedgerBuilder
from tests.subcommand_ledger import (
    ALICE,
    LARA,
    NEWBIE,
    NOBODY,
    OLGA,
    SubcommandLedger,
    add_promise,
    build_subcommand_ledger,
)

ROLE_NAMES = "invoice owner, finance, legal, or admin"


@pytest.fixture
def server(make_bot_server) -> BotServer:
    bot_server = make_bot_server(ARREARS_FINANCE=ALICE, ARREARS_LEGAL=LARA)
    for user_id, name in ((ALICE, "Alice"), (OLGA, "Olga Owner"), (LARA, "Lara Legal"), (NOBODY, "Nobody")):
        bot_server.standin.add_user(user_id, name, f"{name.split()[0].lower()}@example.com")
    bot_server.standin.add_user(NEWBIE, "Newbie Seller", "newbie@example.com")
    return bot_server


@pytest.fixture
def ledger(server: BotServer) -> SubcommandLedger:
    with transaction(server.services.sessions) as session:
        return build_subcommand_ledger(session)


def _ask(server: BotServer, text: str, user_id: str, trigger_id: str | None = None) -> dict:
    response_url = server.standin.response_url()
    result = server.sender.slash_command(text, user_id=user_id, response_url=response_url,
                                         trigger_id=trigger_id or server.standin.issue_trigger())
    assert result.status == 200, result.body
    assert result.elapsed < 3.0
    payload = server.last_response(response_url)
    assert validate_blocks(payload["blocks"]) == []
    assert payload["response_type"] == "ephemeral"
    return payload


def _press(server: BotServer, user_id: str, action_id: str, value: str) -> dict:
    response_url = server.standin.response_url()
    result = server.sender.block_action(
        user_id=user_id, action_id=action_id, value=value, channel_id="C0GENERAL",
        message_ts="1700000000.000100", trigger_id=server.standin.issue_trigger(), response_url=response_url,
    )
    assert result.status == 200, result.body
    payload = server.last_response(response_url)
    assert validate_blocks(payload["blocks"]) == []
    return payload


def _activities(server: BotServer, action: str) -> list[Activity]:
    with server.services.sessions() as session:
        return list(session.scalars(select(Activity).where(Activity.action == action).order_by(Activity.id)))


def _customer(server: BotServer, code: str) -> Customer:
    with server.services.sessions() as session:
        return session.scalars(select(Customer).where(Customer.code == code)).one()


# Read permission -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["mine", "customer ACME", "invoice INV-100", "customer acm"])
def test_read_without_role_not_allowed(server, ledger, text):
    payload = _ask(server, text, NOBODY)

    body = response_text(payload)
    assert "not allowed to see balances" in body
    assert ROLE_NAMES in body
    for leaked in ("Acme", "ACME", "INV-100", "CN¥", "1,200"):
        assert leaked not in body
    assert len(payload["blocks"]) == 1


def test_read_show_button_without_role_not_allowed(server, ledger):
    payload = _press(server, NOBODY, "arrears_open_customer", str(ledger.acme.id))

    assert "not allowed to see balances" in response_text(payload)
    assert "Acme" not in response_text(payload)


def test_read_legal_may_see_customer(server, ledger):
    payload = _ask(server, "customer ACME", LARA)

    assert payload["blocks"][0]["text"]["text"] == "Acme Corp"


def test_help_open_to_everyone(server, ledger):
    payload = _ask(server, "help", NOBODY)

    body = response_text(payload).replace("&lt;", "<").replace("&gt;", ">")
    for usage in ("/arrears mine", "/arrears invoice <number>", "/arrears pause <name or code> [until YYYY-MM-DD]",
                  "/arrears resume <name or code>", "/arrears owner <name or code> @person"):
        assert usage in body
    assert ROLE_NAMES in body


# /arrears mine ---------------------------------------------------------------------------------


def test_mine_cards_largest_first(server, ledger):
    payload = _ask(server, "mine", OLGA)

    body = response_text(payload)
    assert "3 customers have overdue invoices of yours to chase" in body
    # Acme's INV-100 (CN¥900.00) is held by a promise, so Acme ranks by the CN¥310.00 chased today.
    assert body.index("Beta Trading") < body.index("Gamma Goods") < body.index("Acme Corp")
    assert "INV-300" in body
    assert "INV-301" not in body  # Bob's invoice of the same customer
    assert "Overdue invoices not chased today: 1 disputed, 1 snoozed, and 1 promised to pay." in body


def test_mine_cards_carry_card_buttons(server, ledger):
    payload = _ask(server, "mine", OLGA)

    actions = [block for block in payload["blocks"] if block["type"] == "actions"]
    assert len(actions) == 3
    for block in actions:
        action_ids = [element["action_id"] for element in block["elements"]]
        assert action_ids[:3] == [CardButton.LOG_CONTACT, CardButton.SNOOZE, CardButton.ESCALATE]
        assert set(action_ids) <= {button.value for button in CardButton}
        targets = {parse_queue_button_value(element["value"]) for element in block["elements"]}
        assert len({(target.customer_id, target.slack_user_id) for target in targets}) == 1
        [target] = [target for target in targets if target.target_level is None]
        assert target.slack_user_id == OLGA
        assert block["block_id"] == f"queue_card_actions:{target.customer_id}"
        [escalate] = [element for element in block["elements"] if element["action_id"] == CardButton.ESCALATE]
        # The default policy has three levels, and these invoices are at level 0 or 2.
        assert parse_queue_button_value(escalate["value"]).target_level is not None
    assert {parse_queue_button_value(block["elements"][0]["value"]).customer_id for block in actions} == {
        ledger.acme.id, ledger.beta.id, ledger.gamma.id,
    }


def test_mine_leaves_out_held_invoices(server, ledger):
    payload = _ask(server, "mine", OLGA)

    [acme_card_text] = [block["text"]["text"] for block in payload["blocks"]
                        if block["type"] == "section" and "INV-102" in block.get("text", {}).get("text", "")]
    assert "• INV-1000:" in acme_card_text
    assert "• INV-100:" not in acme_card_text  # held by an open promise to pay
    assert "INV-103" not in acme_card_text
    assert "INV-104" not in acme_card_text
    body = response_text(payload)
    assert "*Promises to pay*" in body
    assert "(INV-100)" in body


def test_mine_paused_customer_not_listed(server, ledger):
    with transaction(server.services.sessions) as session:
        session.get(Customer, ledger.beta.id).paused_until = date(2026, 4, 1)

    payload = _ask(server, "mine", OLGA)

    body = response_text(payload)
    assert "Beta Trading" not in body
    assert ("Overdue invoices not chased today: 1 disputed, 1 snoozed, 2 of customers whose reminders are paused, "
            "and 1 promised to pay.") in body


def test_mine_follows_reminder_policy(server, ledger):
    with transaction(server.services.sessions) as session:
        book = LedgerBuilder(session)
        [olga] = session.scalars(select(Owner).where(Owner.slack_user_id == OLGA)).all()
        # Reminded two days ago at level 1: the policy waits for the repeat interval before chasing again.
        waiting = book.invoice(session.get_one(Customer, ledger.gamma.id), "INV-302", "250.00", date(2026, 3, 10),
                               owner=olga)
        waiting.dunning_level = 1
        waiting.last_reminded_on = date(2026, 3, 14)

    payload = _ask(server, "mine", OLGA)

    body = response_text(payload)
    assert "INV-300" in body
    assert "INV-302" not in body
    assert "1 waiting for its next reminder" in body


def test_mine_keeps_invoices_reminded_today(server, ledger):
    with transaction(server.services.sessions) as session:
        [inv_300] = session.scalars(select(Invoice).where(Invoice.number == "INV-300")).all()
        inv_300.dunning_level = 1
        inv_300.last_reminded_on = server.services.today()

    payload = _ask(server, "mine", OLGA)

    body = response_text(payload)
    assert "INV-300" in body
    assert "waiting for" not in body


def test_mine_merges_owner_rows_of_user(server, ledger):
    with transaction(server.services.sessions) as session:
        second = LedgerBuilder(session).owner("olga.imported", "Olga (imported)", slack_user_id=OLGA)
        [inv_301] = session.scalars(select(Invoice).where(Invoice.number == "INV-301")).all()
        inv_301.owner_id = second.id

    payload = _ask(server, "mine", OLGA)

    body = response_text(payload)
    assert body.count("Overdue invoices: Gamma Goods") == 1
    assert "INV-300" in body
    assert "INV-301" in body


def test_mine_without_owner_rows(server, ledger):
    payload = _ask(server, "mine", ALICE)

    assert "No customers or invoices are assigned to you" in response_text(payload)


def test_mine_big_queue_within_limits(server):
    with transaction(server.services.sessions) as session:
        ledger = LedgerBuilder(session)
        olga = ledger.owner("olga", "Olga <!channel> " + "长" * 200, slack_user_id=OLGA)
        for index in range(60):
            customer = ledger.customer(f"C{index:03d}", f"<!here> Customer {index} " + "名" * 400, owner=olga)
            for number in range(25):
                ledger.invoice(customer, f"N{index:03d}-{number:02d}-" + "9" * 50, f"{1000 + index}.00",
                               date(2025, 1, 1 + number))

    payload = _ask(server, "mine", OLGA)

    body = response_text(payload)
    assert len(payload["blocks"]) <= 50
    assert "60 customers have overdue invoices" in body
    assert "more customers" in body
    assert "<!here>" not in body
    assert body.index("Customer 59 ") < body.index("Customer 58 ")


# /arrears invoice ------------------------------------------------------------------------------


def test_invoice_shows_details(server, ledger):
    payload = _ask(server, "invoice INV-100", ALICE)

    fields = [field["text"] for field in payload["blocks"][1]["fields"]]
    assert payload["blocks"][0]["text"]["text"] == "Invoice INV-100"
    assert "*Customer*\nAcme Corp (ACME)" in fields
    assert f"*Owner*\n<@{OLGA}>" in fields
    assert "*Amount*\nCN¥1,200.00" in fields
    assert "*Open balance*\nCN¥900.00" in fields
    assert "*Due date*\nMar 1, 2026" in fields
    assert "*Days past due*\n15 days past due (1-30 days)" in fields
    assert "*Status*\nOpen" in fields
    assert "*Dunning level*\n2" in fields
    assert "*Disputed*\nNo" in fields
    assert "*Snoozed until*\nNot snoozed" in fields


def test_invoice_shows_promises_payments_credits(server, ledger):
    body = response_text(_ask(server, "invoice INV-100", ALICE))

    assert f"CN¥900.00 by Mar 19, 2026 · open · logged by <@{OLGA}>" in body
    assert "CN¥300.00 by Apr 5, 2026" in body
    assert body.index("Apr 5, 2026") < body.index("Mar 19, 2026")
    assert "CN¥200.00 paid on Mar 5, 2026 · payment PAY-1" in body
    assert "Credit note CN-100: CN¥100.00, issued Mar 6, 2026" in body


def test_invoice_activity_newest_first_local_time(server, ledger):
    # Babel separates the time from AM/PM with a narrow no-break space.
    body = response_text(_ask(server, "invoice INV-100", ALICE)).replace("\u202f", " ")

    # 01:00 and 02:00 UTC are 09:00 and 10:00 in Asia/Shanghai.
    assert "Mar 12, 2026 9:00 AM · Reminder sent · arrears (automatic)" in body
    assert f"Mar 10, 2026 10:00 AM · Invoice disputed · <@{ALICE}> · Customer says &lt;b&gt;price&lt;/b&gt; is wrong" \
        in body
    assert body.index("Mar 12, 2026") < body.index("Mar 10, 2026")
    # The reminder of 13 March names INV-1000, not INV-100.
    assert "Mar 13, 2026" not in body
    assert "Times are in Asia/Shanghai" in body


def test_invoice_dispute_reason_escaped(server, ledger):
    payload = _ask(server, "invoice INV-103", ALICE)

    body = response_text(payload)
    assert "*Disputed*\\nYes: Goods &lt;!channel&gt; arrived damaged" in body
    assert "<!channel>" not in body


def test_invoice_snoozed_until(server, ledger):
    body = response_text(_ask(server, "invoice INV-104", ALICE))

    assert "*Snoozed until*\\nMar 20, 2026" in body


def test_invoice_credit_note(server, ledger):
    body = response_text(_ask(server, "invoice CN-100", ALICE))

    assert "Credit note CN-100" in body
    assert "Applied to invoice INV-100" in body


def test_invoice_number_ignoring_case(server, ledger):
    payload = _ask(server, "invoice inv-100", ALICE)

    assert payload["blocks"][0]["text"]["text"] == "Invoice INV-100"


def test_invoice_numbers_differing_in_case(server, ledger):
    with transaction(server.services.sessions) as session:
        ledger_builder = LedgerBuilder(session)
        customer = session.get(Customer, ledger.acme.id)
        ledger_builder.invoice(customer, "ab-1", "1.00", date(2026, 3, 1))
        ledger_builder.invoice(customer, "AB-1", "2.00", date(2026, 3, 1))

    payload = _ask(server, "invoice Ab-1", ALICE)

    buttons = [block["accessory"] for block in payload["blocks"] if "accessory" in block]
    assert "in different letter case" in response_text(payload)
    assert len(buttons) == 2
    assert {button["action_id"] for button in buttons} == {OPEN_INVOICE_ACTION}


def test_invoice_suggestions_and_choice(server, ledger):
    listing = _ask(server, "invoice 10", ALICE)

    assert "No invoice is numbered exactly “10”" in response_text(listing)
    [button] = [block["accessory"] for block in listing["blocks"]
                if "accessory" in block and "*INV-102*" in block["text"]["text"]]

    payload = _press(server, ALICE, OPEN_INVOICE_ACTION, button["value"])

    assert payload["replace_original"] is True
    assert payload["blocks"][0]["text"]["text"] == "Invoice INV-102"


def test_invoice_not_found(server, ledger):
    body = response_text(_ask(server, "invoice <!channel>", ALICE))

    assert "No invoice or credit note is numbered “&lt;!channel&gt;”" in body
    assert "<!channel>" not in body


def test_invoice_without_number(server, ledger):
    assert "Which invoice?" in response_text(_ask(server, "invoice", ALICE))


def test_invoice_big_history_within_limits(server, ledger):
    with transaction(server.services.sessions) as session:
        builder = LedgerBuilder(session)
        customer = session.get(Customer, ledger.acme.id)
        invoice = builder.invoice(customer, "BIG-1", "1000000.00", date(2026, 1, 1))
        invoice.dispute_reason = "<!channel> " + "理由" * 2000
        invoice.disputed = True
        for index in range(80):
            session.add(Payment(reference=f"BIG-PAY-{index}-" + "7" * 200, customer_id=customer.id,
                                invoice_id=invoice.id, currency="CNY", amount_units=10_000,
                                paid_on=date(2026, 1, 2), method="<!here> wire", created_at=CREATED_AT))
            builder.credit_note(customer, f"CN-BIG-{index}-" + "8" * 200, "1.00", applies_to=invoice)
        for index in range(60):
            add_promise(session, customer, [invoice], "1.00", date(2026, 4, 1))
        for index in range(120):
            session.add(Activity(occurred_at=server.services.clock.now(), actor=f"U0X{index}",
                                 action="contact.logged", invoice_id=invoice.id, customer_id=customer.id,
                                 details={"note": "<!here> " + "x" * 1000}))

    payload = _ask(server, "invoice BIG-1", ALICE)

    body = response_text(payload)
    assert body.count("more, not shown") == 3
    assert "<!here>" not in body
    assert "<!channel>" not in body


# /arrears pause and resume -----------------------------------------------------------------------


def test_pause_until_date_by_owner(server, ledger):
    body = response_text(_ask(server, "pause ACME until 2026-04-30", OLGA))

    assert "Reminders for *Acme Corp* (ACME) are paused. They start again on Apr 30, 2026." in body
    assert _customer(server, "ACME").paused_until == date(2026, 4, 30)
    [activity] = _activities(server, "customer.paused")
    assert activity.actor == OLGA
    assert activity.customer_id == ledger.acme.id
    assert activity.details == {"until": "2026-04-30", "indefinite": False, "previous_until": None}
    assert activity.dedup_key.startswith(f"customer.paused:{ledger.acme.id}:")


def test_pause_without_date_is_indefinite(server, ledger):
    body = response_text(_ask(server, "pause Gamma Goods", ALICE))

    assert "paused until someone resumes them with `/arrears resume GAMMA`" in body
    assert _customer(server, "GAMMA").paused_until == INDEFINITE_PAUSE_UNTIL
    [activity] = _activities(server, "customer.paused")
    assert activity.details["indefinite"] is True


def test_pause_date_in_past_rejected(server, ledger):
    body = response_text(_ask(server, "pause ACME until 2026-03-01", ALICE))

    assert "A pause must end after today (Mar 16, 2026), but Mar 1, 2026 is not." in body
    assert _customer(server, "ACME").paused_until is None
    assert _activities(server, "customer.paused") == []


def test_pause_until_today_rejected(server, ledger):
    body = response_text(_ask(server, "pause ACME until 2026-03-16", ALICE))

    assert "must end after today" in body
    assert _customer(server, "ACME").paused_until is None


def test_pause_invalid_date(server, ledger):
    body = response_text(_ask(server, "pause ACME until 30/04/2026", ALICE))

    assert "“30/04/2026” is not a date" in body
    assert _customer(server, "ACME").paused_until is None


def test_pause_other_owners_customer_rejected(server, ledger):
    body = response_text(_ask(server, "pause GAMMA until 2026-04-30", OLGA))

    assert "Only finance, admin, or its owner can pause or resume reminders for *Gamma Goods* (GAMMA)." in body
    assert _customer(server, "GAMMA").paused_until is None


@pytest.mark.parametrize("user_id", [NOBODY, LARA])
def test_pause_without_manager_role_rejected(server, ledger, user_id):
    body = response_text(_ask(server, "pause ACME", user_id))

    assert "Only finance, admin, or the customer's owner can pause or resume reminders for a customer." in body
    assert "Acme" not in body
    assert _customer(server, "ACME").paused_until is None


def test_pause_same_request_recorded_once(server, ledger):
    trigger_id = server.standin.issue_trigger()

    _ask(server, "pause ACME until 2026-04-30", ALICE, trigger_id=trigger_id)
    _ask(server, "pause ACME until 2026-04-30", ALICE, trigger_id=trigger_id)

    assert len(_activities(server, "customer.paused")) == 1


def test_pause_ambiguous_customer_then_choice(server, ledger):
    with transaction(server.services.sessions) as session:
        LedgerBuilder(session).customer("ACME-2", "AAA Acme Trading")

    listing = _ask(server, "pause acm until 2026-05-01", ALICE)

    buttons = [block["accessory"] for block in listing["blocks"] if "accessory" in block]
    assert "Several customers match “acm”" in response_text(listing)
    assert {button["action_id"] for button in buttons} == {CHOOSE_CUSTOMER_ACTION}
    assert {button["text"]["text"] for button in buttons} == {"Pause"}
    [acme_button] = [button for button in buttons if button["value"] == f"pause:{ledger.acme.id}:2026-05-01"]

    payload = _press(server, ALICE, CHOOSE_CUSTOMER_ACTION, acme_button["value"])

    assert "They start again on May 1, 2026" in response_text(payload)
    assert _customer(server, "ACME").paused_until == date(2026, 5, 1)


def test_pause_choice_checks_roles_again(server, ledger):
    payload = _press(server, NOBODY, CHOOSE_CUSTOMER_ACTION, f"pause:{ledger.acme.id}:2026-05-01")

    assert "Only finance, admin, or its owner" in response_text(payload)
    assert _customer(server, "ACME").paused_until is None


def test_resume_paused_customer(server, ledger):
    _ask(server, "pause ACME", OLGA)

    body = response_text(_ask(server, "resume ACME", OLGA))

    assert "Reminders for *Acme Corp* (ACME) are no longer paused." in body
    assert _customer(server, "ACME").paused_until is None
    [activity] = _activities(server, "customer.resumed")
    assert activity.actor == OLGA
    assert activity.details == {"previous_until": "indefinite"}


def test_resume_not_paused(server, ledger):
    body = response_text(_ask(server, "resume ACME", ALICE))

    assert "are not paused, so there is nothing to resume" in body
    assert _activities(server, "customer.resumed") == []


def test_customer_shows_pause_and_activity_label(server, ledger):
    _ask(server, "pause ACME until 2026-04-30", ALICE)

    body = response_text(_ask(server, "customer ACME", ALICE))

    assert "*Reminders*\\nPaused until Apr 30, 2026" in body
    assert "Mar 16, 2026 · Customer paused" in body


# /arrears owner --------------------------------------------------------------------------------


def test_owner_change_creates_owner_from_mention(server, ledger):
    body = response_text(_ask(server, f"owner ACME <@{NEWBIE}|newbie>", ALICE))

    assert f"*Acme Corp* (ACME) is now owned by <@{NEWBIE}> (before: <@{OLGA}>)." in body
    with server.services.sessions() as session:
        owner = session.scalars(select(Owner).where(Owner.slack_user_id == NEWBIE)).one()
        assert owner.display_name == "Newbie Seller"
        assert owner.email == "newbie@example.com"
        assert owner.key == NEWBIE
        assert session.get(Customer, ledger.acme.id).owner_id == owner.id
    [activity] = _activities(server, "customer.owner_changed")
    assert activity.actor == ALICE
    assert activity.details["old_slack_user_id"] == OLGA
    assert activity.details["new_slack_user_id"] == NEWBIE
    assert activity.details["old_owner"] == "Olga Owner"
    assert activity.details["new_owner"] == "Newbie Seller"


def test_owner_change_mention_without_label(server, ledger):
    body = response_text(_ask(server, f"owner Gamma Goods <@{OLGA}>", ALICE))

    assert f"*Gamma Goods* (GAMMA) is now owned by <@{OLGA}> (before: Bob &lt;b&gt; &amp; Co)." in body
    assert "1 open invoice has an owner of its own and keeps it." in body
    # Olga has an owner row already, so users.info is not asked about her.
    assert all(call.params.get("user") != OLGA for call in server.standin.calls_to("users.info"))


def test_owner_change_links_imported_owner_by_email(server, ledger):
    with transaction(server.services.sessions) as session:
        LedgerBuilder(session).owner("newbie@example.com", "Newbie (imported)")

    _ask(server, f"owner BETA <@{NEWBIE}|newbie>", ALICE)

    with server.services.sessions() as session:
        [owner] = session.scalars(select(Owner).where(Owner.display_name.like("Newbie%"))).all()
        assert owner.key == "newbie@example.com"
        assert owner.slack_user_id == NEWBIE
        assert session.get(Customer, ledger.beta.id).owner_id == owner.id


def test_owner_change_same_owner(server, ledger):
    body = response_text(_ask(server, f"owner ACME <@{OLGA}>", ALICE))

    assert "already owns *Acme Corp* (ACME), so nothing changed" in body
    assert _activities(server, "customer.owner_changed") == []


@pytest.mark.parametrize("user_id", [OLGA, LARA, NOBODY])
def test_owner_change_needs_finance_or_admin(server, ledger, user_id):
    body = response_text(_ask(server, f"owner ACME <@{NEWBIE}>", user_id))

    assert "Only finance or admin can change who owns a customer." in body
    assert _customer(server, "ACME").owner_id == ledger.acme.owner_id


def test_owner_change_without_mention(server, ledger):
    body = response_text(_ask(server, "owner ACME @newbie", ALICE))

    assert "Mention the new owner with @" in body
    assert _activities(server, "customer.owner_changed") == []


def test_owner_change_unknown_user(server, ledger):
    body = response_text(_ask(server, "owner ACME <@U0GHOST|ghost>", ALICE))

    assert "Slack has no user <@U0GHOST>" in body
    assert _activities(server, "customer.owner_changed") == []


def test_owner_change_escaped_customer_text(server, ledger):
    with transaction(server.services.sessions) as session:
        LedgerBuilder(session).customer("AMP", "Smith & Sons")

    # With escaping on, Slack sends & as &amp; in the command text.
    body = response_text(_ask(server, f"owner Smith &amp; Sons <@{OLGA}>", ALICE))

    assert "*Smith &amp; Sons* (AMP) is now owned by" in body


def test_owner_ambiguous_customer_then_choice(server, ledger):
    with transaction(server.services.sessions) as session:
        LedgerBuilder(session).customer("ACME-2", "AAA Acme Trading")

    listing = _ask(server, f"owner acm <@{OLGA}>", ALICE)
    value = f"owner:{ledger.acme.id}:{OLGA}"
    assert value in json.dumps(listing["blocks"])
    payload = _press(server, ALICE, CHOOSE_CUSTOMER_ACTION, value)

    assert "already owns *Acme Corp*" in response_text(payload)
