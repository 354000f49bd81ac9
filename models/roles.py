"""Queries about officials: who holds a role for a place."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.enums import Role
from models.users import User


async def list_holders(session: AsyncSession, role: Role, region_code: str | None) -> list[User]:
    """Return the people who hold `role` for `region_code` (any place when None)."""
    query = select(User).where(User.role == role)
    if region_code is not None:
        query = query.where(User.region_code == region_code)
    result = await session.exec(query.order_by(col(User.telegram_id)))
    return list(result.all())
