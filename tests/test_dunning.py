from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from bot.dunning import (
    CardDecision,
    InvoiceDecision,
    InvoiceState,
    PromiseOutcome,
    PromiseStatus,
    PromiseToPay,
    Send,
    SendKind,
    Skip,
    SkipReason,
    decide_invoice,
    level_due_on,
    plan_cards,
)
from bot.policy import parse_policy

POLICY_TOML = """
pre_due_days = [3]
promise_grace_days = 2

[minimum_open_amount]
default = 1
CNY = 10

[calendar]
country = "CN"

[tiers.strategic]
repeat_interval_days = 14

[tiers.normal]
repeat_interval_days = 7

[tiers.watch]
repeat_interval_days = 3

[[levels]]
key = "sales"
name = "Sales"
threshold_days = 1
tone = "friendly"

[[levels]]
key = "finance"
name = "Finance"
threshold_days = 7
tone = "firm"

[[levels]]
key = "legal"
name = "Legal"
threshold_days = 30
tone = "final"
"""


@pytest.fixture(scope="module")
def policy():
    return parse_policy(POLICY_TOML, "test-policy.toml")


@pytest.fixture(scope="module")
def calendar(policy):
    return policy.calendar.build()


def _invoice(**changes) -> InvoiceState:
    base = InvoiceState(
        open_balance=Decimal("1000.00"),
        currency="CNY",
        due_date=date(2026, 3, 2),
        customer_tier="normal",
    )
    return replace(base, **changes)


def _promise(**changes) -> PromiseToPay:
    base = PromiseToPay(pay_by=date(2026, 3, 20), amount=Decimal("600.00"), balance_when_made=Decimal("1000.00"))
    return replace(base, **changes)


def test_level_on_saturday_waits_for_monday(policy, calendar):
    invoice = _invoice(due_date=date(2026, 3, 13))

    assert decide_invoice(date(2026, 3, 14), policy, calendar, invoice) == Skip(
        SkipReason.NOT_WORKING_DAY, date(2026, 3, 16)
    )
    assert decide_invoice(date(2026, 3, 15), policy, calendar, invoice).reason == SkipReason.NOT_WORKING_DAY
    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Send(SendKind.LEVEL, 1)


def test_level_on_national_day_waits(policy, calendar):
    invoice = _invoice(due_date=date(2025, 9, 30))

    for day in range(1, 9):
        decision = decide_invoice(date(2025, 10, day), policy, calendar, invoice)
        assert decision == Skip(SkipReason.NOT_WORKING_DAY, date(2025, 10, 9)), f"2025-10-{day:02d}"
    assert decide_invoice(date(2025, 10, 9), policy, calendar, invoice) == Send(SendKind.LEVEL, 1)


def test_level_on_makeup_sunday_sent(policy, calendar):
    invoice = _invoice(due_date=date(2025, 9, 27))

    assert decide_invoice(date(2025, 9, 28), policy, calendar, invoice) == Send(SendKind.LEVEL, 1)


def test_days_past_due_stay_calendar_days(policy, calendar):
    # Level 2 is 7 calendar days after the due date even though a holiday week lies between.
    invoice = _invoice(due_date=date(2025, 9, 26), dunning_level=1, last_reminded_on=date(2025, 9, 28),
                       customer_tier="strategic")

    assert level_due_on(policy, calendar, date(2025, 9, 26), 2) == date(2025, 10, 3)
    assert decide_invoice(date(2025, 9, 30), policy, calendar, invoice).reason == SkipReason.WAITING_REPEAT_INTERVAL
    assert decide_invoice(date(2025, 10, 9), policy, calendar, invoice) == Send(SendKind.LEVEL, 2)


def test_missed_day_caught_up(policy, calendar):
    # Level 1 fell due on 2026-03-03, while the bot was down.
    invoice = _invoice(due_date=date(2026, 3, 2))

    assert decide_invoice(date(2026, 3, 5), policy, calendar, invoice) == Send(SendKind.LEVEL, 1)


