import pytest

from models.db import create_engine_from_url, session_scope
from services.matching.corrections import corrections_after, list_corrections, save_correction
from services.matching.loading import get_matcher, load_matcher_from_db, set_matcher
from services.matching.service import MatchingService

PHRASE = "lampu hias tugu selamat datang desa"
LATER = "tugu selamat datang perlu lampu hias"
TOURISM = "3.26.02"


@pytest.fixture(name="restore_matcher")
def restore_matcher_fixture():
    shipped = get_matcher("2024")
    yield
    set_matcher(shipped)


@pytest.fixture(name="engine")
async def engine_fixture(sqlite_url):
    engine = create_engine_from_url(sqlite_url)
    yield engine
    await engine.dispose()


async def test_saved_correction_is_evidence_when_matcher_loads_from_db(engine, restore_matcher):
    async with session_scope(engine) as session:
        await save_correction(session, text=PHRASE, program_code=TOURISM, corrected_by=1)
    async with session_scope(engine) as session:
        assert [c.program_code for c in await list_corrections(session)] == [TOURISM]
        matcher = await load_matcher_from_db(session, "2024")
    assert matcher.match("lampu hias untuk tugu selamat datang").best.code == TOURISM
    assert get_matcher("2024") is matcher


async def test_corrections_after_returns_only_newer_rows_with_their_ids(engine):
    async with session_scope(engine) as session:
        first = await save_correction(session, text="satu", program_code="1.03.10")
        second = await save_correction(session, text="dua", program_code="1.03.03")
    async with session_scope(engine) as session:
        rows = await corrections_after(session, first.id)
    assert [(row_id, evidence.text) for row_id, evidence in rows] == [(second.id, "dua")]


async def test_service_record_correction_changes_the_running_matcher_at_once(engine):
    service = MatchingService(engine)
    before = await service.suggest(LATER)
    assert before.best is None or before.best.code != TOURISM
    async with session_scope(engine) as session:
        row = await service.record_correction(
            session, text=PHRASE, program_code=TOURISM, corrected_by=7
        )
    assert row.id is not None
    after = await service.suggest(LATER)
    assert after.best.code == TOURISM
    async with session_scope(engine) as session:
        assert [c.program_code for c in await list_corrections(session)] == [TOURISM]


async def test_service_learns_a_correction_another_process_stored(engine, sqlite_url):
    service = MatchingService(engine)
    await service.suggest("jalan rusak")  # the bot is running
    other = create_engine_from_url(sqlite_url)  # `musrenbang correct` in another process
    try:
        async with session_scope(other) as session:
            await save_correction(session, text=PHRASE, program_code=TOURISM)
    finally:
        await other.dispose()
    assert (await service.suggest(LATER)).best.code == TOURISM
    assert await service.catch_up() == 0  # learnt once, not again


async def test_service_keeps_the_shared_matcher_untaught(engine):
    shipped = get_matcher("2024")
    service = MatchingService(engine)
    assert await service.matcher() is shipped
    async with session_scope(engine) as session:
        await service.record_correction(session, text=PHRASE, program_code=TOURISM)
    assert await service.matcher() is not shipped
    assert shipped.match(LATER).best.code != TOURISM


async def test_service_builds_with_stored_corrections(engine):
    async with session_scope(engine) as session:
        await save_correction(session, text=PHRASE, program_code=TOURISM)
    service = MatchingService(engine)
    assert (await service.suggest(LATER)).best.code == TOURISM
    assert await service.catch_up() == 0
