"""`arrears export`: write recorded activity to a spreadsheet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.config import SUPPORTED_LOCALES
from bot.exports.activity import read_activity, write_activity
from bot.i18n import get_translator


@main.group("export")
def export_group() -> None:
    """Export recorded data."""


@export_group.command("activity")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First local day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last local day, YYYY-MM-DD.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write; .xlsx writes Excel, anything else CSV. Default: activity-FROM-TO.csv.")
@click.option("--locale", type=click.Choice(SUPPORTED_LOCALES), default=None,
              help="Language of headers and action names. Default: ARREARS_DEFAULT_LOCALE.")
@pass_cli
def export_activity(cli: CliContext, start: datetime, end: datetime, output: Path | None, locale: str | None) -> None:
    """Write the activity log between two local dates (inclusive) as CSV or XLSX."""
    tr = get_translator(locale) if locale else cli.translator
    if end < start:
        raise click.UsageError(tr.gettext("--to must not be before --from."))
    output = output or Path(f"activity-{start:%Y-%m-%d}-{end:%Y-%m-%d}.csv")
    if not output.resolve().parent.is_dir():
        raise click.UsageError(tr.gettext("The folder of %(path)s does not exist; create it or choose another --output.")
                               % {"path": output})

    zone = cli.settings.zone
    with cli.services.sessions() as session:
        count = write_activity(read_activity(session, start.date(), end.date(), zone), output, tr, zone)

    click.echo(tr.ngettext("Wrote %(count)s activity entry to %(path)s.",
                           "Wrote %(count)s activity entries to %(path)s.", count) % {"count": count, "path": output})
