"""Taking back reminders that have not been sent: a stage moved or deleted, a person opted out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlmodel import col, select

from models.calendar import PlannedReminder
from models.outbox import Outbox

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement
    from sqlmodel.ext.asyncio.session import AsyncSession


async def cancel_stage_reminders(session: AsyncSession, stage_id: int) -> int:
    """Withdraw every unsent message that mentions the stage; return how many.

    A message may also carry reminders about other stages (one message a day per person):
    all its reminders are forgotten, so the next planning run plans what is still due again,
    with the stage's new dates.
    """
    return await _cancel_unsent(session, col(PlannedReminder.stage_id) == stage_id)


async def cancel_person_reminders(session: AsyncSession, person_id: int) -> int:
    """Withdraw the person's unsent reminder messages; return how many."""
    return await _cancel_unsent(session, col(PlannedReminder.recipient_id) == person_id)


async def _cancel_unsent(session: AsyncSession, which: ColumnElement[bool]) -> int:
    outbox_ids = select(PlannedReminder.outbox_id).where(
        which, col(PlannedReminder.outbox_id).is_not(None)
    )
    # Lock the messages first: a sender claiming them (SKIP LOCKED) passes them by, and one
    # that is sending a message right now finishes before we look at `sent_at`.
    unsent = list(
        (
            await session.exec(
                select(Outbox.id)
                .where(col(Outbox.id).in_(outbox_ids), col(Outbox.sent_at).is_(None))
                .with_for_update()
            )
        ).all()
    )
    if not unsent:
        return 0
    await session.exec(  # type: ignore[call-overload]
        delete(PlannedReminder).where(col(PlannedReminder.outbox_id).in_(unsent))
    )
    await session.exec(delete(Outbox).where(col(Outbox.id).in_(unsent)))  # type: ignore[call-overload]
    return len(unsent)
