"""Parsing of subcommand text (mentions, dates, escaped text) and of the button values the replies carry."""

from __future__ import annotations

from datetime import date

import pytest

from bot.queue_buttons import is_queue_button_value, parse_queue_button_value, queue_button_value
from bot.subcommands.arguments import parse_day, parse_owner_arguments, parse_pause_arguments, plain_text
from bot.subcommands.choices import choice_value, parse_choice_value


@pytest.mark.parametrize("text, query, user_id", [
    ("ACME <@U0123ABC|olga>", "ACME", "U0123ABC"),
    ("ACME <@U0123ABC>", "ACME", "U0123ABC"),
    ("Acme Corp <@W0123ABC|olga.o>", "Acme Corp", "W0123ABC"),
    ("ACME U0123ABC", "ACME", "U0123ABC"),
    ("<@U0123ABC> ACME", "ACME", "U0123ABC"),
    ("Smith &amp; Sons <@U0123ABC>", "Smith & Sons", "U0123ABC"),
    ("ACME @olga", "ACME @olga", None),
    ("ACME", "ACME", None),
])
def test_owner_arguments_mentions(text, query, user_id):
    arguments = parse_owner_arguments(text)

    assert arguments.customer_query == query
    assert arguments.slack_user_id == user_id


def test_owner_arguments_escaped_mention_is_text():
    # A mention typed as text arrives escaped, so it names no user.
    arguments = parse_owner_arguments("ACME &lt;@U0123ABC&gt;")

    assert arguments.slack_user_id is None
    assert arguments.customer_query == "ACME <@U0123ABC>"


@pytest.mark.parametrize("text, query, until", [
    ("ACME until 2026-04-30", "ACME", "2026-04-30"),
    ("Acme Corp UNTIL 2026-04-30", "Acme Corp", "2026-04-30"),
    ("ACME 2026-04-30", "ACME", "2026-04-30"),
    ("ACME until soon", "ACME", "soon"),
    ("ACME 2026/4/30", "ACME", "2026/4/30"),
    ("Acme Corp", "Acme Corp", None),
    ("until", "until", None),
    ("", "", None),
])
def test_pause_arguments(text, query, until):
    arguments = parse_pause_arguments(text)

    assert arguments.customer_query == query
    assert arguments.until_text == until


@pytest.mark.parametrize("text", ["2026-4-30", "2026/04/30", "30.04.2026", "2026-02-30", "tomorrow", ""])
def test_parse_day_rejects(text):
    with pytest.raises(ValueError):
        parse_day(text)


def test_parse_day_iso():
    assert parse_day("2026-04-30") == date(2026, 4, 30)


def test_plain_text_links_and_channels():
    assert plain_text("<https://acme.example|acme.example> &lt;b&gt; <#C0123|sales>") == "acme.example <b> #sales"
    assert plain_text("<mailto:a@b.example|a@b.example>") == "a@b.example"
    assert plain_text("<https://acme.example>") == "https://acme.example"


def test_queue_button_value_round_trip():
    value = queue_button_value(42, "U0123ABC")

    target = parse_queue_button_value(value)
    assert value == "queue:42:U0123ABC"
    assert is_queue_button_value(value)
    assert (target.customer_id, target.slack_user_id) == (42, "U0123ABC")


def test_queue_button_value_escalation_target():
    target = parse_queue_button_value(queue_button_value(42, "U0123ABC", target_level=3))

    assert target.target_level == 3
    assert parse_queue_button_value("queue:42:U0123ABC").target_level is None


@pytest.mark.parametrize("value", ["card:42", "queue:42", "queue:x:U1", "queue:42:u0lower", "queue:42:U1:to:", ""])
def test_queue_button_value_rejects(value):
    with pytest.raises(ValueError):
        parse_queue_button_value(value)


def test_choice_value_round_trip():
    for subcommand, argument in (("pause", "2026-04-30"), ("pause", ""), ("resume", ""), ("owner", "U0123ABC")):
        choice = parse_choice_value(choice_value(subcommand, 7, argument))
        assert (choice.subcommand, choice.customer_id, choice.argument) == (subcommand, 7, argument)


@pytest.mark.parametrize("value", ["pause:7", "pause:x:", "pause:7:<@U1>", "drop table:7:"])
def test_choice_value_rejects(value):
    with pytest.raises(ValueError):
        parse_choice_value(value)
