"""Changes people make to a customer from Slack (pause, resume, new owner), each logged once as activity.

Every change takes the dedup key of the Slack request that asked for it. The functions
check the key before changing anything, so a request delivered twice changes the customer
once; a concurrent duplicate fails on the unique `Activity.dedup_key` when the
transaction commits, which rolls its change back too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.pauses import is_indefinite
from bot.store.models import Activity, Customer, DocumentStatus, Invoice, Owner, OwnerRole

PAUSED_ACTION = "customer.paused"
RESUMED_ACTION = "customer.resumed"
OWNER_CHANGED_ACTION = "customer.owner_changed"


@dataclass(frozen=True)
class SlackProfile:
    """What users.info says about a Slack user, for creating an owner row."""

    user_id: str
    display_name: str
    email: str | None


def already_recorded(session: Session, dedup_key: str) -> bool:
    return session.scalar(select(Activity.id).where(Activity.dedup_key == dedup_key)) is not None


def pause_customer(
    session: Session, customer: Customer, until: date, *, actor: str, dedup_key: str, now: datetime
) -> None:
    """Hold back reminders for the customer until `until` (INDEFINITE_PAUSE_UNTIL: until resumed)."""
    previous = customer.paused_until
    customer.paused_until = until
    customer.updated_at = now
    session.add(Activity(
        occurred_at=now, actor=actor, action=PAUSED_ACTION, customer_id=customer.id, dedup_key=dedup_key,
        details={
            "until": None if is_indefinite(until) else until.isoformat(),
            "indefinite": is_indefinite(until),
            "previous_until": _pause_text(previous),
        },
    ))


def resume_customer(session: Session, customer: Customer, *, actor: str, dedup_key: str, now: datetime) -> None:
    """Clear the customer's pause, so reminders start again with the next run."""
    previous = customer.paused_until
    customer.paused_until = None
    customer.updated_at = now
    session.add(Activity(
        occurred_at=now, actor=actor, action=RESUMED_ACTION, customer_id=customer.id, dedup_key=dedup_key,
        details={"previous_until": _pause_text(previous)},
    ))


def change_owner(
    session: Session, customer: Customer, new_owner: Owner, *, actor: str, dedup_key: str, now: datetime
) -> Owner | None:
    """Make `new_owner` the customer's owner, log the old and new owner, and return the old one."""
    old_owner = customer.owner
    customer.owner_id = new_owner.id
    customer.updated_at = now
    session.add(Activity(
        occurred_at=now, actor=actor, action=OWNER_CHANGED_ACTION, customer_id=customer.id,
        owner_id=new_owner.id, dedup_key=dedup_key,
        details={
            "old_owner_id": old_owner.id if old_owner else None,
            "old_owner": old_owner.display_name if old_owner else None,
            "old_slack_user_id": old_owner.slack_user_id if old_owner else None,
            "new_owner_id": new_owner.id,
            "new_owner": new_owner.display_name,
            "new_slack_user_id": new_owner.slack_user_id,
        },
    ))
    return old_owner


def owner_by_slack_user(session: Session, slack_user_id: str) -> Owner | None:
    """Return the oldest owner row linked to the Slack user, if any."""
    statement = select(Owner).where(Owner.slack_user_id == slack_user_id).order_by(Owner.id).limit(1)
    return session.scalars(statement).first()


def owner_for_profile(session: Session, profile: SlackProfile, now: datetime) -> Owner:
    """Return the owner row of a Slack user, linking or creating one when none carries the user id.

    An owner imported under the user's email (as its key or email) and not yet linked to a
    Slack user is linked rather than duplicated. Otherwise a new owner is keyed by the user id.
    """
    owner = owner_by_slack_user(session, profile.user_id)
    if owner is not None:
        return owner

    owner = _unlinked_owner(session, profile)
    if owner is not None:
        owner.slack_user_id = profile.user_id
        owner.email = owner.email or profile.email
        owner.updated_at = now
        return owner

    key = profile.user_id
    if session.scalar(select(Owner.id).where(Owner.key == key)) is not None:
        # An owner imported under this id as its key is linked to another Slack user.
        key = f"slack:{profile.user_id}"
    owner = Owner(
        key=key, display_name=profile.display_name, email=profile.email,
        slack_user_id=profile.user_id, role=OwnerRole.SALES, slack_checked_at=now, created_at=now, updated_at=now,
    )
    session.add(owner)
    session.flush()
    return owner


def _unlinked_owner(session: Session, profile: SlackProfile) -> Owner | None:
    matches = [Owner.key == profile.user_id]
    if profile.email:
        email = profile.email.lower()
        matches += [func.lower(Owner.key) == email, func.lower(Owner.email) == email]
    statement = (
        select(Owner)
        .where(Owner.slack_user_id.is_(None))
        .where(or_(*matches))
        .order_by(Owner.id)
        .limit(1)
    )
    return session.scalars(statement).first()


def invoices_with_own_owner(session: Session, customer_id: int) -> int:
    """Count the customer's open documents that have an owner of their own, which a new customer owner does not change."""
    statement = (
        select(func.count())
        .where(Invoice.customer_id == customer_id)
        .where(Invoice.owner_id.is_not(None))
        .where(Invoice.status == DocumentStatus.OPEN)
    )
    return session.scalar(statement) or 0


def _pause_text(paused_until: date | None) -> str | None:
    if paused_until is None:
        return None
    return "indefinite" if is_indefinite(paused_until) else paused_until.isoformat()
