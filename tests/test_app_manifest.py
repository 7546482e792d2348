"""The Slack app manifest at the repository root matches what the bot registers and calls."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.handlers.slash import COMMAND
from bot.web import SLACK_EVENTS_PATH

REPOSITORY = Path(__file__).resolve().parent.parent


def _manifest() -> dict:
    with (REPOSITORY / "manifest.yaml").open(encoding="utf-8") as manifest_file:
        return yaml.safe_load(manifest_file)


def test_manifest_parses_as_yaml():
    manifest = _manifest()

    assert manifest["display_information"]["name"] == "arrears"
    assert manifest["features"]["bot_user"]["display_name"] == "arrears"


def test_manifest_slash_command():
    [command] = _manifest()["features"]["slash_commands"]

    assert command["command"] == COMMAND
    assert command["usage_hint"]
    assert command["should_escape"] is True


def test_manifest_bot_scopes():
    scopes = _manifest()["oauth_config"]["scopes"]["bot"]

    assert sorted(scopes) == sorted(
        ["chat:write", "commands", "im:write", "users:read", "users:read.email", "usergroups:read"]
    )


def test_manifest_socket_mode_and_home():
    manifest = _manifest()

    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_manifest_http_hint_names_events_path():
    text = (REPOSITORY / "manifest.yaml").read_text(encoding="utf-8")

    assert f"https://YOUR-HOST{SLACK_EVENTS_PATH}" in text


def test_procfile_runs_bot_and_migrations():
    lines = (REPOSITORY / "Procfile").read_text(encoding="utf-8").splitlines()

    assert "web: arrears run" in lines
    assert "release: arrears db upgrade" in lines
