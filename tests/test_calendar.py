from datetime import date

import pytest

from bot.workdays import SUNDAY, UnknownCountryError, WorkdayCalendar


@pytest.fixture(scope="module")
def china():
    return WorkdayCalendar(country="CN", language="en_US")


def test_saturday_is_not_working_day():
    calendar = WorkdayCalendar()

    assert date(2026, 3, 14).weekday() == 5
    assert not calendar.is_working_day(date(2026, 3, 14))
    assert calendar.is_working_day(date(2026, 3, 13))


def test_china_national_day_week_is_closed(china):
    for day in range(1, 9):
        assert not china.is_working_day(date(2025, 10, day)), f"2025-10-{day:02d}"
    assert china.holiday_name(date(2025, 10, 1)) == "National Day"
    assert china.is_working_day(date(2025, 10, 9))


def test_china_makeup_sunday_is_working_day(china):
    sunday = date(2025, 9, 28)

    assert sunday.weekday() == SUNDAY
    assert china.is_working_day(sunday)
    assert china.is_makeup_working_day(sunday)


def test_china_makeup_saturday_after_national_day(china):
    assert china.is_working_day(date(2025, 10, 11))
    assert not china.is_working_day(date(2025, 10, 12))


def test_new_year_is_closed():
    for calendar in (WorkdayCalendar(country="CN"), WorkdayCalendar(country="US")):
        assert not calendar.is_working_day(date(2026, 1, 1))
        assert calendar.is_working_day(date(2025, 12, 31))


def test_december_makeup_day_for_january_holiday():
    # China's 2002 New Year holiday was paid for with Saturday 2001-12-29, a year earlier.
    calendar = WorkdayCalendar(country="CN")

    assert calendar.is_working_day(date(2001, 12, 29))


def test_next_working_day_keeps_working_day(china):
    assert china.next_working_day(date(2025, 9, 30)) == date(2025, 9, 30)


def test_next_working_day_skips_holiday_week(china):
    assert china.next_working_day(date(2025, 10, 1)) == date(2025, 10, 9)
    assert china.next_working_day(date(2025, 9, 27)) == date(2025, 9, 28)


def test_add_working_days_across_holidays(china):
    # Friday 2025-09-26, then Sun 28 (make-up), Mon 29, Tue 30, closed to Oct 8, Thu 9, Fri 10.
    assert china.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert china.add_working_days(date(2025, 9, 26), 5) == date(2025, 10, 10)
    assert china.add_working_days(date(2025, 10, 10), -5) == date(2025, 9, 26)
    assert china.add_working_days(date(2025, 10, 4), 0) == date(2025, 10, 4)


def test_working_days_between_counts_end_not_start(china):
    assert china.working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5
    assert china.working_days_between(date(2025, 10, 10), date(2025, 9, 26)) == -5
    assert china.working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0


def test_working_days_between_inverts_add(china):
    start = date(2025, 9, 20)
    for count in range(0, 30):
        assert china.working_days_between(start, china.add_working_days(start, count)) == count


def test_local_dates_override_country():
    calendar = WorkdayCalendar(
        country="CN",
        closed_dates=[date(2026, 3, 16)],
        working_dates=[date(2026, 3, 14), date(2026, 1, 1)],
    )

    assert not calendar.is_working_day(date(2026, 3, 16))
    assert calendar.is_working_day(date(2026, 3, 14))
    assert calendar.is_makeup_working_day(date(2026, 3, 14))
    assert calendar.is_working_day(date(2026, 1, 1))


def test_custom_weekend():
    calendar = WorkdayCalendar(weekend={4, 5})

    assert not calendar.is_working_day(date(2026, 3, 13))
    assert calendar.is_working_day(date(2026, 3, 15))


def test_calendar_lists_closures_and_makeup_days(china):
    closures = china.non_working_days(date(2025, 9, 26))
    first = [next(closures) for _ in range(4)]

    assert first == [date(2025, 9, 27), date(2025, 10, 1), date(2025, 10, 2), date(2025, 10, 3)]
    assert china.makeup_working_days(date(2025, 9, 1), date(2025, 10, 31)) == [date(2025, 9, 28), date(2025, 10, 11)]


def test_unknown_country_rejected():
    with pytest.raises(UnknownCountryError, match="XX"):
        WorkdayCalendar(country="XX")


def test_week_without_working_day_rejected():
    with pytest.raises(ValueError, match="seven days"):
        WorkdayCalendar(weekend=range(7))
