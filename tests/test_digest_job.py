import logging
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from bot.config import ConfigError
from bot.jobs.digest import DIGEST_POSTED, ChannelOutcome, run_digest
from bot.store.db import transaction
from bot.store.digest_posts import DigestPostState
from bot.store.models import Activity, DigestPost
from bot.workdays import WorkdayCalendar
from tests.ledger_builder import LedgerBuilder
from tests.slack_standin import SlackStandIn

AS_OF = date(2026, 3, 16)  # a Monday
WEEKENDS_ONLY = WorkdayCalendar()


@pytest.fixture
def standin():
    with SlackStandIn() as slack:
        yield slack


@pytest.fixture
def services(database_url, make_services, standin):
    services = make_services(
        database_url,
        slack_bot_token="xoxb-test",
        slack_signing_secret="signing-secret",
        slack_api_url=standin.api_url,
        ARREARS_DIGEST_CHANNELS="C0AAAA,C0BBBB:zh_CN",
    )
    with transaction(services.sessions) as session:
        ledger = LedgerBuilder(session)
        owner = ledger.owner("alice", "Alice", slack_user_id="U0ALICE")
        customer = ledger.customer("BJ-1", "北京某某科技有限公司", owner=owner)
        ledger.invoice(customer, "INV-1", "1000", date(2026, 3, 1))
        ledger.invoice(customer, "INV-2", "250", date(2026, 3, 14), currency="USD")
    return services


def _run(services, **kwargs):
    kwargs.setdefault("calendar", WEEKENDS_ONLY)
    return run_digest(services, as_of=kwargs.pop("as_of", AS_OF), echo=kwargs.pop("echo", lambda _text: None), **kwargs)


def _posts(services) -> dict[str, DigestPost]:
    with services.sessions() as session:
        return {post.channel: post for post in session.scalars(select(DigestPost))}


def _activities(services) -> list[Activity]:
    with services.sessions() as session:
        return list(session.scalars(select(Activity).where(Activity.action == DIGEST_POSTED).order_by(Activity.id)))


def test_digest_posts_each_channel_in_its_locale(services, standin):
    result = _run(services)

    assert [(item.channel, item.outcome) for item in result.channels] == [
        ("C0AAAA", ChannelOutcome.POSTED), ("C0BBBB", ChannelOutcome.POSTED),
    ]
    [english] = standin.messages_in("C0AAAA")
    [chinese] = standin.messages_in("C0BBBB")
    assert english.blocks[0]["text"]["text"] == "Receivables digest: Mar 16, 2026"
    assert chinese.blocks[0]["text"]["text"].endswith("2026年3月16日")
    assert "CN¥1,000.00" in english.text
    assert "<@U0ALICE>" in str(english.blocks)


def test_digest_records_post_and_activity(services, standin):
    result = _run(services)

    posts = _posts(services)
    assert posts["C0AAAA"].state == DigestPostState.POSTED
    assert posts["C0AAAA"].message_ts == result.channels[0].message_ts
    activities = _activities(services)
    assert [(entry.channel, entry.message_ts) for entry in activities] == [
        ("C0AAAA", result.channels[0].message_ts), ("C0BBBB", result.channels[1].message_ts),
    ]
    details = activities[0].details
    assert details["as_of"] == "2026-03-16"
    assert details["previous_as_of"] == "2026-03-13"
    assert details["totals"]["CNY"]["overdue"] == "1000.0000"
    assert details["totals"]["USD"]["overdue_count"] == 1
    assert activities[0].actor == "system"


def test_digest_rerun_sends_nothing(services, standin):
    _run(services)
    second = _run(services)

    assert [item.outcome for item in second.channels] == [ChannelOutcome.ALREADY_CLAIMED] * 2
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert len(_activities(services)) == 2


def test_digest_failure_marks_claim_and_continues(services, standin, caplog):
    standin.fail_next("chat.postMessage", status=200, error="channel_not_found")

    with caplog.at_level(logging.ERROR, logger="bot.jobs.digest"):
        result = _run(services)

    assert [(item.channel, item.outcome, item.error) for item in result.channels] == [
        ("C0AAAA", ChannelOutcome.FAILED, "channel_not_found"),
        ("C0BBBB", ChannelOutcome.POSTED, None),
    ]
    posts = _posts(services)
    assert posts["C0AAAA"].state == DigestPostState.FAILED
    assert posts["C0AAAA"].error == "channel_not_found"
    assert "C0AAAA" in caplog.text
    assert "channel_not_found" in caplog.text


def test_digest_failed_claim_retried(services, standin):
    standin.fail_next("chat.postMessage", status=200, error="channel_not_found")
    _run(services)
    retry = _run(services)

    assert [(item.channel, item.outcome) for item in retry.channels] == [
        ("C0AAAA", ChannelOutcome.POSTED), ("C0BBBB", ChannelOutcome.ALREADY_CLAIMED),
    ]
    assert _posts(services)["C0AAAA"].state == DigestPostState.POSTED
    assert _posts(services)["C0AAAA"].error is None
    assert len(standin.messages_in("C0AAAA")) == 1


def test_digest_rate_limit_retried(services, standin):
    standin.fail_next("chat.postMessage", status=429, retry_after=1)

    result = _run(services)

    assert [item.outcome for item in result.channels] == [ChannelOutcome.POSTED] * 2
    assert len(standin.calls_to("chat.postMessage")) == 3
    assert len(standin.messages_in("C0AAAA")) == 1


def test_digest_dry_run_writes_nothing(services, standin):
    printed = []
    result = _run(services, dry_run=True, echo=printed.append)

    assert [item.outcome for item in result.channels] == [ChannelOutcome.PREVIEWED] * 2
    assert standin.calls_to("chat.postMessage") == []
    assert _posts(services) == {}
    assert printed[0] == "Digest preview for channel C0AAAA, in en:"
    assert "Receivables digest: Mar 16, 2026" in printed[1]
    assert "2026年3月16日" in printed[3]


def test_digest_dry_run_without_channels(database_url, make_services, standin):
    services = make_services(database_url)
    printed = []
    result = _run(services, dry_run=True, echo=printed.append, locale="zh_CN")

    assert [(item.channel, item.locale) for item in result.channels] == [(None, "zh_CN")]
    assert len(printed) == 2
    assert "2026年3月16日" in printed[1]


def test_digest_scheduled_skips_weekend(services, standin):
    saturday = date(2026, 3, 14)
    skipped = _run(services, as_of=saturday, scheduled=True)
    manual = _run(services, as_of=saturday)

    assert skipped.skipped_non_working_day
    assert skipped.channels == ()
    assert [item.outcome for item in manual.channels] == [ChannelOutcome.POSTED] * 2


def test_digest_changes_since_previous_post(services, standin):
    _run(services, as_of=date(2026, 3, 10))
    services.clock.set(datetime(2026, 3, 16, 1, 30, tzinfo=timezone.utc))
    _run(services)

    details = _activities(services)[-1].details
    assert details["previous_as_of"] == "2026-03-10"
    last = standin.messages_in("C0AAAA")[-1]
    assert "What changed since Mar 10, 2026" in str(last.blocks)
    assert "1 newly overdue invoice ($250.00)" in str(last.blocks)


def test_digest_without_slack_token_claims_nothing(database_url, make_services):
    services = make_services(database_url, ARREARS_DIGEST_CHANNELS="C0AAAA")

    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        _run(services)
    assert _posts(services) == {}
