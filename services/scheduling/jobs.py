"""Every scheduled job, declared here and nowhere else (times are WIB, the TZ setting)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apscheduler.triggers.cron import CronTrigger

from services.scheduling import announcements, housekeeping
from services.scheduling.runs import Job

if TYPE_CHECKING:
    from core.config import Settings


def daily(hour: int, minute: int = 0) -> object:
    """Return a trigger factory for every day at hour:minute in the settings' time zone."""

    def trigger(settings: Settings) -> CronTrigger:
        return CronTrigger(hour=hour, minute=minute, timezone=settings.zone)

    return trigger


def at_summary_time(settings: Settings) -> CronTrigger:
    """Return the trigger of the daily summary: every day at SUMMARY_TIME."""
    hour, minute = (int(part) for part in settings.summary_time.split(":"))
    return CronTrigger(hour=hour, minute=minute, timezone=settings.zone)


def every_quarter_hour(settings: Settings) -> CronTrigger:
    """Return a trigger at :00, :15, :30 and :45 (reminders are written when they are due)."""
    return CronTrigger(minute="*/15", timezone=settings.zone)


JOBS: tuple[Job, ...] = (
    Job("daily-summary", at_summary_time, announcements.plan_daily_summary),
    Job("plan-reminders", every_quarter_hour, announcements.plan_due_reminders),
    Job("prune-inbox", daily(3, 10), housekeeping.prune_inbox),  # type: ignore[arg-type]
    Job("prune-outbox", daily(3, 20), housekeeping.prune_outbox),  # type: ignore[arg-type]
    Job("clear-old-drafts", daily(3, 30), housekeeping.clear_old_drafts),  # type: ignore[arg-type]
    Job("prune-job-runs", daily(3, 40), housekeeping.prune_job_runs),  # type: ignore[arg-type]
)
