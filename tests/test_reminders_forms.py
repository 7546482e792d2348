"""The reminder card's forms and the card's workflow sections, as pure functions: content, checks and limits."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import get_translator
from bot.policy import load_default_policy
from bot.reminders.buttons import button_value, parse_button_value, parse_target_level
from bot.reminders.card import CardData, CardInvoice, CardPromise, Delivery, Escalation, HeldInvoice, build_reminder_card
from bot.reminders.card_events import CardEvent, event_line
from bot.reminders.contact_terms import ContactOutcome
from bot.reminders.form_input import FormErrors, read_contact, read_dispute, read_snooze
from bot.reminders.forms import FormCard, InvoiceChoice, dispute_view, log_contact_view, snooze_view
from tests.blockkit_limits import validate_blocks, validate_view

TODAY = date(2026, 3, 16)
EN = get_translator("en")
ZH = get_translator("zh_CN")
CARD = FormCard(42, "D0ALICE", "1773625000.000100")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _choices(count: int = 2, currency: str = "CNY", number_length: int = 0) -> dict[int, InvoiceChoice]:
    return {
        index: InvoiceChoice(index, f"INV-{index}".ljust(number_length, "9"), currency, Decimal("500.00"))
        for index in range(1, count + 1)
    }


def _values(**fields) -> dict:
    values: dict = {}
    for block_id, element in fields.items():
        values[block_id] = {f"{block_id}_input": element}
    return values


def _contact(outcome="promised", contact_date=TODAY, promise_date=TODAY, amount="100", invoices=(1, 2), note=""):
    return _values(
        contact_channel={"selected_option": {"value": "email"}},
        contact_outcome={"selected_option": {"value": outcome}},
        contact_date={"selected_date": contact_date.isoformat() if contact_date else None},
        promise_date={"selected_date": promise_date.isoformat() if promise_date else None},
        promise_amount={"value": amount},
        invoices={"selected_options": [{"value": str(invoice_id)} for invoice_id in invoices]},
        note={"value": note},
    )


@pytest.mark.parametrize("tr", [EN, ZH])
def test_forms_within_limits_for_many_invoices(tr):
    choices = list(_choices(150, number_length=255).values())

    views = [log_contact_view(CARD, choices, TODAY, tr), snooze_view(CARD, choices, tr), dispute_view(CARD, choices, tr)]

    for view in views:
        assert validate_view(view) == []
        assert FormCard.from_metadata(view["private_metadata"]) == CARD
        [invoices] = [block for block in view["blocks"] if block.get("block_id") == "invoices"]
        assert len(invoices["element"]["options"]) == 100


def test_form_metadata_rejects_garbage():
    with pytest.raises(ValueError):
        FormCard.from_metadata("not json")
    with pytest.raises(ValueError):
        FormCard.from_metadata('{"card": 1}')


def test_read_contact_promise():
    request = read_contact(_contact(amount="1,000.00", note="  called AP  "), TODAY, _choices(), EN)

    assert request.outcome is ContactOutcome.PROMISED
    assert request.promise_amount == Decimal("1000.00")
    assert request.promise_currency == "CNY"
    assert request.promise_date == TODAY
    assert request.invoice_ids == (1, 2)
    assert request.note == "called AP"


def test_read_contact_other_outcome_ignores_promise_fields():
    request = read_contact(_contact(outcome="no_answer", promise_date=None, amount=None), TODAY, _choices(), EN)

    assert request.outcome is ContactOutcome.NO_ANSWER
    assert request.promise_amount is None


@pytest.mark.parametrize(("changes", "block_id"), [
    ({"contact_date": TODAY + timedelta(days=1)}, "contact_date"),
    ({"contact_date": None}, "contact_date"),
    ({"promise_date": TODAY - timedelta(days=1)}, "promise_date"),
    ({"amount": "1000.01"}, "promise_amount"),
    ({"amount": "-5"}, "promise_amount"),
    ({"amount": "1.00001"}, "promise_amount"),
    ({"amount": "NaN"}, "promise_amount"),
    ({"invoices": ()}, "invoices"),
    ({"invoices": (1, 9)}, "invoices"),
    ({"outcome": "dispute", "note": " "}, "note"),
])
def test_read_contact_errors(changes, block_id):
    with pytest.raises(FormErrors) as raised:
        read_contact(_contact(**changes), TODAY, _choices(), EN)

    assert list(raised.value.errors) == [block_id]


def test_read_contact_promise_needs_one_currency():
    choices = {**_choices(1), 2: InvoiceChoice(2, "INV-USD", "USD", Decimal("10"))}

    with pytest.raises(FormErrors) as raised:
        read_contact(_contact(), TODAY, choices, EN)

    assert "CNY, USD" in raised.value.errors["invoices"]


def test_read_contact_errors_translated():
    with pytest.raises(FormErrors) as raised:
        read_contact(_contact(contact_date=TODAY + timedelta(days=1)), TODAY, _choices(), ZH)

    assert raised.value.errors["contact_date"] == ZH.gettext("The contact date cannot be in the future.")


@pytest.mark.parametrize(("choice", "until"), [("1", date(2026, 3, 17)), ("3", date(2026, 3, 19)),
                                                ("7", date(2026, 3, 23)), ("14", date(2026, 3, 30))])
def test_read_snooze_periods(choice, until):
    values = _values(snooze_for={"selected_option": {"value": choice}}, invoices={"selected_options": [{"value": "2"}]})

    request = read_snooze(values, TODAY, _choices(), EN)

    assert request.until == until
    assert request.invoice_ids == (2,)


def test_read_snooze_until_date():
    values = _values(snooze_for={"selected_option": {"value": "date"}}, snooze_until={"selected_date": "2026-04-01"},
                     invoices={"selected_options": [{"value": "1"}]})

    assert read_snooze(values, TODAY, _choices(), EN).until == date(2026, 4, 1)


def test_read_dispute_needs_reason():
    values = _values(dispute_reason={"value": ""}, invoices={"selected_options": [{"value": "1"}]})

    with pytest.raises(FormErrors) as raised:
        read_dispute(values, _choices(), EN)

    assert list(raised.value.errors) == ["dispute_reason"]


def test_button_value_with_target_level():
    assert parse_button_value(button_value(7, 3)) == 7
    assert parse_target_level(button_value(7, 3)) == 3
    assert parse_target_level(button_value(7)) is None
    with pytest.raises(ValueError):
        parse_target_level("card:7:to:")


def _card(**changes) -> CardData:
    fields = {
        "card_id": 42, "as_of": TODAY, "customer_code": "C001", "customer_name": "ACME",
        "owner_name": "Alice", "owner_slack_user_id": "U0ALICE", "delivery": Delivery.DIRECT,
        "invoices": (CardInvoice(1, "INV-1", "CNY", Decimal("100"), date(2026, 3, 1), 15, 1),),
    }
    fields.update(changes)
    return CardData(**fields)


def test_card_shows_held_promises_and_events():
    event = CardEvent("U0ALICE", "contact.logged", datetime(2026, 3, 16, 10, 32, tzinfo=SHANGHAI), {
        "channel": "phone", "outcome": "promised", "note": "<!channel> & more",
        "promise": {"amount": "12000.00", "currency": "JPY", "pay_by": "2026-03-20"},
    })
    card = _card(
        on_hold=(HeldInvoice(2, "INV-2", "CNY", Decimal("50"), date(2026, 3, 20), False),
              HeldInvoice(3, "INV-3", "CNY", Decimal("70"), None, True, "<b>wrong</b>")),
        promises=(CardPromise(Decimal("80"), "CNY", date(2026, 3, 10), True, ("INV-1",)),),
        events=(event,),
    )

    _, blocks = build_reminder_card(card, EN)

    text = json.dumps(blocks, ensure_ascii=False)
    assert "INV-2: CN¥50.00, snoozed until Mar 20, 2026" in text
    assert "INV-3: CN¥70.00, disputed: &lt;b&gt;wrong&lt;/b&gt;" in text
    assert "CN¥80.00 by Mar 10, 2026 (INV-1): *broken*" in text
    assert "<@U0ALICE> logged a call: promised ¥12,000 by Mar 20 — &lt;!channel&gt; &amp; more · 10:32" in text
    assert blocks[-1]["elements"][-1]["action_id"] == "reminder_resolve_dispute"
    assert validate_blocks(blocks) == []


def test_card_escalate_confirm_names_next_level():
    policy = load_default_policy()

    _, blocks = build_reminder_card(_card(escalation=Escalation(1, policy.level(2), policy.levels[-1])), EN)
    escalate = blocks[-1]["elements"][2]

    assert escalate["confirm"]["text"]["text"] == "Escalate to Finance follow-up?"
    assert escalate["value"] == "card:42:to:2"


def test_card_escalate_at_last_level():
    policy = load_default_policy()

    _, blocks = build_reminder_card(_card(escalation=Escalation(3, None, policy.levels[-1])), EN)
    escalate = blocks[-1]["elements"][2]

    assert escalate["text"]["text"] == "Last level reached"
    assert "confirm" not in escalate
    assert escalate["value"] == "card:42"


def test_event_line_unknown_values_stay_safe():
    event = CardEvent("U0X", "contact.logged", datetime(2026, 3, 16, 8, 0, tzinfo=SHANGHAI),
                      {"channel": "pigeon", "outcome": "??"})

    # Babel puts a narrow no-break space before AM, so only the start is compared.
    assert event_line(event, EN).startswith("<@U0X> logged a contact · 8:00")


def test_event_line_promise_date_in_locale():
    event = CardEvent("U0ALICE", "contact.logged", datetime(2026, 3, 16, 10, 32, tzinfo=SHANGHAI), {
        "channel": "phone", "outcome": "promised",
        "promise": {"amount": "12000.00", "currency": "CNY", "pay_by": "2026-03-20"},
    })

    line = event_line(event, ZH)

    assert "3月20日" in line
    assert "¥12,000.00" in line
    assert line.endswith("10:32")
