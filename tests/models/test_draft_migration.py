"""Drafts saved by the previous version (before the typed draft) continue after the upgrade."""

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import Connection, MetaData, Table, create_engine, text
from sqlmodel import SQLModel, select

from core.config import load_settings
from handlers.dispatch import Core
from models.base import utcnow
from models.conversations import Conversation
from models.db import alembic_config, create_engine_from_url, session_scope, sync_url, upgrade
from models.enums import Bidang, Status
from models.proposals import Proposal, StatusChange, Supporter
from models.users import User
from services.importing.reference import load_bundled_regions
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

BEFORE_TYPED_DRAFT = "75578d38f868"
AT_PROGRAM, STOPPED = 6101, 6102
GANDUNG = ("17.07.01", "17.07.01.2002")
ROAD_OPTION = {"code": "1.03.10", "name": "Jalan", "opd": "Dinas PUPR", "score": 0.8}


def draft_at_program_step(similar_id: int) -> dict:
    """What the previous version stored after the title step, word for word."""
    return {
        "resume_step": "usul.program",
        "kecamatan_code": GANDUNG[0],
        "desa_code": GANDUNG[1],
        "desa_page": 0,
        "bidang": "infrastruktur",
        "title": stories.ROAD,
        "match_options": [ROAD_OPTION],
        "match_confident": True,
        "match_note": "",
        "program_code": None,
        "match_score": None,
        "match_confirmed": False,
        "program_decided": False,
        "similar": [
            {
                "id": similar_id,
                "tracking_code": "LBG-24-OLD01",
                "title": "Aspal jalan dusun 2",
                "supporters": 0,
                "status_label": "Diajukan",
                "own": False,
            }
        ],
    }


def draft_stopped_at_photos(saved_at: str) -> dict:
    """A draft kept with /batal at the photo step by the previous version."""
    return {
        **draft_at_program_step(0),
        "similar": [],
        "resume_step": "usul.photos",
        "saved_at": saved_at,
        "program_code": "1.03.10",
        "match_score": 0.8,
        "match_confirmed": True,
        "program_decided": True,
        "problem": stories.ROAD_PROBLEM,
        "location_detail": "RT 02 depan masjid",
        "latitude": -3.0621,
        "longitude": 102.2534,
        "volume": {"value": 1.5, "unit": "km", "text": "± 1,5 km", "display": "± 1,5 km"},
        "beneficiaries": {"unknown": True, "text": ""},
        "urgency": "mendesak",
        "editing": False,
    }


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database_url(request, tmp_path):
    """Yield a database whose schema is that of the previous version; leave it current."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        engine = create_engine(sync_url(url))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url, BEFORE_TYPED_DRAFT)
    yield url
    upgrade(url)


def insert_as_then(connection: Connection, row: SQLModel) -> int:
    """Insert `row` with only the columns its table has at the old revision; return its key.

    Columns added by later migrations are left out, so this test keeps writing what the
    previous version wrote however the models grow.
    """
    table = Table(row.__tablename__, MetaData(), autoload_with=connection)
    values = {
        name: value
        for name, value in row.model_dump().items()
        if name in table.c and not (value is None and table.c[name].primary_key)
    }
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]


async def write_as_the_previous_version(url: str) -> int:
    """Store two chats mid-intake with old-style drafts; return the similar proposal's id."""
    engine = create_engine_from_url(url)
    try:
        async with session_scope(engine) as session:
            await load_bundled_regions(session)
    finally:
        await engine.dispose()
    saved_at = (utcnow() - timedelta(days=1)).isoformat()
    sync_engine = create_engine(sync_url(url))
    try:
        with sync_engine.begin() as connection:
            existing_id = insert_as_then(
                connection,
                Proposal(
                    tracking_code="LBG-24-OLD01",
                    kecamatan_code=GANDUNG[0],
                    desa_code=GANDUNG[1],
                    bidang=Bidang.INFRASTRUKTUR,
                    title="Aspal jalan dusun 2",
                    status=Status.DIAJUKAN,
                ),
            )
            insert_as_then(
                connection, StatusChange(proposal_id=existing_id, to_status=Status.DIAJUKAN)
            )
            for chat_id in (AT_PROGRAM, STOPPED):
                insert_as_then(
                    connection, User(telegram_id=chat_id, consent_at=utcnow(), name="Siti")
                )
            insert_as_then(
                connection,
                Conversation(
                    chat_id=AT_PROGRAM,
                    user_id=AT_PROGRAM,
                    step="usul.program",
                    draft=draft_at_program_step(existing_id),
                ),
            )
            insert_as_then(
                connection,
                Conversation(
                    chat_id=STOPPED,
                    user_id=STOPPED,
                    step="idle",
                    draft=draft_stopped_at_photos(saved_at),
                ),
            )
        with sync_engine.begin() as connection:
            # Since the draft was saved, the proposal got a supporter and was verified.
            insert_as_then(connection, Supporter(proposal_id=existing_id, user_id=None))
            connection.execute(
                text("UPDATE proposal SET status = :status WHERE id = :id"),
                {"status": Status.DIVERIFIKASI.value, "id": existing_id},
            )
        return existing_id
    finally:
        sync_engine.dispose()


