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


@pytest.mark.parametrize(("latitude", "longitude"), [(0.0, 0.0), (51.5074, -0.1278)])
async def test_point_far_from_lebong_is_refused_and_can_be_sent_again(
    core, engine, latitude, longitude
):
    driver = await at_location_step(core)
    await driver.share_location(latitude, longitude, expect=FAR_AWAY)
    assert "latitude" not in await draft_of(engine)
    await driver.share_location(-3.0621, 102.2534, expect=stories.LOCATION_RECEIVED)
    assert (await draft_of(engine))["latitude"] == -3.0621


async def test_point_far_from_lebong_is_skipped_with_a_typed_description(core, engine):
    driver = await at_location_step(core)
    await driver.share_location(0.0, 0.0, expect=FAR_AWAY)
    await driver.send("RT 02 / RW 01, depan masjid", expect=stories.VOLUME_QUESTION)
    draft = await draft_of(engine)
    assert draft["location_detail"] == "RT 02 / RW 01, depan masjid"
    assert "latitude" not in draft


async def test_far_point_when_editing_keeps_the_description(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, location=False)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Lokasi", expect=stories.LOCATION_QUESTION)
    await driver.share_location(51.5074, -0.1278, expect=FAR_AWAY)
    await driver.press("Lanjut tanpa titik peta ➡️", expect=stories.PREVIEW)
    draft = await draft_of(engine)
    assert draft["location_detail"] == "RT 02 / RW 01, depan masjid Al-Ikhlas"
    assert "latitude" not in draft


async def test_svg_named_like_a_program_is_not_stored_as_a_photo(core, engine):
    driver = await at_location_step(core)
    await driver.send("RT 02 dusun 2", expect=stories.VOLUME_QUESTION)
    await driver.press("🤷 Tidak tahu", expect=stories.PEOPLE_QUESTION)
    await driver.press("🤷 Tidak tahu", expect=stories.URGENCY_QUESTION)
    await driver.press("🟢 Biasa", expect=stories.PHOTO_QUESTION)
    refused = "hanya foto atau berkas gambar (JPG, PNG, atau WebP)"
    await driver.send_document("image/svg+xml", file_name="virus.exe", expect=refused)
    await driver.send_document("image/svg+xml", file_name="peta.svg", expect=refused)
    await driver.send_document("image/png", file_name="virus.exe", expect=refused)
    assert "photo_file_ids" not in await draft_of(engine)
    await driver.send_document("image/png", file_name="jalan.PNG", expect="1 dari 3 foto")
    await driver.send_document("image/webp", file_name=None, expect="2 dari 3 foto")
    assert len((await draft_of(engine))["photo_file_ids"]) == 2


async def test_fraction_and_exponent_volumes_are_read_as_written(core, engine):
    driver = await at_location_step(core)
    await driver.send("RT 02 dusun 2", expect=stories.VOLUME_QUESTION)
    await driver.send("1e308 m", expect="terlalu besar")
    assert "volume" not in await draft_of(engine)
    await driver.send("½ km", expect="Volume: 0,5 km")
    assert (await draft_of(engine))["volume"]["value"] == 0.5
