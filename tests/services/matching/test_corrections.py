import pytest

from models.db import create_engine_from_url, session_scope
from services.matching.corrections import list_corrections, record_correction, save_correction
from services.matching.loading import get_matcher, load_matcher, load_matcher_from_db, set_matcher

PHRASE = "lampu hias tugu selamat datang desa"


@pytest.fixture(name="restore_matcher")
def restore_matcher_fixture():
    shipped = get_matcher("2024")
    yield
    set_matcher(shipped)


async def test_saved_correction_is_evidence_when_matcher_loads_from_db(
    sqlite_url, restore_matcher
):
    engine = create_engine_from_url(sqlite_url)
    try:
        async with session_scope(engine) as session:
            await save_correction(session, text=PHRASE, program_code="3.26.02", corrected_by=1)
        async with session_scope(engine) as session:
            assert [c.program_code for c in await list_corrections(session)] == ["3.26.02"]
            matcher = await load_matcher_from_db(session, "2024")
    finally:
        await engine.dispose()
    assert matcher.match("lampu hias untuk tugu selamat datang").best.code == "3.26.02"
    assert get_matcher("2024") is matcher


async def test_record_correction_teaches_the_running_matcher(sqlite_url):
    matcher = load_matcher("2024")
    engine = create_engine_from_url(sqlite_url)
    try:
        async with session_scope(engine) as session:
            row = await record_correction(
                session, matcher, text=PHRASE, program_code="3.26.02", proposal_id=None
            )
    finally:
        await engine.dispose()
    assert row.id is not None
    assert matcher.match("tugu selamat datang perlu lampu hias").best.code == "3.26.02"
