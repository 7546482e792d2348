"""Collect the unique owners and customers that the valid rows of an import name.

A customers table is the authority on its customers. Invoice rows add the customers
they name that no customers table lists. When one code comes with several names, the
first name is kept and the report lists the other rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.i18n import N_
from bot.importer.parsed import ParsedTable
from bot.importer.problems import Notice
from bot.importer.records import CustomerRecord, InvoiceRecord, OwnerRecord, PaymentRecord
from bot.importer.values import OwnerValue

NOTICE_SEVERAL_NAMES = N_(
    "rows name a customer code with another customer name than an earlier row; the first name was kept"
)


@dataclass
class MergedImport:
    owners: dict[str, OwnerRecord] = field(default_factory=dict)
    customers: dict[str, CustomerRecord] = field(default_factory=dict)
    invoices: list[InvoiceRecord] = field(default_factory=list)
    payments: list[PaymentRecord] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def merge_tables(tables: list[ParsedTable]) -> MergedImport:
    """Merge the valid records of all tables; tables must already be in writing order."""
    merged = MergedImport()
    for table in tables:
        for record in table.customers:
            merged.customers[record.code] = record
            _add_owner(merged, record.owner, table.index)

    for table in tables:
        renamed_rows: list[int] = []
        for record in table.invoices:
            merged.invoices.append(record)
            _add_owner(merged, record.owner, table.index)
            if _add_invoice_customer(merged, record):
                renamed_rows.append(record.row)
        if renamed_rows:
            merged.notices.append(Notice(NOTICE_SEVERAL_NAMES, table.label, tuple(renamed_rows)))
        merged.payments.extend(table.payments)
    return merged


def _add_invoice_customer(merged: MergedImport, record: InvoiceRecord) -> bool:
    """Add the invoice's customer if new; return whether it names a known customer differently."""
    known = merged.customers.get(record.customer_code)
    if known is None:
        merged.customers[record.customer_code] = CustomerRecord(
            code=record.customer_code,
            name=record.customer_name,
            # The first invoice's owner becomes the customer's owner where the customer has none yet.
            # owner_stated stays False, so this never overrides an owner set by a customers file or in Slack.
            owner=record.owner,
            owner_stated=False,
            source=record.source,
            row=record.row,
        )
        return False
    if record.customer_name is None:
        return False
    if known.name is None:
        known.name = record.customer_name
        return False
    return known.name != record.customer_name


def _add_owner(merged: MergedImport, owner: OwnerValue | None, source: int) -> None:
    if owner is None:
        return
    known = merged.owners.get(owner.key)
    if known is None:
        merged.owners[owner.key] = OwnerRecord(owner.key, owner.email, owner.slack_user_id, source)
        return
    known.email = known.email or owner.email
    known.slack_user_id = known.slack_user_id or owner.slack_user_id
