"""Jobs that plan what people are told: the daily summary to Bappeda and the reminders."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlmodel import col, select

from models.enums import Role
from models.users import User
from services.notify.outbox import Priority, enqueue
from services.reminders.planning import plan_reminders

if TYPE_CHECKING:
    from services.scheduling.runs import JobRun

logger = logging.getLogger(__name__)

#: The kind of the outbox row that becomes the day's summary (text, chart, workbook).
DAILY_SUMMARY = "daily_summary"


async def plan_daily_summary(run: JobRun) -> None:
    """Plan the day's summary once for every Bappeda admin (listed in settings or by role)."""
    day = run.planned_at.astimezone(run.settings.zone).date()
    by_role = await run.session.exec(
        select(User.telegram_id).where(col(User.role) == Role.BAPPEDA, col(User.active))
    )
    admins = sorted(set(run.settings.bappeda_admin_ids) | set(by_role.all()))
    planned = 0
    for admin in admins:
        planned += await enqueue(
            run.session,
            recipient_id=admin,
            kind=DAILY_SUMMARY,
            payload={"day": day.isoformat()},
            dedup_key=f"summary:{admin}:{day.isoformat()}",
            due_at=run.now,
            priority=Priority.BULK,
        )
    logger.info("Daily summary of %s planned for %s admins", day, planned)


async def plan_due_reminders(run: JobRun) -> None:
    """Write the reminders due now (once per person, stage and slot; never at night)."""
    written = await plan_reminders(run.session, now=run.now, settings=run.settings)
    if written:
        logger.info("Planned %s reminder messages", written)
