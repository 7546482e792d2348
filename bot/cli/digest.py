"""`arrears digest`: post (or preview) the receivables digest."""

from __future__ import annotations

from datetime import datetime

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.config import SUPPORTED_LOCALES, ConfigError
from bot.i18n import Translator, get_translator
from bot.jobs.digest import ChannelOutcome, ChannelResult, run_digest


@main.command("digest")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date the balances are taken on, YYYY-MM-DD. Default: today in ARREARS_TIMEZONE.")
@click.option("--dry-run", is_flag=True, help="Print the digest for each channel instead of posting it; nothing is written.")
@click.option("--locale", type=click.Choice(SUPPORTED_LOCALES), default=None,
              help="Language of the digest. Default: each channel's language from ARREARS_DIGEST_CHANNELS, "
                   "else ARREARS_DEFAULT_LOCALE.")
@pass_cli
def digest_command(cli: CliContext, as_of: datetime | None, dry_run: bool, locale: str | None) -> None:
    """Post the receivables digest to the channels in ARREARS_DIGEST_CHANNELS, once per date."""
    tr = get_translator(locale) if locale else cli.translator
    try:
        result = run_digest(
            cli.services,
            as_of=as_of.date() if as_of else None,
            dry_run=dry_run,
            echo=click.echo,
            locale=locale,
            actor="cli",
        )
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    if dry_run:
        return

    if not result.channels:
        click.echo(tr.gettext("No digest channels are configured; set ARREARS_DIGEST_CHANNELS to channel ids."))
    for channel_result in result.channels:
        click.echo(_describe(channel_result, tr))
    if result.failed:
        raise click.ClickException(tr.ngettext(
            "The digest failed in %(count)s channel; see the messages above.",
            "The digest failed in %(count)s channels; see the messages above.",
            len(result.failed),
        ) % {"count": len(result.failed)})


def _describe(result: ChannelResult, tr: Translator) -> str:
    values = {"channel": result.channel, "ts": result.message_ts, "error": result.error}
    if result.outcome == ChannelOutcome.POSTED:
        return tr.gettext("Posted the digest to %(channel)s (message %(ts)s).") % values
    if result.outcome == ChannelOutcome.ALREADY_CLAIMED:
        return tr.gettext("Skipped %(channel)s: its digest for this date is already posted or being posted.") % values
    return tr.gettext("Failed to post the digest to %(channel)s: %(error)s") % values
