"""Whether proposals can be submitted now, from the Musrenbang calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.calendar import Stage, has_calendar, next_stage, open_stage

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession


@dataclass(frozen=True)
class IntakeWindow:
    """The open stage (if any), the next one, and whether intake is open.

    With no calendar configured, intake is always open and `stage` is None.
    """

    is_open: bool
    stage: Stage | None
    upcoming: Stage | None


async def current_window(session: AsyncSession, now: datetime) -> IntakeWindow:
    """Return the intake window at `now`."""
    if not await has_calendar(session):
        return IntakeWindow(is_open=True, stage=None, upcoming=None)
    stage = await open_stage(session, now)
    upcoming = await next_stage(session, now)
    return IntakeWindow(is_open=stage is not None, stage=stage, upcoming=upcoming)
