"""Check what payments and credit notes refer to, against this import and the ledger.

A payment takes its customer and currency from its invoice when the file does not state
them, and must agree with the invoice when it does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.i18n import N_
from bot.importer.existing import chunks
from bot.importer.fields import Field
from bot.importer.parsed import ParsedTable
from bot.importer.rows import MISSING_CURRENCY
from bot.store.models import Customer, Invoice

UNKNOWN_INVOICE = N_(
    "invoice %(number)s is neither in this import nor in the ledger; import the invoice too, or correct the number"
)
UNKNOWN_CUSTOMER = N_(
    "customer %(code)s is neither in this import nor in the ledger; import the customer too, or correct the code"
)
CUSTOMER_MISMATCH = N_(
    "invoice %(number)s belongs to customer %(invoice_customer)s, not %(customer)s; correct the customer or the invoice"
)
CURRENCY_MISMATCH = N_(
    "the payment is in %(currency)s but invoice %(number)s is in %(invoice_currency)s; "
    "record the payment in the invoice's currency"
)
UNKNOWN_APPLIED_INVOICE = N_(
    "the credit note applies to invoice %(number)s, which is neither in this import nor in the ledger; "
    "import that invoice too, or correct the number"
)


@dataclass(frozen=True)
class InvoiceFacts:
    customer_code: str
    currency: str


def resolve_references(session: Session, tables: list[ParsedTable], default_currency: str | None) -> None:
    """Fill each payment's customer and currency from its invoice, and reject rows whose references fail."""
    imported = {
        record.number: InvoiceFacts(record.customer_code, record.currency)
        for table in tables
        for record in table.invoices
        if record.row not in table.rejected
    }
    wanted = {
        record.invoice_number
        for table in tables
        for record in table.payments
        if record.invoice_number and record.invoice_number not in imported
    } | {
        record.applies_to
        for table in tables
        for record in table.invoices
        if record.applies_to and record.applies_to not in imported
    }
    known_invoices = {**_stored_invoices(session, wanted), **imported}

    customer_codes = _imported_customer_codes(tables)
    wanted_customers = {
        record.customer_code
        for table in tables
        for record in table.payments
        if record.invoice_number is None and record.customer_code not in customer_codes
    }
    customer_codes |= _stored_customer_codes(session, wanted_customers)

    for table in tables:
        for record in table.invoices:
            if record.applies_to and record.applies_to not in known_invoices:
                table.reject(table.problem_at(
                    record.row, Field.APPLIES_TO, record.applies_to, UNKNOWN_APPLIED_INVOICE, number=record.applies_to,
                ))
        for record in table.payments:
            _resolve_payment(table, record, known_invoices, customer_codes, default_currency)


def _resolve_payment(table, record, known_invoices, customer_codes, default_currency) -> None:
    if record.invoice_number is None:
        if record.customer_code not in customer_codes:
            table.reject(table.problem_at(
                record.row, Field.CUSTOMER_CODE, record.customer_code, UNKNOWN_CUSTOMER, code=record.customer_code,
            ))
        record.currency = record.currency or default_currency
        if record.currency is None:
            table.reject(table.problem_at(record.row, Field.CURRENCY, None, MISSING_CURRENCY))
        return

    facts = known_invoices.get(record.invoice_number)
    if facts is None:
        table.reject(table.problem_at(
            record.row, Field.INVOICE_NUMBER, record.invoice_number, UNKNOWN_INVOICE, number=record.invoice_number,
        ))
        return

    if record.customer_code is not None and record.customer_code != facts.customer_code:
        table.reject(table.problem_at(
            record.row, Field.CUSTOMER_CODE, record.customer_code, CUSTOMER_MISMATCH,
            number=record.invoice_number, invoice_customer=facts.customer_code, customer=record.customer_code,
        ))
    if record.currency is not None and record.currency != facts.currency:
        table.reject(table.problem_at(
            record.row, Field.CURRENCY, record.currency, CURRENCY_MISMATCH,
            currency=record.currency, number=record.invoice_number, invoice_currency=facts.currency,
        ))
    record.customer_code = facts.customer_code
    record.currency = facts.currency


def _imported_customer_codes(tables: list[ParsedTable]) -> set[str]:
    codes = set()
    for table in tables:
        codes.update(record.code for record in table.customers if record.row not in table.rejected)
        codes.update(record.customer_code for record in table.invoices if record.row not in table.rejected)
    return codes


def _stored_invoices(session: Session, numbers: set[str]) -> dict[str, InvoiceFacts]:
    facts = {}
    for batch in chunks(sorted(numbers)):
        query = (
            select(Invoice.number, Customer.code, Invoice.currency)
            .join(Customer, Customer.id == Invoice.customer_id)
            .where(Invoice.number.in_(batch))
        )
        facts.update((number, InvoiceFacts(code, currency)) for number, code, currency in session.execute(query))
    return facts


def _stored_customer_codes(session: Session, codes: set[str]) -> set[str]:
    found = set()
    for batch in chunks(sorted(codes)):
        found.update(session.scalars(select(Customer.code).where(Customer.code.in_(batch))))
    return found
