"""Engine, sessions and migrations; SQLite gets WAL and foreign keys, PostgreSQL uses psycopg."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _split_scheme(url: str) -> tuple[str, str]:
    scheme, separator, rest = url.partition("://")
    if not separator:
        msg = f"not a database URL: {url!r}"
        raise ValueError(msg)
    return scheme.split("+")[0], rest


def sync_url(url: str) -> str:
    """Return the URL with the synchronous driver (for Alembic)."""
    scheme, rest = _split_scheme(url)
    if scheme == "sqlite":
        return f"sqlite://{rest}"
    return f"postgresql+psycopg://{rest}"


def async_url(url: str) -> str:
    """Return the URL with the asyncio driver (for the bot)."""
    scheme, rest = _split_scheme(url)
    if scheme == "sqlite":
        return f"sqlite+aiosqlite://{rest}"
    return f"postgresql+psycopg://{rest}"


def is_sqlite(url: str) -> bool:
    """Return whether the URL points at SQLite."""
    return _split_scheme(url)[0] == "sqlite"


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine_from_url(url: str) -> AsyncEngine:
    """Create the async engine; on SQLite every connection gets WAL and foreign keys."""
    if is_sqlite(url):
        engine = create_async_engine(async_url(url), connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(async_url(url), pool_size=10, max_overflow=10, pool_pre_ping=True)


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return a factory of sessions that keep objects usable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def session_scope(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """Open one transaction: commit on success, roll back on error."""
    async with make_session_factory(engine)() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def alembic_config(url: str) -> Config:
    """Return an Alembic config pointing at our migrations and `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (creates an empty SQLite file)."""
    logger.info("Upgrading database schema to %s", revision)
    command.upgrade(alembic_config(url), revision)
    if is_sqlite(url):
        engine = create_engine(sync_url(url))
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        finally:
            engine.dispose()
