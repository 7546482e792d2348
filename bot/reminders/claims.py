"""Claims on reminder cards, which keep each card to one send per recipient, customer and day.

A run claims a card by inserting its ReminderCard row before posting. The row's unique key
(recipient_key, customer_id, sent_on) makes the INSERT fail for every other run or replica
that tries the same card, whichever commits second. A claim then ends as `sent`, `failed`
(with the Slack error) or `skipped` (with the reason, in the `error` column).

A later run may take over a claim in two cases, each with an atomic
`UPDATE ... WHERE state = ...`, so that only one of several concurrent runs wins:

- `failed`: nothing reached Slack, so sending again is safe.
- `claimed` and untouched for longer than CLAIM_LEASE: the run that claimed it crashed or
  was killed. It may have crashed after Slack accepted the message but before the row was
  marked sent, so taking over can post the card twice. That rare duplicate is accepted,
  because the alternative, never retrying, would silently lose the day's reminder. A claim
  younger than the lease belongs to a run that may still be sending and is left alone.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import transaction
from bot.store.models import ReminderCard

logger = logging.getLogger(__name__)

# Longer than any one card takes to post, including slack_sdk's Retry-After waits.
CLAIM_LEASE = timedelta(minutes=15)


class CardState:
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    # The card's level sends no card to the owner, so only the level's notice went out.
    NOTICE_ONLY = "notice_only"
    # A card of `/arrears mine`, stored when one of its buttons is first pressed (bot.queue_cards).
    ON_REQUEST = "on_request"


def claim_card(
    sessions: sessionmaker[Session],
    *,
    recipient_key: str,
    owner_id: int | None,
    customer_id: int,
    sent_on: date,
    locale: str,
    now: datetime,
) -> ReminderCard | None:
    """Claim the card for (recipient, customer, day); return it, or None when another run has it."""
    try:
        with transaction(sessions) as session:
            card = ReminderCard(
                recipient_key=recipient_key, owner_id=owner_id, customer_id=customer_id, sent_on=sent_on,
                locale=locale, state=CardState.CLAIMED, created_at=now, updated_at=now,
            )
            session.add(card)
        return card
    except IntegrityError as error:
        existing = find_card(sessions, recipient_key, customer_id, sent_on)
        if existing is None:
            # The INSERT failed for some other reason than the unique key.
            raise error
    return _take_over(sessions, existing, owner_id=owner_id, locale=locale, now=now)


def find_card(
    sessions: sessionmaker[Session], recipient_key: str, customer_id: int, sent_on: date
) -> ReminderCard | None:
    """Return the card claimed for (recipient, customer, day), in whatever state, or None."""
    with sessions() as session:
        return session.scalars(
            select(ReminderCard)
            .where(ReminderCard.recipient_key == recipient_key)
            .where(ReminderCard.customer_id == customer_id)
            .where(ReminderCard.sent_on == sent_on)
        ).one_or_none()


def _take_over(
    sessions: sessionmaker[Session],
    existing: ReminderCard,
    *,
    owner_id: int | None,
    locale: str,
    now: datetime,
) -> ReminderCard | None:
    retryable = or_(
        ReminderCard.state == CardState.FAILED,
        and_(ReminderCard.state == CardState.CLAIMED, ReminderCard.updated_at < now - CLAIM_LEASE),
    )
    with transaction(sessions) as session:
        result = session.execute(
            update(ReminderCard)
            .where(ReminderCard.id == existing.id)
            .where(retryable)
            .values(state=CardState.CLAIMED, error=None, owner_id=owner_id, locale=locale, updated_at=now)
        )
    if result.rowcount != 1:
        logger.info("reminder card %s (%s, customer %s, %s) is already %s; not sending it again",
                    existing.id, existing.recipient_key, existing.customer_id, existing.sent_on, existing.state)
        return None

    if existing.state == CardState.CLAIMED:
        logger.warning("taking over reminder card %s (%s, customer %s, %s): claimed at %s and never finished",
                       existing.id, existing.recipient_key, existing.customer_id, existing.sent_on,
                       existing.updated_at)
    else:
        logger.info("retrying reminder card %s (%s, customer %s, %s) after failure: %s",
                    existing.id, existing.recipient_key, existing.customer_id, existing.sent_on, existing.error)
    with sessions() as session:
        return session.get_one(ReminderCard, existing.id)


def mark_sent(session: Session, card_id: int, *, channel: str, message_ts: str, now: datetime) -> None:
    _set_state(session, card_id, CardState.SENT, now, channel=channel, message_ts=message_ts, error=None)


def mark_notice_only(session: Session, card_id: int, *, now: datetime) -> None:
    _set_state(session, card_id, CardState.NOTICE_ONLY, now, error=None)


def mark_failed(session: Session, card_id: int, *, error: str, now: datetime) -> None:
    _set_state(session, card_id, CardState.FAILED, now, error=error)


def mark_skipped(session: Session, card_id: int, *, reason: str, now: datetime) -> None:
    _set_state(session, card_id, CardState.SKIPPED, now, error=reason)


def _set_state(session: Session, card_id: int, state: str, now: datetime, **values: object) -> None:
    card = session.get_one(ReminderCard, card_id)
    card.state = state
    card.updated_at = now
    for name, value in values.items():
        setattr(card, name, value)
