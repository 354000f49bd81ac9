"""How many proposals a person sent per intake period, kept when /hapusdata removes their name.

The per-person limit must not start again after /hapusdata, which takes the person's id off
their proposals. This table holds only the Telegram id, the period and the count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel, select

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession


class SubmissionTally(SQLModel, table=True):
    """The number of proposals `user_id` sent in one period ("stage:12", "year:2026")."""

    __table_args__ = (UniqueConstraint("user_id", "period", name="uq_tally_once"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    period: str = Field(sa_column=Column(String(30), nullable=False))
    count: int = 0


async def get_tally(session: AsyncSession, user_id: int, period: str) -> SubmissionTally | None:
    """Return the person's tally of the period, if any."""
    query = select(SubmissionTally).where(
        SubmissionTally.user_id == user_id, SubmissionTally.period == period
    )
    return (await session.exec(query)).first()
