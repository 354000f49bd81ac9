"""Input only a hand-made client sends: refused with a clear message, nothing entered lost."""

import pytest

from models.conversations import Conversation
from models.db import session_scope
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")

FAR_AWAY = "jauh di luar Kabupaten Lebong"


async def draft_of(engine, chat_id=4242) -> dict:
    async with session_scope(engine) as session:
        return dict((await session.get(Conversation, chat_id)).draft)


async def at_title_step(core) -> CoreDriver:
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    return driver


async def at_location_step(core) -> CoreDriver:
    driver = await at_title_step(core)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
    await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
    return driver


async def test_title_of_zero_width_characters_is_refused_and_asked_again(core, engine):
    driver = await at_title_step(core)
    await driver.send("\u200b\u200c\u200d\u2060\ufeff" * 4, expect="Jawabannya masih kosong")
    assert "<i>Contoh:" in driver._last_texts[-1]
    await driver.send("\u200bjln\u200b\u200b\u200b", expect="terlalu pendek")
    assert "title" not in await draft_of(engine)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    assert (await draft_of(engine))["title"] == stories.ROAD


async def test_fraction_and_exponent_volumes_are_read_as_written(core, engine):
    driver = await at_location_step(core)
    await driver.send("RT 02 dusun 2", expect=stories.VOLUME_QUESTION)
    await driver.send("1e308 m", expect="terlalu besar")
    assert "volume" not in await draft_of(engine)
    await driver.send("½ km", expect="Volume: 0,5 km")
    assert (await draft_of(engine))["volume"]["value"] == 0.5
