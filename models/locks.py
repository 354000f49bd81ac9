"""Cross-instance chat lock: a transaction-scoped PostgreSQL advisory lock, no-op on SQLite."""

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_CHAT_LOCK_NAMESPACE = 7707


async def lock_chat(session: AsyncSession, chat_id: int) -> None:
    """Hold the chat's lock until the session's transaction ends (PostgreSQL only).

    SQLite serialises writers itself and runs in one process, where the in-process
    per-chat asyncio lock already orders updates.
    """
    if session.bind.dialect.name != "postgresql":
        return
    await session.exec(  # type: ignore[call-overload]
        text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:chat))"),
        params={"namespace": _CHAT_LOCK_NAMESPACE, "chat": str(chat_id)},
    )
