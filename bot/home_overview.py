"""The content of a user's App Home tab: their queue, promises to pay due soon, and promises broken lately."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from bot.my_queue import MyQueue, load_my_queue, overdue_amount
from bot.permissions import Role
from bot.policy import ReminderPolicy
from bot.store.user_promises import PromiseList, broken_promises_since, open_promises_due

# "Due this week": pay-by dates from today through the sixth day after it.
DUE_SOON_DAYS = 7
# Broken promises stay on the tab for this many days after they were broken.
BROKEN_WINDOW_DAYS = 30
MAX_PROMISES = 15


@dataclass(frozen=True)
class HomeOverview:
    as_of: date
    roles: frozenset[Role]
    # Ranked by overdue amount, held invoices included; the reminder policy decides what is held.
    queue: MyQueue
    promises_due: PromiseList
    # The last day counted as "this week".
    due_until: date
    broken_promises: PromiseList
    broken_since: date
    # ARREARS_DEFAULT_CURRENCY, listed before the other currencies.
    leading_currency: str | None


def load_home_overview(
    session: Session,
    slack_user_id: str,
    roles: frozenset[Role],
    as_of: date,
    leading_currency: str | None,
    policy: ReminderPolicy,
) -> HomeOverview:
    queue = load_my_queue(session, slack_user_id, as_of, amount_of=overdue_amount, leading_currency=leading_currency,
                          policy=policy)
    owner_ids = list(queue.owner_ids)
    due_before = as_of + timedelta(days=DUE_SOON_DAYS)
    broken_since = as_of - timedelta(days=BROKEN_WINDOW_DAYS)
    return HomeOverview(
        as_of=as_of,
        roles=roles,
        queue=queue,
        promises_due=open_promises_due(session, slack_user_id, owner_ids, due_before, MAX_PROMISES),
        due_until=due_before - timedelta(days=1),
        broken_promises=broken_promises_since(session, slack_user_id, owner_ids, broken_since, MAX_PROMISES),
        broken_since=broken_since,
        leading_currency=leading_currency,
    )
