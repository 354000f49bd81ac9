"""Inbox: every received update is stored first, then applied once, in update order per chat."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, delete, func, update
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field
from models.db import dialect_insert
from models.outbox import held_elsewhere


class InboxUpdate(SQLModel, table=True):
    """A received update (as the core's event) and when it was applied; None means pending."""

    __table_args__ = (Index("ix_inboxupdate_pending", "chat_id", "applied_at", "update_id"),)

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    event: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    received_at: datetime = timestamp_field()
    applied_at: datetime | None = timestamp_field(nullable=True, index=True)


async def store_updates(
    session: AsyncSession, rows: list[tuple[int, int, dict[str, Any]]], *, now: datetime
) -> int:
    """Insert (update_id, chat_id, event) rows, skipping ids already stored; return how many."""
    if not rows:
        return 0
    values = [
        {"update_id": update_id, "chat_id": chat_id, "event": event, "received_at": now}
        for update_id, chat_id, event in rows
    ]
    statement = (
        dialect_insert(session)(InboxUpdate)
        .values(values)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(InboxUpdate.update_id)  # type: ignore[arg-type]
    )
    result = await session.exec(statement)
    return len(result.all())


async def next_pending_updates(
    session: AsyncSession, chat_id: int, *, owner: str, limit: int = 2
) -> tuple[list[InboxUpdate], bool]:
    """Return the chat's oldest pending updates, and whether its replies must wait.

    They must wait when the chat has outbox rows queued that `owner` does not hold; both are
    read in one query.
    """
    statement = (
        select(InboxUpdate, held_elsewhere(chat_id, owner=owner))
        .where(col(InboxUpdate.chat_id) == chat_id, col(InboxUpdate.applied_at).is_(None))
        .order_by(col(InboxUpdate.update_id))
        .limit(limit)
    )
    rows = list((await session.exec(statement)).all())
    return [row for row, _held in rows], bool(rows and rows[0][1])


async def mark_update_applied(session: AsyncSession, update_id: int, *, now: datetime) -> bool:
    """Mark the update applied; return False when it already was (another worker won)."""
    statement = (
        update(InboxUpdate)
        .where(col(InboxUpdate.update_id) == update_id, col(InboxUpdate.applied_at).is_(None))
        .values(applied_at=now)
    )
    result = await session.exec(statement)
    return result.rowcount == 1  # type: ignore[attr-defined]


async def chats_with_pending_updates(session: AsyncSession) -> list[int]:
    """Return the chats that have updates waiting, oldest waiting first."""
    statement = (
        select(col(InboxUpdate.chat_id))
        .where(col(InboxUpdate.applied_at).is_(None))
        .group_by(col(InboxUpdate.chat_id))
        .order_by(func.min(col(InboxUpdate.update_id)))
    )
    return list((await session.exec(statement)).all())


async def prune_applied_updates(session: AsyncSession, *, before: datetime) -> int:
    """Forget updates applied before `before` (Telegram never redelivers those); return count."""
    statement = delete(InboxUpdate).where(col(InboxUpdate.applied_at) < before)
    result = await session.exec(statement)
    return result.rowcount or 0  # type: ignore[attr-defined]
