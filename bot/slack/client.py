"""The one place that builds Slack Web API clients, so every call shares the retry policy."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings

# slack_sdk's rate-limit handler sleeps for the Retry-After seconds of a 429 response before it
# retries. The other two handlers retry transient network errors and 5xx responses.
MAX_RATE_LIMIT_RETRIES = 5
MAX_SERVER_ERROR_RETRIES = 2
MAX_CONNECTION_RETRIES = 2
REQUEST_TIMEOUT_SECONDS = 30


def make_web_client(settings: Settings, token: str | None = None) -> WebClient:
    return WebClient(
        token=token or settings.slack_bot_token,
        base_url=_with_trailing_slash(settings.slack_api_url),
        timeout=REQUEST_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=MAX_CONNECTION_RETRIES),
            RateLimitErrorRetryHandler(max_retry_count=MAX_RATE_LIMIT_RETRIES),
            ServerErrorRetryHandler(max_retry_count=MAX_SERVER_ERROR_RETRIES),
        ],
    )


def _with_trailing_slash(url: str) -> str:
    # WebClient joins the method name straight onto the base URL.
    return url if url.endswith("/") else url + "/"
