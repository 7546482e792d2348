"""The import report: counts per table read and per ledger table, and its plain-text rendering."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.i18n import N_, Translator
from bot.importer.fields import TableKind
from bot.importer.problems import Notice, Problem, render_problems
from bot.importer.writer import TABLES, TableCounts

TABLE_NAMES = {
    "owners": N_("owners"),
    "customers": N_("customers"),
    "invoices": N_("invoices"),
    "payments": N_("payments"),
}
DATE_ORDER_NAMES = {
    "MDY": N_("month first"),
    "DMY": N_("day first"),
}


@dataclass
class SourceReport:
    """One table read: a CSV file or one sheet of a workbook."""

    file: str
    sheet: str | None
    kind: TableKind
    encoding: str | None
    # (field, column header) pairs; a constant shows as its --set value.
    columns: list[tuple[str, str]]
    ignored: list[str]
    # Column header -> "MDY" or "DMY", for date columns whose values needed an order.
    date_orders: dict[str, str]
    rows_read: int
    blank_rows: int
    rows_rejected: int
    counts: dict[str, TableCounts] = field(default_factory=dict)
    import_batch_id: int | None = None

    @property
    def label(self) -> str:
        return self.file if self.sheet is None else f"{self.file} [{self.sheet}]"


@dataclass
class ImportReport:
    sources: list[SourceReport]
    totals: dict[str, TableCounts]
    notices: list[Notice]
    # The problems of rows skipped with skip_invalid.
    rejected: list[Problem]
    rejects_files: list[str]
    dry_run: bool

    def total(self, table: str) -> TableCounts:
        return self.totals.get(table, TableCounts())


def render_report(report: ImportReport, tr: Translator) -> str:
    """Render the report as plain text lines for the terminal."""
    lines: list[str] = []
    if report.dry_run:
        lines.append(tr.gettext("Dry run: nothing was written."))
    for source in report.sources:
        lines.extend(_source_lines(source, tr))
    for notice in report.notices:
        lines.append(tr.gettext("Note: %(notice)s") % {"notice": notice.render(tr)})
    lines.extend(_count_lines(report, tr))
    if report.rejected:
        lines.append(tr.ngettext(
            "%(count)s row was rejected:", "%(count)s rows were rejected:", _rejected_rows(report),
        ) % {"count": _rejected_rows(report)})
        lines.append(render_problems(report.rejected, tr))
    for path in report.rejects_files:
        lines.append(tr.gettext("Rejected rows were written to %(path)s.") % {"path": path})
    return "\n".join(lines)


def _source_lines(source: SourceReport, tr: Translator) -> list[str]:
    kind = tr.gettext(TABLE_NAMES[source.kind.value])
    lines = [
        tr.ngettext("%(file)s: %(kind)s, %(count)s row", "%(file)s: %(kind)s, %(count)s rows", source.rows_read)
        % {"file": source.label, "kind": kind, "count": tr.number(source.rows_read)}
    ]
    if source.encoding:
        lines.append("  " + tr.gettext("Encoding: %(encoding)s") % {"encoding": _encoding_name(source.encoding)})
    mapped = ", ".join(f"{name} = \"{column}\"" for name, column in source.columns)
    lines.append("  " + tr.gettext("Columns: %(columns)s") % {"columns": mapped})
    if source.ignored:
        ignored = ", ".join(f"\"{column}\"" for column in source.ignored)
        lines.append("  " + tr.gettext("Ignored columns: %(columns)s") % {"columns": ignored})
    for column, order in source.date_orders.items():
        lines.append("  " + tr.gettext("Dates in \"%(column)s\" are read %(order)s") % {
            "column": column, "order": tr.gettext(DATE_ORDER_NAMES[order]),
        })
    if source.blank_rows:
        lines.append("  " + tr.ngettext(
            "%(count)s blank row skipped", "%(count)s blank rows skipped", source.blank_rows,
        ) % {"count": source.blank_rows})
    return lines


def _encoding_name(codec: str) -> str:
    # utf-8-sig reads UTF-8 with or without a byte order mark; people know it as UTF-8.
    return "UTF-8" if codec == "utf-8-sig" else codec.upper()


def _count_lines(report: ImportReport, tr: Translator) -> list[str]:
    lines = []
    for table in TABLES:
        counts = report.total(table)
        if not (counts.created or counts.updated or counts.unchanged):
            continue
        lines.append(tr.gettext("%(table)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "table": tr.gettext(TABLE_NAMES[table]),
            "created": tr.number(counts.created),
            "updated": tr.number(counts.updated),
            "unchanged": tr.number(counts.unchanged),
        })
    if not lines:
        lines.append(tr.gettext("Nothing to import."))
    return lines


def _rejected_rows(report: ImportReport) -> int:
    return sum(source.rows_rejected for source in report.sources)
