"""The migrations build exactly the tables the models declare."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.db import sync_url, upgrade


def test_migrations_match_the_models(database_url):
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), SQLModel.metadata
            )
    finally:
        engine.dispose()
    assert differences == []


def test_empty_sqlite_file_is_upgraded_with_wal_and_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    upgrade(url)
    engine = create_engine(sync_url(url))
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        engine.dispose()
    assert {"proposal", "conversation", "outbox", "inboxupdate", "joblease", "region"} <= tables
    assert journal == "wal"


async def test_async_engine_turns_foreign_keys_on(sqlite_url):
    from models.db import create_engine_from_url

    engine = create_engine_from_url(sqlite_url)
    try:
        async with engine.connect() as connection:
            value = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    finally:
        await engine.dispose()
    assert value == 1