def test_two_levels_due_sends_next_only(policy, calendar):
    # Levels 1 (day 1) and 2 (day 7) are both due 14 days after the due date.
    invoice = _invoice(due_date=date(2026, 3, 2))

    first = decide_invoice(date(2026, 3, 16), policy, calendar, invoice)
    assert first == Send(SendKind.LEVEL, 1)

    invoice = replace(invoice, dunning_level=1, last_reminded_on=date(2026, 3, 16))
    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice).reason == SkipReason.ALREADY_SENT_TODAY
    assert decide_invoice(date(2026, 3, 17), policy, calendar, invoice) == Send(SendKind.LEVEL, 2)

    invoice = replace(invoice, dunning_level=2, last_reminded_on=date(2026, 3, 17))
    assert decide_invoice(date(2026, 3, 18), policy, calendar, invoice) == Skip(
        SkipReason.WAITING_REPEAT_INTERVAL, date(2026, 3, 24)
    )


def test_already_sent_today_skipped(policy, calendar):
    invoice = _invoice(dunning_level=1, last_reminded_on=date(2026, 3, 16))

    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Skip(
        SkipReason.ALREADY_SENT_TODAY, date(2026, 3, 17)
    )


def test_below_minimum_skipped(policy, calendar):
    today = date(2026, 3, 16)

    assert decide_invoice(today, policy, calendar, _invoice(open_balance=Decimal("9.99"))) == Skip(
        SkipReason.BELOW_MINIMUM
    )
    assert decide_invoice(today, policy, calendar, _invoice(open_balance=Decimal("10.00"))) == Send(
        SendKind.LEVEL, 1
    )
    usd_invoice = _invoice(open_balance=Decimal("0.50"), currency="USD")
    assert decide_invoice(today, policy, calendar, usd_invoice).reason == SkipReason.BELOW_MINIMUM


def test_paid_invoice_skipped(policy, calendar):
    decision = decide_invoice(date(2026, 3, 16), policy, calendar, _invoice(open_balance=Decimal(0)))

    assert decision == Skip(SkipReason.PAID)


def test_promise_pauses_chasing(policy, calendar):
    invoice = _invoice(promise=_promise())

    # The promise date is 2026-03-20 with two days of grace, so chasing resumes on 03-23.
    for today in (date(2026, 3, 16), date(2026, 3, 20), date(2026, 3, 22)):
        assert decide_invoice(today, policy, calendar, invoice) == Skip(SkipReason.PROMISED, date(2026, 3, 23))


def test_promise_kept_by_payment(policy, calendar):
    invoice = _invoice(open_balance=Decimal("400.00"), promise=_promise())

    decision = decide_invoice(date(2026, 3, 18), policy, calendar, invoice)

    assert decision == Send(SendKind.LEVEL, 1, PromiseOutcome.KEPT)


def test_promise_kept_by_full_payment(policy, calendar):
    invoice = _invoice(open_balance=Decimal(0), promise=_promise(amount=Decimal("1500.00")))

    decision = decide_invoice(date(2026, 3, 18), policy, calendar, invoice)

    assert decision == Skip(SkipReason.PAID, promise_outcome=PromiseOutcome.KEPT)


def test_promise_broken_after_grace(policy, calendar):
    # Only 100 of the 600 promised arrived by the end of the grace period.
    invoice = _invoice(open_balance=Decimal("900.00"), promise=_promise())

    assert decide_invoice(date(2026, 3, 22), policy, calendar, invoice).reason == SkipReason.PROMISED
    assert decide_invoice(date(2026, 3, 23), policy, calendar, invoice) == Send(
        SendKind.LEVEL, 1, PromiseOutcome.BROKEN
    )


def test_recorded_promise_not_reevaluated(policy, calendar):
    for status in (PromiseStatus.KEPT, PromiseStatus.BROKEN):
        invoice = _invoice(promise=_promise(status=status))

        assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Send(SendKind.LEVEL, 1)


