"""Keys that appear more than once in one import: each occurrence is an error.

No occurrence is preferred over another, because the import cannot know which one is right.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from bot.i18n import N_
from bot.importer.fields import Field
from bot.importer.parsed import ParsedTable

DUPLICATE_CUSTOMER = N_("customer code %(key)s appears more than once (also on row %(others)s); keep one row per customer")
DUPLICATE_INVOICE = N_("invoice number %(key)s appears more than once (also on row %(others)s); keep one row per invoice")
DUPLICATE_PAYMENT = N_(
    "payment reference %(key)s appears more than once (also on row %(others)s); keep one row per payment"
)

# Longest generated payment reference before it is shortened to a hash.
_REFERENCE_LIMIT = 255


def check_duplicates(tables: list[ParsedTable]) -> None:
    """Reject every row whose customer code, invoice number or payment reference repeats."""
    _reject_repeats(tables, "customers", lambda record: record.code, Field.CUSTOMER_CODE, DUPLICATE_CUSTOMER)
    _reject_repeats(tables, "invoices", lambda record: record.number, Field.INVOICE_NUMBER, DUPLICATE_INVOICE)
    _reject_repeats(
        tables, "payments", lambda record: record.reference or None, Field.PAYMENT_REFERENCE, DUPLICATE_PAYMENT
    )


def assign_payment_references(table: ParsedTable) -> None:
    """Give payments of a file without a reference column a reference derived from their content.

    The reference is the invoice (or customer), date and amount, plus the occurrence of
    that combination in the file, so re-importing the same file produces the same references.
    """
    seen: dict[tuple, int] = defaultdict(int)
    for record in table.payments:
        if record.reference:
            continue
        target = f"invoice:{record.invoice_number}" if record.invoice_number else f"customer:{record.customer_code}"
        key = (target, record.paid_on, record.amount_units)
        seen[key] += 1
        reference = f"auto:{target}:{record.paid_on.isoformat()}:{record.amount_units}:{seen[key]}"
        if len(reference) > _REFERENCE_LIMIT:
            reference = "auto:" + hashlib.sha256(reference.encode()).hexdigest()
        record.reference = reference


def _reject_repeats(tables, attribute, key_of, target: Field, message: str) -> None:
    occurrences: dict[str, list[tuple[ParsedTable, object]]] = defaultdict(list)
    for table in tables:
        for record in getattr(table, attribute):
            key = key_of(record)
            if key is not None:
                occurrences[key].append((table, record))

    for key, places in occurrences.items():
        if len(places) < 2:
            continue
        for table, record in places:
            others = ", ".join(
                _place(other_table, other_record, table)
                for other_table, other_record in places
                if other_record is not record
            )
            table.reject(table.problem_at(record.row, target, key, message, key=key, others=others))


def _place(table: ParsedTable, record, seen_from: ParsedTable) -> str:
    if table is seen_from:
        return str(record.row)
    return f"{table.label}:{record.row}"
