from datetime import date, timedelta

import pytest

from bot.aging import BUCKET_LABELS, Bucket, bucket_date_bounds, bucket_for, days_past_due

AS_OF = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (None, Bucket.NO_DUE_DATE), (-30, Bucket.NOT_DUE), (0, Bucket.NOT_DUE),
        (1, Bucket.DAYS_1_30), (30, Bucket.DAYS_1_30), (31, Bucket.DAYS_31_60), (60, Bucket.DAYS_31_60),
        (61, Bucket.DAYS_61_90), (90, Bucket.DAYS_61_90), (91, Bucket.OVER_90), (10_000, Bucket.OVER_90),
    ],
)
def test_aging_bucket_boundaries(days, bucket):
    assert bucket_for(days) == bucket


def test_days_past_due_calendar_days():
    assert days_past_due(date(2026, 2, 28), AS_OF) == 16
    assert days_past_due(AS_OF, AS_OF) == 0
    assert days_past_due(date(2026, 3, 20), AS_OF) == -4
    assert days_past_due(None, AS_OF) is None


def test_bucket_order_and_labels():
    assert list(Bucket) == [
        Bucket.NOT_DUE, Bucket.DAYS_1_30, Bucket.DAYS_31_60, Bucket.DAYS_61_90, Bucket.OVER_90, Bucket.NO_DUE_DATE,
    ]
    assert Bucket.NOT_DUE.label == "Not due"
    assert Bucket.OVER_90.label == "Over 90 days"
    assert set(BUCKET_LABELS) == set(Bucket)


def test_bucket_date_bounds_agree_with_bucket_for():
    ranges = bucket_date_bounds(AS_OF)
    assert [due_range.bucket for due_range in ranges] == list(Bucket)[:-1]
    for days in range(-40, 200):
        due = AS_OF - timedelta(days=days)
        matching = [due_range.bucket for due_range in ranges if due_range.contains(due)]
        assert matching == [bucket_for(days)], days


def test_overdue_buckets():
    assert [bucket for bucket in Bucket if bucket.overdue] == [
        Bucket.DAYS_1_30, Bucket.DAYS_31_60, Bucket.DAYS_61_90, Bucket.OVER_90,
    ]