async def test_draft_at_the_program_step_continues_after_the_upgrade(old_database_url):
    similar_id = await write_as_the_previous_version(old_database_url)
    upgrade(old_database_url)
    settings = load_settings(database_url=old_database_url, telegram_bot_token="")
    engine = create_engine_from_url(old_database_url)
    try:
        async with session_scope(engine) as session:
            draft = (await session.get(Conversation, AT_PROGRAM)).draft
        assert draft["similar_ids"] == [similar_id]
        assert "similar" not in draft
        assert "match_note" not in draft
        driver = CoreDriver(Core(engine=engine, settings=settings), chat_id=AT_PROGRAM)
        await driver.send("/bantuan", expect=stories.PROGRAM_CHOICE)
        assert "(1 pendukung, Diverifikasi desa/kelurahan)" in driver.transcript()
        await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
        await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
        await driver.send("RT 02 / RW 01, depan masjid Al-Ikhlas", expect=stories.VOLUME_QUESTION)
        await driver.send("800 m", expect=stories.PEOPLE_QUESTION)
        await driver.send("sekitar 120 KK", expect=stories.URGENCY_QUESTION)
        await driver.press("🟠 Mendesak", expect=stories.PHOTO_QUESTION)
        await driver.press("Lewati, tanpa foto ➡️", expect=stories.PREVIEW)
        await driver.press("✅ Kirim usulan", expect=stories.SENT)
        async with session_scope(engine) as session:
            proposal = (
                await session.exec(select(Proposal).where(Proposal.proposer_id == AT_PROGRAM))
            ).one()
    finally:
        await engine.dispose()
    assert (proposal.kecamatan_code, proposal.desa_code) == GANDUNG
    assert (proposal.title, proposal.bidang) == (stories.ROAD, "infrastruktur")
    assert (proposal.program_code, proposal.match_confirmed) == ("1.03.10", True)
    assert proposal.match_confident is True
    assert proposal.match_alternatives == [ROAD_OPTION]


async def test_draft_kept_with_batal_resumes_after_the_upgrade(old_database_url):
    await write_as_the_previous_version(old_database_url)
    upgrade(old_database_url)
    settings = load_settings(database_url=old_database_url, telegram_bot_token="")
    engine = create_engine_from_url(old_database_url)
    try:
        driver = CoreDriver(Core(engine=engine, settings=settings), chat_id=STOPPED)
        await driver.send("/usul", expect="belum selesai")
        await driver.press("▶️ Lanjutkan draf", expect=stories.PHOTO_QUESTION)
        await driver.send_photo(expect="1 dari 3 foto diterima")
        await driver.press("Selesai ✅", expect=stories.PREVIEW)
        assert "± 1,5 km" in driver.transcript()
        await driver.press("✅ Kirim usulan", expect=stories.SENT)
        async with session_scope(engine) as session:
            proposal = (
                await session.exec(select(Proposal).where(Proposal.proposer_id == STOPPED))
            ).one()
    finally:
        await engine.dispose()
    assert (proposal.volume, proposal.volume_unit, proposal.volume_text) == (1.5, "km", "± 1,5 km")
    assert (proposal.beneficiaries, proposal.beneficiaries_text) == (None, "")
    assert (proposal.latitude, proposal.location_detail) == (-3.0621, "RT 02 depan masjid")
    assert proposal.urgency == "mendesak"
    assert len(proposal.photo_file_ids) == 1


def test_downgrade_leaves_a_draft_the_previous_version_reads(tmp_path):
    url = f"sqlite:///{tmp_path / 'down.db'}"
    upgrade(url)
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO conversation (chat_id, user_id, step, draft, updated_at) "
                    "VALUES (1, 1, 'usul.program', :draft, '2026-01-01')"
                ),
                {"draft": '{"title": "Sumur bor", "similar_ids": [4], "match_rule": "pln"}'},
            )
        command.downgrade(alembic_config(url), BEFORE_TYPED_DRAFT)
        with engine.connect() as connection:
            draft = connection.execute(text("SELECT draft FROM conversation")).scalar_one()
    finally:
        engine.dispose()
    assert draft == '{"title": "Sumur bor"}'
