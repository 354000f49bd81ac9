"""Region table (Kemendagri codes) and its queries."""

from collections.abc import Iterable

from sqlalchemy import String
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.enums import RegionLevel


class Region(SQLModel, table=True):
    """A province, kabupaten, kecamatan, desa or kelurahan, keyed by Kemendagri code."""

    code: str = Field(primary_key=True, max_length=20)
    name: str = Field(max_length=100, index=True)
    level: RegionLevel = Field(sa_type=String(20), index=True)
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True)
    alt_names: str = Field(default="", max_length=200)


async def list_children(session: AsyncSession, parent_code: str) -> list[Region]:
    """Return the regions directly under `parent_code`, by name."""
    result = await session.exec(
        select(Region).where(Region.parent_code == parent_code).order_by(col(Region.name))
    )
    return list(result.all())


async def list_by_level(session: AsyncSession, level: RegionLevel) -> list[Region]:
    """Return every region of one level, by code."""
    result = await session.exec(select(Region).where(Region.level == level).order_by(Region.code))
    return list(result.all())


async def get_region(session: AsyncSession, code: str) -> Region | None:
    """Return one region by code."""
    return await session.get(Region, code)


async def list_villages(session: AsyncSession) -> list[Region]:
    """Return every desa and kelurahan, by name."""
    result = await session.exec(
        select(Region)
        .where(col(Region.level).in_([RegionLevel.DESA, RegionLevel.KELURAHAN]))
        .order_by(col(Region.name))
    )
    return list(result.all())


async def list_region_codes(session: AsyncSession) -> set[str]:
    """Return the codes of every stored region."""
    return set(await session.exec(select(Region.code)))


async def region_names(session: AsyncSession, codes: Iterable[str]) -> dict[str, str]:
    """Return the name of each region code (codes without a region are left out)."""
    wanted = set(codes)
    if not wanted:
        return {}
    result = await session.exec(
        select(Region.code, Region.name).where(col(Region.code).in_(wanted))
    )
    return dict(result.all())