def test_broken_promise_reported_when_skipped(policy, calendar):
    invoice = _invoice(promise=_promise(pay_by=date(2026, 3, 5)), disputed=True)

    decision = decide_invoice(date(2026, 3, 16), policy, calendar, invoice)

    assert decision == Skip(SkipReason.DISPUTED, promise_outcome=PromiseOutcome.BROKEN)


def test_snooze_hides_invoice_until_date(policy, calendar):
    invoice = _invoice(snoozed_until=date(2026, 3, 18))

    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Skip(
        SkipReason.SNOOZED, date(2026, 3, 18)
    )
    assert decide_invoice(date(2026, 3, 18), policy, calendar, invoice) == Send(SendKind.LEVEL, 1)


def test_disputed_invoice_skipped(policy, calendar):
    decision = decide_invoice(date(2026, 3, 16), policy, calendar, _invoice(disputed=True))

    assert decision == Skip(SkipReason.DISPUTED)


def test_paused_customer_skipped(policy, calendar):
    invoice = _invoice(customer_paused_until=date(2026, 4, 1))

    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Skip(SkipReason.PAUSED, date(2026, 4, 1))
    assert decide_invoice(date(2026, 4, 1), policy, calendar, invoice) == Send(SendKind.LEVEL, 1)


def test_missing_due_date_skipped(policy, calendar):
    decision = decide_invoice(date(2026, 3, 16), policy, calendar, _invoice(due_date=None))

    assert decision == Skip(SkipReason.NO_DUE_DATE)


def test_customer_net_credit_skipped(policy, calendar):
    today = date(2026, 3, 16)
    in_credit = _invoice(customer_net_balance={"CNY": Decimal("-50.00")})
    settled = _invoice(customer_net_balance={"CNY": Decimal(0)})
    credit_elsewhere = _invoice(customer_net_balance={"USD": Decimal("-50.00"), "CNY": Decimal("300.00")})

    assert decide_invoice(today, policy, calendar, in_credit) == Skip(SkipReason.CUSTOMER_IN_NET_CREDIT)
    assert decide_invoice(today, policy, calendar, settled) == Skip(SkipReason.CUSTOMER_IN_NET_CREDIT)
    assert decide_invoice(today, policy, calendar, credit_elsewhere) == Send(SendKind.LEVEL, 1)


def test_pre_due_reminder_sent_once(policy, calendar):
    # Due Thursday 2026-03-19, so the pre-due reminder is due on Monday 03-16.
    invoice = _invoice(due_date=date(2026, 3, 19))

    assert decide_invoice(date(2026, 3, 13), policy, calendar, invoice) == Skip(
        SkipReason.NOT_DUE_YET, date(2026, 3, 16)
    )
    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Send(SendKind.PRE_DUE, 0)

    reminded = replace(invoice, last_reminded_on=date(2026, 3, 16))
    assert decide_invoice(date(2026, 3, 17), policy, calendar, reminded) == Skip(
        SkipReason.NOT_DUE_YET, date(2026, 3, 20)
    )
    assert decide_invoice(date(2026, 3, 20), policy, calendar, reminded) == Send(SendKind.LEVEL, 1)


def test_pre_due_on_saturday_moves_to_monday(policy, calendar):
    invoice = _invoice(due_date=date(2026, 3, 17))

    assert decide_invoice(date(2026, 3, 14), policy, calendar, invoice) == Skip(
        SkipReason.NOT_WORKING_DAY, date(2026, 3, 16)
    )
    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Send(SendKind.PRE_DUE, 0)


def test_pre_due_pushed_to_due_date_dropped(policy, calendar):
    # Due 2025-10-09; the pre-due date 10-06 is in the National Day closure, which ends on the due date.
    invoice = _invoice(due_date=date(2025, 10, 9))

    assert decide_invoice(date(2025, 10, 6), policy, calendar, invoice).reason == SkipReason.NOT_WORKING_DAY
    assert decide_invoice(date(2025, 10, 9), policy, calendar, invoice) == Skip(
        SkipReason.NOT_DUE_YET, date(2025, 10, 10)
    )


