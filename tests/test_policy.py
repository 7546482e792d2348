from datetime import date
from decimal import Decimal

import pytest

from bot.i18n import get_translator
from bot.policy import (
    DayCount,
    PolicyError,
    Tone,
    default_policy_text,
    load_default_policy,
    load_policy,
    parse_policy,
)

MINIMAL = """
[tiers.normal]
repeat_interval_days = 7

[[levels]]
key = "sales"
name = "Sales"
threshold_days = 1
tone = "friendly"
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "policy.toml")
    return str(caught.value).splitlines()


def test_default_policy_loads():
    policy = load_default_policy()

    assert [level.key for level in policy.levels] == ["sales", "finance", "legal"]
    assert [level.threshold_days for level in policy.levels] == [1, 7, 30]
    assert [level.tone for level in policy.levels] == [Tone.FRIENDLY, Tone.FIRM, Tone.FINAL]
    assert set(policy.tiers) == {"strategic", "normal", "watch"}
    assert policy.pre_due_days == (3,)
    assert policy.calendar.country == "CN"
    assert policy.calendar.weekend == (5, 6)


def test_default_policy_text_matches_loaded_policy(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text(), encoding="utf-8")

    assert load_policy(path) == load_default_policy()
    assert load_policy(None) == load_default_policy()


def test_minimal_policy_defaults():
    policy = parse_policy(MINIMAL, "policy.toml")

    assert policy.default_tier == "normal"
    assert policy.promise_grace_days == 3
    assert policy.minimum_open_amount_for("USD") == Decimal(0)
    assert policy.level(1).counted_in == DayCount.CALENDAR
    assert policy.level(1).recipients.owner is True
    assert policy.calendar.country is None


def test_minimum_open_amount_per_currency():
    policy = parse_policy(MINIMAL + "\n[minimum_open_amount]\ndefault = 5\nCNY = 10.10\n", "policy.toml")

    assert policy.minimum_open_amount_for("CNY") == Decimal("10.10")
    assert policy.minimum_open_amount_for("EUR") == Decimal("5")


def test_level_name_by_locale():
    policy = load_default_policy()

    assert policy.level(2).display_name("zh_CN") == "财务跟进"
    assert policy.level(2).display_name("en") == "Finance follow-up"
    assert parse_policy(MINIMAL, "policy.toml").level(1).display_name("zh_CN") == "Sales"


def test_unknown_tier_falls_back_to_default():
    policy = load_default_policy()

    assert policy.tier_for("watch").repeat_interval_days == 3
    assert policy.tier_for("vip") == policy.tiers["normal"]
    assert policy.tier_for(None) == policy.tiers["normal"]


def test_calendar_section_builds_calendar():
    policy = parse_policy(
        MINIMAL + '\n[calendar]\ncountry = "cn"\nweekend = ["Fri", "saturday"]\nclosed_dates = [2026-03-16]\n',
        "policy.toml",
    )
    calendar = policy.calendar.build()

    assert policy.calendar.country == "CN"
    assert policy.calendar.weekend == (4, 5)
    assert not calendar.is_working_day(date(2026, 3, 16))
    assert not calendar.is_working_day(date(2026, 3, 13))
    assert calendar.is_working_day(date(2026, 3, 15))


def test_thresholds_must_increase():
    text = MINIMAL + """
[[levels]]
key = "finance"
name = "Finance"
threshold_days = 1
tone = "firm"
"""
    problems = _problems(text)

    assert problems == [
        'policy.toml: levels[2].threshold_days = 1: must be greater than 1, '
        'the threshold of the level before it ("sales")'
    ]


def test_level_keys_must_be_unique():
    text = MINIMAL + '\n[[levels]]\nkey = "sales"\nname = "Again"\nthreshold_days = 9\ntone = "firm"\n'

    assert _problems(text) == ['policy.toml: levels[2].key = "sales": is used by an earlier level; each level needs its own key']


def test_invalid_slack_ids_named():
    text = MINIMAL + 'recipients = { users = ["U0AB1", "bob"], channel = "#finance" }\n'
    problems = _problems(text)

    assert 'policy.toml: levels[1].recipients.users[2] = "bob": is not a Slack user id; ' \
        "copy it from the person's profile (it looks like U0123ABCD)" in problems
    assert any(line.startswith('policy.toml: levels[1].recipients.channel = "#finance": is not a Slack channel id') for line in problems)
    assert len(problems) == 2


def test_usergroup_needs_channel():
    text = MINIMAL + 'recipients = { owner = false, usergroup = "S0FINANCE" }\n'

    assert _problems(text) == [
        'policy.toml: levels[1].recipients.usergroup = "S0FINANCE": '
        "a user group can only be mentioned in a channel; set channel as well"
    ]


def test_level_without_recipients_rejected():
    text = MINIMAL + "recipients = { owner = false }\n"

    assert _problems(text) == [
        "policy.toml: levels[1].recipients = {owner = false}: "
        "names nobody; set owner = true or list users, a usergroup or a channel"
    ]


def test_default_tier_must_be_known():
    problems = _problems('default_tier = "vip"\n' + MINIMAL)

    assert problems == ['policy.toml: default_tier = "vip": is not one of the tiers; use normal']


def test_invalid_values_named_with_key_path():
    text = """
