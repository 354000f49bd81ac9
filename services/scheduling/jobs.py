"""Every scheduled job, declared here and nowhere else (times are WIB, the TZ setting)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apscheduler.triggers.cron import CronTrigger

from services.scheduling import housekeeping
from services.scheduling.runs import Job

if TYPE_CHECKING:
    from core.config import Settings


def daily(hour: int, minute: int = 0) -> object:
    """Return a trigger factory for every day at hour:minute in the settings' time zone."""

    def trigger(settings: Settings) -> CronTrigger:
        return CronTrigger(hour=hour, minute=minute, timezone=settings.zone)

    return trigger


JOBS: tuple[Job, ...] = (
    Job("prune-inbox", daily(3, 10), housekeeping.prune_inbox),  # type: ignore[arg-type]
    Job("prune-outbox", daily(3, 20), housekeeping.prune_outbox),  # type: ignore[arg-type]
    Job("clear-old-drafts", daily(3, 30), housekeeping.clear_old_drafts),  # type: ignore[arg-type]
    Job("prune-job-runs", daily(3, 40), housekeeping.prune_job_runs),  # type: ignore[arg-type]
)
