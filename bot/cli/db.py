"""`arrears db`: database migrations."""

from __future__ import annotations

import click

from bot.cli import main
from bot.cli.context import CliContext, pass_cli
from bot.store.migrate import upgrade


@main.group("db")
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to upgrade to.")
@pass_cli
def upgrade_command(cli: CliContext, revision: str) -> None:
    """Create or upgrade the tables in DATABASE_URL."""
    upgrade(cli.settings.database_url, revision)
    click.echo(cli.translator.gettext("Database is up to date."))
