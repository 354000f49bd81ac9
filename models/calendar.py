"""Musrenbang calendar: stages with their intake window and forum date."""

from datetime import datetime

from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field


class Stage(SQLModel, table=True):
    """One Musrenbang stage (desa, kecamatan, forum OPD, kabupaten) with its deadline."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    level: str = Field(max_length=20)
    region_code: str | None = Field(default=None, foreign_key="region.code")
    opens_at: datetime = timestamp_field()
    closes_at: datetime = timestamp_field()
    forum_at: datetime | None = timestamp_field(nullable=True)


async def open_stage(session: AsyncSession, now: datetime) -> Stage | None:
    """Return the stage whose intake window contains `now`, the one closing first."""
    result = await session.exec(
        select(Stage)
        .where(Stage.opens_at <= now, Stage.closes_at > now)
        .order_by(col(Stage.closes_at))
    )
    return result.first()


async def next_stage(session: AsyncSession, now: datetime) -> Stage | None:
    """Return the next stage that has not opened yet."""
    result = await session.exec(
        select(Stage).where(Stage.opens_at > now).order_by(col(Stage.opens_at))
    )
    return result.first()


async def has_calendar(session: AsyncSession) -> bool:
    """Return whether Bappeda has configured any stage."""
    result = await session.exec(select(Stage.id).limit(1))
    return result.first() is not None
