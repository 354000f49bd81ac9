"""People with roles, stored straight into the database for role and notification tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from models.enums import Role
from models.users import User

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

CONSENTED_AT = datetime(2024, 1, 1, tzinfo=UTC)


async def add_person(
    session: AsyncSession,
    telegram_id: int,
    *,
    name: str = "Warga",
    role: Role = Role.WARGA,
    region_code: str | None = None,
    active: bool = True,
    language: str = "id",
    phone: str | None = None,
) -> User:
    """Insert a person who agreed to data storage."""
    user = User(
        telegram_id=telegram_id,
        name=name,
        role=role,
        region_code=region_code,
        active=active,
        language=language,
        phone=phone,
        consent_at=CONSENTED_AT,
    )
    session.add(user)
    await session.flush()
    return user
