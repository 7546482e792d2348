"""A working-day calendar: weekends, public holidays with make-up working days, and local exceptions.

Public holidays come from the `holidays` package. For countries that move working days
onto weekends (China's 调休), the package records those make-up days in its
`weekend_workdays` set, and this calendar treats them as working days.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

import holidays

log = logging.getLogger(__name__)

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
DEFAULT_WEEKEND = frozenset({SATURDAY, SUNDAY})

# Public holidays never close a weekday for ten years, so a search this long means that
# closed_dates closes nearly every day.
_MAX_SEARCH_DAYS = 3660


class NoWorkingDayError(ValueError):
    """Raised when a search for a working day finds none within ten years."""


class UnknownCountryError(ValueError):
    """Raised when the `holidays` package has no calendar for a country or subdivision."""


class WorkdayCalendar:
    """Decides which local dates are working days.

    The first matching rule wins:
    1. a date in `working_dates` is a working day;
    2. a date in `closed_dates` is not;
    3. a public holiday is not;
    4. a make-up working day of the country is;
    5. a weekend day is not;
    6. any other day is a working day.
    """

    def __init__(
        self,
        country: str | None = None,
        subdivision: str | None = None,
        weekend: Iterable[int] = DEFAULT_WEEKEND,
        closed_dates: Iterable[date] = (),
        working_dates: Iterable[date] = (),
        language: str | None = None,
    ) -> None:
        self.country = country
        self.subdivision = subdivision
        self.weekend = frozenset(weekend)
        self.closed_dates = frozenset(closed_dates)
        self.working_dates = frozenset(working_dates)
        if len(self.weekend) >= 7:
            raise ValueError("the weekend cannot contain all seven days")
        self._public = _load_public_holidays(country, subdivision, language)

    def is_working_day(self, day: date) -> bool:
        if day in self.working_dates:
            return True
        if day in self.closed_dates:
            return False
        if self.holiday_name(day) is not None:
            return False
        if self._is_country_makeup_day(day):
            return True
        return day.weekday() not in self.weekend

    def next_working_day(self, day: date) -> date:
        """Return `day` itself if it is a working day, else the first working day after it."""
        return self._step_to_working_day(day, +1)

    def add_working_days(self, day: date, count: int) -> date:
        """Return the date `count` working days after `day` (before it when `count` is negative).

        `day` itself is never counted, and a count of 0 returns `day` unchanged, so
        `working_days_between(day, add_working_days(day, n)) == n` for every n.
        """
        direction = 1 if count >= 0 else -1
        current = day
        for _ in range(abs(count)):
            current = self._step_to_working_day(current + timedelta(days=direction), direction)
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days after `start` up to and including `end`.

        The count is negative when `end` is before `start`, and 0 when they are equal.
        """
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for day in _dates(start + timedelta(days=1), end) if self.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        """Return the public holiday's name on `day`, or None (a local closed date is not a holiday)."""
        if self._public is None:
            return None
        return self._public.get(day)

    def is_makeup_working_day(self, day: date) -> bool:
        """Tell whether `day` is a weekend day that is nevertheless a working day."""
        return day.weekday() in self.weekend and self.is_working_day(day)

    def non_working_days(self, start: date) -> Iterator[date]:
        """Yield the non-working days from `start` on, in order, without end."""
        day = start
        while True:
            if not self.is_working_day(day):
                yield day
            day += timedelta(days=1)

    def makeup_working_days(self, start: date, end: date) -> list[date]:
        """List the make-up working days from `start` through `end`."""
        return [day for day in _dates(start, end) if self.is_makeup_working_day(day)]

    def _step_to_working_day(self, day: date, direction: int) -> date:
        current = day
        for _ in range(_MAX_SEARCH_DAYS):
            if self.is_working_day(current):
                return current
            current += timedelta(days=direction)
        raise NoWorkingDayError(f"no working day within {_MAX_SEARCH_DAYS} days of {day.isoformat()}")

    def _is_country_makeup_day(self, day: date) -> bool:
        if self._public is None:
            return False
        # A make-up day is recorded while the year of the holiday it pays for is loaded,
        # and a late-December make-up day can pay for a January holiday.
        self._load_year(day.year)
        self._load_year(day.year + 1)
        return day in self._public.weekend_workdays

    def _load_year(self, year: int) -> None:
        # With expand=True (the default), looking up any date loads that date's whole year.
        if self._public is not None and year not in self._public.years:
            self._public.get(date(year, 1, 1))


def _load_public_holidays(
    country: str | None,
    subdivision: str | None,
    language: str | None,
) -> holidays.HolidayBase | None:
    if not country:
        return None
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise UnknownCountryError(f"the holidays package has no calendar for country {country!r}")
    if subdivision and subdivision not in supported[country]:
        raise UnknownCountryError(
            f"the holidays package has no calendar for subdivision {subdivision!r} of {country}"
        )
    country_class = getattr(holidays, country)
    if language not in country_class.supported_languages:
        language = None
    return holidays.country_holidays(country, subdiv=subdivision or None, language=language)


def holidays_language(locale: str) -> str | None:
    """Map an arrears locale (`en`, `zh_CN`) to the language code the `holidays` package uses."""
    return {"en": "en_US", "zh_CN": "zh_CN"}.get(locale)


def _dates(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
