"""The Musrenbang chain through the real runtimes and the fake Bot API."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from bot.runtime.aiogram_app import create_bot, send_reply
from core.config import load_settings
from handlers.dispatch import Core
from models.db import session_scope
from models.enums import Role, Status
from models.proposals import Proposal
from models.users import User
from services.importing.reference import load_bundled_regions
from tests.e2e.runtimes import running_bot
from tests.proposal_factories import add_proposal
from tests.scenarios.drivers import FakeApiDriver
from tests.scenarios.roles_stories import ADMIN, CAMAT, LURAH, results_workbook, whole_chain

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from tests.e2e.fake_bot_api import FakeBotApi
    from tests.e2e.runtimes import Framework

pytest_plugins = ["tests.e2e.conftest_runtimes"]
pytestmark = pytest.mark.e2e

OFFICIAL_COMMANDS = {"desa", "kecamatan", "undang", "impor", "koreksi"}


def _core(engine: AsyncEngine, url: str) -> Core:
    return Core(
        engine=engine, settings=load_settings(database_url=url, bappeda_admin_ids=str(ADMIN))
    )


def _menu(api: FakeBotApi, chat_id: int) -> list[str]:
    return [item["command"] for item in api.commands(scope={"type": "chat", "chat_id": chat_id})]


@pytest.fixture(autouse=True)
async def _regions(e2e_engine: AsyncEngine) -> None:
    async with session_scope(e2e_engine) as session:
        await load_bundled_regions(session)


async def test_bappeda_lurah_camat_and_residents_work_a_whole_musrenbang(
    fake_api: FakeBotApi, e2e_engine: AsyncEngine, sqlite_url: str
) -> None:
    core = _core(e2e_engine, sqlite_url)
    async with running_bot(fake_api, core, "aiogram", database_url=sqlite_url) as running:
        bot = create_bot(running.settings)
        try:
            await whole_chain(
                lambda chat_id, name: FakeApiDriver(fake_api, chat_id=chat_id, first_name=name),
                FakeApiDriver(fake_api, chat_id=ADMIN, first_name="Bu Rina"),
                e2e_engine,
                partial(send_reply, bot),
            )
        finally:
            await bot.session.close()
    assert f"https://t.me/{core.bot_username}?start=" in "\n".join(fake_api.texts(ADMIN))
    assert "desa" in _menu(fake_api, LURAH)
    assert "kecamatan" not in _menu(fake_api, LURAH)
    assert "kecamatan" in _menu(fake_api, CAMAT)
    assert not OFFICIAL_COMMANDS & {item["command"] for item in fake_api.commands()}


async def test_invite_menu_and_spreadsheet_work_through_each_runtime(
    fake_api: FakeBotApi, e2e_engine: AsyncEngine, framework: Framework, sqlite_url: str
) -> None:
    async with session_scope(e2e_engine) as session:
        proposal = await add_proposal(
            session,
            kecamatan_code="17.07.01",
            desa_code="17.07.01.2002",
            status=Status.DITERUSKAN_OPD,
        )
        code = proposal.tracking_code
    core = _core(e2e_engine, sqlite_url)
    admin = FakeApiDriver(fake_api, chat_id=ADMIN, first_name="Bu Rina")
    lurah = FakeApiDriver(fake_api, chat_id=LURAH, first_name="Pak Harun")
    async with running_bot(fake_api, core, framework, database_url=sqlite_url):
        await admin.send("/start", expect="Apakah Anda setuju?")
        await admin.press("✅ Setuju", expect="Apa yang ingin Anda lakukan?")
        await admin.send("/undang", expect="Siapa yang ingin Anda undang?")
        await admin.press("👤 Lurah / kepala desa", expect="kecamatan")
        await admin.send("gandung", expect="sudah siap")
        link = re.search(r"https://t\.me/(\w+)\?start=([\w-]+)", "\n".join(fake_api.texts(ADMIN)))
        assert link is not None
        assert link.group(1) == core.bot_username
        await lurah.send(f"/start {link.group(2)}", expect="mengundang Anda")
        await lurah.press("✅ Terima", expect="Selamat datang, Pak Harun")
        await admin.send("/impor", expect="Kirim berkas Excel")
        await admin.send_file(
            results_workbook([(code, "Diakomodasi", "Masuk RKPD")]),
            "hasil.xlsx",
            expect="1 perubahan",
        )
        await admin.press("✅ Terapkan 1 perubahan", expect="1 perubahan diterapkan")
    assert "desa" in _menu(fake_api, LURAH)
    assert "undang" not in _menu(fake_api, LURAH)
    async with session_scope(e2e_engine) as session:
        stored = (await session.exec(select(Proposal))).one()
        lurah_user = await session.get(User, LURAH)
    assert stored.status == Status.DIAKOMODIR
    assert (lurah_user.role, lurah_user.region_code) == (Role.LURAH, "17.07.01.2002")
