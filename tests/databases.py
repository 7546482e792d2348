"""Throwaway databases for tests: a migrated SQLite file or PostgreSQL database per test.

Each backend is migrated once per test process; every test then starts empty (a copy of
the migrated SQLite file, or the PostgreSQL database with every table truncated).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest

from bot.store.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get("ARREARS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# CI sets this, so a PostgreSQL server that is down fails the run instead of skipping tests.
REQUIRE_POSTGRES = os.environ.get("ARREARS_REQUIRE_POSTGRES") == "1"


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)


def _database_url(name: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


class SqliteTemplate:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "template.db"
        upgrade(f"sqlite:///{self.path}")

    def copy(self, folder: Path) -> str:
        target = folder / "arrears.db"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def close(self) -> None:
        pass


class PostgresTemplate:
    """One migrated database per test process, emptied with TRUNCATE before each test.

    Creating and dropping a database per test costs a checkpoint each (about 2 s here);
    emptying the tables costs milliseconds and leaves the same clean state.
    """

    def __init__(self) -> None:
        try:
            with _admin_connection():
                pass
        except psycopg.OperationalError as error:
            if REQUIRE_POSTGRES:
                raise
            pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}")
        self.name = f"arrears_test_{uuid.uuid4().hex[:12]}"
        with _admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        self.url = _database_url(self.name)
        upgrade(self.url)
        with psycopg.connect(self.url, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).fetchall()
        self._tables = ", ".join(f'"{row[0]}"' for row in rows)

    def copy(self, _folder: Path) -> str:
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f"TRUNCATE {self._tables} RESTART IDENTITY CASCADE")
        return self.url

    def drop_copy(self, url: str) -> None:
        # Close what the test left open, so the next TRUNCATE does not wait on its locks.
        with _admin_connection() as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            )

    def close(self) -> None:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
