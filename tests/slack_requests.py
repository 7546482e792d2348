"""Signed requests to the bot's HTTP endpoint, built the way Slack builds them."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier


@dataclass
class HttpResult:
    status: int
    body: str
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackSender:
    """Sends slash commands and interactivity payloads to `url`, signed with `signing_secret`."""

    def __init__(self, url: str, signing_secret: str, team_id: str = "T0STANDIN") -> None:
        self.url = url
        self.team_id = team_id
        self._verifier = SignatureVerifier(signing_secret)

    def post_form(self, fields: dict[str, str], *, timestamp: int | None = None, signature: str | None = None,
                  headers: dict[str, str] | None = None) -> HttpResult:
        body = urlencode(fields)
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = signature or self._verifier.generate_signature(timestamp=str(timestamp), body=body)
        request = urllib.request.Request(self.url, data=body.encode(), method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature,
            **(headers or {}),
        })
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return HttpResult(response.status, response.read().decode(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, error.read().decode(), time.monotonic() - started)

    def slash_command(self, text: str, *, user_id: str, response_url: str, command: str = "/arrears",
                      channel_id: str = "C0GENERAL", trigger_id: str = "0.0.trigger") -> HttpResult:
        return self.post_form({
            "token": "legacy-verification-token-unused",
            "team_id": self.team_id,
            "channel_id": channel_id,
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger_id,
            "api_app_id": "A0ARREARS",
        })

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> HttpResult:
        payload = {"team": {"id": self.team_id}, "api_app_id": "A0ARREARS", "token": "unused", **payload}
        return self.post_form({"payload": json.dumps(payload)}, **kwargs)

    def block_action(self, *, user_id: str, action_id: str, value: str, channel_id: str, message_ts: str,
                     trigger_id: str, response_url: str, block_id: str = "actions",
                     message: dict[str, Any] | None = None, **kwargs: Any) -> HttpResult:
        return self.interaction({
            "type": "block_actions",
            "user": {"id": user_id, "team_id": self.team_id},
            "channel": {"id": channel_id},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel_id},
            "message": message or {"ts": message_ts, "blocks": []},
            "trigger_id": trigger_id,
            "response_url": response_url,
            "actions": [{"type": "button", "action_id": action_id, "block_id": block_id, "value": value,
                         "action_ts": str(time.time())}],
        }, **kwargs)

    def view_submission(self, *, user_id: str, view: dict[str, Any], state_values: dict[str, Any],
                        **kwargs: Any) -> HttpResult:
        return self.interaction({
            "type": "view_submission",
            "user": {"id": user_id, "team_id": self.team_id},
            "trigger_id": "0.0.submission",
            "view": {**view, "state": {"values": state_values}},
        }, **kwargs)
