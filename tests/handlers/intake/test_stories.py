"""The intake stories driven straight through the core (SQLite and PostgreSQL)."""

import pytest
from sqlmodel import select

from handlers.dispatch import Core
from models.conversations import Conversation
from models.db import create_engine_from_url, session_scope
from models.proposals import Supporter
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver
from tests.scenarios.people import make_lurah

pytestmark = pytest.mark.usefixtures("regions")


async def test_resident_submits_a_complete_proposal(core, engine):
    await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)


async def test_resident_supports_a_similar_proposal_instead(core, engine):
    existing = await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)
    await stories.resident_supports_a_similar_proposal(
        CoreDriver(core, chat_id=777, first_name="Budi"), engine, existing
    )


async def test_resident_edits_every_field_from_the_preview(core, engine):
    await stories.resident_edits_every_field_from_the_preview(CoreDriver(core), engine)


async def test_lurah_submits_three_proposals_in_a_row(core, engine):
    await make_lurah(engine, 4242, "17.07.01.2002")
    await stories.lurah_submits_three_proposals_in_a_row(CoreDriver(core), engine)


async def test_draft_continues_after_a_restart(core, engine, settings):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    restarted_engine = create_engine_from_url(settings.database_url)
    try:
        driver.core = Core(engine=restarted_engine, settings=settings)
        await stories.fill_from_bidang(driver)
        await driver.press("✅ Kirim usulan", expect=stories.SENT)
    finally:
        await restarted_engine.dispose()
    proposal = await stories.only_proposal(engine)
    assert proposal.desa_code == "17.07.01.2002"


async def test_own_similar_proposal_is_a_reminder_not_something_to_support(core, engine):
    driver = CoreDriver(core)
    existing = await stories.resident_submits_a_complete_proposal(driver, engine)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect="(usulan Anda sendiri)")
    assert "Anda sudah pernah mengusulkan ini" in driver.transcript()
    with pytest.raises(LookupError):
        await driver.press(f"👍 Dukung {existing.tracking_code}", expect="")
    await driver.press_data(f"dukung:{existing.id}", expect="pilih salah satu tombol")
    async with session_scope(engine) as session:
        assert (await session.exec(select(Supporter))).all() == []


async def test_lurah_cannot_move_the_proposal_to_another_desa(core, engine):
    await make_lurah(engine, 4242, "17.07.01.2002")
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.BIDANG_QUESTION)
    await stories.fill_from_bidang(driver, photo=False)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Desa / kelurahan", expect="tidak bisa diganti di sini")
    assert stories.PREVIEW in driver.transcript().rsplit("tidak bisa diganti", 1)[1]
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.step == "usul.preview"
    assert conversation.draft["desa_code"] == "17.07.01.2002"


async def test_dont_know_keeps_a_confident_match_unconfirmed(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect="cocok dengan program RPJMD berikut")
    await driver.press("🤷 Tidak tahu / lainnya", expect=stories.PROBLEM_QUESTION)
    async with session_scope(engine) as session:
        draft = (await session.get(Conversation, driver.chat_id)).draft
    assert (draft["program_code"], draft.get("match_confirmed")) == ("1.03.10", None)
