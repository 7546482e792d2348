from decimal import Decimal

import pytest

from bot.importer.amounts import COMMA_DECIMAL, INVALID_AMOUNT, parse_amount
from bot.importer.problems import InvalidValue


@pytest.mark.parametrize("text, expected", [
    ("1234.56", "1234.56"),
    ("1,234.56", "1234.56"),
    ("1,234,567", "1234567"),
    ("$1,234.50", "1234.50"),
    ("¥1,200", "1200"),
    ("￥1，200.00", "1200.00"),
    ("€ 3.5", "3.5"),
    ("£7", "7"),
    ("1200元", "1200"),
    ("(12.50)", "-12.50"),
    ("12.50-", "-12.50"),
    ("-12.50", "-12.50"),
    ("−12.50", "-12.50"),
    ("-$5", "-5"),
    ("$-5", "-5"),
    ("１２３．４５", "123.45"),
    ("64982.589", "64982.589"),
    (".5", "0.5"),
    ("-", "0"),
])
def test_parse_amount_text(text, expected):
    assert parse_amount(text).value == Decimal(expected)


def test_parse_amount_currency_code():
    parsed = parse_amount("USD 1,200.00")
    assert parsed.value == Decimal("1200.00")
    assert parsed.currency == "USD"
    assert parse_amount("3 CNY").currency == "CNY"
    assert parse_amount("$3").currency is None


def test_parse_amount_cells():
    assert parse_amount(8639).value == Decimal(8639)
    assert parse_amount(7578.3).value == Decimal("7578.3")
    # Float noise beyond what Excel displays (15 significant digits) is dropped.
    assert parse_amount(64982.58900000001).value == Decimal("64982.589")
    assert parse_amount(Decimal("1.25")).value == Decimal("1.25")
    assert parse_amount(None) is None
    assert parse_amount("  ") is None


def test_parse_amount_comma_decimal_is_rejected():
    with pytest.raises(InvalidValue) as error:
        parse_amount("12,5")
    assert error.value.message == COMMA_DECIMAL


@pytest.mark.parametrize("text", ["abc", "1.2.3", "1e5", "12 34x"])
def test_parse_amount_invalid(text):
    with pytest.raises(InvalidValue) as error:
        parse_amount(text)
    assert error.value.message == INVALID_AMOUNT


def test_parse_amount_rejects_booleans():
    with pytest.raises(InvalidValue):
        parse_amount(True)
