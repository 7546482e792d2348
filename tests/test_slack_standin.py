"""The stand-in itself must behave like Slack, or every test built on it proves nothing."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.slack_standin import SlackStandIn


@pytest.fixture
def standin():
    with SlackStandIn() as slack:
        yield slack


def _client(standin: SlackStandIn, **kwargs) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.api_url, **kwargs)


def test_standin_rejects_too_many_blocks(standin):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51
    with pytest.raises(SlackApiError) as raised:
        _client(standin).chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert raised.value.response["error"] == "invalid_blocks"


def test_standin_rejects_long_section(standin):
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    with pytest.raises(SlackApiError) as raised:
        _client(standin).chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert raised.value.response["error"] == "invalid_blocks"


def test_standin_rate_limit_retried(standin):
    standin.fail_next("chat.postMessage", status=429, retry_after=1)
    client = _client(standin, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    response = client.chat_postMessage(channel="C1", text="hello")
    assert response["ok"]
    assert len(standin.calls_to("chat.postMessage")) == 2


def test_standin_trigger_single_use(standin):
    trigger = standin.issue_trigger()
    view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": []}
    assert _client(standin).views_open(trigger_id=trigger, view=view)["ok"]
    with pytest.raises(SlackApiError) as raised:
        _client(standin).views_open(trigger_id=trigger, view=view)
    assert raised.value.response["error"] == "invalid_trigger_id"


def test_standin_trigger_expires():
    now = [100.0]
    with SlackStandIn(monotonic=lambda: now[0]) as standin:
        trigger = standin.issue_trigger()
        now[0] += 3.5
        view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": []}
        with pytest.raises(SlackApiError) as raised:
            _client(standin).views_open(trigger_id=trigger, view=view)
        assert raised.value.response["error"] == "expired_trigger_id"


def test_standin_user_locale(standin):
    standin.add_user("U1", "Li Lei", "li@example.com", locale="zh-CN")
    client = _client(standin)
    assert client.users_info(user="U1", include_locale=True)["user"]["locale"] == "zh-CN"
    assert client.users_lookupByEmail(email="LI@example.com")["user"]["id"] == "U1"


def test_standin_update_changes_message(standin):
    client = _client(standin)
    posted = client.chat_postMessage(channel="C1", text="first")
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="second")
    [message] = standin.messages_in("C1")
    assert message.text == "second"
    assert message.updates == 1
