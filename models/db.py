"""Engine, sessions and migrations; SQLite gets WAL and foreign keys, PostgreSQL uses psycopg."""

from __future__ import annotations

import asyncio
import fcntl
import logging
import random
import weakref
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel.ext.asyncio.session import AsyncSession

from models.locks import lock_migrations, unlock_migrations

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

    from sqlalchemy.engine import Connection
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

logger = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: How long a SQLite connection waits for the writer's lock before "database is locked".
SQLITE_BUSY_SECONDS = 30
#: Whole-transaction retries after "database is locked" (each after the 30 s wait above).
LOCKED_ATTEMPTS = 5
_BEGIN_OPTION = "musrenbang_sqlite_begin"


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
    cursor.close()
    # The driver's own BEGIN is deferred; `_begin_immediate` takes the write lock up front.
    dbapi_connection.isolation_level = None


def _begin(connection: Connection) -> None:
    """Start a SQLite transaction; `run_transaction`'s take the write lock up front.

    A deferred transaction that reads, then writes after another writer committed, fails at
    once with "database is locked" (no waiting helps it); an immediate one waits its turn.
    Plain `session_scope` transactions stay deferred, so a read inside another transaction
    (a service loading its cache) never waits for the writer.
    """
    immediate = connection.get_execution_options().get(_BEGIN_OPTION) == "immediate"
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine_from_url(url: str) -> AsyncEngine:
    """Create the async engine; on SQLite every connection gets WAL and foreign keys.

    SQLite's wait for the lock is the connect `timeout` (30 s); no busy_timeout pragma
    overrides it.
    """
    if is_sqlite(url):
        engine = create_async_engine(async_url(url), connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin)
        return engine
    return create_async_engine(async_url(url), pool_size=10, max_overflow=10, pool_pre_ping=True)


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return a factory of sessions that keep objects usable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def session_scope(
    engine: AsyncEngine, *, immediate: bool = False
) -> AsyncIterator[AsyncSession]:
    """Open one transaction: commit on success, roll back on error.

    `immediate` takes SQLite's write lock at the start (for transactions that write).
    """
    factory = _immediate_factory(engine) if immediate else make_session_factory(engine)
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def is_locked_error(error: BaseException) -> bool:
    """Tell whether SQLite gave up waiting for its one writer."""
    message = str(getattr(error, "orig", error)).lower()
    return isinstance(error, OperationalError) and (
        "database is locked" in message or "database is busy" in message
    )


async def run_transaction(
    engine: AsyncEngine,
    work: Callable[[AsyncSession], Awaitable[T]],
    *,
    attempts: int = LOCKED_ATTEMPTS,
) -> T:
    """Run `work` in one transaction; run it again from scratch when SQLite was locked.

    `work` must keep its effects inside the session, so a retry starts clean.
    """
    for attempt in range(1, attempts + 1):
        try:
            async with _writer_turn(engine), session_scope(engine, immediate=True) as session:
                return await work(session)
        except OperationalError as error:
            if not is_locked_error(error) or attempt == attempts:
                raise
            delay = min(0.05 * 2**attempt, 2.0) * random.uniform(0.5, 1.0)
            logger.warning("Database locked; transaction retry %s in %.2f s", attempt, delay)
            await asyncio.sleep(delay)
    msg = "unreachable"
    raise AssertionError(msg)


_WRITERS: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()
_IMMEDIATE: weakref.WeakKeyDictionary[Any, async_sessionmaker[AsyncSession]] = (
    weakref.WeakKeyDictionary()
)


def _immediate_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Return (once per engine) sessions whose SQLite transactions take the write lock."""
    factory = _IMMEDIATE.get(engine.sync_engine)
    if factory is None:
        bound = engine.execution_options(**{_BEGIN_OPTION: "immediate"})
        factory = _IMMEDIATE[engine.sync_engine] = make_session_factory(bound)
    return factory


@asynccontextmanager
async def _writer_turn(engine: AsyncEngine) -> AsyncIterator[None]:
    """On SQLite, let one transaction of this process write at a time.

    SQLite has one writer; connections left to fight for its lock back off in sleeps of up to
    100 ms each, which is far slower than taking turns here. PostgreSQL needs no turn.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    lock = _WRITERS.get(engine.sync_engine)
    if lock is None:
        lock = _WRITERS[engine.sync_engine] = asyncio.Lock()
    async with lock:
        yield


def dialect_insert(session: AsyncSession) -> Any:
    """Return the INSERT construct of the session's database (for ON CONFLICT DO NOTHING)."""
    return postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


def alembic_config(url: str) -> Config:
    """Return an Alembic config pointing at our migrations and `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (creates an empty SQLite file).

    Processes started together take turns: the first upgrades, the others wait for it and
    then find the schema current.
    """
    with schema_turn(url):
        upgrade_in_turn(url, revision)


def upgrade_in_turn(url: str, revision: str = "head") -> None:
    """Upgrade the schema; call inside `schema_turn` when other processes may start too."""
    logger.info("Upgrading database schema to %s", revision)
    command.upgrade(alembic_config(url), revision)
    if is_sqlite(url):
        engine = create_engine(sync_url(url))
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        finally:
            engine.dispose()


@contextmanager
def schema_turn(url: str) -> Iterator[None]:
    """Let one process at a time prepare the database (schema and first data); not reentrant.

    A PostgreSQL session advisory lock, or a file lock beside the SQLite file.
    """
    if is_sqlite(url):
        database = url.partition(":///")[2]
        if not database or database == ":memory:":
            yield
            return
        with Path(f"{database}.migrate-lock").open("a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    engine = create_engine(sync_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.commit()
            lock_migrations(connection)
            connection.commit()
            try:
                yield
            finally:
                unlock_migrations(connection)
                connection.commit()
    finally:
        engine.dispose()
