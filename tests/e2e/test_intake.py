"""The intake stories through the real aiogram and python-telegram-bot runtimes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from core.config import load_settings
from handlers.dispatch import Core
from models.conversations import Conversation
from models.db import create_engine_from_url, session_scope
from services.importing.reference import load_bundled_regions
from tests.e2e.runtimes import running_bot
from tests.scenarios import stories
from tests.scenarios.drivers import FakeApiDriver
from tests.scenarios.people import make_lurah

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from tests.e2e.fake_bot_api import FakeBotApi
    from tests.e2e.runtimes import Framework, RunningBot

pytest_plugins = ["tests.e2e.conftest_runtimes"]
pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
async def _regions(e2e_engine: AsyncEngine) -> None:
    async with session_scope(e2e_engine) as session:
        await load_bundled_regions(session)


async def test_resident_submits_a_proposal_with_photo_and_location(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    driver = FakeApiDriver(fake_api)
    proposal = await stories.resident_submits_a_complete_proposal(driver, e2e_engine)
    [photo_id] = proposal.photo_file_ids
    assert fake_api.file_content(photo_id)


async def test_resident_supports_an_existing_similar_proposal(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    existing = await stories.resident_submits_a_complete_proposal(
        FakeApiDriver(fake_api), e2e_engine
    )
    await stories.resident_supports_a_similar_proposal(
        FakeApiDriver(fake_api, chat_id=7002, first_name="Budi"), e2e_engine, existing
    )


async def test_resident_edits_every_field_from_the_preview(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    await stories.resident_edits_every_field_from_the_preview(FakeApiDriver(fake_api), e2e_engine)


async def test_lurah_submits_three_proposals_in_a_row(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    await make_lurah(e2e_engine, 4242, "17.07.01.2002")
    await stories.lurah_submits_three_proposals_in_a_row(FakeApiDriver(fake_api), e2e_engine)


async def test_draft_continues_after_the_bot_restarts(
    fake_api: FakeBotApi, e2e_engine: AsyncEngine, framework: Framework, sqlite_url: str
) -> None:
    driver = FakeApiDriver(fake_api)
    settings = load_settings(database_url=sqlite_url)
    async with running_bot(
        fake_api, Core(engine=e2e_engine, settings=settings), framework, database_url=sqlite_url
    ):
        await stories.agree(driver)
        await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
        await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
        await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    restarted_engine = create_engine_from_url(sqlite_url)
    try:
        restarted = Core(engine=restarted_engine, settings=settings)
        async with running_bot(fake_api, restarted, framework, database_url=sqlite_url):
            await stories.fill_from_bidang(driver)
            await driver.press("✅ Kirim usulan", expect=stories.SENT)
    finally:
        await restarted_engine.dispose()
    proposal = await stories.only_proposal(e2e_engine)
    assert proposal.desa_code == "17.07.01.2002"


async def test_bad_input_through_the_runtime_keeps_the_draft(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    driver = FakeApiDriver(fake_api)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.send("jalan", expect="pilih salah satu tombol")
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    await driver.send_sticker(expect="belum bisa membaca stiker")
    fake_api.push_voice(driver.chat_id)
    await fake_api.wait_for(driver.chat_id, text="pesan suara", timeout=15)
    await driver.send_photo(expect="foto dikirim nanti")
    await driver.send("x" * 2000, expect="maksimal 200")
    await driver.press("Lebong Utara", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    async with session_scope(e2e_engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.draft["desa_code"] == "17.07.01.2002"
    assert conversation.draft["title"] == stories.ROAD


async def test_resident_talks_without_commands(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    await stories.resident_talks_without_commands(FakeApiDriver(fake_api), e2e_engine)
