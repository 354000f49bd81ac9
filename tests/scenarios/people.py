"""Set up people with roles, as the `musrenbang role` command does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.db import session_scope
from models.enums import Role
from models.users import User

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine


async def make_lurah(engine: AsyncEngine, telegram_id: int, desa_code: str) -> None:
    """Register a lurah of `desa_code` before they first talk to the bot."""
    async with session_scope(engine) as session:
        session.add(User(telegram_id=telegram_id, role=Role.LURAH, region_code=desa_code))
