"""Slack user look-ups through the real WebClient against the stand-in."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from slack_sdk.errors import SlackApiError

from bot.slack.users import LOCALE_TTL, find_user_by_email, user_locale
from tests.bot_server import slack_settings


@pytest.fixture
def services(make_services, standin, sqlite_url):
    standin.add_user("U0LILEI", "Li Lei", "li@example.com", locale="zh-CN")
    standin.add_user("U0TW", "Lin", "lin@example.com", locale="zh-TW")
    standin.add_user("U0FR", "Amélie", "amelie@example.com", locale="fr-FR")
    return make_services(sqlite_url, **slack_settings(standin))


def test_user_locale_maps_slack_locale(services):
    assert user_locale(services, "U0LILEI") == "zh_CN"
    assert user_locale(services, "U0TW") == "zh_CN"
    assert user_locale(services, "U0FR") == "en"


def test_user_locale_asks_for_locale(services, standin):
    user_locale(services, "U0LILEI")

    [call] = standin.calls_to("users.info")
    assert call.params["user"] == "U0LILEI"
    assert call.params["include_locale"] in ("1", "true", "True", True)


def test_user_locale_default_on_error(make_services, standin, sqlite_url, caplog):
    services = make_services(sqlite_url, ARREARS_DEFAULT_LOCALE="zh_CN", **slack_settings(standin))

    with caplog.at_level(logging.WARNING, logger="bot.slack.users"):
        locale = user_locale(services, "U0NOBODY")

    assert locale == "zh_CN"
    assert "users.info failed for user U0NOBODY (user_not_found)" in caplog.text


def test_user_locale_default_on_server_error(services, standin):
    standin.fail_next("users.info", status=500, count=3)

    assert user_locale(services, "U0LILEI") == "en"


def test_user_locale_cache_expires(services, standin, clock):
    user_locale(services, "U0LILEI")
    standin.users["U0LILEI"].locale = "en-US"

    assert user_locale(services, "U0LILEI") == "zh_CN"
    clock.set(clock.now() + LOCALE_TTL + timedelta(seconds=1))
    assert user_locale(services, "U0LILEI") == "en"
    assert len(standin.calls_to("users.info")) == 2


def test_user_locale_cache_per_services(make_services, standin, sqlite_url, services):
    other = make_services(sqlite_url, **slack_settings(standin))

    user_locale(services, "U0LILEI")
    user_locale(other, "U0LILEI")

    assert len(standin.calls_to("users.info")) == 2


def test_find_user_by_email(services):
    assert find_user_by_email(services, "LI@example.com") == "U0LILEI"


def test_find_user_by_email_not_found(services):
    assert find_user_by_email(services, "nobody@example.com") is None


def test_find_user_by_email_other_error(services, standin):
    standin.fail_next("users.lookupByEmail", status=200, error="missing_scope")

    with pytest.raises(SlackApiError) as raised:
        find_user_by_email(services, "li@example.com")
    assert raised.value.response["error"] == "missing_scope"
