"""`arrears remind`: send (or preview) today's reminder cards to invoice owners."""

from __future__ import annotations

from datetime import datetime

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.config import ConfigError
from bot.i18n import Translator
from bot.jobs.reminders import DeliveryOutcome, ReminderRunResult, run_reminders


@main.command("remind")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the balances and days past due are taken on, YYYY-MM-DD. "
                   "Default: today in ARREARS_TIMEZONE.")
@click.option("--dry-run", is_flag=True,
              help="Print each card and where it would go instead of sending it; nothing is written or sent.")
@pass_cli
def remind_command(cli: CliContext, as_of: datetime | None, dry_run: bool) -> None:
    """Send each owner one card per customer with overdue invoices, at most once per date."""
    tr = cli.translator
    try:
        if not dry_run:
            cli.settings.require_slack()
        result = run_reminders(cli.services, as_of=as_of.date() if as_of else None, dry_run=dry_run, echo=click.echo)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error

    click.echo(_summary(result, tr))
    failed = result.count(DeliveryOutcome.FAILED) + result.count(DeliveryOutcome.UNDELIVERABLE)
    if failed and not dry_run:
        raise click.ClickException(tr.ngettext(
            "%(count)s reminder card was not delivered; the log lists the owner, customer and error.",
            "%(count)s reminder cards were not delivered; the log lists the owner, customer and error.",
            failed,
        ) % {"count": failed})


def _summary(result: ReminderRunResult, tr: Translator) -> str:
    values = {outcome.value: result.count(outcome) for outcome in DeliveryOutcome}
    values["date"] = tr.date(result.as_of)
    if result.dry_run:
        return tr.gettext(
            "Dry run for %(date)s: %(would_send)s cards would be sent, %(already_claimed)s already sent, "
            "%(undeliverable)s undeliverable. Nothing was sent or written."
        ) % values
    return tr.gettext(
        "Reminders for %(date)s: %(sent)s sent, %(already_claimed)s already sent or in progress, "
        "%(skipped)s skipped because nothing was left to chase, %(failed)s failed, %(undeliverable)s undeliverable."
    ) % values
