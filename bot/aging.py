"""Aging buckets: how far past its due date an open document is, in calendar days.

Plain functions with no Slack or database in them. The store buckets documents in SQL
with `bucket_date_bounds`, which turns the day limits below into due-date limits, so the
query needs no dialect-specific date arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.i18n import N_


class Bucket(StrEnum):
    """An aging bucket, in display order."""

    NOT_DUE = "not_due"
    DAYS_1_30 = "days_1_30"
    DAYS_31_60 = "days_31_60"
    DAYS_61_90 = "days_61_90"
    OVER_90 = "over_90"
    NO_DUE_DATE = "no_due_date"

    @property
    def label(self) -> str:
        """The untranslated label; show it with `tr.gettext(bucket.label)`."""
        return BUCKET_LABELS[self]

    @property
    def overdue(self) -> bool:
        return self in OVERDUE_BUCKETS


BUCKET_LABELS = {
    Bucket.NOT_DUE: N_("Not due"),
    Bucket.DAYS_1_30: N_("1-30 days"),
    Bucket.DAYS_31_60: N_("31-60 days"),
    Bucket.DAYS_61_90: N_("61-90 days"),
    Bucket.OVER_90: N_("Over 90 days"),
    Bucket.NO_DUE_DATE: N_("No due date"),
}

# Days past due covered by each overdue bucket, both ends inclusive; None means no upper limit.
OVERDUE_DAY_RANGES: tuple[tuple[Bucket, int, int | None], ...] = (
    (Bucket.DAYS_1_30, 1, 30),
    (Bucket.DAYS_31_60, 31, 60),
    (Bucket.DAYS_61_90, 61, 90),
    (Bucket.OVER_90, 91, None),
)

OVERDUE_BUCKETS = frozenset(bucket for bucket, _, _ in OVERDUE_DAY_RANGES)


def days_past_due(due: date | None, as_of: date) -> int | None:
    """Return the calendar days from the due date to `as_of`, or None without a due date.

    The result is zero or negative while the document is not due yet; the due date
    itself is day 0, which is not due.
    """
    if due is None:
        return None
    return (as_of - due).days


def bucket_for(days: int | None) -> Bucket:
    """Return the aging bucket for a number of days past due (None: no due date)."""
    if days is None:
        return Bucket.NO_DUE_DATE
    if days <= 0:
        return Bucket.NOT_DUE
    for bucket, first_day, last_day in OVERDUE_DAY_RANGES:
        if days >= first_day and (last_day is None or days <= last_day):
            return bucket
    raise AssertionError(f"days past due {days} matched no bucket")


@dataclass(frozen=True)
class DueDateRange:
    """The due dates that fall in one bucket as of some date; None leaves that end open."""

    bucket: Bucket
    earliest_due: date | None
    latest_due: date | None

    def contains(self, due: date) -> bool:
        if self.earliest_due is not None and due < self.earliest_due:
            return False
        if self.latest_due is not None and due > self.latest_due:
            return False
        return True


def bucket_date_bounds(as_of: date) -> tuple[DueDateRange, ...]:
    """Return the due-date range of every bucket except NO_DUE_DATE, in display order.

    A document with due date `d` is `(as_of - d).days` past due, so the bucket of
    days [first, last] contains the due dates [as_of - last, as_of - first].
    """
    ranges = [DueDateRange(Bucket.NOT_DUE, earliest_due=as_of, latest_due=None)]
    for bucket, first_day, last_day in OVERDUE_DAY_RANGES:
        earliest = None if last_day is None else as_of - timedelta(days=last_day)
        ranges.append(DueDateRange(bucket, earliest_due=earliest, latest_due=as_of - timedelta(days=first_day)))
    return tuple(ranges)
