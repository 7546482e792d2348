"""The fields an import can fill, and the kinds of table a file can contain."""

from __future__ import annotations

from enum import Enum


class Field(str, Enum):
    """A field of the receivables ledger that a column of an export can feed.

    The values are the names used on the command line (`--map due_date=COLUMN`).
    """

    CUSTOMER_NAME = "customer_name"
    CUSTOMER_CODE = "customer_code"
    INVOICE_NUMBER = "invoice_number"
    INVOICE_DATE = "invoice_date"
    DUE_DATE = "due_date"
    AMOUNT = "amount"
    PAID = "paid"
    BALANCE = "balance"
    CURRENCY = "currency"
    OWNER = "owner"
    OWNER_EMAIL = "owner_email"
    SETTLED_DATE = "settled_date"
    STATUS = "status"
    DISPUTED = "disputed"
    DOCUMENT_TYPE = "document_type"
    APPLIES_TO = "applies_to"
    PAYMENT_REFERENCE = "payment_reference"
    PAYMENT_DATE = "payment_date"
    PAYMENT_AMOUNT = "payment_amount"
    PAYMENT_METHOD = "payment_method"


class TableKind(str, Enum):
    """The kind of table in one file or sheet. Imports write the kinds in this order."""

    CUSTOMERS = "customers"
    INVOICES = "invoices"
    PAYMENTS = "payments"


# The order in which tables are written, so that every reference points at a row that exists.
KIND_ORDER = {TableKind.CUSTOMERS: 0, TableKind.INVOICES: 1, TableKind.PAYMENTS: 2}

DATE_FIELDS = frozenset({Field.INVOICE_DATE, Field.DUE_DATE, Field.SETTLED_DATE, Field.PAYMENT_DATE})

# Fields that each kind of table uses; a mapped column feeding any other field is reported as ignored.
FIELDS_BY_KIND = {
    TableKind.CUSTOMERS: frozenset({Field.CUSTOMER_CODE, Field.CUSTOMER_NAME, Field.OWNER, Field.OWNER_EMAIL}),
    TableKind.INVOICES: frozenset(Field) - {
        Field.PAYMENT_REFERENCE, Field.PAYMENT_DATE, Field.PAYMENT_AMOUNT, Field.PAYMENT_METHOD,
    },
    TableKind.PAYMENTS: frozenset({
        Field.PAYMENT_REFERENCE, Field.PAYMENT_DATE, Field.PAYMENT_AMOUNT, Field.PAYMENT_METHOD,
        Field.INVOICE_NUMBER, Field.CUSTOMER_CODE, Field.CUSTOMER_NAME, Field.CURRENCY,
    }),
}

# In a payments table, a plain "amount" or "date" column is the payment's own amount or date.
PAYMENT_ALIASES = {
    Field.AMOUNT: Field.PAYMENT_AMOUNT,
    Field.SETTLED_DATE: Field.PAYMENT_DATE,
    Field.INVOICE_DATE: Field.PAYMENT_DATE,
}
