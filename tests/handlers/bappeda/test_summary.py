"""/ringkasan through the core: Bappeda gets text, chart and workbook; others are refused."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from PIL import Image
from sqlalchemy import func
from sqlmodel import select

from core.config import load_settings
from core.events import SendDocument, SendPhoto, SendText
from handlers.dispatch import Core
from models.conversations import Conversation
from models.db import session_scope
from models.enums import Role
from models.proposals import Proposal
from models.users import User
from tests.factories import command
from tests.proposal_factories import DESA, add_proposal, add_supporters
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver
from tests.services.reports.helpers import read_sheets

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.events import Reply

ADMIN, ROLE_HOLDER, RESIDENT = 61001, 61002, 61003
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 10:00 WIB
REFUSAL = "hanya untuk petugas Bappeda"


@pytest.fixture
def bappeda_core(engine: AsyncEngine, database_url: str) -> Core:
    settings = load_settings(database_url=database_url, bappeda_admin_ids=str(ADMIN))
    return Core(engine=engine, settings=settings, clock=lambda: NOW)


@pytest.fixture
async def proposals(engine: AsyncEngine, regions: None) -> int:
    async with session_scope(engine) as session:
        first = await add_proposal(session, created_at=NOW.replace(hour=1))
        await add_supporters(session, first, [7001, 7002])
        await add_proposal(session, title="Sumur bor untuk air bersih 💧", desa_code=DESA)
        session.add(User(telegram_id=ROLE_HOLDER, role=Role.BAPPEDA))
        return 2


def texts(replies: list[Reply]) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, SendText)]


async def count_proposals(engine: AsyncEngine) -> int:
    async with session_scope(engine) as session:
        return int((await session.exec(select(func.count()).select_from(Proposal))).one())


@pytest.mark.parametrize("user_id", [ADMIN, ROLE_HOLDER])
async def test_ringkasan_sends_bappeda_the_text_the_chart_and_the_workbook(
    bappeda_core: Core, engine: AsyncEngine, proposals: int, user_id: int
) -> None:
    replies = await bappeda_core.handle(command("ringkasan", chat_id=user_id))

    said = "\n".join(texts(replies))
    assert "📊 <b>Ringkasan Musrenbang, Kabupaten Lebong</b>" in said
    assert "<b>Jumlah usulan: 2</b>" in said
    assert "<b>Baru sejak Senin, 30 November 2026, 07.00 WIB</b>" in said
    assert "➕ Usulan baru: 1" in said
    [photo] = [reply for reply in replies if isinstance(reply, SendPhoto)]
    [document] = [reply for reply in replies if isinstance(reply, SendDocument)]
    assert photo.chat_id == document.chat_id == user_id
    assert Image.open(io.BytesIO(photo.content or b"")).format == "PNG"
    assert photo.caption == "Usulan per kecamatan, Senin, 30 November 2026, 10.00 WIB"
    assert document.filename == "ringkasan-musrenbang-2026-11-30.xlsx"
    rows = read_sheets(document.content)["Usulan"][1:]
    assert len(rows) == await count_proposals(engine) == proposals
    assert {row[5] for row in rows} == {
        "Perbaikan jalan usaha tani",
        "Sumur bor untuk air bersih 💧",
    }
    assert isinstance(replies[-1], SendDocument)


async def test_ringkasan_refuses_a_resident_politely(
    bappeda_core: Core, engine: AsyncEngine, proposals: int
) -> None:
    replies = await bappeda_core.handle(command("ringkasan", chat_id=RESIDENT))

    [refusal] = texts(replies)
    assert REFUSAL in refusal
    assert "/usulansaya" in refusal
    assert not [reply for reply in replies if isinstance(reply, SendPhoto | SendDocument)]
    async with session_scope(engine) as session:
        user = await session.get(User, RESIDENT)
    assert user is not None
    assert user.role == Role.WARGA


async def test_ringkasan_refusal_keeps_a_resident_draft_and_asks_again(
    bappeda_core: Core, engine: AsyncEngine, regions: None
) -> None:
    resident = CoreDriver(bappeda_core, chat_id=RESIDENT)
    await stories.agree(resident)
    await resident.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await resident.press("Lebong Utara", expect=stories.DESA_QUESTION)

    await resident.send("/ringkasan", expect=REFUSAL)
    assert stories.DESA_QUESTION in resident.transcript().rsplit(REFUSAL, 1)[1]

    await resident.press("Gandung", expect=stories.BIDANG_QUESTION)
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, RESIDENT)
    assert conversation is not None
    assert conversation.draft["desa_code"] == "17.07.01.2002"
