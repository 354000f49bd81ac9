"""Whether proposals can be submitted now, from the Musrenbang calendar and the village."""

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


async def current_window(
    session: AsyncSession, now: datetime, region_code: str | None = None
) -> IntakeWindow:
    """Return the intake window at `now` for a village (its desa code).

    A stage covers the whole regency, one kecamatan or one desa; when several open stages
    cover the village, the one closing first takes the proposal. Without `region_code`
    (the village is not chosen yet) intake is open when a stage is open anywhere.
    """
    if not await has_calendar(session):
        return IntakeWindow(is_open=True, stage=None, upcoming=None)
    stage = await open_stage(session, now, region_code)
    upcoming = await next_stage(session, now, region_code)
    return IntakeWindow(is_open=stage is not None, stage=stage, upcoming=upcoming)
