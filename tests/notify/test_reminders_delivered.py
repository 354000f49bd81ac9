"""Reminders planned by the scheduled job reach people through the real sender, once, by day."""

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.app import build_app, build_sender
from handlers.dispatch import Core
from models.calendar import StageLevel
from models.db import session_scope
from models.outbox import Outbox
from services.scheduling.jobs import JOBS
from services.scheduling.scheduler import JobRunner
from tests.calendar.test_planning import LEBONG_UTARA, add_draft, add_person, add_stage

WIB = ZoneInfo("Asia/Jakarta")
RESIDENT = 101


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def reminder_rows(engine) -> list[Outbox]:
    async with session_scope(engine) as session:
        rows = await session.exec(select(Outbox).where(Outbox.kind == "reminder"))
        return list(rows.all())


async def send_all(sender, engine) -> None:
    async with asyncio.timeout(30):
        while any(row.state == "queued" for row in await reminder_rows(engine)):
            if not await sender.send_due():
                await asyncio.sleep(0.05)


@pytest.mark.usefixtures("regions")
async def test_a_draft_reminder_arrives_at_eight_once_a_day_and_never_at_night(
    engine, send_settings, client, fake_api
):
    await add_stage(
        engine,
        level=StageLevel.KECAMATAN,
        region=LEBONG_UTARA,
        opens=datetime(2027, 2, 1, 8, tzinfo=WIB),
        closes=datetime(2027, 2, 5, 16, tzinfo=WIB),
    )
    await add_person(engine, RESIDENT)
    await add_draft(engine, RESIDENT)
    fake_api.add_user(RESIDENT)
    clock = Clock(datetime(2027, 2, 1, 22, 0, tzinfo=WIB))
    app = build_app(send_settings, core=Core(engine=engine, settings=send_settings, clock=clock))
    planner = [job for job in JOBS if job.name == "plan-reminders"]

    async def quarter(owner: str) -> None:
        runner = JobRunner(
            engine=engine, settings=send_settings, jobs=planner, owner=owner, clock=clock
        )
        await runner.catch_up()
        await send_all(build_sender(app, client), engine)

    await quarter("a")  # 22:00: quiet hours
    assert fake_api.texts(RESIDENT) == []

    clock.now = datetime(2027, 2, 2, 8, 0, tzinfo=WIB)  # three days before the close
    await quarter("a")
    clock.now += timedelta(minutes=15)
    await quarter("b")  # another instance, the next quarter: nothing new
    [reminder] = fake_api.texts(RESIDENT)
    assert "belum selesai" in reminder
    assert "/pengingat" in reminder
    keyboard = fake_api.last_message(RESIDENT)["reply_markup"]["inline_keyboard"]
    assert [button["text"] for row in keyboard for button in row] == ["▶️ Lanjutkan draf"]
    [row] = await reminder_rows(engine)
    assert row.state == "sent"