pre_due_days = [3, 0]
promise_grace_days = -1

[minimum_open_amount]
usd = 1
EUR = -5

[calendar]
country = "XX"
weekend = ["sat", "funday"]

[tiers.normal]
repeat_interval_days = 0

[[levels]]
key = "sales"
name = "Sales"
threshold_days = "one"
counted_in = "business_days"
tone = "angry"
escalate = true
"""
    problems = _problems(text)

    assert "policy.toml: pre_due_days[2] = 0: must be at least 1 (days before the due date)" in problems
    assert "policy.toml: promise_grace_days = -1: must be at least 0" in problems
    assert any(line.startswith('policy.toml: minimum_open_amount.usd = "usd": is not a currency') for line in problems)
    assert any(line.startswith('policy.toml: calendar.country = "XX": is not a country') for line in problems)
    assert 'policy.toml: calendar.weekend[2] = "funday": is not a weekday; use mon, tue, wed, thu, fri, sat, sun' in problems
    assert "policy.toml: tiers.normal.repeat_interval_days = 0: must be at least 1" in problems
    assert 'policy.toml: levels[1].threshold_days = "one": must be a whole number' in problems
    assert any(line.startswith('policy.toml: levels[1].counted_in = "business_days": must be one of') for line in problems)
    assert any(line.startswith('policy.toml: levels[1].tone = "angry": must be one of') for line in problems)
    assert "policy.toml: levels[1].escalate = true: is not a known setting; check its spelling" in problems
    assert len(problems) == 10


def test_negative_minimum_rejected():
    text = MINIMAL + "\n[minimum_open_amount]\nEUR = -5\n"

    assert _problems(text) == ["policy.toml: minimum_open_amount.EUR = -5: must be zero or a positive amount"]


def test_missing_sections_named():
    problems = _problems('pre_due_days = [3]\n')

    assert problems == ["policy.toml: tiers: is missing", "policy.toml: levels: is missing"]


def test_empty_levels_rejected():
    problems = _problems("levels = []\n[tiers.normal]\nrepeat_interval_days = 7\n")

    assert problems == ["policy.toml: levels = []: must list at least one level, as a [[levels]] table"]


def test_calendar_date_conflict_named():
    text = MINIMAL + "\n[calendar]\nclosed_dates = [2026-05-01]\nworking_dates = [2026-05-01]\n"

    assert _problems(text) == [
        "policy.toml: calendar.working_dates = [2026-05-01]: lists dates that closed_dates lists too; keep each date in one list"
    ]


def test_unknown_subdivision_named():
    text = MINIMAL + '\n[calendar]\ncountry = "US"\nsubdivision = "ZZ"\n'
    problems = _problems(text)

    assert len(problems) == 1
    assert problems[0].startswith('policy.toml: calendar.subdivision = "ZZ": is not a subdivision of US')


def test_invalid_toml_named():
    problems = _problems("[[levels]\n")

    assert len(problems) == 1
    assert problems[0].startswith("policy.toml: is not valid TOML: ")
    assert "line 1" in problems[0]


def test_missing_file_named(tmp_path):
    path = tmp_path / "absent.toml"

    with pytest.raises(PolicyError) as caught:
        load_policy(path)

    assert str(caught.value) == f"{path}: file not found"


def test_policy_error_renders_through_translator():
    with pytest.raises(PolicyError) as caught:
        parse_policy('default_tier = "vip"\n' + MINIMAL, "policy.toml")

    rendered = caught.value.render(get_translator("zh_CN"))

    assert "default_tier" in rendered
    assert '"vip"' in rendered
