"""Validated rows, ready to be compared with the ledger and written.

Each record remembers the table (`source`, an index into the import's tables) and row it
came from. `None` in an optional attribute means "the file does not say", which leaves
the stored value as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.importer.values import OwnerValue


@dataclass(slots=True)
class OwnerRecord:
    key: str
    email: str | None
    slack_user_id: str | None
    source: int


@dataclass(slots=True)
class CustomerRecord:
    code: str
    name: str | None
    # From a customers table with an owner column (owner_stated, where None means "no owner"),
    # or the first invoice's owner for a customer that only invoices name.
    owner: OwnerValue | None
    owner_stated: bool
    source: int
    row: int


@dataclass(slots=True)
class InvoiceRecord:
    number: str
    kind: str
    customer_code: str
    customer_name: str | None
    owner: OwnerValue | None
    owner_stated: bool
    currency: str
    amount_units: int
    reported_paid_units: int
    issue_date: date | None
    issue_date_stated: bool
    due_date: date | None
    settled_on: date | None
    status: str | None
    disputed: bool | None
    applies_to: str | None
    source: int
    row: int


@dataclass(slots=True)
class PaymentRecord:
    reference: str
    invoice_number: str | None
    customer_code: str | None
    # None when the file states no currency; the invoice's currency then applies.
    currency: str | None
    amount_units: int
    paid_on: date
    method: str | None
    source: int
    row: int
