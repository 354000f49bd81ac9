"""Bad input at the intake steps: a clear message, the step asked again, nothing lost."""

import pytest

from models.conversations import Conversation
from models.db import session_scope
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")


async def draft_of(engine, chat_id=4242) -> dict:
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, chat_id)
    return dict(conversation.draft)


async def at_title_step(core) -> CoreDriver:
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    return driver


async def test_sticker_where_text_is_expected_is_refused_and_the_step_asked_again(core, engine):
    driver = await at_title_step(core)
    await driver.send_sticker(expect="belum bisa membaca stiker")
    assert stories.TITLE_QUESTION in driver.transcript().rsplit("stiker", 1)[1]
    assert (await draft_of(engine))["bidang"] == "infrastruktur"


async def test_photo_where_text_is_expected_points_to_the_photo_step(core, engine):
    driver = await at_title_step(core)
    await driver.send_photo(expect="foto dikirim nanti")
    assert "photo_file_ids" not in await draft_of(engine)


async def test_location_where_text_is_expected_points_to_the_location_step(core):
    driver = await at_title_step(core)
    await driver.share_location(-3.1, 102.2, expect="lokasi dikirim nanti")


async def test_title_over_the_limit_states_the_limit(core, engine):
    driver = await at_title_step(core)
    await driver.send("jalan " * 400, expect="maksimal 200")
    assert "title" not in await draft_of(engine)


async def test_too_short_title_asks_for_more(core):
    driver = await at_title_step(core)
    await driver.send("jln", expect="terlalu pendek")


async def test_text_where_a_button_is_expected_asks_to_press_one(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.send("jalan", expect="pilih salah satu tombol")
    assert (await draft_of(engine))["desa_code"] == "17.07.01.2002"


async def test_unparseable_volume_explains_and_keeps_the_draft(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Volume", expect=stories.VOLUME_QUESTION)
    await driver.send("panjang sekali", expect="tidak menemukan angka")
    await driver.send("150", expect="150 apa?")
    await driver.send("-5 m", expect="lebih dari nol")
    draft = await draft_of(engine)
    assert draft["volume"]["display"] == "800 m"
    assert draft["title"] == stories.ROAD
    await driver.send("1,5 km", expect=stories.PREVIEW)
    assert (await draft_of(engine))["volume"]["value"] == 1.5


async def test_old_button_press_is_refused_and_the_current_step_asked_again(core):
    driver = await at_title_step(core)
    await driver.press("Lebong Utara", expect=stories.TITLE_QUESTION)


async def test_a_command_in_the_middle_keeps_the_step(core, engine):
    driver = await at_title_step(core)
    await driver.send("/bantuan", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    assert (await draft_of(engine))["title"] == stories.ROAD


async def test_non_image_document_is_refused_at_the_photo_step(core):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
    await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
    await driver.send("RT 02 dusun 2", expect=stories.VOLUME_QUESTION)
    await driver.press("🤷 Tidak tahu", expect=stories.PEOPLE_QUESTION)
    await driver.press("🤷 Tidak tahu", expect=stories.URGENCY_QUESTION)
    await driver.press("🟢 Biasa", expect=stories.PHOTO_QUESTION)
    await driver.send_document("application/pdf", expect="hanya foto atau berkas gambar")
    await driver.send_document("image/jpeg", expect="1 dari 3 foto diterima")


async def test_a_fourth_photo_is_refused_and_the_three_are_kept(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Foto", expect="1 dari 3 foto diterima")
    await driver.send_photo(expect="2 dari 3 foto diterima")
    await driver.send_photo(expect=stories.PREVIEW)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Foto", expect="3 dari 3 foto diterima")
    await driver.send_photo(expect="sudah mengirim 3 foto")
    assert len((await draft_of(engine))["photo_file_ids"]) == 3


async def test_continue_at_the_location_step_with_nothing_given_asks_again(core, engine):
    driver = await at_title_step(core)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
    await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
    await driver.press_data("loc", expect=stories.LOCATION_QUESTION)
    async with session_scope(engine) as session:
        assert (await session.get(Conversation, driver.chat_id)).step == "usul.location"
