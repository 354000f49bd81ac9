"""Kecamatan and desa by button or by a typed, misspelled or old name."""

import pytest

from models.conversations import Conversation
from models.db import session_scope
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")


async def at_kecamatan_step(core) -> CoreDriver:
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    return driver


async def test_typed_desa_with_arabic_number_finds_the_roman_one(core):
    driver = await at_kecamatan_step(core)
    await driver.send("semelako 2", expect="Semelako II, Kecamatan Lebong Tengah")


async def test_old_name_pelabai_finds_kecamatan_tubei(core):
    driver = await at_kecamatan_step(core)
    await driver.send("pelabai", expect="Kecamatan: Tubei")
    await driver.press("Pelabai", expect=stories.BIDANG_QUESTION)


async def test_ambiguous_name_offers_the_candidates_as_buttons(core):
    driver = await at_kecamatan_step(core)
    await driver.send("semelako", expect="Yang Anda maksud")
    await driver.press("Semelako III", expect=stories.BIDANG_QUESTION)


async def test_unknown_place_says_so_and_asks_again(core):
    driver = await at_kecamatan_step(core)
    await driver.send("jakarta selatan", expect="tidak menemukan tempat bernama")


async def test_desa_pages_and_going_back_to_another_kecamatan(core):
    driver = await at_kecamatan_step(core)
    await driver.press("Lebong Utara", expect="halaman 1 dari 2")
    await driver.press("Berikutnya ➡️", expect="halaman 2 dari 2")
    await driver.press("Tunggang", expect=stories.BIDANG_QUESTION)


async def test_desa_typed_in_another_kecamatan_is_offered(core):
    driver = await at_kecamatan_step(core)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.send("ketenong 2", expect="Ketenong II")


async def test_another_kecamatan_from_the_preview_asks_for_its_desa_again(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Desa / kelurahan", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Tengah", expect=stories.DESA_QUESTION)
    async with session_scope(engine) as session:
        draft = (await session.get(Conversation, driver.chat_id)).draft
    assert (draft["kecamatan_code"], draft.get("desa_code")) == ("17.07.03", None)
