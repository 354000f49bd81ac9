"""Invites that make someone a lurah, camat or Bappeda admin; only the token's hash is stored."""

from datetime import datetime

from sqlalchemy import BigInteger, Column, String, update
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field
from models.enums import Role


class Invite(SQLModel, table=True):
    """A single-use invite for one role and place (no place for a Bappeda admin)."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    role: Role = Field(sa_type=String(20))
    region_code: str | None = Field(default=None, foreign_key="region.code")
    created_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    used_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    used_at: datetime | None = timestamp_field(nullable=True)
    revoked_at: datetime | None = timestamp_field(nullable=True)


async def get_invite_by_hash(session: AsyncSession, token_hash: str) -> Invite | None:
    """Return the invite whose token hashes to `token_hash`."""
    result = await session.exec(select(Invite).where(Invite.token_hash == token_hash))
    return result.first()


async def list_open_invites(session: AsyncSession, now: datetime) -> list[Invite]:
    """Return invites not used, revoked or expired, newest first."""
    result = await session.exec(
        select(Invite)
        .where(
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
            Invite.expires_at > now,
        )
        .order_by(col(Invite.created_at).desc(), col(Invite.id).desc())
    )
    return list(result.all())


async def claim_invite(
    session: AsyncSession, invite_id: int, *, user_id: int, now: datetime
) -> bool:
    """Mark the invite used by `user_id`; return False when someone used or revoked it first.

    One UPDATE with the conditions in its WHERE clause, so two people pressing at the same
    moment cannot both get the role.
    """
    result = await session.exec(  # type: ignore[call-overload]
        update(Invite)
        .where(
            col(Invite.id) == invite_id,
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
            col(Invite.expires_at) > now,
        )
        .values(used_by=user_id, used_at=now)
    )
    return result.rowcount == 1
