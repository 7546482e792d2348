"""Throwaway databases for tests: a migrated SQLite file or PostgreSQL database per test.

Each backend is migrated once per test session into a template; every test then gets a
fresh copy (a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL).
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
    def __init__(self) -> None:
        try:
            with _admin_connection():
                pass
        except psycopg.OperationalError as error:
            if REQUIRE_POSTGRES:
                raise
            pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}")
        self.name = f"arrears_template_{uuid.uuid4().hex[:12]}"
        self._copies: list[str] = []
        with _admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{self.name}"')
        upgrade(_database_url(self.name))

    def copy(self, _folder: Path) -> str:
        name = f"arrears_test_{uuid.uuid4().hex[:12]}"
        with _admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        self._copies.append(name)
        return _database_url(name)

    def drop_copy(self, url: str) -> None:
        name = url.rpartition("/")[2]
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
