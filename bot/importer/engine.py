"""Import receivables from CSV and Excel files into the ledger, all or nothing.

The steps:
1. Open and map every file.
2. Scan each table once to decide the date order of its date columns.
3. Read and validate every row, then reject duplicate keys and broken references.
4. In one transaction, upsert owners, customers, invoices and payments, record an
   ImportBatch and an activity per table, and write the rejects file.

Any problem before step 4 stops the import with ImportFailed. With skip_invalid, only
the invalid rows are left out instead.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Callable, ContextManager, Iterator, Protocol

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.i18n import N_, get_translator
from bot.importer.batches import finish_batches, start_batches
from bot.importer.cells import RowCells, TableContext
from bot.importer.duplicates import assign_payment_references, check_duplicates
from bot.importer.fields import TableKind
from bot.importer.headers import column_label
from bot.importer.merge import merge_tables
from bot.importer.options import ImportOptions
from bot.importer.parsed import ParsedTable
from bot.importer.problems import ImportFailed, Notice, Problem
from bot.importer.readers.base import is_blank_row
from bot.importer.references import resolve_references
from bot.importer.rejects import reject_paths, write_rejects
from bot.importer.report import ImportReport, SourceReport
from bot.importer.rows import read_customer_row, read_invoice_row, read_payment_row
from bot.importer.scan import scan_table
from bot.importer.sources import MappedTable, map_sources
from bot.importer.statuses import status_word_table
from bot.importer.writer import LedgerWriter, TableCounts
from bot.services import Services
from bot.store.db import transaction

log = logging.getLogger(__name__)

NO_FILES = N_("no files to import; name at least one CSV or Excel file")
REJECTS_REQUIRED = N_("--skip-invalid needs --rejects FILE.csv, so that no rejected row is lost")

# Progress is reported every this many rows.
PROGRESS_STEP = 500


class Progress(Protocol):
    def update(self, steps: int) -> None: ...


# Called with a label and a row count; returns a context manager whose value takes update() calls.
ProgressFactory = Callable[[str, int], ContextManager[Progress]]


def import_files(
    services: Services,
    paths: list[Path],
    options: ImportOptions,
    progress: ProgressFactory | None = None,
) -> ImportReport:
    """Import the files into the ledger and return what was done; raise ImportFailed on any problem."""
    _check_options(paths, options)
    log.info("import started: %s; dry run %s", ", ".join(str(path) for path in paths), options.dry_run)
    default_currency = services.settings.default_currency
    sources, problems = map_sources(paths, options, default_currency)
    if problems:
        raise ImportFailed(problems)

    tables = _scan(sources, options)
    _raise_scan_problems(tables)
    for table in tables:
        _read_rows(table, options, default_currency, progress)
    for table in tables:
        assign_payment_references(table)
    check_duplicates(tables)

    with _session(services, options.dry_run) as session:
        resolve_references(session, tables, default_currency)
        rejected = [problem for table in tables for problem in table.problems()]
        if rejected and not options.skip_invalid:
            raise ImportFailed(rejected)
        return _write(services, session, tables, rejected, options)


def _check_options(paths: list[Path], options: ImportOptions) -> None:
    if not paths:
        raise ImportFailed([Problem(NO_FILES)])
    if options.skip_invalid and options.rejects_path is None:
        raise ImportFailed([Problem(REJECTS_REQUIRED)])


def _scan(sources: list[MappedTable], options: ImportOptions) -> list[ParsedTable]:
    tables = []
    for index, source in enumerate(sources):
        scan = scan_table(source.table, source.mapping, options.date_order)
        tables.append(ParsedTable(index, source.table, source.mapping, scan))
    return tables


def _raise_scan_problems(tables: list[ParsedTable]) -> None:
    problems = [problem for table in tables for problem in table.scan.problems]
    if problems:
        raise ImportFailed(problems)


def _read_rows(table: ParsedTable, options: ImportOptions, default_currency: str | None, progress) -> None:
    context = TableContext(
        source=table.index,
        label=table.label,
        mapping=table.mapping,
        date_orders=table.scan.date_orders,
        status_words=status_word_table(options.status_values),
        default_currency=default_currency,
    )
    label = get_translator(options.locale).gettext("Checking %(file)s") % {"file": table.label}
    bar_context = progress(label, table.scan.rows + table.scan.blank_rows) if progress else nullcontext(None)
    with bar_context as bar:
        for count, (number, cells) in enumerate(table.table.rows(), start=1):
            if bar is not None and count % PROGRESS_STEP == 0:
                bar.update(PROGRESS_STEP)
            if is_blank_row(cells):
                continue
            _read_row(table, context, RowCells(context, number, cells), options)
    table.notice_rows = context.notice_rows


def _read_row(table: ParsedTable, context: TableContext, cells: RowCells, options: ImportOptions) -> None:
    kind = table.kind
    if kind is TableKind.CUSTOMERS:
        record = read_customer_row(cells)
        target = table.customers
    elif kind is TableKind.INVOICES:
        record = read_invoice_row(cells, options.blank_balance)
        target = table.invoices
    else:
        record = read_payment_row(cells)
        target = table.payments

    if cells.problems:
        table.rejected[cells.number] = cells.problems
    elif record is not None:
        target.append(record)


@contextmanager
def _session(services: Services, dry_run: bool) -> Iterator[Session]:
    """Open one transaction for the import; a dry run rolls back whatever it read."""
    if not dry_run:
        with transaction(services.sessions) as session:
            yield session
        return
    with services.sessions() as session:
        try:
            yield session
        finally:
            session.rollback()


def _refresh_statistics(session: Session) -> None:
    """Update PostgreSQL's planner statistics for the ledger after a bulk load.

    Autovacuum analyzes a grown table only some time later. Until then the planner
    believes the tables are as small as before the import and picks nested loops, which
    made a 100,000-row re-import about three times slower than the first import.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE owner, customer, invoice, payment"))