def test_several_pre_due_reminders():
    policy = parse_policy(POLICY_TOML.replace("pre_due_days = [3]", "pre_due_days = [1, 7]"), "policy.toml")
    calendar = policy.calendar.build()
    invoice = _invoice(due_date=date(2026, 3, 20))

    assert decide_invoice(date(2026, 3, 13), policy, calendar, invoice) == Send(SendKind.PRE_DUE, 0)

    reminded = replace(invoice, last_reminded_on=date(2026, 3, 13))
    assert decide_invoice(date(2026, 3, 16), policy, calendar, reminded) == Skip(
        SkipReason.NOT_DUE_YET, date(2026, 3, 19)
    )
    assert decide_invoice(date(2026, 3, 19), policy, calendar, reminded) == Send(SendKind.PRE_DUE, 0)


def test_not_due_yet_before_pre_due_window(policy, calendar):
    invoice = _invoice(due_date=date(2026, 4, 30))

    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Skip(
        SkipReason.NOT_DUE_YET, date(2026, 4, 27)
    )


def test_due_date_itself_not_chased(policy, calendar):
    invoice = _invoice(due_date=date(2026, 3, 16), last_reminded_on=date(2026, 3, 13))

    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Skip(
        SkipReason.NOT_DUE_YET, date(2026, 3, 17)
    )


def test_working_day_threshold_skips_holidays():
    policy = parse_policy(
        POLICY_TOML.replace('threshold_days = 7\n', 'threshold_days = 5\ncounted_in = "working_days"\n'),
        "policy.toml",
    )
    calendar = policy.calendar.build()
    # Due Friday 2025-09-26; the 5th working day after it is 10-10 (make-up Sunday 09-28
    # counts, the National Day closure from 10-01 to 10-08 does not).
    invoice = _invoice(due_date=date(2025, 9, 26), dunning_level=1, last_reminded_on=date(2025, 9, 28),
                       customer_tier="strategic")

    assert level_due_on(policy, calendar, date(2025, 9, 26), 2) == date(2025, 10, 10)
    assert decide_invoice(date(2025, 10, 9), policy, calendar, invoice) == Skip(
        SkipReason.WAITING_REPEAT_INTERVAL, date(2025, 10, 10)
    )
    assert decide_invoice(date(2025, 10, 10), policy, calendar, invoice) == Send(SendKind.LEVEL, 2)


def test_repeat_interval_per_tier(policy, calendar):
    today = date(2026, 3, 16)
    reminded = _invoice(due_date=date(2026, 3, 2), dunning_level=2, last_reminded_on=date(2026, 3, 9))
    watch = replace(reminded, customer_tier="watch", last_reminded_on=date(2026, 3, 14))

    assert decide_invoice(today, policy, calendar, reminded) == Send(SendKind.REPEAT, 2)
    assert decide_invoice(today, policy, calendar, replace(reminded, customer_tier="strategic")) == Skip(
        SkipReason.WAITING_REPEAT_INTERVAL, date(2026, 3, 23)
    )
    assert decide_invoice(today, policy, calendar, watch) == Skip(SkipReason.WAITING_REPEAT_INTERVAL, date(2026, 3, 17))
    assert decide_invoice(date(2026, 3, 17), policy, calendar, watch) == Send(SendKind.REPEAT, 2)


def test_unknown_tier_uses_default_interval(policy, calendar):
    reminded = _invoice(due_date=date(2026, 3, 2), dunning_level=2, last_reminded_on=date(2026, 3, 9),
                        customer_tier="platinum")

    assert decide_invoice(date(2026, 3, 16), policy, calendar, reminded) == Send(SendKind.REPEAT, 2)


def test_repeat_waits_for_next_level_or_interval(policy, calendar):
    # Strategic customers repeat every 14 days, but level 2 falls due first, on 03-12.
    reminded = _invoice(due_date=date(2026, 3, 5), dunning_level=1, last_reminded_on=date(2026, 3, 9),
                        customer_tier="strategic")

    assert decide_invoice(date(2026, 3, 10), policy, calendar, reminded) == Skip(
        SkipReason.WAITING_REPEAT_INTERVAL, date(2026, 3, 12)
    )


