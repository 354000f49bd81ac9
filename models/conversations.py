"""Conversation state per chat."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, String, cast, update
from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field

IDLE_STEP = "idle"


class Conversation(SQLModel, table=True):
    """Where a chat is in the conversation, with its unfinished draft."""

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    step: str = Field(default=IDLE_STEP, max_length=60)
    draft: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    last_update_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    updated_at: datetime = timestamp_field()


async def load_conversation(session: AsyncSession, *, chat_id: int, user_id: int) -> Conversation:
    """Return the chat's conversation, creating an idle one on first contact."""
    conversation = await session.get(Conversation, chat_id)
    if conversation is None:
        conversation = Conversation(chat_id=chat_id, user_id=user_id)
        session.add(conversation)
    return conversation


async def clear_stale_drafts(session: AsyncSession, *, before: datetime, now: datetime) -> int:
    """Drop the drafts of chats untouched since `before` and make them idle; return how many."""
    result = await session.exec(
        update(Conversation)
        .where(col(Conversation.updated_at) < before, col(Conversation.step) != IDLE_STEP)
        .values(step=IDLE_STEP, draft={}, updated_at=now)
    )
    stopped = await session.exec(
        update(Conversation)
        .where(
            col(Conversation.updated_at) < before,
            col(Conversation.step) == IDLE_STEP,
            cast(col(Conversation.draft), String) != "{}",
        )
        .values(draft={}, updated_at=now)
    )
    return (result.rowcount or 0) + (stopped.rowcount or 0)  # type: ignore[attr-defined]
