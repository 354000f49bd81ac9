"""Conversation state per chat, and the record of processed updates."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, delete
from sqlmodel import Field, SQLModel, col
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field, utcnow


class Conversation(SQLModel, table=True):
    """Where a chat is in the conversation, with its unfinished draft."""

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    step: str = Field(default="idle", max_length=60)
    draft: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    last_update_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    updated_at: datetime = timestamp_field()


class ProcessedUpdate(SQLModel, table=True):
    """A Telegram update id that has been applied; a redelivery of it is ignored."""

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    processed_at: datetime = timestamp_field(index=True)


async def load_conversation(session: AsyncSession, *, chat_id: int, user_id: int) -> Conversation:
    """Return the chat's conversation, creating an idle one on first contact."""
    conversation = await session.get(Conversation, chat_id)
    if conversation is None:
        conversation = Conversation(chat_id=chat_id, user_id=user_id)
        session.add(conversation)
    return conversation


async def claim_update(session: AsyncSession, *, update_id: int, chat_id: int) -> bool:
    """Record `update_id` as processed; return False when it was processed before.

    Call inside the update's transaction, after taking the chat lock, so the record and
    the update's effects commit (or roll back) together.
    """
    if await session.get(ProcessedUpdate, update_id) is not None:
        return False
    session.add(ProcessedUpdate(update_id=update_id, chat_id=chat_id, processed_at=utcnow()))
    return True


async def prune_processed_updates(session: AsyncSession, *, before: datetime) -> None:
    """Forget update ids older than `before`; Telegram never redelivers those."""
    await session.exec(delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before))  # type: ignore[call-overload]
