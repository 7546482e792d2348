"""Validate one row of a customers, invoices or payments table into a record.

Every invalid cell of a row is reported, not just the first, so one run shows the user
everything to fix.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.i18n import N_
from bot.importer.amounts import ParsedAmount, parse_amount
from bot.importer.cells import RowCells
from bot.importer.fields import Field
from bot.importer.options import BlankBalance
from bot.importer.paid import PaidFigures, PaidSource, as_credit_note, figures_agree, reported_paid
from bot.importer.records import CustomerRecord, InvoiceRecord, PaymentRecord
from bot.importer.statuses import parse_document_type, parse_status
from bot.importer.values import (
    OwnerValue,
    normalize_customer_code,
    parse_currency,
    parse_email,
    parse_flag,
    parse_identifier,
    parse_name,
    parse_owner,
)
from bot.money import AmountPrecisionError, to_stored
from bot.store.models import DocumentKind, DocumentStatus

MISSING_INVOICE_NUMBER = N_("the invoice number is blank; every invoice needs one")
MISSING_CUSTOMER = N_("the customer code and name are both blank; fill one of them")
MISSING_AMOUNT = N_("the amount is blank; every invoice needs one")
MISSING_CURRENCY = N_(
    "the currency is blank and ARREARS_DEFAULT_CURRENCY is not set; fill the cell, "
    "pass --set currency=CODE, or set ARREARS_DEFAULT_CURRENCY"
)
MISSING_PAYMENT_AMOUNT = N_("the payment amount is blank; every payment needs one")
MISSING_PAYMENT_DATE = N_("the payment date is blank; every payment needs one")
MISSING_PAYMENT_REFERENCE = N_("the payment reference is blank; every payment needs one when the file has the column")
MISSING_PAYMENT_TARGET = N_("the payment names neither an invoice nor a customer; fill one of them")
TOO_PRECISE = N_("more than 4 decimal places; round the amount to at most 4")
CURRENCY_CONFLICT = N_("the amount is written in %(written)s but the row's currency is %(currency)s")
FIGURES_DISAGREE = N_(
    "amount %(amount)s minus paid %(paid)s is not the balance %(balance)s; correct one of the three cells"
)
NOT_A_CREDIT_NOTE = N_("only a credit note can apply to another invoice; clear the cell or mark the row as a credit note")

# Notices: rows that a stated rule handled, listed in the report.
NOTICE_WHOLE_AMOUNT_OPEN = N_(
    "rows with a blank balance and no paid amount, settled date or paid status were imported with their whole "
    "amount open; pass --blank-balance draft to keep such rows as drafts instead"
)
NOTICE_KEPT_AS_DRAFT = N_(
    "rows with a blank balance and no paid amount, settled date or paid status were kept as drafts "
    "(--blank-balance draft), which are never aged or chased"
)
NOTICE_STATUS_PAID_BUT_OPEN = N_("rows with a paid status leave an amount open by their figures; the figures were used")
NOTICE_PAID_FROM_COLUMN = N_("rows with a blank balance took their paid amount from the paid column")

_PAYMENT_METHOD_LIMIT = 64


def read_customer_row(cells: RowCells) -> CustomerRecord | None:
    """Validate a row of a customers table; None when the row has problems."""
    code, name = _customer_identity(cells)
    owner = _owner(cells)
    if cells.problems or code is None:
        return None

    return CustomerRecord(
        code=code,
        name=name,
        owner=owner,
        owner_stated=cells.has(Field.OWNER) or cells.has(Field.OWNER_EMAIL),
        source=cells.context.source,
        row=cells.number,
    )


def read_invoice_row(cells: RowCells, blank_balance: BlankBalance) -> InvoiceRecord | None:
    """Validate a row of an invoices table; None when the row has problems."""
    number = cells.parse(Field.INVOICE_NUMBER, parse_identifier)
    code, name = _customer_identity(cells)
    owner = _owner(cells)
    currency = _currency(cells, required=True)
    amount = _amount(cells, Field.AMOUNT, currency)
    paid = _amount(cells, Field.PAID, currency)
    balance = _amount(cells, Field.BALANCE, currency)
    issue_date = cells.parse_date(Field.INVOICE_DATE)
    due_date = cells.parse_date(Field.DUE_DATE)
    settled_on = cells.parse_date(Field.SETTLED_DATE)
    state = cells.parse(Field.STATUS, lambda value: parse_status(value, cells.context.status_words))
    disputed = cells.parse(Field.DISPUTED, parse_flag)
    document_type = cells.parse(Field.DOCUMENT_TYPE, parse_document_type)
    applies_to = cells.parse(Field.APPLIES_TO, parse_identifier)

    if number is None and not _has_problem_on(cells, Field.INVOICE_NUMBER):
        cells.add_problem(Field.INVOICE_NUMBER, MISSING_INVOICE_NUMBER)
    if amount is None and not _has_problem_on(cells, Field.AMOUNT):
        cells.add_problem(Field.AMOUNT, MISSING_AMOUNT)
    if cells.problems or amount is None:
        return None

    kind = DocumentKind.INVOICE
    if document_type == DocumentKind.CREDIT_NOTE or amount < 0:
        kind = DocumentKind.CREDIT_NOTE
        amount, paid, balance = as_credit_note(amount), as_credit_note(paid), as_credit_note(balance)

    figures = PaidFigures(
        amount=amount,
        paid=paid,
        balance=balance,
        settled=settled_on is not None,
        status_says_paid=bool(state and state.fully_paid),
    )
    if not figures_agree(figures):
        cells.add_problem(Field.BALANCE, FIGURES_DISAGREE, amount=amount, paid=paid, balance=balance)
    paid_amount, paid_source = reported_paid(figures)

    status = state.status if state else None
    status = _apply_blank_balance(cells, blank_balance, status, paid_source)
    _note_paid_rules(cells, figures, paid_amount, paid_source, status)

    # A blank due date is allowed: the document counts in the totals under "No due date" and is never chased.
    if applies_to is not None and kind != DocumentKind.CREDIT_NOTE:
        cells.add_problem(Field.APPLIES_TO, NOT_A_CREDIT_NOTE)
    if cells.problems or number is None or code is None:
        return None

    return InvoiceRecord(
        number=number,
        kind=kind,
        customer_code=code,
        customer_name=name,
        owner=owner,
        owner_stated=cells.has(Field.OWNER) or cells.has(Field.OWNER_EMAIL),
        currency=currency,
        amount_units=to_stored(amount),
        reported_paid_units=to_stored(paid_amount),
        issue_date=issue_date,
        issue_date_stated=cells.has(Field.INVOICE_DATE),
        due_date=due_date,
        settled_on=settled_on,
        status=status,
        disputed=disputed,
        applies_to=applies_to,
        source=cells.context.source,
        row=cells.number,
    )


def read_payment_row(cells: RowCells) -> PaymentRecord | None:
    """Validate a row of a payments table; None when the row has problems.

    A file without a reference column gets references generated later, from the
    invoice, date, amount and occurrence, so the reference here is "" in that case.
    """
    reference = cells.parse(Field.PAYMENT_REFERENCE, parse_identifier)
    invoice_number = cells.parse(Field.INVOICE_NUMBER, parse_identifier)
    code, _name = _customer_identity(cells, required=False)
    currency = _currency(cells, required=False)
    amount = _amount(cells, Field.PAYMENT_AMOUNT, currency)
    paid_on = cells.parse_date(Field.PAYMENT_DATE)
    method = cells.parse(Field.PAYMENT_METHOD, parse_name)

    if cells.has(Field.PAYMENT_REFERENCE) and reference is None and not _has_problem_on(cells, Field.PAYMENT_REFERENCE):
        cells.add_problem(Field.PAYMENT_REFERENCE, MISSING_PAYMENT_REFERENCE)
    if amount is None and not _has_problem_on(cells, Field.PAYMENT_AMOUNT):
        cells.add_problem(Field.PAYMENT_AMOUNT, MISSING_PAYMENT_AMOUNT)
    if paid_on is None and not _has_problem_on(cells, Field.PAYMENT_DATE):
        cells.add_problem(Field.PAYMENT_DATE, MISSING_PAYMENT_DATE)
    if invoice_number is None and code is None and not cells.problems:
        cells.add_problem(None, MISSING_PAYMENT_TARGET)
    if cells.problems or amount is None or paid_on is None:
        return None

    return PaymentRecord(
        reference=reference or "",
        invoice_number=invoice_number,
        customer_code=code,
        currency=currency,
        amount_units=to_stored(amount),
        paid_on=paid_on,
        method=method[:_PAYMENT_METHOD_LIMIT] if method else None,
        source=cells.context.source,
        row=cells.number,
    )


def _customer_identity(cells: RowCells, required: bool = True) -> tuple[str | None, str | None]:
    code = cells.parse(Field.CUSTOMER_CODE, parse_identifier)
    name = cells.parse(Field.CUSTOMER_NAME, parse_name)
    if _has_problem_on(cells, Field.CUSTOMER_CODE) or _has_problem_on(cells, Field.CUSTOMER_NAME):
        return None, None
    if code is None and name is not None:
        code = normalize_customer_code(name)
    if code is None and required:
        target = Field.CUSTOMER_CODE if cells.has(Field.CUSTOMER_CODE) else Field.CUSTOMER_NAME
        cells.add_problem(target, MISSING_CUSTOMER)
    return code, name


def _owner(cells: RowCells) -> OwnerValue | None:
    owner = cells.parse(Field.OWNER, parse_owner)
    email = cells.parse(Field.OWNER_EMAIL, parse_email)
    if email is None:
        return owner
    if owner is None:
        return OwnerValue(key=email, email=email, slack_user_id=None)
    return replace(owner, email=email)


def _currency(cells: RowCells, required: bool) -> str | None:
    currency = cells.parse(Field.CURRENCY, parse_currency)
    if currency is not None or _has_problem_on(cells, Field.CURRENCY):
        return currency
    if cells.context.default_currency is not None or not required:
        return cells.context.default_currency
    cells.add_problem(Field.CURRENCY if cells.has(Field.CURRENCY) else None, MISSING_CURRENCY)
    return None


def _amount(cells: RowCells, target: Field, currency: str | None) -> Decimal | None:
    parsed: ParsedAmount | None = cells.parse(target, parse_amount)
    if parsed is None:
        return None
    if parsed.currency is not None and currency is not None and parsed.currency != currency:
        cells.add_problem(target, CURRENCY_CONFLICT, written=parsed.currency, currency=currency)
        return None
    try:
        to_stored(parsed.value)
    except AmountPrecisionError:
        cells.add_problem(target, TOO_PRECISE)
        return None
    return parsed.value


def _apply_blank_balance(
    cells: RowCells, blank_balance: BlankBalance, status: str | None, paid_source: PaidSource
) -> str | None:
    """Keep a row as a draft when its balance is blank and nothing else states a payment."""
    if not cells.has(Field.BALANCE) or paid_source is not PaidSource.NOTHING:
        return status
    if status in (DocumentStatus.VOID, DocumentStatus.DRAFT):
        return status
    if blank_balance is BlankBalance.DRAFT:
        cells.context.note(NOTICE_KEPT_AS_DRAFT, cells.number)
        return DocumentStatus.DRAFT
    cells.context.note(NOTICE_WHOLE_AMOUNT_OPEN, cells.number)
    return status


def _note_paid_rules(
    cells: RowCells, figures: PaidFigures, paid_amount: Decimal, paid_source: PaidSource, status: str | None
) -> None:
    if cells.has(Field.BALANCE) and paid_source is PaidSource.PAID:
        cells.context.note(NOTICE_PAID_FROM_COLUMN, cells.number)
    if figures.status_says_paid and paid_amount != figures.amount and status == DocumentStatus.OPEN:
        cells.context.note(NOTICE_STATUS_PAID_BUT_OPEN, cells.number)


def _has_problem_on(cells: RowCells, target: Field) -> bool:
    if not cells.has(target):
        return False
    column, _value = cells.locate(target)
    return any(problem.column == column and problem.row == cells.number for problem in cells.problems)

