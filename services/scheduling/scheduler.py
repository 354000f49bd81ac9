"""APScheduler in the bot process; each planned run takes a database lease, so it runs once.

Several instances each run the same AsyncIOScheduler. When a job fires, the instance takes the
lease of that planned run (a `JobLease` row keyed by job and planned time); the others find it
taken. A run that was planned while no instance was up (or that an instance was killed in the
middle of, letting its lease expire) is caught up at start-up, within the misfire grace.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from models.base import utcnow
from models.db import run_transaction
from models.leases import finish_lease, run_finished, take_lease
from services.scheduling.runs import JobRun

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from sqlalchemy.ext.asyncio import AsyncEngine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from services.scheduling.runs import Job

logger = logging.getLogger(__name__)


class LeaseLostError(Exception):
    """Another instance took the run over before this one finished; its work is rolled back."""


class JobRunner:
    """Runs planned job runs once per deployment; the clock is injectable for tests."""

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        settings: Settings,
        jobs: Iterable[Job],
        owner: str,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.jobs = {job.name: job for job in jobs}
        self.owner = owner
        self.clock = clock

    def latest_planned(self, job: Job, now: datetime) -> datetime | None:
        """Return the job's latest planned time at or before `now`, within the misfire grace."""
        trigger = job.trigger(self.settings)
        grace = timedelta(seconds=self.settings.job_misfire_grace_seconds)
        local_now = now.astimezone(self.settings.zone)
        latest = None
        fire = trigger.get_next_fire_time(None, local_now - grace)
        while fire is not None and fire <= local_now:
            latest = fire
            fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        return latest.astimezone(UTC) if latest is not None else None

    async def run_planned(self, name: str, planned_at: datetime) -> bool:
        """Run the job's run planned at `planned_at` unless it ran; return whether this did."""
        job = self.jobs[name]
        run_key = planned_at.astimezone(UTC).isoformat(timespec="seconds")
        now = self.clock()
        until = now + timedelta(seconds=self.settings.job_lease_seconds)

        async def lease(session: AsyncSession) -> bool:
            return await take_lease(
                session, job=name, run_key=run_key, owner=self.owner, now=now, until=until
            )

        if not await run_transaction(self.engine, lease):
            logger.debug("Job %s run %s belongs to another instance", name, run_key)
            return False

        async def work(session: AsyncSession) -> None:
            await job.work(
                JobRun(session=session, settings=self.settings, planned_at=planned_at, now=now)
            )
            finished = await finish_lease(
                session, job=name, run_key=run_key, owner=self.owner, now=self.clock()
            )
            if not finished:
                raise LeaseLostError(name)

        try:
            await run_transaction(self.engine, work)
        except Exception:
            logger.exception(
                "Job %s run %s failed; it is retried when its lease ends", name, run_key
            )
            return False
        logger.info("Job %s ran for %s", name, run_key)
        return True

    async def run_now(self, name: str) -> bool:
        """Run the job's latest planned run if it has not run (what a fire of APScheduler does)."""
        planned = self.latest_planned(self.jobs[name], self.clock())
        if planned is None:
            return False
        return await self.run_planned(name, planned)

    async def catch_up(self) -> list[str]:
        """Run every job whose latest planned run (within the grace) has not run; return them."""
        ran = []
        for name, job in self.jobs.items():
            planned = self.latest_planned(job, self.clock())
            if planned is None:
                continue
            key = planned.astimezone(UTC).isoformat(timespec="seconds")

            async def done(session: AsyncSession, name: str = name, key: str = key) -> bool:
                return await run_finished(session, job=name, run_key=key)

            if not await run_transaction(self.engine, done) and await self.run_planned(
                name, planned
            ):
                ran.append(name)
        return ran

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        """Add every job to APScheduler; a fire runs the latest planned run through the lease."""
        for name, job in self.jobs.items():
            scheduler.add_job(
                self.run_now,
                trigger=job.trigger(self.settings),
                args=[name],
                id=name,
                name=name,
                misfire_grace_time=self.settings.job_misfire_grace_seconds,
                coalesce=True,
                max_instances=1,
            )


def build_scheduler(runner: JobRunner) -> AsyncIOScheduler:
    """Return an AsyncIOScheduler in the settings' time zone with every job of `runner`."""
    scheduler = AsyncIOScheduler(timezone=runner.settings.zone)
    runner.schedule(scheduler)
    return scheduler
