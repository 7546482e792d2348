"""Export of the activity log as CSV or XLSX, with headers and action names in the reader's language."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from bot.activity_labels import action_label
from bot.exports.spreadsheet_safety import neutralize_formula
from bot.i18n import N_, Translator
from bot.store.models import Activity, Customer, Invoice, Owner

COLUMNS = (
    N_("Time"),
    N_("Actor"),
    N_("Action"),
    N_("Customer code"),
    N_("Customer"),
    N_("Invoice"),
    N_("Owner"),
    N_("Channel"),
    N_("Message ts"),
    N_("Details"),
)


@dataclass(frozen=True)
class ActivityRow:
    occurred_at: datetime
    actor: str
    action: str
    customer_code: str | None
    customer_name: str | None
    invoice_number: str | None
    owner_name: str | None
    channel: str | None
    message_ts: str | None
    details: dict | None


def read_activity(session: Session, start: date, end: date, zone: ZoneInfo) -> Iterator[ActivityRow]:
    """Yield activity from local midnight of `start` up to the end of local day `end`, oldest first."""
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    owner = aliased(Owner)
    query = (
        select(Activity, Customer.code, Customer.name, Invoice.number, owner.display_name)
        .outerjoin(Customer, Customer.id == Activity.customer_id)
        .outerjoin(Invoice, Invoice.id == Activity.invoice_id)
        .outerjoin(owner, owner.id == Activity.owner_id)
        .where(Activity.occurred_at >= since, Activity.occurred_at < until)
        .order_by(Activity.occurred_at, Activity.id)
        .execution_options(yield_per=1000)
    )
    for activity, code, name, number, owner_name in session.execute(query):
        yield ActivityRow(
            occurred_at=activity.occurred_at, actor=activity.actor, action=activity.action,
            customer_code=code, customer_name=name, invoice_number=number, owner_name=owner_name,
            channel=activity.channel, message_ts=activity.message_ts, details=activity.details,
        )


def _cells(row: ActivityRow, tr: Translator, zone: ZoneInfo) -> list[str]:
    occurred_at = row.occurred_at
    if occurred_at.tzinfo is None:
        # SQLite returns naive datetimes; they were stored in UTC.
        occurred_at = occurred_at.replace(tzinfo=ZoneInfo("UTC"))
    texts = [
        occurred_at.astimezone(zone).isoformat(timespec="seconds"),
        row.actor,
        action_label(tr, row.action),
        row.customer_code or "",
        row.customer_name or "",
        row.invoice_number or "",
        row.owner_name or "",
        row.channel or "",
        row.message_ts or "",
        json.dumps(row.details, ensure_ascii=False, sort_keys=True) if row.details else "",
    ]
    return [neutralize_formula(text) for text in texts]


def write_activity(rows: Iterator[ActivityRow], path: Path, tr: Translator, zone: ZoneInfo) -> int:
    """Write rows to `path` as CSV or XLSX, chosen by its suffix; return the number of rows written."""
    header = [tr.gettext(column) for column in COLUMNS]
    if path.suffix.lower() == ".xlsx":
        return _write_xlsx(rows, path, header, tr, zone)
    return _write_csv(rows, path, header, tr, zone)


def _write_csv(rows: Iterator[ActivityRow], path: Path, header: list[str], tr: Translator, zone: ZoneInfo) -> int:
    count = 0
    # utf-8-sig, because Excel on Chinese Windows reads a CSV without a BOM as GBK.
    with path.open("w", encoding="utf-8-sig", newline="") as output:
        writer = csv.writer(output)
        writer.writerow(header)
        for row in rows:
            writer.writerow(_cells(row, tr, zone))
            count += 1
    return count


def _write_xlsx(rows: Iterator[ActivityRow], path: Path, header: list[str], tr: Translator, zone: ZoneInfo) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(tr.gettext("Activity"))
    sheet.append(header)
    count = 0
    for row in rows:
        # Every cell is written as a string, so openpyxl never stores one as a formula.
        sheet.append(_cells(row, tr, zone))
        count += 1
    workbook.save(path)
    return count
