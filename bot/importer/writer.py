"""Write merged records into the ledger as bulk upserts keyed on the source system's keys.

Each table is compared with the stored rows, loaded in a few batched queries (see
existing.py). It is then written with executemany INSERTs and UPDATEs by primary key in
batches, never a query per row. A record counts as created, updated (some stated value differs)
or unchanged. Values a file does not state are left as they are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from bot.importer.existing import (
    chunks,
    existing_customers,
    existing_invoices,
    existing_owners,
    existing_payments,
    ids_by_key,
)
from bot.importer.merge import MergedImport
from bot.importer.records import CustomerRecord, InvoiceRecord, OwnerRecord, PaymentRecord
from bot.store.models import Customer, DocumentStatus, Invoice, Owner, OwnerRole, Payment
from bot.store.search_text import customer_search_text

log = logging.getLogger(__name__)

# Rows per executemany statement, to keep parameter lists and memory bounded.
WRITE_BATCH = 1000
TABLES = ("owners", "customers", "invoices", "payments")


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def written(self) -> int:
        return self.created + self.updated

    def add(self, other: "TableCounts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


class LedgerWriter:
    """Upserts one import. With `dry_run`, it compares and counts but writes nothing."""

    def __init__(
        self,
        session: Session,
        now: datetime,
        batch_ids: dict[int, int | None],
        source_files: dict[int, str],
        dry_run: bool,
    ) -> None:
        self.session = session
        self.now = now
        self.batch_ids = batch_ids
        self.source_files = source_files
        self.dry_run = dry_run
        # Counts by (table index, ledger table name).
        self.counts: dict[tuple[int, str], TableCounts] = {}

    def write(self, merged: MergedImport) -> dict[tuple[int, str], TableCounts]:
        owner_ids = self._write_owners(merged.owners.values())
        customer_ids = self._write_customers(merged.customers.values(), owner_ids)
        self._write_invoices(merged.invoices, customer_ids, owner_ids)
        self._write_payments(merged.payments)
        return self.counts

    def _count(self, source: int, table: str, outcome: str) -> None:
        counts = self.counts.setdefault((source, table), TableCounts())
        setattr(counts, outcome, getattr(counts, outcome) + 1)

    def _write_owners(self, records: Iterable[OwnerRecord]) -> dict[str, int]:
        records = list(records)
        existing = existing_owners(self.session, (record.key for record in records))
        creates, updates = [], []
        for record in records:
            stored = existing.get(record.key)
            if stored is None:
                creates.append({
                    "key": record.key, "display_name": record.key, "email": record.email,
                    "slack_user_id": record.slack_user_id, "role": OwnerRole.SALES,
                    "created_at": self.now, "updated_at": self.now,
                })
                self._count(record.source, "owners", "created")
                continue
            changes = {}
            if record.email and record.email != stored.email:
                changes["email"] = record.email
            if record.slack_user_id and record.slack_user_id != stored.slack_user_id:
                changes["slack_user_id"] = record.slack_user_id
            self._plan_update(updates, stored.id, changes, record.source, "owners")

        self._execute(Owner, creates, updates)
        return self._ids(Owner.key, (record.key for record in records))

    def _write_customers(self, records: Iterable[CustomerRecord], owner_ids: dict[str, int]) -> dict[str, int]:
        records = list(records)
        existing = existing_customers(self.session, (record.code for record in records))
        creates, updates = [], []
        for record in records:
            owner_key = record.owner.key if record.owner else None
            stored = existing.get(record.code)
            if stored is None:
                name = record.name or record.code
                creates.append({
                    "code": record.code, "name": name, "search_text": customer_search_text(record.code, name),
                    "owner_id": owner_ids.get(owner_key) if owner_key else None,
                    "created_at": self.now, "updated_at": self.now,
                })
                self._count(record.source, "customers", "created")
                continue
            changes = {}
            if record.name is not None and record.name != stored.name:
                changes["name"] = record.name
                # A bulk UPDATE skips the ORM listener that keeps search_text in step with the name.
                changes["search_text"] = customer_search_text(record.code, record.name)
            if record.owner_stated and owner_key != stored.owner_key:
                changes["owner_id"] = owner_ids.get(owner_key) if owner_key else None
            elif owner_key and stored.owner_key is None:
                changes["owner_id"] = owner_ids.get(owner_key)
            self._plan_update(updates, stored.id, changes, record.source, "customers")

        self._execute(Customer, creates, updates)
        return self._ids(Customer.code, (record.code for record in records))

    def _write_invoices(
        self, records: list[InvoiceRecord], customer_ids: dict[str, int], owner_ids: dict[str, int]
    ) -> None:
        existing = existing_invoices(self.session, (record.number for record in records))
        creates, updates, credit_links = [], [], []
        for record in records:
            stated = _stated_invoice_values(record)
            stored = existing.get(record.number)
            if stored is None:
                values = {"status": DocumentStatus.OPEN, "disputed": False, "issue_date": None, "owner_key": None}
                values.update(stated)
                creates.append(self._invoice_row(record, values, customer_ids, owner_ids) | {
                    "number": record.number, "dunning_level": 0, "created_at": self.now,
                })
                self._count(record.source, "invoices", "created")
            else:
                changes = {name: value for name, value in stated.items() if getattr(stored, name) != value}
                if changes:
                    updates.append(self._invoice_row(record, changes, customer_ids, owner_ids) | {"id": stored.id})
                self._count(record.source, "invoices", "updated" if changes else "unchanged")
            if "applies_to" in stated and (stored is None or stored.applies_to != record.applies_to):
                credit_links.append(record)

        self._execute(Invoice, creates, updates)
        self._link_credit_notes(credit_links)

    def _invoice_row(self, record: InvoiceRecord, values: dict, customer_ids, owner_ids) -> dict:
        """Turn natural-key values into columns, and stamp where the row came from."""
        row = dict(values)
        row.pop("applies_to", None)
        if "customer_code" in row:
            row["customer_id"] = customer_ids.get(row.pop("customer_code"))
        if "owner_key" in row:
            owner_key = row.pop("owner_key")
            row["owner_id"] = owner_ids.get(owner_key) if owner_key else None
        row.update({
            "source_file": self.source_files[record.source][:500],
            "source_row": record.row,
            "import_batch_id": self.batch_ids.get(record.source),
            "updated_at": self.now,
        })
        return row

    def _link_credit_notes(self, records: list[InvoiceRecord]) -> None:
        if self.dry_run or not records:
            return
        numbers = {record.number for record in records} | {record.applies_to for record in records}
        ids = ids_by_key(self.session, Invoice.number, numbers)
        links = [{"id": ids[record.number], "applies_to_id": ids[record.applies_to]} for record in records]
        for batch in chunks(links, WRITE_BATCH):
            self.session.execute(update(Invoice), batch)

    def _write_payments(self, records: list[PaymentRecord]) -> None:
        existing = existing_payments(self.session, (record.reference for record in records))
        invoice_ids = self._ids(Invoice.number, (r.invoice_number for r in records if r.invoice_number))
        customer_ids = self._ids(Customer.code, (r.customer_code for r in records))
        creates, updates = [], []
        for record in records:
            stated = {
                "invoice_number": record.invoice_number, "customer_code": record.customer_code,
                "currency": record.currency, "amount_units": record.amount_units, "paid_on": record.paid_on,
            }
            if record.method is not None:
                stated["method"] = record.method
            stored = existing.get(record.reference)
            if stored is None:
                creates.append(self._payment_row(record, stated, invoice_ids, customer_ids) | {
                    "reference": record.reference, "created_at": self.now,
                })
                self._count(record.source, "payments", "created")
                continue
            changes = {name: value for name, value in stated.items() if getattr(stored, name) != value}
            if changes:
                updates.append(self._payment_row(record, changes, invoice_ids, customer_ids) | {"id": stored.id})
            self._count(record.source, "payments", "updated" if changes else "unchanged")

        self._execute(Payment, creates, updates)

    def _payment_row(self, record: PaymentRecord, values: dict, invoice_ids, customer_ids) -> dict:
        row = dict(values)
        if "invoice_number" in row:
            number = row.pop("invoice_number")
            row["invoice_id"] = invoice_ids.get(number) if number else None
        if "customer_code" in row:
            row["customer_id"] = customer_ids.get(row.pop("customer_code"))
        row["import_batch_id"] = self.batch_ids.get(record.source)
        return row

    def _plan_update(self, updates: list, row_id: int, changes: dict, source: int, table: str) -> None:
        if changes:
            updates.append({"id": row_id, "updated_at": self.now, **changes})
            self._count(source, table, "updated")
        else:
            self._count(source, table, "unchanged")

    def _execute(self, model, creates: list[dict], updates: list[dict]) -> None:
        if self.dry_run:
            return
        for batch in chunks(creates, WRITE_BATCH):
            self.session.execute(insert(model), batch)
        for batch in chunks(updates, WRITE_BATCH):
            self.session.execute(update(model), batch)
        log.debug("wrote %s: %d created, %d updated", model.__tablename__, len(creates), len(updates))

    def _ids(self, column, keys: Iterable[str]) -> dict[str, int]:
        if self.dry_run:
            return {}
        return ids_by_key(self.session, column, keys)


def _stated_invoice_values(record: InvoiceRecord) -> dict:
    """Return the invoice values the file states, by the names existing_invoices() uses."""
    values = {
        "kind": record.kind,
        "customer_code": record.customer_code,
        "currency": record.currency,
        "amount_units": record.amount_units,
        "reported_paid_units": record.reported_paid_units,
        "due_date": record.due_date,
        "settled_on": record.settled_on,
    }
    if record.owner_stated:
        values["owner_key"] = record.owner.key if record.owner else None
    if record.issue_date_stated:
        values["issue_date"] = record.issue_date
    if record.status is not None:
        values["status"] = record.status
    if record.disputed is not None:
        values["disputed"] = record.disputed
    if record.applies_to is not None:
        values["applies_to"] = record.applies_to
    return values
