"""The Musrenbang chain through the real runtimes and the fake Bot API."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

import pytest
from sqlmodel import col, select

from models.base import utcnow
from models.db import session_scope
from models.enums import Role, Status
from models.outbox import Outbox, OutboxState
from models.proposals import Proposal
from models.users import User
from services.importing.reference import load_bundled_regions
from tests.e2e.runtimes import running_bot
from tests.proposal_factories import add_proposal
from tests.scenarios.drivers import FakeApiDriver
from tests.scenarios.roles_stories import ADMIN, CAMAT, LURAH, results_workbook, whole_chain

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.events import Reply
    from handlers.dispatch import Core
    from tests.e2e.fake_bot_api import FakeBotApi
    from tests.e2e.runtimes import Framework

pytest_plugins = ["tests.e2e.conftest_runtimes"]
pytestmark = pytest.mark.e2e

OFFICIAL_COMMANDS = {"desa", "kecamatan", "undang", "impor", "koreksi"}
OUTBOX_POLL_SECONDS = 0.05
OUTBOX_SECONDS = 15.0


async def _outbox_delivered(engine: AsyncEngine) -> None:
    """Wait until the runtime's sender has sent every row due by now; fail on a lost one."""
    async with asyncio.timeout(OUTBOX_SECONDS):
        while True:
            async with session_scope(engine) as session:
                rows = (
                    await session.exec(
                        select(Outbox).where(
                            col(Outbox.state) != OutboxState.SENT, Outbox.due_at <= utcnow()
                        )
                    )
                ).all()
            lost = [
                (row.kind, row.state, row.last_error)
                for row in rows
                if row.state in {OutboxState.FAILED, OutboxState.DROPPED}
            ]
            assert not lost, f"the runtime gave up on outbox rows: {lost}"
            if not rows:
                return
            await asyncio.sleep(OUTBOX_POLL_SECONDS)


class DeliveredDriver(FakeApiDriver):
    """A person whose every step also waits until the runtime has sent what the step queued.

    So the notifications a step causes (a status change, a returned proposal) reach the chats
    through the runtime's own outbox sender before the story goes on.
    """

    def __init__(
        self, api: FakeBotApi, engine: AsyncEngine, chat_id: int, first_name: str
    ) -> None:
        super().__init__(api, chat_id=chat_id, first_name=first_name)
        self.engine = engine

    async def _wait(self, expect: str) -> None:
        await super()._wait(expect)
        await _outbox_delivered(self.engine)


async def _left_unsent(reply: Reply) -> None:
    """Fail: the story's outbox stand-in found a row the runtime should have sent already."""
    msg = f"the runtime's sender left a notification unsent: {reply!r}"
    raise AssertionError(msg)


def _menu(api: FakeBotApi, chat_id: int) -> list[str]:
    return [item["command"] for item in api.commands(scope={"type": "chat", "chat_id": chat_id})]


@pytest.fixture(autouse=True)
async def _regions(e2e_engine: AsyncEngine) -> None:
    async with session_scope(e2e_engine) as session:
        await load_bundled_regions(session)


async def test_bappeda_lurah_camat_and_residents_work_a_whole_musrenbang(
    fake_api: FakeBotApi, e2e_engine: AsyncEngine, e2e_core: Core, sqlite_url: str
) -> None:
    async with running_bot(
        fake_api, e2e_core, "aiogram", database_url=sqlite_url, bappeda_admin_ids=str(ADMIN)
    ):
        await whole_chain(
            lambda chat_id, name: DeliveredDriver(fake_api, e2e_engine, chat_id, name),
            DeliveredDriver(fake_api, e2e_engine, ADMIN, "Bu Rina"),
            e2e_engine,
            _left_unsent,
        )
    assert f"https://t.me/{e2e_core.bot_username}?start=" in "\n".join(fake_api.texts(ADMIN))
    assert "desa" in _menu(fake_api, LURAH)
    assert "kecamatan" not in _menu(fake_api, LURAH)
    assert "kecamatan" in _menu(fake_api, CAMAT)
    assert not OFFICIAL_COMMANDS & {item["command"] for item in fake_api.commands()}


async def test_invite_menu_and_spreadsheet_work_through_each_runtime(
    fake_api: FakeBotApi,
    e2e_engine: AsyncEngine,
    e2e_core: Core,
    framework: Framework,
    sqlite_url: str,
) -> None:
    async with session_scope(e2e_engine) as session:
        proposal = await add_proposal(
            session,
            kecamatan_code="17.07.01",
            desa_code="17.07.01.2002",
            status=Status.DITERUSKAN_OPD,
        )
        code = proposal.tracking_code
    admin = FakeApiDriver(fake_api, chat_id=ADMIN, first_name="Bu Rina")
    lurah = FakeApiDriver(fake_api, chat_id=LURAH, first_name="Pak Harun")
    async with running_bot(
        fake_api, e2e_core, framework, database_url=sqlite_url, bappeda_admin_ids=str(ADMIN)
    ):
        await admin.send("/start", expect="Apakah Anda setuju?")
        await admin.press("✅ Setuju", expect="Apa yang ingin Anda lakukan?")
        await admin.send("/undang", expect="Siapa yang ingin Anda undang?")
        await admin.press("👤 Lurah / kepala desa", expect="kecamatan")
        await admin.send("gandung", expect="sudah siap")
        link = re.search(r"https://t\.me/(\w+)\?start=([\w-]+)", "\n".join(fake_api.texts(ADMIN)))
        assert link is not None
        assert link.group(1) == e2e_core.bot_username
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
