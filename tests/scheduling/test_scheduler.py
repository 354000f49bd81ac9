"""Scheduled runs: once per deployment (a lease), caught up after downtime, housekeeping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlmodel import select

from core.config import load_settings
from models.conversations import Conversation
from models.db import create_engine_from_url, session_scope
from models.inbox import InboxUpdate
from models.leases import JobLease
from models.outbox import Outbox
from services.notify.outbox import enqueue
from services.scheduling.jobs import JOBS
from services.scheduling.runs import Job
from services.scheduling.scheduler import JobRunner, build_scheduler

#: 07:00 WIB on 1 March 2027, in UTC.
SEVEN_WIB = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def daily_reminder_job(runs: list[tuple[str, datetime]], name: str = "reminder") -> Job:
    """A job at 07:00 WIB that plans one outbox row per run, as a reminder job would."""

    async def work(run) -> None:
        runs.append((name, run.planned_at))
        await enqueue(
            run.session,
            recipient_id=42,
            kind="reminder",
            payload={"day": run.planned_at.date().isoformat()},
            dedup_key=f"reminder:{run.planned_at.isoformat()}",
            due_at=run.now,
        )

    return Job(name, lambda settings: CronTrigger(hour=7, timezone=settings.zone), work)


def runner(engine, settings, clock, job, owner) -> JobRunner:
    return JobRunner(engine=engine, settings=settings, jobs=[job], owner=owner, clock=clock)


async def _count(engine, table) -> int:
    async with session_scope(engine) as session:
        return len((await session.exec(select(table))).all())


@pytest.mark.parametrize(
    ("start", "runs_at_start"),
    [
        (SEVEN_WIB - timedelta(seconds=1), 0),  # just before: APScheduler fires it at 07:00
        (SEVEN_WIB, 1),  # at the planned time
        (SEVEN_WIB + timedelta(minutes=30), 1),  # after: caught up once
        (SEVEN_WIB + timedelta(hours=7), 0),  # past the misfire grace: skipped
    ],
)
async def test_catch_up_runs_a_missed_run_once_when_started_around_its_time(
    engine, settings, start, runs_at_start
):
    runs: list = []
    clock = Clock(start)
    first = runner(engine, settings, clock, daily_reminder_job(runs), "instance-a")

    await first.catch_up()
    second = runner(engine, settings, clock, daily_reminder_job(runs), "instance-b")
    await second.catch_up()

    assert len(runs) == runs_at_start
    assert await _count(engine, Outbox) == runs_at_start


async def test_a_fire_just_after_start_runs_the_planned_run_once(engine, settings):
    runs: list = []
    clock = Clock(SEVEN_WIB - timedelta(seconds=1))
    instances = [
        runner(engine, settings, clock, daily_reminder_job(runs), owner) for owner in "abc"
    ]
    for instance in instances:
        await instance.catch_up()
    clock.now = SEVEN_WIB + timedelta(milliseconds=3)

    results = await asyncio.gather(*(instance.run_now("reminder") for instance in instances))

    assert sorted(results) == [False, False, True]
    assert runs == [("reminder", SEVEN_WIB)]
    assert await _count(engine, Outbox) == 1


async def test_lease_of_a_killed_instance_expires_and_another_runs_the_job(engine, settings):
    """Instance A takes the run's lease and dies mid-run; B runs it once A's lease ran out."""
    runs: list = []
    clock = Clock(SEVEN_WIB)

    async def dies_mid_run(run) -> None:
        await enqueue(
            run.session,
            recipient_id=42,
            kind="reminder",
            payload={},
            dedup_key="reminder:killed",
            due_at=run.now,
        )
        raise asyncio.CancelledError

    killed = runner(
        engine,
        settings,
        clock,
        Job("reminder", lambda s: CronTrigger(hour=7, timezone=s.zone), dies_mid_run),
        "instance-a",
    )
    other = runner(engine, settings, clock, daily_reminder_job(runs), "instance-b")

    with pytest.raises(asyncio.CancelledError):
        await killed.run_now("reminder")
    assert await other.run_now("reminder") is False
    assert await _count(engine, Outbox) == 0

    clock.now = SEVEN_WIB + timedelta(seconds=settings.job_lease_seconds + 1)
    assert await other.run_now("reminder") is True
    assert runs == [("reminder", SEVEN_WIB)]
    async with session_scope(engine) as session:
        [lease] = (await session.exec(select(JobLease))).all()
    assert (lease.owner, lease.finished_at is not None) == ("instance-b", True)
    assert await other.run_now("reminder") is False


async def test_apscheduler_fires_the_declared_jobs_through_the_lease(engine, settings):
    runs: list = []

    async def work(run) -> None:
        runs.append(run.planned_at)

    every_second = Job("tick", lambda s: CronTrigger(second="*", timezone=s.zone), work)
    scheduler = build_scheduler(
        JobRunner(engine=engine, settings=settings, jobs=[every_second], owner="a")
    )
    scheduler.start()
    try:
        async with asyncio.timeout(5):
            while not runs:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    assert str(scheduler.timezone) == "Asia/Jakarta"
    assert await _count(engine, JobLease) >= 1


def test_jobs_are_declared_once_with_unique_names():
    names = [job.name for job in JOBS]
    assert len(names) == len(set(names))
    settings = load_settings()
    for job in JOBS:
        next_run = job.trigger(settings).get_next_fire_time(
            None, SEVEN_WIB.astimezone(settings.zone)
        )
        assert 0 <= (next_run - SEVEN_WIB).total_seconds() <= 24 * 3600


async def test_housekeeping_forgets_old_updates_sent_rows_and_stale_drafts(engine, settings):
    old = SEVEN_WIB - timedelta(days=10)
    async with session_scope(engine) as session:
        session.add(InboxUpdate(update_id=1, chat_id=5, event={}, received_at=old, applied_at=old))
        session.add(InboxUpdate(update_id=2, chat_id=5, event={}, received_at=old))
        session.add(InboxUpdate(update_id=3, chat_id=5, event={}, applied_at=SEVEN_WIB))
        session.add(
            Conversation(chat_id=5, user_id=5, step="title", draft={"x": 1}, updated_at=old)
        )
        session.add(
            Conversation(
                chat_id=6,
                user_id=6,
                step="title",
                draft={"x": 1},
                updated_at=SEVEN_WIB - timedelta(days=1),
            )
        )
        for number, state in enumerate(("sent", "failed", "queued")):
            session.add(
                Outbox(
                    recipient_id=5,
                    kind="reminder",
                    dedup_key=f"old:{number}",
                    due_at=old - timedelta(days=30),
                    next_attempt_at=old,
                    sent_at=old - timedelta(days=30) if state == "sent" else None,
                    state=state,
                )
            )
    cleaning = [job for job in JOBS if job.work.__module__ == "services.scheduling.housekeeping"]
    housekeeping = JobRunner(
        engine=engine,
        settings=settings,
        jobs=cleaning,
        owner="a",
        clock=Clock(SEVEN_WIB - timedelta(hours=3, minutes=15)),  # 03:45 WIB
    )
    assert sorted(await housekeeping.catch_up()) == sorted(job.name for job in cleaning)

    async with session_scope(engine) as session:
        updates = sorted(row.update_id for row in (await session.exec(select(InboxUpdate))).all())
        stale = await session.get(Conversation, 5)
        fresh = await session.get(Conversation, 6)
        states = sorted(row.state for row in (await session.exec(select(Outbox))).all())
    assert updates == [2, 3]
    assert (stale.step, stale.draft) == ("idle", {})
    assert (fresh.step, fresh.draft) == ("title", {"x": 1})
    assert states == ["failed", "queued"]


async def test_each_instance_with_its_own_engine_runs_a_shared_run_once(engine, settings):
    runs: list = []
    clock = Clock(SEVEN_WIB + timedelta(minutes=1))
    second_engine = create_engine_from_url(settings.database_url)
    try:
        first = runner(engine, settings, clock, daily_reminder_job(runs), "a")
        second = runner(second_engine, settings, clock, daily_reminder_job(runs), "b")
        results = await asyncio.gather(first.catch_up(), second.catch_up())
    finally:
        await second_engine.dispose()
    assert sorted(len(ran) for ran in results) == [0, 1]
    assert len(runs) == 1