def test_repeat_on_holiday_waits(policy, calendar):
    # The weekly repeat falls due on 2025-10-01, in the National Day closure; level 3 is not due until 10-10.
    invoice = _invoice(due_date=date(2025, 9, 10), dunning_level=2, last_reminded_on=date(2025, 9, 24))

    assert decide_invoice(date(2025, 10, 1), policy, calendar, invoice) == Skip(
        SkipReason.NOT_WORKING_DAY, date(2025, 10, 9)
    )
    assert decide_invoice(date(2025, 10, 9), policy, calendar, invoice) == Send(SendKind.REPEAT, 2)


def test_level_on_holiday_waits(policy, calendar):
    invoice = _invoice(due_date=date(2025, 9, 1), dunning_level=2, last_reminded_on=date(2025, 9, 29))

    assert decide_invoice(date(2025, 10, 1), policy, calendar, invoice) == Skip(
        SkipReason.NOT_WORKING_DAY, date(2025, 10, 9)
    )
    assert decide_invoice(date(2025, 10, 9), policy, calendar, invoice) == Send(SendKind.LEVEL, 3)


def test_last_level_repeats(policy, calendar):
    invoice = _invoice(due_date=date(2025, 12, 1), dunning_level=3, last_reminded_on=date(2026, 3, 9))

    assert decide_invoice(date(2026, 3, 13), policy, calendar, invoice) == Skip(
        SkipReason.WAITING_REPEAT_INTERVAL, date(2026, 3, 16)
    )
    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Send(SendKind.REPEAT, 3)


def test_level_beyond_policy_repeats_last_level(policy, calendar):
    invoice = _invoice(due_date=date(2025, 12, 1), dunning_level=5, last_reminded_on=date(2026, 3, 9))

    assert decide_invoice(date(2026, 3, 16), policy, calendar, invoice) == Send(SendKind.REPEAT, 3)


def test_level_without_reminder_repeats_now(policy, calendar):
    invoice = _invoice(due_date=date(2026, 3, 10), dunning_level=1)

    assert decide_invoice(date(2026, 3, 12), policy, calendar, invoice) == Send(SendKind.REPEAT, 1)


def test_plan_cards_one_per_owner_and_customer():
    decisions = [
        InvoiceDecision(1, "owner:1", 10, Send(SendKind.REPEAT, 1)),
        InvoiceDecision(2, "owner:1", 10, Send(SendKind.LEVEL, 2)),
        InvoiceDecision(3, "owner:1", 10, Skip(SkipReason.SNOOZED, date(2026, 4, 1))),
        InvoiceDecision(4, "owner:1", 11, Send(SendKind.PRE_DUE, 0)),
        InvoiceDecision(5, "owner:2", 10, Send(SendKind.LEVEL, 1)),
        InvoiceDecision(6, "owner:2", 12, Skip(SkipReason.PAID)),
    ]

    cards = plan_cards(decisions)

    assert cards == [
        CardDecision("owner:1", 10, Send(SendKind.LEVEL, 2), (2, 1)),
        CardDecision("owner:1", 11, Send(SendKind.PRE_DUE, 0), (4,)),
        CardDecision("owner:2", 10, Send(SendKind.LEVEL, 1), (5,)),
    ]


def test_plan_cards_level_beats_repeat():
    decisions = [
        InvoiceDecision(7, "owner:1", 10, Send(SendKind.REPEAT, 2)),
        InvoiceDecision(9, "owner:1", 10, Send(SendKind.LEVEL, 2)),
        InvoiceDecision(8, "owner:1", 10, Send(SendKind.REPEAT, 2)),
        InvoiceDecision(3, "owner:1", 10, Send(SendKind.PRE_DUE, 0)),
    ]

    (card,) = plan_cards(decisions)

    assert card.send == Send(SendKind.LEVEL, 2)
    assert card.invoice_ids == (9, 7, 8, 3)
