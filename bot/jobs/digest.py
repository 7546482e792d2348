"""The daily digest job: post the receivables digest to every configured channel, once per as-of date."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.digest.blocks import DigestMessage, build_digest_message
from bot.digest.data import DigestData, gather_digest
from bot.i18n import get_translator
from bot.policy import load_default_policy
from bot.services import Services
from bot.slack.preview import render_text
from bot.store.db import transaction
from bot.store.digest_posts import (
    claim_digest_post,
    mark_digest_failed,
    mark_digest_posted,
    previous_digest_as_of,
)
from bot.store.models import Activity
from bot.workdays import WorkdayCalendar

log = logging.getLogger(__name__)

DIGEST_POSTED = "digest.posted"


class ChannelOutcome(StrEnum):
    POSTED = "posted"
    # Another run or replica claimed (or already posted) this channel's digest for the date.
    ALREADY_CLAIMED = "already_claimed"
    FAILED = "failed"
    PREVIEWED = "previewed"


@dataclass(frozen=True)
class ChannelResult:
    channel: str | None
    locale: str
    outcome: ChannelOutcome
    message_ts: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class DigestRunResult:
    as_of: date
    channels: tuple[ChannelResult, ...] = ()
    # True when the scheduler called the job on a day that is not a working day.
    skipped_non_working_day: bool = False

    @property
    def failed(self) -> list[ChannelResult]:
        return [result for result in self.channels if result.outcome == ChannelOutcome.FAILED]


@dataclass(frozen=True)
class _Target:
    channel: str | None
    locale: str


def run_digest(
    services: Services,
    as_of: date | None = None,
    dry_run: bool = False,
    echo: Callable[[str], object] = print,
    *,
    scheduled: bool = False,
    calendar: WorkdayCalendar | None = None,
    locale: str | None = None,
    actor: str = "system",
) -> DigestRunResult:
    """Post the digest as of `as_of` (default: today) to each digest channel.

    `scheduled` is set by the scheduler, and only then is a non-working day skipped.
    `locale` overrides each channel's language. With `dry_run`, nothing is written or
    sent, and `echo` gets a text rendering per channel instead.
    """
    as_of = as_of or services.today()
    calendar = calendar or _default_calendar()
    if scheduled and not calendar.is_working_day(as_of):
        log.info("digest skipped: %s is not a working day", as_of)
        return DigestRunResult(as_of=as_of, skipped_non_working_day=True)

    targets = _targets(services, locale)
    if dry_run:
        if not targets:
            targets = [_Target(None, locale or services.settings.default_locale)]
        return _preview(services, as_of, targets, calendar, echo)

    if not targets:
        log.warning("no digest channels configured (ARREARS_DIGEST_CHANNELS is empty); nothing posted")
        return DigestRunResult(as_of=as_of)

    # Fail on missing Slack settings before any channel is claimed.
    services.settings.require_slack()
    results = [_post_to_channel(services, as_of, target, calendar, actor) for target in targets]
    return DigestRunResult(as_of=as_of, channels=tuple(results))


def _default_calendar() -> WorkdayCalendar:
    # NOTE: uses the calendar of the default reminder policy until a policy file setting exists.
    return load_default_policy().calendar.build()


def _targets(services: Services, locale: str | None) -> list[_Target]:
    settings = services.settings
    return [
        _Target(channel.channel_id, locale or channel.locale or settings.default_locale)
        for channel in settings.digest_channels
    ]


def _preview(
    services: Services,
    as_of: date,
    targets: list[_Target],
    calendar: WorkdayCalendar,
    echo: Callable[[str], object],
) -> DigestRunResult:
    results = []
    for target in targets:
        tr = get_translator(target.locale)
        message = _build_message(services, as_of, target.channel, calendar, target.locale)
        if target.channel is None:
            echo(tr.gettext("Digest preview (no digest channel configured), in %(locale)s:") % {"locale": target.locale})
        else:
            echo(tr.gettext("Digest preview for channel %(channel)s, in %(locale)s:") % {
                "channel": target.channel, "locale": target.locale,
            })
        echo(render_text(message.blocks))
        results.append(ChannelResult(target.channel, target.locale, ChannelOutcome.PREVIEWED))
    return DigestRunResult(as_of=as_of, channels=tuple(results))


def _build_message(
    services: Services,
    as_of: date,
    channel: str | None,
    calendar: WorkdayCalendar,
    locale: str,
) -> DigestMessage:
    data = _gather(services, as_of, channel, calendar)
    return build_digest_message(data, get_translator(locale))


def _gather(services: Services, as_of: date, channel: str | None, calendar: WorkdayCalendar) -> DigestData:
    with services.sessions() as session:
        previous = previous_digest_as_of(session, channel, as_of) if channel else None
        if previous is None:
            previous = calendar.add_working_days(as_of, -1)
        return gather_digest(session, as_of, previous)


def _post_to_channel(
    services: Services,
    as_of: date,
    target: _Target,
    calendar: WorkdayCalendar,
    actor: str,
) -> ChannelResult:
    channel = target.channel
    post_id = claim_digest_post(services.sessions, channel, as_of, services.clock.now())
    if post_id is None:
        log.info("digest for channel %s as of %s already claimed by another run; not posting", channel, as_of)
        return ChannelResult(channel, target.locale, ChannelOutcome.ALREADY_CLAIMED)

    try:
        data = _gather(services, as_of, channel, calendar)
        message = build_digest_message(data, get_translator(target.locale))
        response = services.slack.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
    except SlackApiError as error:
        reason = str(error.response.get("error") or error)
        return _fail(services, post_id, target, as_of, reason)
    except (SlackClientError, OSError) as error:
        return _fail(services, post_id, target, as_of, f"{type(error).__name__}: {error}")
    except BaseException as error:
        # Release the claim before re-raising, so the next run can post this digest.
        mark_digest_failed(services.sessions, post_id, f"{type(error).__name__}: {error}", services.clock.now())
        raise

    message_ts = response["ts"]
    _record_posted(services, post_id, channel, message_ts, as_of, data, actor)
    log.info("digest posted to channel %s as of %s, ts %s, post %s", channel, as_of, message_ts, post_id)
    return ChannelResult(channel, target.locale, ChannelOutcome.POSTED, message_ts=message_ts)


def _fail(services: Services, post_id: int, target: _Target, as_of: date, reason: str) -> ChannelResult:
    log.error("digest to channel %s as of %s failed: %s (post %s marked failed)", target.channel, as_of, reason, post_id)
    mark_digest_failed(services.sessions, post_id, reason, services.clock.now())
    return ChannelResult(target.channel, target.locale, ChannelOutcome.FAILED, error=reason)


def _record_posted(
    services: Services,
    post_id: int,
    channel: str,
    message_ts: str,
    as_of: date,
    data: DigestData,
    actor: str,
) -> None:
    now = services.clock.now()
    with transaction(services.sessions) as session:
        mark_digest_posted(session, post_id, message_ts, now)
        session.add(Activity(
            occurred_at=now,
            actor=actor,
            action=DIGEST_POSTED,
            channel=channel,
            message_ts=message_ts,
            dedup_key=f"{DIGEST_POSTED}:{channel}:{as_of.isoformat()}",
            details={
                "as_of": as_of.isoformat(),
                "previous_as_of": data.previous_as_of.isoformat() if data.previous_as_of else None,
                "totals": data.totals_for_log(),
            },
        ))
