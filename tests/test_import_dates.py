from datetime import date, datetime

import pytest

from bot.importer.dates import (
    IMPOSSIBLE_DATE,
    INVALID_DATE,
    MISSING_YEAR,
    NUMBER_NOT_DATE,
    DateOrder,
    DateOrderEvidence,
    parse_date,
)
from bot.importer.problems import InvalidValue


@pytest.mark.parametrize("text, expected", [
    ("2024-03-31", date(2024, 3, 31)),
    ("2024-3-5", date(2024, 3, 5)),
    ("2024/03/31", date(2024, 3, 31)),
    ("2024.03.31", date(2024, 3, 31)),
    ("2024年3月31日", date(2024, 3, 31)),
    ("2024 年 3 月 31 日", date(2024, 3, 31)),
    ("20240331", date(2024, 3, 31)),
    ("2020-01-05 00:00:00", date(2020, 1, 5)),
    ("２０２４－０３－３１", date(2024, 3, 31)),
    ("  2024-03-31  ", date(2024, 3, 31)),
])
def test_parse_date_unambiguous_forms(text, expected):
    assert parse_date(text, None) == expected


def test_parse_date_year_last_with_order():
    assert parse_date("3/4/2020", DateOrder.MDY) == date(2020, 3, 4)
    assert parse_date("3/4/2020", DateOrder.DMY) == date(2020, 4, 3)
    assert parse_date("03-04-2020", DateOrder.DMY) == date(2020, 4, 3)
    assert parse_date("30-03-2020", DateOrder.DMY) == date(2020, 3, 30)


def test_parse_date_year_last_unambiguous():
    assert parse_date("13/2/2020", None) == date(2020, 2, 13)
    assert parse_date("2/13/2020", None) == date(2020, 2, 13)
    assert parse_date("5/5/2020", None) == date(2020, 5, 5)


def test_parse_date_order_rejects_contradicting_value():
    with pytest.raises(InvalidValue) as error:
        parse_date("13/2/2020", DateOrder.MDY)
    assert error.value.message == IMPOSSIBLE_DATE


@pytest.mark.parametrize("text", ["05-23", "5/23", "5月23日"])
def test_parse_date_without_year_is_invalid(text):
    with pytest.raises(InvalidValue) as error:
        parse_date(text, None)
    assert error.value.message == MISSING_YEAR


@pytest.mark.parametrize("text", ["tomorrow", "2024-13-01", "1/2-2020", "31/31/2020", "2/30/2020"])
def test_parse_date_invalid_text(text):
    with pytest.raises(InvalidValue) as error:
        parse_date(text, DateOrder.MDY)
    assert error.value.message in (INVALID_DATE, IMPOSSIBLE_DATE)


def test_parse_date_cells():
    assert parse_date(datetime(2021, 2, 1, 0, 0), None) == date(2021, 2, 1)
    assert parse_date(date(2021, 2, 1), None) == date(2021, 2, 1)
    assert parse_date(20190531, None) == date(2019, 5, 31)
    assert parse_date(None, None) is None
    assert parse_date("   ", None) is None


def test_parse_date_rejects_plain_numbers():
    with pytest.raises(InvalidValue) as error:
        parse_date(43600.0, None)
    assert error.value.message == NUMBER_NOT_DATE


def test_date_evidence_day_first():
    evidence = DateOrderEvidence()
    for row, value in enumerate(["1/2/2020", "3/4/2020", "13/2/2020"], start=2):
        evidence.add(row, value)
    assert evidence.day_first == (4, "13/2/2020")
    assert evidence.month_first is None
    assert evidence.ambiguous == (2, "1/2/2020")


def test_date_evidence_month_first_and_mixed():
    evidence = DateOrderEvidence()
    evidence.add(2, "2/13/2020")
    evidence.add(3, "13/2/2020")
    assert evidence.month_first == (2, "2/13/2020")
    assert evidence.day_first == (3, "13/2/2020")


def test_date_evidence_ignores_unambiguous_values():
    evidence = DateOrderEvidence()
    for value in ["2020-01-02", "5/5/2020", datetime(2020, 1, 2), None]:
        evidence.add(2, value)
    assert evidence.ambiguous is None
    assert evidence.day_first is None
    assert evidence.month_first is None
