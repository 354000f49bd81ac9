"""Deleting a person's data (UU 27/2022): the person goes, their proposals stay unlinked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import delete, inspect, update
from sqlmodel import col

from models.outbox import Outbox
from models.proposals import Proposal, StatusChange, Supporter

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from models.conversations import Conversation
    from models.users import User


@dataclass(frozen=True, slots=True)
class Anonymised:
    """How many records lost their link to a person who deleted their data."""

    proposals: int
    supports: int
    status_changes: int


async def anonymise_person(session: AsyncSession, user_id: int) -> Anonymised:
    """Unlink a person from their proposals, supports and status changes; keep the rows."""
    proposals = await session.exec(  # type: ignore[call-overload]
        update(Proposal).where(col(Proposal.proposer_id) == user_id).values(proposer_id=None)
    )
    supports = await session.exec(  # type: ignore[call-overload]
        update(Supporter).where(col(Supporter.user_id) == user_id).values(user_id=None)
    )
    changes = await session.exec(  # type: ignore[call-overload]
        update(StatusChange).where(col(StatusChange.changed_by) == user_id).values(changed_by=None)
    )
    return Anonymised(
        proposals=proposals.rowcount, supports=supports.rowcount, status_changes=changes.rowcount
    )


async def forget_person(
    session: AsyncSession, *, user: User, conversation: Conversation
) -> Anonymised:
    """Delete the person, their chat state and unsent messages; unlink what stays."""
    kept = await anonymise_person(session, user.telegram_id)
    await session.exec(  # type: ignore[call-overload]
        delete(Outbox).where(
            col(Outbox.recipient_id) == user.telegram_id, col(Outbox.sent_at).is_(None)
        )
    )
    for row in (conversation, user):
        if inspect(row).persistent:
            await session.delete(row)
        elif row in session:
            session.expunge(row)
    return kept
