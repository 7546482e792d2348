"""A stand-in for the Slack Web API: a real HTTP server on loopback that records every call.

The bot's real `slack_sdk.WebClient` talks to it through SLACK_API_URL. It implements the
methods arrears calls, rejects blocks that break Block Kit limits with `invalid_blocks`, enforces
that a `trigger_id` is used once and within 3 seconds, serves response URLs, and can be set to
respond with 429 and Retry-After, with a 5xx, or slowly.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from tests.blockkit_limits import MAX_MESSAGE_TEXT, validate_blocks, validate_view

TRIGGER_TTL_SECONDS = 3.0


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str | None = None
    thread_ts: str | None = None
    updates: int = 0


@dataclass
class Fault:
    method: str
    status: int
    count: int
    retry_after: int | None = None
    delay: float = 0.0
    error: str | None = None


@dataclass
class User:
    id: str
    name: str
    email: str | None = None
    locale: str = "en-US"
    deleted: bool = False
    is_bot: bool = False


class SlackStandIn:
    """Start with `with SlackStandIn() as slack:`; then point SLACK_API_URL at `slack.api_url`."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], Message] = {}
        self.ephemeral: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.users: dict[str, User] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.bot_user_id = "UBOTARREARS"
        self.valid_tokens: set[str] | None = None
        self._faults: list[Fault] = []
        self._triggers: dict[str, tuple[float, bool]] = {}
        self._ts_counter = itertools.count(1)
        self._id_counter = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-standin", daemon=True
        )

    # Lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> "SlackStandIn":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # Test set-up ----------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, email: str | None = None, locale: str = "en-US") -> User:
        user = User(user_id, name, email, locale)
        self.users[user_id] = user
        return user

    def fail_next(
        self,
        method: str,
        status: int = 429,
        count: int = 1,
        retry_after: int | None = 1,
        delay: float = 0.0,
        error: str | None = None,
    ) -> None:
        """Make the next `count` calls of `method` return HTTP `status` (429 with Retry-After), or an `ok: false` error."""
        with self._lock:
            self._faults.append(Fault(method, status, count, retry_after if status == 429 else None, delay, error))

    def slow_down(self, method: str, seconds: float, count: int = 1) -> None:
        with self._lock:
            self._faults.append(Fault(method, 200, count, None, seconds))

    def issue_trigger(self) -> str:
        """Return a fresh trigger_id, as Slack puts one in every interaction payload."""
        trigger_id = f"{next(self._id_counter)}.{int(time.time())}.standin"
        with self._lock:
            self._triggers[trigger_id] = (self._monotonic(), False)
        return trigger_id

    def response_url(self) -> str:
        return f"{self.base_url}/response/{next(self._id_counter)}"

    # Queries for assertions ------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def messages_in(self, channel: str) -> list[Message]:
        with self._lock:
            return [message for message in self.messages.values() if message.channel == channel]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Poll until predicate() is truthy; the bot does its slow work after the ack, in another thread."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError("the stand-in did not see the expected Slack call in time")
            time.sleep(0.02)

    # Request handling -------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_GET(self) -> None:
                standin._handle(self)

            def do_POST(self) -> None:
                standin._handle(self)

        return Handler

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if url.path.startswith("/response/"):
            payload = json.loads(body or b"{}")
            with self._lock:
                self.responses.append({"url": url.path, **payload})
            self._send(request, 200, b"ok", content_type="text/plain")
            return
        if not url.path.startswith("/api/"):
            self._send(request, 404, b"not found", content_type="text/plain")
            return

        method = url.path[len("/api/"):]
        params = self._parse_params(request, url.query, body)
        token = self._token(request, params)
        with self._lock:
            self.calls.append(Call(method, params, token))
            fault = self._take_fault(method)

        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status == 429:
                self._send_json(request, 429, {"ok": False, "error": "ratelimited"},
                                {"Retry-After": str(fault.retry_after or 1)})
                return
            if fault.status >= 500:
                self._send(request, fault.status, b"upstream error", content_type="text/plain")
                return
            if fault.error:
                self._send_json(request, 200, {"ok": False, "error": fault.error})
                return

        if self.valid_tokens is not None and token not in self.valid_tokens:
            self._send_json(request, 200, {"ok": False, "error": "invalid_auth"})
            return
        if token is None:
            self._send_json(request, 200, {"ok": False, "error": "not_authed"})
            return

        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            self._send_json(request, 200, {"ok": False, "error": "unknown_method"})
            return
        self._send_json(request, 200, handler(params))

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.count > 0:
                fault.count -= 1
                if fault.count == 0:
                    self._faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _parse_params(request: BaseHTTPRequestHandler, query: str, body: bytes) -> dict[str, Any]:
        params: dict[str, Any] = {key: values[-1] for key, values in parse_qs(query).items()}
        content_type = request.headers.get("Content-Type", "")
        if body and "application/json" in content_type:
            params.update(json.loads(body))
        elif body:
            params.update({key: values[-1] for key, values in parse_qs(body.decode()).items()})
        for key in ("blocks", "view", "attachments"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    @staticmethod
    def _token(request: BaseHTTPRequestHandler, params: dict[str, Any]) -> str | None:
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            return authorization[len("Bearer "):]
        return params.get("token")

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)

    def _send_json(self, request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any],
                   headers: dict[str, str] | None = None) -> None:
        self._send(request, status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)

    # Web API methods ---------------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts_counter)}.000100"

    def _check_message(self, params: dict[str, Any]) -> dict[str, Any] | None:
        blocks = params.get("blocks")
        text = params.get("text")
        if not blocks and not text:
            return {"ok": False, "error": "no_text"}
        if text and len(text) > MAX_MESSAGE_TEXT:
            return {"ok": False, "error": "msg_too_long"}
        if blocks:
            errors = validate_blocks(blocks)
            if errors:
                return {"ok": False, "error": "invalid_blocks", "errors": errors}
        return None

    def _api_auth_test(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://standin.slack.test/", "team": "Stand-in", "user": "arrears",
                "team_id": "T0STANDIN", "user_id": self.bot_user_id, "bot_id": "B0STANDIN"}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        problem = self._check_message(params)
        if problem:
            return problem
        channel = params.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel.startswith("U"):
            # Posting to a user id opens (or reuses) the DM with that user, as Slack does.
            channel = self._dm_channel(channel)
        message = Message(channel, self._next_ts(), params.get("text", ""), params.get("blocks") or [],
                          thread_ts=params.get("thread_ts"))
        with self._lock:
            self.messages[(channel, message.ts)] = message
        return {"ok": True, "channel": channel, "ts": message.ts,
                "message": {"text": message.text, "blocks": message.blocks, "ts": message.ts}}

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        problem = self._check_message(params)
        if problem:
            return problem
        key = (params.get("channel"), params.get("ts"))
        with self._lock:
            message = self.messages.get(key)
            if message is None:
                return {"ok": False, "error": "message_not_found"}
            message.text = params.get("text", message.text)
            message.blocks = params.get("blocks") or message.blocks
            message.updates += 1
        return {"ok": True, "channel": key[0], "ts": key[1], "text": message.text}

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        problem = self._check_message(params)
        if problem:
            return problem
        with self._lock:
            self.ephemeral.append(params)
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_getPermalink(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params.get("channel"),
                "permalink": f"https://standin.slack.test/archives/{params.get('channel')}/p{str(params.get('message_ts')).replace('.', '')}"}

    def _dm_channel(self, user_id: str) -> str:
        return "D" + user_id[1:]

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", "")).split(",")
        if not users or not users[0]:
            return {"ok": False, "error": "users_list_not_supplied"}
        if users[0] not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": self._dm_channel(users[0])}}

    def _user_payload(self, user: User, include_locale: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {"id": user.id, "name": user.name, "real_name": user.name, "deleted": user.deleted,
                                   "is_bot": user.is_bot, "profile": {"email": user.email, "real_name": user.name}}
        if include_locale:
            payload["locale"] = user.locale
        return payload

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(params.get("user", ""))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        include_locale = str(params.get("include_locale", "")).lower() in ("true", "1")
        return {"ok": True, "user": self._user_payload(user, include_locale)}

    def _api_users_lookupByEmail(self, params: dict[str, Any]) -> dict[str, Any]:
        email = str(params.get("email", "")).lower()
        for user in self.users.values():
            if user.email and user.email.lower() == email:
                return {"ok": True, "user": self._user_payload(user, False)}
        return {"ok": False, "error": "users_not_found"}

    def _api_usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        group = params.get("usergroup", "")
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        trigger_id = params.get("trigger_id", "")
        with self._lock:
            issued = self._triggers.get(trigger_id)
            if issued is None:
                return {"ok": False, "error": "invalid_trigger_id"}
            issued_at, used = issued
            if used:
                return {"ok": False, "error": "invalid_trigger_id"}
            if self._monotonic() - issued_at > TRIGGER_TTL_SECONDS:
                return {"ok": False, "error": "expired_trigger_id"}
            self._triggers[trigger_id] = (issued_at, True)
        return self._store_view(params.get("view") or {}, view_id=None)

    def _api_views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id")
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        return self._store_view(params.get("view") or {}, view_id=view_id)

    def _api_views_push(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._api_views_open(params)

    def _store_view(self, view: dict[str, Any], view_id: str | None) -> dict[str, Any]:
        errors = validate_view(view)
        if errors:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": errors}}
        view_id = view_id or f"V{next(self._id_counter):08d}"
        stored = {**view, "id": view_id}
        with self._lock:
            self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _api_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view") or {}
        errors = validate_view(view)
        if errors:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": errors}}
        user_id = params.get("user_id", "")
        with self._lock:
            self.home_views[user_id] = view
        return {"ok": True, "view": {**view, "id": f"VHOME{user_id}"}}
