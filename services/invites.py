"""Invites: Bappeda makes one for a desa (lurah), a kecamatan (camat) or a new admin.

The token travels in a Telegram deep link; only its SHA-256 hash is stored, so a copy of
the database cannot be used to take a role. An invite is single use, expires after
`INVITE_DAYS` (a setting) and can be revoked. Accepting it gives the role; whoever held
the same role for the same place goes back to being a resident and is told.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from models.enums import RegionLevel, Role
from models.invites import Invite, claim_invite, get_invite_by_hash
from models.regions import get_region
from models.roles import list_holders
from services.status_notices import INVITE_ACCEPTED, ROLE_REPLACED, enqueue

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.regions import Region
    from models.users import User

TOKEN_BYTES = 18  # 24 URL-safe characters, fits Telegram's 64-character start parameter
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
ROLE_LEVELS: dict[Role, frozenset[RegionLevel]] = {
    Role.LURAH: frozenset({RegionLevel.DESA, RegionLevel.KELURAHAN}),
    Role.CAMAT: frozenset({RegionLevel.KECAMATAN}),
    Role.BAPPEDA: frozenset(),
}


class InviteProblem(StrEnum):
    """Why a token cannot be used."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


class InviteError(ValueError):
    """An invite cannot be made for this role and place."""


class InviteRefusedError(Exception):
    """A token cannot be accepted; `problem` says why."""

    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Acceptance:
    """The role someone accepted, and who lost it to them."""

    invite: Invite
    replaced: list[int]


def hash_token(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def deep_link(bot_username: str, token: str) -> str:
    """Return the link that opens the bot with the token (``/start TOKEN``)."""
    return f"https://t.me/{bot_username}?start={token}"


def looks_like_token(text: str) -> bool:
    """Return whether `text` has the shape of an invite token."""
    return TOKEN_PATTERN.fullmatch(text.strip()) is not None


async def create_invite(
    session: AsyncSession,
    *,
    role: Role,
    region_code: str | None,
    created_by: int | None,
    now: datetime,
    valid_days: int,
) -> tuple[Invite, str]:
    """Store a new invite and return it with its token (shown once, never stored).

    Raises:
        InviteError: the place does not exist or does not fit the role.
    """
    levels = ROLE_LEVELS.get(role)
    if levels is None:
        msg = f"no invites for the role {role}"
        raise InviteError(msg)
    region: Region | None = None
    if levels:
        region = await get_region(session, region_code or "")
        if region is None or region.level not in levels:
            msg = f"{region_code!r} is not a {' or '.join(sorted(levels))} code"
            raise InviteError(msg)
    elif region_code:
        msg = f"a {role} invite has no place"
        raise InviteError(msg)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invite = Invite(
        token_hash=hash_token(token),
        role=role,
        region_code=region.code if region else None,
        created_by=created_by,
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    session.add(invite)
    await session.flush()
    return invite, token


def problem_of(invite: Invite | None, now: datetime) -> InviteProblem | None:
    """Return why the invite cannot be used now, or None when it can."""
    if invite is None:
        return InviteProblem.UNKNOWN
    if invite.revoked_at is not None:
        return InviteProblem.REVOKED
    if invite.used_at is not None:
        return InviteProblem.USED
    if invite.expires_at <= now:
        return InviteProblem.EXPIRED
    return None


async def find_invite(session: AsyncSession, token: str) -> Invite | None:
    """Return the invite of a token, whatever its state."""
    if not looks_like_token(token):
        return None
    return await get_invite_by_hash(session, hash_token(token.strip()))


async def accept_invite(
    session: AsyncSession, *, token: str, user: User, now: datetime
) -> Acceptance:
    """Give `user` the invite's role and place; the previous holder becomes a resident.

    Raises:
        InviteRefusedError: the token is unknown, used, expired or revoked; nothing changes.
    """
    invite = await find_invite(session, token)
    problem = problem_of(invite, now)
    if problem is not None or invite is None:
        raise InviteRefusedError(problem or InviteProblem.UNKNOWN)
    if not await claim_invite(session, invite.id or 0, user_id=user.telegram_id, now=now):
        raise InviteRefusedError(InviteProblem.USED)
    await session.refresh(invite)
    role = Role(invite.role)
    replaced: list[int] = []
    if role is not Role.BAPPEDA:
        for holder in await list_holders(session, role, invite.region_code):
            if holder.telegram_id == user.telegram_id:
                continue
            holder.role = Role.WARGA
            holder.region_code = None
            holder.updated_at = now
            replaced.append(holder.telegram_id)
            await enqueue(
                session,
                recipient_id=holder.telegram_id,
                kind=ROLE_REPLACED,
                payload={"role": role.value, "region_code": invite.region_code},
                dedup_key=f"replaced:{invite.id}:{holder.telegram_id}",
                due_at=now,
            )
    user.role = role
    user.region_code = invite.region_code
    user.updated_at = now
    if invite.created_by is not None and invite.created_by != user.telegram_id:
        await enqueue(
            session,
            recipient_id=invite.created_by,
            kind=INVITE_ACCEPTED,
            payload={
                "invite_id": invite.id,
                "role": role.value,
                "region_code": invite.region_code,
                "user_id": user.telegram_id,
            },
            dedup_key=f"accepted:{invite.id}",
            due_at=now,
        )
    return Acceptance(invite=invite, replaced=replaced)


async def revoke_invite(session: AsyncSession, invite_id: int, *, now: datetime) -> Invite:
    """Revoke an invite that has not been used.

    Raises:
        InviteRefusedError: there is no such invite, or it was used or revoked already.
    """
    invite = await session.get(Invite, invite_id)
    problem = problem_of(invite, now)
    if invite is None or problem in {InviteProblem.UNKNOWN, InviteProblem.USED}:
        raise InviteRefusedError(problem or InviteProblem.UNKNOWN)
    if problem is InviteProblem.REVOKED:
        raise InviteRefusedError(problem)
    invite.revoked_at = now
    session.add(invite)
    return invite
