"""The calendar through the real aiogram runtime and the fake Bot API: /jadwal and /pengingat."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from core.config import load_settings
from handlers.dispatch import Core
from models.calendar import ReminderPreference
from models.db import session_scope
from services.importing.reference import load_bundled_regions
from tests.e2e.runtimes import running_bot
from tests.scenarios import stories
from tests.scenarios.calendar_stories import (
    bappeda_adds_a_kecamatan_stage,
    make_bappeda,
    resident_sees_the_schedule_of_a_kecamatan,
)
from tests.scenarios.drivers import FakeApiDriver

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from tests.e2e.fake_bot_api import FakeBotApi

pytest_plugins = ["tests.e2e.conftest_runtimes"]
pytestmark = pytest.mark.e2e

NOW = datetime(2027, 1, 29, 3, 0, tzinfo=UTC)  # Friday 29 January 2027, 10:00 WIB
PLANNER, RESIDENT = 4242, 7001


async def test_bappeda_sets_a_kecamatan_stage_and_a_resident_sees_its_days_left(
    fake_api: FakeBotApi, e2e_engine: AsyncEngine, sqlite_url: str
) -> None:
    async with session_scope(e2e_engine) as session:
        await load_bundled_regions(session)
    await make_bappeda(e2e_engine, PLANNER)
    core = Core(
        engine=e2e_engine, settings=load_settings(database_url=sqlite_url), clock=lambda: NOW
    )
    async with running_bot(fake_api, core, "aiogram", database_url=sqlite_url):
        planner = FakeApiDriver(fake_api, chat_id=PLANNER, first_name="Rina")
        await stories.agree(planner)
        stage = await bappeda_adds_a_kecamatan_stage(planner, e2e_engine)
        assert stage.closes_at == datetime(2027, 2, 5, 9, 0, tzinfo=UTC)
        assert "Bulan Februari 2027 hanya sampai tanggal 28" in planner.transcript()

        resident = FakeApiDriver(fake_api, chat_id=RESIDENT, first_name="Budi")
        await stories.agree(resident)
        await resident_sees_the_schedule_of_a_kecamatan(resident, "Lebong Utara")
        schedule = resident.transcript()
        assert "Ditutup: Jumat, 5 Februari 2027, 16.00 WIB" in schedule
        assert "🗓 Dibuka 3 hari lagi." in schedule
        await resident.send("/pengingat", expect="Pengingat menyala")
        await resident.press("🔕 Matikan pengingat", expect="Pengingat mati")
    async with session_scope(e2e_engine) as session:
        assert (await session.get(ReminderPreference, RESIDENT)).enabled is False
