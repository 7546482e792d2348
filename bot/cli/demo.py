"""`arrears demo`: import the bundled sample data into a throwaway SQLite file and preview the day's messages."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.config import SUPPORTED_LOCALES, load_settings
from bot.importer import ImportFailed, ImportOptions, import_files, render_report
from bot.importer.problems import render_problems
from bot.i18n import get_translator
from bot.jobs.digest import run_digest
from bot.jobs.reminders import run_reminders
from bot.services import build_services
from bot.store.migrate import upgrade

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE_FILES = ("invoices_en.csv", "invoices_zh.csv", "payments.csv")
# The sample's invoices and payments are dated around this day.
SAMPLE_AS_OF = date(2026, 3, 31)
# Reminders for owners without a Slack user would go here; the demo only prints them.
DEMO_FALLBACK_CHANNEL = "C0DEMOFALLBACK"


@main.command("demo")
@click.option("--database", type=click.Path(dir_okay=False, path_type=Path), default=Path("arrears-demo.db"),
              show_default=True, help="SQLite file to create afresh for the demo; your own database is untouched.")
@click.option("--locale", type=click.Choice(SUPPORTED_LOCALES), default=None,
              help="Language of the preview. Default: ARREARS_DEFAULT_LOCALE.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=SAMPLE_AS_OF.isoformat(),
              show_default=True, help="Date the aging is taken on, YYYY-MM-DD.")
@pass_cli
def demo_command(cli: CliContext, database: Path, locale: str | None, as_of: datetime) -> None:
    """Import the sample receivables and print the digest and the reminder cards that would be sent."""
    locale = locale or cli.settings.default_locale
    tr = get_translator(locale)
    if logging.getLogger().level > logging.DEBUG:
        # The demo's output is the preview itself; progress lines would interleave with it. -v shows them.
        logging.getLogger("bot").setLevel(logging.WARNING)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)

    database_url = f"sqlite:///{database.resolve()}"
    upgrade(database_url)
    settings = load_settings(
        database_url=database_url,
        default_locale=locale,
        fallback_channel=cli.settings.fallback_channel or DEMO_FALLBACK_CHANNEL,
        # The preview needs no Slack workspace: no token means no users.* look-ups.
        slack_bot_token=None,
        slack_signing_secret=None,
    )
    services = build_services(settings)
    try:
        _run(services, tr, as_of.date())
    finally:
        services.engine.dispose()


def _run(services, tr, as_of: date) -> None:
    click.secho(tr.gettext("== Importing the sample receivables =="), bold=True)
    paths = [SAMPLE_DIR / name for name in SAMPLE_FILES]
    try:
        report = import_files(services, paths, ImportOptions(locale=tr.locale))
    except ImportFailed as error:
        raise click.ClickException(render_problems(error.problems, tr)) from error
    click.echo(render_report(report, tr))

    click.echo()
    click.secho(tr.gettext("== Daily digest as of %(date)s ==") % {"date": tr.date(as_of)}, bold=True)
    run_digest(services, as_of=as_of, dry_run=True, echo=click.echo, locale=tr.locale)

    click.echo()
    click.secho(tr.gettext("== Reminder cards as of %(date)s ==") % {"date": tr.date(as_of)}, bold=True)
    run_reminders(services, as_of=as_of, dry_run=True, echo=click.echo)

    click.echo()
    click.echo(tr.gettext(
        "This was a preview: nothing was sent. Import your own exports with `arrears import FILE...`, "
        "then connect Slack as the README describes."
    ))
