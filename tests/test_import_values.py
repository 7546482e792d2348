from datetime import datetime
from decimal import Decimal

import pytest

from bot.importer.paid import PaidFigures, PaidSource, as_credit_note, figures_agree, reported_paid
from bot.importer.problems import InvalidValue
from bot.importer.statuses import (
    UNKNOWN_STATUS,
    StatusMeaning,
    parse_document_type,
    parse_status,
)
from bot.importer.values import (
    normalize_customer_code,
    parse_currency,
    parse_flag,
    parse_identifier,
    parse_name,
    parse_owner,
)
from bot.store.models import DocumentKind, DocumentStatus


def test_identifier_keeps_leading_zeros():
    assert parse_identifier("0000611365") == "0000611365"
    assert parse_identifier(" 0000611365 ") == "0000611365"


def test_identifier_from_excel_number():
    assert parse_identifier(611365.0) == "611365"
    assert parse_identifier(7619716138) == "7619716138"
    assert parse_identifier(12.5) == "12.5"
    assert parse_identifier("") is None


def test_identifier_rejects_date_cells():
    with pytest.raises(InvalidValue):
        parse_identifier(datetime(2020, 1, 2))


def test_name_collapses_spaces():
    assert parse_name("  WAL-MAR   llc ") == "WAL-MAR llc"
    assert normalize_customer_code("  ACME   Trading  Co ") == "ACME Trading Co"


@pytest.mark.parametrize("value, expected", [
    ("Yes", True), ("no", False), ("1", True), ("0", False), (1, True), (0, False),
    ("TRUE", True), ("false", False), ("是", True), ("否", False), (True, True), (None, None), ("", None),
])
def test_flag_values(value, expected):
    assert parse_flag(value) is expected


def test_flag_invalid():
    with pytest.raises(InvalidValue):
        parse_flag("maybe")


@pytest.mark.parametrize("value, expected", [
    ("usd", "USD"), ("CNY", "CNY"), ("人民币", "CNY"), ("RMB", "CNY"), ("美元", "USD"), (None, None), ("", None),
])
def test_currency_values(value, expected):
    assert parse_currency(value) == expected


def test_currency_unknown():
    with pytest.raises(InvalidValue):
        parse_currency("XYZ")


def test_owner_email_and_slack_id():
    by_email = parse_owner("li.lei@example.com")
    assert by_email.key == "li.lei@example.com"
    assert by_email.email == "li.lei@example.com"
    assert by_email.slack_user_id is None

    by_slack = parse_owner("U0123ABCD")
    assert by_slack.slack_user_id == "U0123ABCD"
    assert by_slack.email is None

    by_name = parse_owner("WANG")
    assert by_name.key == "WANG"
    assert by_name.slack_user_id is None
    assert parse_owner("  ") is None


@pytest.mark.parametrize("word, status, fully_paid", [
    ("Paid", DocumentStatus.OPEN, True),
    ("settled", DocumentStatus.OPEN, True),
    ("Closed", DocumentStatus.OPEN, True),
    ("已核销", DocumentStatus.OPEN, True),
    ("已结清", DocumentStatus.OPEN, True),
    ("Partial", DocumentStatus.OPEN, False),
    ("部分核销", DocumentStatus.OPEN, False),
    ("open", DocumentStatus.OPEN, False),
    ("Confirmed", DocumentStatus.OPEN, False),
    ("已确认", DocumentStatus.OPEN, False),
    ("未核销", DocumentStatus.OPEN, False),
    ("Void", DocumentStatus.VOID, False),
    ("cancelled", DocumentStatus.VOID, False),
    ("作废", DocumentStatus.VOID, False),
    ("已作废", DocumentStatus.VOID, False),
    ("draft", DocumentStatus.DRAFT, False),
    ("Unconfirmed", DocumentStatus.DRAFT, False),
    ("未确认", DocumentStatus.DRAFT, False),
])
def test_status_words(word, status, fully_paid):
    state = parse_status(word, {})
    assert state.status == status
    assert state.fully_paid is fully_paid


def test_status_extra_words_and_unknown():
    assert parse_status("4", {"4": StatusMeaning.VOID}).status == DocumentStatus.VOID
    assert parse_status(4.0, {"4": StatusMeaning.VOID}).status == DocumentStatus.VOID
    with pytest.raises(InvalidValue) as error:
        parse_status("4", {})
    assert error.value.message == UNKNOWN_STATUS
    assert error.value.params == {"value": "4"}


def test_document_types():
    assert parse_document_type("Credit Note") == DocumentKind.CREDIT_NOTE
    assert parse_document_type("红字") == DocumentKind.CREDIT_NOTE
    assert parse_document_type("贷项") == DocumentKind.CREDIT_NOTE
    assert parse_document_type("Invoice") == DocumentKind.INVOICE
    assert parse_document_type(None) is None
    with pytest.raises(InvalidValue):
        parse_document_type("receipt")


def _figures(amount, paid=None, balance=None, settled=False, status_says_paid=False):
    return PaidFigures(
        Decimal(amount),
        None if paid is None else Decimal(paid),
        None if balance is None else Decimal(balance),
        settled,
        status_says_paid,
    )


def test_reported_paid_rules_in_order():
    assert reported_paid(_figures("100", paid="10", balance="30")) == (Decimal("70"), PaidSource.BALANCE)
    assert reported_paid(_figures("100", paid="10")) == (Decimal("10"), PaidSource.PAID)
    assert reported_paid(_figures("100", settled=True)) == (Decimal("100"), PaidSource.SETTLED_DATE)
    assert reported_paid(_figures("100", status_says_paid=True)) == (Decimal("100"), PaidSource.STATUS)
    assert reported_paid(_figures("100")) == (Decimal("0"), PaidSource.NOTHING)


def test_figures_agree():
    assert figures_agree(_figures("100", paid="40", balance="60"))
    assert not figures_agree(_figures("100", paid="40", balance="50"))
    assert figures_agree(_figures("100", balance="50"))


def test_credit_note_sign():
    assert as_credit_note(Decimal("50")) == Decimal("-50")
    assert as_credit_note(Decimal("-50")) == Decimal("-50")
    assert as_credit_note(None) is None
