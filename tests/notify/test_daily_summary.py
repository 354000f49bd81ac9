"""The morning summary: planned by the scheduled job, delivered by the sender, once per admin."""

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.app import build_app, build_sender
from core.config import load_settings
from handlers.dispatch import Core
from models.db import session_scope
from models.enums import Role
from models.outbox import Outbox
from models.users import User
from services.scheduling.jobs import JOBS
from services.scheduling.scheduler import JobRunner
from tests.proposal_factories import add_proposal

WIB = ZoneInfo("Asia/Jakarta")
SEVEN = datetime(2027, 1, 20, 7, 0, tzinfo=WIB)
LISTED_ADMIN, ROLE_ADMIN, RESIDENT = 501, 502, 503


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def summary_jobs():
    return [job for job in JOBS if job.name == "daily-summary"]


async def rows(engine) -> list[Outbox]:
    async with session_scope(engine) as session:
        return list((await session.exec(select(Outbox).order_by(Outbox.id))).all())


async def send_all(sender, engine) -> None:
    async with asyncio.timeout(30):
        while any(row.state == "queued" for row in await rows(engine)):
            if not await sender.send_due():
                await asyncio.sleep(0.05)


@pytest.mark.usefixtures("regions")
async def test_each_admin_gets_text_chart_and_workbook_once_even_after_a_restart(
    engine, send_settings, client, fake_api
):
    settings = load_settings(**{**send_settings.model_dump(), "bappeda_admin_ids": [LISTED_ADMIN]})
    clock = Clock(SEVEN)
    app = build_app(settings, core=Core(engine=engine, settings=settings, clock=clock))
    async with session_scope(engine) as session:
        session.add(User(telegram_id=ROLE_ADMIN, role=Role.BAPPEDA, language="id"))
        session.add(User(telegram_id=RESIDENT, language="id"))
        session.add(User(telegram_id=LISTED_ADMIN, language="id"))
        await add_proposal(session, title="Rabat beton jalan dusun 2")
    for chat in (LISTED_ADMIN, ROLE_ADMIN, RESIDENT):
        fake_api.add_user(chat)

    first = JobRunner(
        engine=engine, settings=settings, jobs=summary_jobs(), owner="a", clock=clock
    )
    await first.catch_up()
    await send_all(build_sender(app, client), engine)

    clock.now = SEVEN + timedelta(seconds=30)
    restarted = JobRunner(
        engine=engine, settings=settings, jobs=summary_jobs(), owner="b", clock=clock
    )
    await restarted.catch_up()
    await send_all(build_sender(app, client), engine)

    for admin in (LISTED_ADMIN, ROLE_ADMIN):
        methods = [call.method for call in fake_api.sent(admin)]
        assert methods.count("sendPhoto") == 1
        assert methods.count("sendDocument") == 1
        assert methods[-2:] == ["sendPhoto", "sendDocument"]
        assert "Ringkasan" in fake_api.texts(admin)[0]
    assert fake_api.sent(RESIDENT) == []
    summary_rows = [row for row in await rows(engine) if row.kind == "daily_summary"]
    assert sorted(row.recipient_id for row in summary_rows) == [LISTED_ADMIN, ROLE_ADMIN]
    assert {row.state for row in summary_rows} == {"sent"}
