"""`arrears import`: load receivables from CSV and Excel exports into the ledger."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.i18n import Translator
from bot.importer import (
    BlankBalance,
    DateOrder,
    Field,
    ImportFailed,
    ImportOptions,
    StatusMeaning,
    TableKind,
    import_files,
    render_report,
)
from bot.importer.problems import render_problems


@main.command("import", epilog="Field names for --map and --set: " + ", ".join(field.value for field in Field) + ".")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice([kind.value for kind in TableKind]),
              help="What every file contains; by default each file's kind is detected from its headers.")
@click.option("--sheet", "sheets", multiple=True, metavar="NAME",
              help="Excel sheet to read (repeatable); by default the first sheet whose headers map.")
@click.option("--encoding", metavar="CODEC",
              help="Text encoding of CSV files, such as gbk; by default UTF-8 (with or without BOM), then GB18030.")
@click.option("--map", "column_map", multiple=True, metavar="FIELD=COLUMN",
              help="Feed FIELD from COLUMN (header text or #N); repeatable, and a column may feed several fields.")
@click.option("--ignore", multiple=True, metavar="COLUMN",
              help="Drop the automatic mapping of COLUMN (repeatable); --map still applies.")
@click.option("--set", "constants", multiple=True, metavar="FIELD=VALUE",
              help="Use VALUE for FIELD on every row, such as --set currency=USD (repeatable).")
@click.option("--date-order", type=click.Choice([order.value for order in DateOrder], case_sensitive=False),
              help="Read dates such as 3/4/2024 month first (MDY) or day first (DMY).")
@click.option("--status-value", "status_values", multiple=True, metavar="VALUE[,VALUE]=MEANING",
              help="Read status VALUE as open, paid, void or draft, such as --status-value 4=void (repeatable).")
@click.option("--blank-balance", type=click.Choice([choice.value for choice in BlankBalance]),
              default=BlankBalance.DERIVE.value, show_default=True,
              help="For rows with a blank balance and no other payment figure: derive (whole amount open) or draft.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows and write the invalid ones to --rejects.")
@click.option("--rejects", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.csv",
              help="Where --skip-invalid writes the rejected rows, with an error column.")
@click.option("--dry-run", is_flag=True, help="Validate and count without writing anything.")
@pass_cli
def import_command(
    cli: CliContext,
    files: tuple[Path, ...],
    kind: str | None,
    sheets: tuple[str, ...],
    encoding: str | None,
    column_map: tuple[str, ...],
    ignore: tuple[str, ...],
    constants: tuple[str, ...],
    date_order: str | None,
    status_values: tuple[str, ...],
    blank_balance: str,
    skip_invalid: bool,
    rejects: Path | None,
    dry_run: bool,
) -> None:
    """Import customers, invoices and payments from CSV, XLSX or XLS FILES in one transaction."""
    tr = cli.translator
    options = ImportOptions(
        encoding=encoding,
        sheets=sheets,
        kind=TableKind(kind) if kind else None,
        column_map=tuple(_field_pairs(column_map, "--map", tr)),
        ignore=ignore,
        constants=tuple(_field_pairs(constants, "--set", tr)),
        date_order=DateOrder(date_order.upper()) if date_order else None,
        status_values=tuple(_status_pairs(status_values, tr)),
        blank_balance=BlankBalance(blank_balance),
        skip_invalid=skip_invalid,
        rejects_path=rejects,
        dry_run=dry_run,
        actor="cli",
        locale=tr.locale,
    )

    try:
        report = import_files(cli.services, list(files), options, progress=_progress_factory())
    except ImportFailed as failure:
        click.echo(tr.gettext("Import failed; nothing was written. Fix these problems and run the command again:"),
                   err=True)
        click.echo(render_problems(failure.problems, tr), err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(render_report(report, tr))


def _field_pairs(values: tuple[str, ...], option: str, tr: Translator) -> list[tuple[Field, str]]:
    pairs = []
    for value in values:
        name, separator, rest = value.partition("=")
        name = name.strip().lower()
        if not separator or name not in {field.value for field in Field}:
            raise click.UsageError(tr.gettext(
                "invalid %(option)s value \"%(value)s\"; use FIELD=COLUMN or FIELD=VALUE, where FIELD is one of: "
                "%(fields)s"
            ) % {"option": option, "value": value, "fields": ", ".join(field.value for field in Field)})
        pairs.append((Field(name), rest))
    return pairs


def _status_pairs(values: tuple[str, ...], tr: Translator) -> list[tuple[str, StatusMeaning]]:
    pairs = []
    meanings = {meaning.value for meaning in StatusMeaning}
    for value in values:
        words, separator, meaning = value.rpartition("=")
        meaning = meaning.strip().lower()
        if not separator or not words.strip() or meaning not in meanings:
            raise click.UsageError(tr.gettext(
                "invalid --status-value \"%(value)s\"; use VALUE=MEANING, where MEANING is open, paid, void or "
                "draft, such as --status-value 4=void or --status-value \"1,2=open\""
            ) % {"value": value})
        pairs.extend((word.strip(), StatusMeaning(meaning)) for word in words.split(",") if word.strip())
    return pairs


def _progress_factory():
    """Show a progress bar on stderr when it is a terminal, so piped output stays clean."""
    if not sys.stderr.isatty():
        return None

    def factory(label: str, length: int):
        return click.progressbar(length=length, label=label, file=sys.stderr)

    return factory
