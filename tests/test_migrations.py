from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from bot.store.db import normalize_url
from bot.store.models import Base


def test_migrations_match_models(database_url):
    engine = create_engine(normalize_url(database_url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == [], "add an Alembic revision for these model changes"
