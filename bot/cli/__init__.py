"""The `arrears` command line. Each subcommand lives in its own module and registers on `main`."""

from __future__ import annotations

import click

from bot.cli.context import CliContext
from bot.logs import configure_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", "-v", is_flag=True, help="Log debug messages.")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Collect overdue invoices from Slack: import receivables, post digests, remind owners."""
    configure_logging(verbose)
    ctx.obj = CliContext()


# Subcommand modules import `main` and attach themselves; the imports stay at the bottom for that.
from bot.cli import db as _db  # noqa: E402,F401
from bot.cli import export as _export  # noqa: E402,F401
from bot.cli import policy as _policy  # noqa: E402,F401
from bot.cli import run as _run  # noqa: E402,F401
from bot.cli import importer as _importer  # noqa: E402,F401
from bot.cli import digest as _digest  # noqa: E402,F401
from bot.cli import remind as _remind  # noqa: E402,F401
from bot.cli import demo as _demo  # noqa: E402,F401
