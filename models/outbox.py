"""Outbox: messages to send later, each delivered once."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from models.base import timestamp_field


class Outbox(SQLModel, table=True):
    """A message waiting to be delivered; `dedup_key` makes a second write of it a no-op."""

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    kind: str = Field(max_length=40)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    dedup_key: str = Field(max_length=200, unique=True)
    due_at: datetime = timestamp_field(index=True)
    attempts: int = Field(default=0)
    sent_at: datetime | None = timestamp_field(nullable=True, index=True)
    last_error: str = Field(default="", max_length=500)
