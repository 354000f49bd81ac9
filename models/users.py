"""User table and its queries."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, String
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field, utcnow
from models.enums import Role


class User(SQLModel, table=True):
    """A person who talks to the bot, keyed by Telegram user id."""

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    name: str | None = Field(default=None, max_length=200)
    username: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=30)
    role: Role = Field(default=Role.WARGA, sa_type=String(20))
    region_code: str | None = Field(default=None, foreign_key="region.code")
    language: str = Field(default="id", max_length=8)
    consent_at: datetime | None = timestamp_field(nullable=True)
    consent_refused_at: datetime | None = timestamp_field(nullable=True)
    active: bool = Field(default=True)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


async def get_user(session: AsyncSession, telegram_id: int) -> User | None:
    """Return the user with this Telegram id."""
    return await session.get(User, telegram_id)


async def upsert_user(
    session: AsyncSession, *, telegram_id: int, name: str, username: str | None, language: str
) -> User:
    """Create the user on first contact, refresh language later; a repeat /start is harmless.

    Personal fields are only stored after consent; before it the row holds the id and language.
    """
    user = await session.get(User, telegram_id)
    if user is None:
        user = User(telegram_id=telegram_id, language=language)
        session.add(user)
    if user.consent_at is not None:
        user.name = name or user.name
        user.username = username
    user.language = language
    user.active = True
    user.updated_at = utcnow()
    return user


async def set_user_inactive(session: AsyncSession, telegram_id: int) -> bool:
    """Mark the user as unreachable (they blocked the bot); return whether they exist."""
    user = await session.get(User, telegram_id)
    if user is None:
        return False
    user.active = False
    user.updated_at = utcnow()
    return True
