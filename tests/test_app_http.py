"""The bot's HTTP endpoint: signature checks, the health check and unknown routes."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine

from bot.app import create_app
from bot.config import ConfigError
from bot.web import create_wsgi_app
from tests.bot_server import SIGNING_SECRET, BotServer, running_bot, slack_settings
from tests.slack_requests import SlackSender


def _slash_fields(server: BotServer) -> dict[str, str]:
    return {
        "command": "/arrears",
        "text": "help",
        "user_id": "U0ALICE",
        "channel_id": "C0GENERAL",
        "team_id": "T0STANDIN",
        "response_url": server.standin.response_url(),
        "trigger_id": "0.0.trigger",
    }


def test_app_rejects_bad_signature(bot_server):
    calls_before = len(bot_server.standin.calls)

    result = bot_server.sender.post_form(_slash_fields(bot_server), signature="v0=" + "0" * 64)

    assert result.status == 401
    assert len(bot_server.standin.calls) == calls_before
    assert bot_server.standin.responses == []


def test_app_rejects_other_signing_secret(bot_server):
    forger = SlackSender(bot_server.events_url, "not-" + SIGNING_SECRET)

    result = forger.post_form(_slash_fields(bot_server))

    assert result.status == 401


def test_app_rejects_stale_timestamp(bot_server):
    # Correctly signed, but six minutes old: a replayed request.
    stale = int(time.time()) - 6 * 60

    result = bot_server.sender.post_form(_slash_fields(bot_server), timestamp=stale)

    assert result.status == 401
    assert bot_server.standin.responses == []


def test_app_rejects_missing_signature(bot_server):
    result = bot_server.sender.post_form(_slash_fields(bot_server), headers={"X-Slack-Signature": ""})

    assert result.status == 401


def test_healthz_reports_database_ok(bot_server):
    result = bot_server.get("/healthz")

    assert result.status == 200
    assert result.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_down(make_services, standin, tmp_path):
    services = make_services(f"sqlite:///{tmp_path}/ok.db", **slack_settings(standin))
    # A database file inside a folder that does not exist cannot be opened.
    services.engine = create_engine(f"sqlite:///{tmp_path}/missing/folder/arrears.db")

    with running_bot(services, standin) as server:
        result = server.get("/healthz")

    assert result.status == 503
    assert result.json()["status"] == "unavailable"


@pytest.mark.parametrize("path", ["/", "/slack/event", "/healthz/extra", "/slack/events"])
def test_web_unknown_route_is_404(bot_server, path):
    # GET /slack/events is not a Slack request: Slack only POSTs there.
    result = bot_server.get(path)

    assert result.status == 404


def test_create_app_requires_signing_secret(make_services, standin, sqlite_url):
    services = make_services(sqlite_url, slack_bot_token="xoxb-test", slack_api_url=standin.api_url)

    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        create_app(services)


def test_create_wsgi_app_serves_only_known_routes(make_services, standin, sqlite_url):
    services = make_services(sqlite_url, **slack_settings(standin))
    application = create_wsgi_app(create_app(services), services)
    statuses = []

    body = application({"REQUEST_METHOD": "PUT", "PATH_INFO": "/healthz"}, lambda status, headers: statuses.append(status))

    assert statuses == ["404 Not Found"]
    assert b"not found" in b"".join(body)
