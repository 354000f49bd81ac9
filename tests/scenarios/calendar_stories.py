"""Calendar stories, written once, run through the core and through a runtime."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import col, select

from models.calendar import Stage
from models.db import session_scope
from models.enums import Role
from models.users import User

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from tests.scenarios.drivers import Driver

CALENDAR = "Jadwal Musrenbang"
LEVEL_QUESTION = "Tahap apa ini?"
AREA_QUESTION = "Untuk wilayah mana?"
OPENS_QUESTION = "Kapan pengajuan dibuka?"
CLOSES_QUESTION = "Kapan pengajuan ditutup"
FORUM_QUESTION = "Kapan forumnya"
NAME_QUESTION = "Apa nama tahapnya?"
SUMMARY = "Tahap baru"
SAVED = "✅ Tersimpan"


async def make_bappeda(engine: AsyncEngine, telegram_id: int) -> None:
    """Register a Bappeda planner before they first talk to the bot."""
    async with session_scope(engine) as session:
        session.add(User(telegram_id=telegram_id, role=Role.BAPPEDA))


async def stage_named(engine: AsyncEngine, name: str) -> Stage:
    """Return the stored stage with this name."""
    async with session_scope(engine) as session:
        result = await session.exec(select(Stage).where(col(Stage.name) == name))
        return result.one()


async def bappeda_adds_a_kecamatan_stage(
    driver: Driver,
    engine: AsyncEngine,
    *,
    kecamatan: str = "Lebong Utara",
    opens: str = "1 Feb 2027 08.00",
    closes: str = "5 Feb 2027 16.00",
    forum: str = "8 Feb 2027 09.00",
) -> Stage:
    """Bappeda adds one kecamatan's Musrenbang, typing dates as people do, one of them wrong."""
    await driver.send("/jadwal", expect=CALENDAR)
    await driver.press("➕ Tambah tahap", expect=LEVEL_QUESTION)
    await driver.press("Musrenbang Kecamatan", expect=AREA_QUESTION)
    await driver.press(kecamatan, expect=OPENS_QUESTION)
    await driver.send("31/2/2027", expect="hanya sampai tanggal 28")
    await driver.send(opens, expect=CLOSES_QUESTION)
    await driver.send(closes, expect=FORUM_QUESTION)
    await driver.send(forum, expect=NAME_QUESTION)
    name = f"Musrenbang Kecamatan {kecamatan} 2027"
    await driver.press(f"✅ {name}", expect=SUMMARY)
    await driver.press("✅ Simpan", expect=SAVED)
    return await stage_named(engine, name)


async def resident_sees_the_schedule_of_a_kecamatan(driver: Driver, kecamatan: str) -> None:
    """A resident with no proposal yet picks a kecamatan and sees its stages."""
    await driver.send("/jadwal", expect="Anda tinggal di kecamatan mana?")
    await driver.press(kecamatan, expect=f"{CALENDAR} untuk {kecamatan}")
