"""Outbox: everything the bot says, written in the transaction that causes it, sent once."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, String, and_, delete, func, or_
from sqlalchemy import update as sql_update
from sqlalchemy.orm import aliased
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field
from models.db import dialect_insert


class OutboxState(StrEnum):
    """Where a row is on its way out."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


class Outbox(SQLModel, table=True):
    """One message to deliver; `dedup_key` makes a second write of it a no-op.

    `due_at` is when it is meant to go out and orders a recipient's rows; `next_attempt_at`
    moves on after a failed try. A claim (`claimed_by` until `claimed_until`) keeps one
    sender on it; a claim that runs out is taken over, so a crashed instance loses nothing.
    """

    __table_args__ = (Index("ix_outbox_queue", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    kind: str = Field(max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    dedup_key: str = Field(max_length=200, unique=True)
    priority: int = Field(default=1)
    state: OutboxState = Field(default=OutboxState.QUEUED, sa_type=String(10))
    due_at: datetime = timestamp_field(index=True)
    next_attempt_at: datetime = timestamp_field()
    attempts: int = Field(default=0)
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_until: datetime | None = timestamp_field(nullable=True)
    sent_at: datetime | None = timestamp_field(nullable=True, index=True)
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    last_error: str = Field(default="", max_length=500)


async def add_outbox_rows(session: AsyncSession, rows: list[dict[str, Any]]) -> list[int | None]:
    """Insert rows (Outbox column values); a row whose dedup key exists is skipped (None)."""
    if not rows:
        return []
    values = []
    for row in rows:
        due_at = row["due_at"]
        values.append(
            {
                "state": OutboxState.QUEUED.value,
                "attempts": 0,
                "last_error": "",
                "priority": 1,
                "claimed_by": None,
                "claimed_until": None,
                "next_attempt_at": due_at,
                **row,
            }
        )
    statement = (
        dialect_insert(session)(Outbox)
        .values(values)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(Outbox.id, Outbox.dedup_key)  # type: ignore[arg-type]
    )
    stored = {key: row_id for row_id, key in (await session.exec(statement)).all()}
    return [stored.get(row["dedup_key"]) for row in rows]


def held_elsewhere(recipient_id: Any, *, owner: str) -> Any:
    """Return an SQL condition: the recipient has queued rows that `owner` does not hold."""
    return (
        select(col(Outbox.id))
        .where(
            col(Outbox.recipient_id) == recipient_id,
            col(Outbox.state) == OutboxState.QUEUED,
            or_(col(Outbox.claimed_by).is_(None), col(Outbox.claimed_by) != owner),
        )
        .exists()
    )


async def has_rows_held_elsewhere(session: AsyncSession, recipient_id: int, *, owner: str) -> bool:
    """Tell whether the recipient has queued rows that `owner` does not hold (earlier ones)."""
    return bool((await session.exec(select(held_elsewhere(recipient_id, owner=owner)))).one())


async def claim_due_rows(
    session: AsyncSession, *, owner: str, now: datetime, until: datetime, limit: int
) -> list[Outbox]:
    """Claim due rows for `owner` until `until`, most urgent first, oldest first per recipient.

    A row is skipped while an earlier row of its recipient is held by another sender or is
    waiting to retry, so each person's messages leave in order. On PostgreSQL rows locked by
    another transaction are skipped (FOR UPDATE SKIP LOCKED); call `lock_outbox_claims` first.
    """
    earlier = aliased(Outbox)
    blocked_by_earlier = (
        select(earlier.id)
        .where(
            earlier.recipient_id == Outbox.recipient_id,
            earlier.state == OutboxState.QUEUED,
            or_(
                earlier.due_at < Outbox.due_at,
                and_(earlier.due_at == Outbox.due_at, earlier.id < Outbox.id),
            ),
            or_(
                earlier.next_attempt_at > now,
                and_(earlier.claimed_until >= now, earlier.claimed_by != owner),
            ),
        )
        .exists()
    )
    statement = (
        select(Outbox)
        .where(
            col(Outbox.state) == OutboxState.QUEUED,
            col(Outbox.next_attempt_at) <= now,
            or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now),
            ~blocked_by_earlier,
        )
        .order_by(col(Outbox.priority), col(Outbox.due_at), col(Outbox.id))
        .limit(limit)
    )
    if session.bind.dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=Outbox)  # type: ignore[arg-type]
    rows = list((await session.exec(statement)).all())
    if rows:
        await session.exec(
            sql_update(Outbox)
            .where(col(Outbox.id).in_([row.id for row in rows]))
            .values(claimed_by=owner, claimed_until=until)
        )
        for row in rows:
            row.claimed_by, row.claimed_until = owner, until
    return rows


async def mark_rows_sent(
    session: AsyncSession, sent: list[tuple[int, int | None, int]], *, now: datetime
) -> None:
    """Mark rows delivered: (id, Telegram message id, tries including this one), one statement."""
    await session.exec(  # ORM bulk UPDATE by primary key
        sql_update(Outbox),
        params=[
            {
                "id": row_id,
                "state": OutboxState.SENT,
                "sent_at": now,
                "message_id": message_id,
                "claimed_until": None,
                "attempts": attempts,
            }
            for row_id, message_id, attempts in sent
        ],
    )


async def mark_row_failed(session: AsyncSession, row_id: int, *, reason: str) -> None:
    """Give the row up, keeping why; `musrenbang outbox --retry` can queue it again."""
    await session.exec(
        sql_update(Outbox)
        .where(col(Outbox.id) == row_id)
        .values(
            state=OutboxState.FAILED,
            last_error=reason[:500],
            claimed_until=None,
            attempts=Outbox.attempts + 1,
        )
    )


async def release_rows(
    session: AsyncSession,
    row_ids: list[int],
    *,
    next_attempt_at: datetime,
    reason: str = "",
    count_attempt: bool = False,
) -> None:
    """Hand rows back to the queue, to be tried again from `next_attempt_at`."""
    if not row_ids:
        return
    values: dict[str, Any] = {"claimed_by": None, "claimed_until": None}
    values["next_attempt_at"] = next_attempt_at
    if reason:
        values["last_error"] = reason[:500]
    if count_attempt:
        values["attempts"] = Outbox.attempts + 1
    await session.exec(sql_update(Outbox).where(col(Outbox.id).in_(row_ids)).values(**values))


async def release_all_claims(session: AsyncSession) -> int:
    """Release every claim on queued rows (a single-instance start: their holder is gone)."""
    result = await session.exec(
        sql_update(Outbox)
        .where(col(Outbox.state) == OutboxState.QUEUED, col(Outbox.claimed_until).is_not(None))
        .values(claimed_by=None, claimed_until=None)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def drop_unsent_rows(session: AsyncSession, recipient_id: int, *, reason: str) -> int:
    """Drop every queued row of a recipient who cannot be reached; return how many."""
    result = await session.exec(
        sql_update(Outbox)
        .where(col(Outbox.recipient_id) == recipient_id, col(Outbox.state) == OutboxState.QUEUED)
        .values(state=OutboxState.DROPPED, last_error=reason[:500], claimed_until=None)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def count_rows_by_kind(session: AsyncSession) -> list[tuple[str, str, int]]:
    """Return (kind, state, count) for every kind and state present."""
    statement = (
        select(col(Outbox.kind), col(Outbox.state), func.count())
        .group_by(col(Outbox.kind), col(Outbox.state))
        .order_by(col(Outbox.kind), col(Outbox.state))
    )
    return [(kind, str(state), number) for kind, state, number in await session.exec(statement)]


async def requeue_failed_rows(
    session: AsyncSession, *, now: datetime, kind: str | None = None
) -> int:
    """Queue failed rows again (optionally of one kind) for the sender; return how many."""
    statement = sql_update(Outbox).where(col(Outbox.state) == OutboxState.FAILED)
    if kind is not None:
        statement = statement.where(col(Outbox.kind) == kind)
    result = await session.exec(
        statement.values(
            state=OutboxState.QUEUED, next_attempt_at=now, attempts=0, claimed_until=None
        )
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


async def prune_finished_rows(session: AsyncSession, *, before: datetime) -> int:
    """Delete rows sent or dropped before `before`; failed rows stay for a person to look at."""
    result = await session.exec(
        delete(Outbox).where(
            col(Outbox.state).in_([OutboxState.SENT, OutboxState.DROPPED]),
            func.coalesce(col(Outbox.sent_at), col(Outbox.due_at)) < before,
        )
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