def _write(
    services: Services, session: Session, tables: list[ParsedTable], rejected: list[Problem], options: ImportOptions
) -> ImportReport:
    for table in tables:
        table.drop_rejected()
    merged = merge_tables(tables)
    now = services.clock.now()

    batches = {} if options.dry_run else start_batches(session, tables, now)
    writer = LedgerWriter(
        session,
        now,
        batch_ids={index: batch.id for index, batch in batches.items()},
        source_files={table.index: table.label for table in tables},
        dry_run=options.dry_run,
    )
    counts = writer.write(merged)
    if not options.dry_run:
        finish_batches(session, tables, batches, counts, now, options.actor)
        _refresh_statistics(session)

    rejects_files = []
    if options.rejects_path is not None and not options.dry_run:
        translator = get_translator(options.locale)
        for index, path in reject_paths(tables, options.rejects_path).items():
            write_rejects(tables[index], path, translator)
            rejects_files.append(str(path))

    report = _report(tables, counts, batches, merged.notices, rejected, rejects_files, options.dry_run)
    log.info(
        "import finished: %s; batches %s; dry run %s",
        ", ".join(f"{table.label} ({table.kind.value}, {table.scan.rows} rows)" for table in tables),
        [batch.id for batch in batches.values()],
        options.dry_run,
    )
    return report


def _report(tables, counts, batches, merge_notices, rejected, rejects_files, dry_run) -> ImportReport:
    sources = []
    totals: dict[str, TableCounts] = {}
    notices: list[Notice] = []
    for table in tables:
        table_counts = {name: value for (index, name), value in counts.items() if index == table.index}
        for name, value in table_counts.items():
            totals.setdefault(name, TableCounts()).add(value)
        notices.extend(Notice(message, table.label, tuple(rows)) for message, rows in table.notice_rows.items())
        sources.append(_source_report(table, table_counts, batches.get(table.index)))
    notices.extend(merge_notices)
    return ImportReport(sources, totals, notices, rejected, rejects_files, dry_run)


def _source_report(table: ParsedTable, counts: dict[str, TableCounts], batch) -> SourceReport:
    mapping = table.mapping
    columns = [(target.value, mapping.label(target)) for target in mapping.columns]
    columns += [(target.value, f"--set {value}") for target, value in mapping.constants.items()]
    dated = sorted(
        (mapping.columns[target], order) for target, order in table.scan.date_orders.items()
        if order is not None and target in mapping.columns
    )
    date_orders = {column_label(mapping.header, index): order.value for index, order in dated}
    return SourceReport(
        file=str(table.table.path),
        sheet=table.table.sheet,
        kind=table.kind,
        encoding=table.table.encoding,
        columns=columns,
        ignored=[column_label(mapping.header, index) for index in mapping.ignored],
        date_orders=date_orders,
        rows_read=table.scan.rows,
        blank_rows=table.scan.blank_rows,
        rows_rejected=len(table.rejected),
        counts=counts,
        import_batch_id=batch.id if batch is not None else None,
    )
