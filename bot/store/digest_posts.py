"""Claiming and recording digest posts, so each channel gets one digest per as-of date.

The claim is an INSERT that the unique key (channel, as_of) rejects for a second
claimant, so two runs or two replicas cannot both post. A claim left in state
"failed" can be claimed again by an UPDATE that only one claimant can win.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import transaction
from bot.store.models import DigestPost

log = logging.getLogger(__name__)


class DigestPostState(StrEnum):
    CLAIMED = "claimed"
    POSTED = "posted"
    FAILED = "failed"


def claim_digest_post(sessions: sessionmaker[Session], channel: str, as_of: date, now: datetime) -> int | None:
    """Claim the digest of `channel` for `as_of`; return the DigestPost id, or None if another run has it.

    NOTE: a claim whose run died between claiming and posting stays "claimed", so no
    run retries it. Set its state to "failed" by hand to let the next run post.
    """
    try:
        with transaction(sessions) as session:
            post = DigestPost(channel=channel, as_of=as_of, state=DigestPostState.CLAIMED, created_at=now, updated_at=now)
            session.add(post)
            session.flush()
            return post.id
    except IntegrityError:
        log.debug("digest for channel %s as of %s is already claimed; trying to retry a failed claim", channel, as_of)

    with transaction(sessions) as session:
        claimed = session.execute(
            update(DigestPost)
            .where(DigestPost.channel == channel, DigestPost.as_of == as_of, DigestPost.state == DigestPostState.FAILED)
            .values(state=DigestPostState.CLAIMED, error=None, updated_at=now)
            .returning(DigestPost.id)
        ).scalar_one_or_none()
    return claimed


def mark_digest_failed(sessions: sessionmaker[Session], post_id: int, error: str, now: datetime) -> None:
    with transaction(sessions) as session:
        session.execute(
            update(DigestPost)
            .where(DigestPost.id == post_id)
            .values(state=DigestPostState.FAILED, error=error, updated_at=now)
        )


def mark_digest_posted(session: Session, post_id: int, message_ts: str, now: datetime) -> None:
    session.execute(
        update(DigestPost)
        .where(DigestPost.id == post_id)
        .values(state=DigestPostState.POSTED, message_ts=message_ts, error=None, updated_at=now)
    )


def previous_digest_as_of(session: Session, channel: str, as_of: date) -> date | None:
    """Return the latest as-of date before `as_of` whose digest was posted to `channel`."""
    return session.scalar(
        select(func.max(DigestPost.as_of))
        .where(DigestPost.channel == channel, DigestPost.as_of < as_of, DigestPost.state == DigestPostState.POSTED)
    )
