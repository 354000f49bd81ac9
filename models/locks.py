"""PostgreSQL advisory locks: per chat, for outbox claims, and around schema upgrades.

SQLite needs none of them: it has one writer and the bot runs there as one process, where the
in-process per-chat asyncio lock already orders updates.
"""

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel.ext.asyncio.session import AsyncSession

_CHAT_LOCK_NAMESPACE = 7707
_OUTBOX_CLAIM_LOCK = (7708, 1)
MIGRATION_LOCK_KEY = 77_090_001


def _is_postgresql(session: AsyncSession) -> bool:
    return session.bind.dialect.name == "postgresql"


async def lock_chat(session: AsyncSession, chat_id: int) -> None:
    """Hold the chat's lock until the session's transaction ends (PostgreSQL only)."""
    if not _is_postgresql(session):
        return
    await session.exec(
        text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:chat))"),
        params={"namespace": _CHAT_LOCK_NAMESPACE, "chat": str(chat_id)},
    )


async def lock_outbox_claims(session: AsyncSession) -> None:
    """Let one instance at a time claim outbox rows, until the transaction ends.

    Claims are short; holding this keeps a chat's rows with one sender, so they stay in order.
    """
    if not _is_postgresql(session):
        return
    await session.exec(
        text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
        params={"namespace": _OUTBOX_CLAIM_LOCK[0], "key": _OUTBOX_CLAIM_LOCK[1]},
    )


def lock_migrations(connection: Connection) -> None:
    """Wait until no other process upgrades the schema; held until `unlock_migrations`."""
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def unlock_migrations(connection: Connection) -> None:
    """Let the next waiting process upgrade (it will find the schema current)."""
    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
