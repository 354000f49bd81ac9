"""One run of a job: what it gets, and the lease that makes it happen once per deployment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from apscheduler.triggers.base import BaseTrigger
    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings


@dataclass(frozen=True, slots=True)
class JobRun:
    """What a job's work gets: one transaction, the planned time of this run, and now.

    The work writes outbox rows (`services.notify.outbox.enqueue`) and housekeeping only;
    it never calls Telegram. Its writes commit together with the end of the run's lease.
    """

    session: AsyncSession
    settings: Settings
    planned_at: datetime
    now: datetime


@dataclass(frozen=True, slots=True)
class Job:
    """A job: its name (unique), when it runs (in the settings' time zone), and its work."""

    name: str
    trigger: Callable[[Settings], BaseTrigger]
    work: Callable[[JobRun], Awaitable[None]]
