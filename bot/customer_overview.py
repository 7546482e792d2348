"""The overview of one customer that `/arrears customer` shows, read from the store as of a given day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.store.balances import AgingSummary, OpenDocument, aging_summary, last_activity, open_documents
from bot.store.models import Customer

LARGEST_OPEN_LIMIT = 10


@dataclass(frozen=True)
class RecentActivity:
    """The latest activity on a customer, with its local date in the configured time zone."""

    occurred_on: date
    action: str
    actor: str


@dataclass(frozen=True)
class CustomerOverview:
    customer_id: int
    code: str
    name: str
    owner_name: str | None
    owner_slack_user_id: str | None
    as_of: date
    # Per-currency totals and aging buckets, never summed across currencies.
    aging: AgingSummary
    # The open invoices with the largest open balance, largest first, at most LARGEST_OPEN_LIMIT.
    largest_open: tuple[OpenDocument, ...]
    last_activity: RecentActivity | None
    # The first day reminders resume (see bot.pauses), or None when reminders are not paused.
    paused_until: date | None = None


def load_customer_overview(session: Session, customer_id: int, as_of: date, zone: ZoneInfo) -> CustomerOverview | None:
    """Read a customer's balances, aging, largest open invoices and last activity, or None if it does not exist."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None

    owner = customer.owner
    return CustomerOverview(
        customer_id=customer.id,
        code=customer.code,
        name=customer.name,
        owner_name=owner.display_name if owner else None,
        owner_slack_user_id=owner.slack_user_id if owner else None,
        as_of=as_of,
        aging=aging_summary(session, as_of, customer_id=customer.id),
        largest_open=tuple(open_documents(
            session, as_of, customer_id=customer.id, order="largest", limit=LARGEST_OPEN_LIMIT,
        )),
        last_activity=_recent_activity(session, customer.id, zone),
        paused_until=customer.paused_until,
    )


def _recent_activity(session: Session, customer_id: int, zone: ZoneInfo) -> RecentActivity | None:
    activity = last_activity(session, customer_id)
    if activity is None:
        return None
    return RecentActivity(
        occurred_on=_as_aware(activity.occurred_at).astimezone(zone).date(),
        action=activity.action,
        actor=activity.actor,
    )


def _as_aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes, and the store writes them in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
