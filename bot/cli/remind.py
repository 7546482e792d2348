"""`arrears remind`: send (or preview) today's reminder cards to invoice owners."""

from __future__ import annotations

from datetime import datetime

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.config import ConfigError
from bot.i18n import Translator
from bot.jobs.reminders import DeliveryOutcome, ReminderRunResult, run_reminders
from bot.policy import PolicyError
from bot.reminders.run_labels import describe_skips


@main.command("remind")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the balances and days past due are taken on, YYYY-MM-DD. "
                   "Default: today in ARREARS_TIMEZONE.")
@click.option("--dry-run", is_flag=True,
              help="Print each card, its decision and where it would go instead of sending it; "
                   "nothing is written or sent.")
@click.option("--force", is_flag=True,
              help="Send even on a day the reminder policy's calendar closes (a weekend or public holiday).")
@pass_cli
def remind_command(cli: CliContext, as_of: datetime | None, dry_run: bool, force: bool) -> None:
    """Send each owner one card per customer with invoices the reminder policy chases, at most once per date."""
    tr = cli.translator
    try:
        if not dry_run:
            cli.settings.require_slack()
        result = run_reminders(cli.services, as_of=as_of.date() if as_of else None, dry_run=dry_run,
                               echo=click.echo, force=force)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    except PolicyError as error:
        raise click.ClickException(error.render(tr)) from error

    if result.not_working_day:
        click.echo(_closed_day_line(result, tr))
    click.echo(_summary(result, tr))
    skips = describe_skips(result.skipped, tr)
    if skips:
        click.echo(skips)
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
            "%(undeliverable)s undeliverable, %(notice_only)s replaced by a level notice. Nothing was sent or written."
        ) % values
    return tr.gettext(
        "Reminders for %(date)s: %(sent)s sent, %(already_claimed)s already sent or in progress, "
        "%(skipped)s skipped because nothing was left to chase, %(failed)s failed, %(undeliverable)s undeliverable, "
        "%(notice_only)s sent only as a level notice because the level leaves the owner out."
    ) % values


def _closed_day_line(result: ReminderRunResult, tr: Translator) -> str:
    values = {"date": tr.date(result.as_of), "holiday": result.holiday_name or ""}
    if result.forced and result.holiday_name:
        return tr.gettext("%(date)s is a public holiday (%(holiday)s); sending anyway because of --force.") % values
    if result.forced:
        return tr.gettext("%(date)s is not a working day; sending anyway because of --force.") % values
    if result.holiday_name:
        return tr.gettext(
            "%(date)s is a public holiday (%(holiday)s), so no reminders are sent. Use --force to send anyway."
        ) % values
    return tr.gettext("%(date)s is not a working day, so no reminders are sent. Use --force to send anyway.") % values
