"""Region scope: intake is open for a village when a stage covering it is open."""

from datetime import UTC, datetime, timedelta

import pytest

from handlers.dispatch import Core
from models.calendar import Stage, StageLevel, stages_covering, stages_within
from models.conversations import Conversation
from models.db import session_scope
from services.intake_window import current_window
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver
from tests.scenarios.people import make_lurah

pytestmark = pytest.mark.usefixtures("regions")

NOW = datetime(2027, 2, 3, 3, 0, tzinfo=UTC)
LEBONG_UTARA, GANDUNG = "17.07.01", "17.07.01.2002"
LEBONG_ATAS, SUKAU_KAYO = "17.07.02", "17.07.02.2001"


async def add(engine, name, level, region, opens_days, closes_days):
    async with session_scope(engine) as session:
        stage = Stage(
            name=name,
            level=level,
            region_code=region,
            opens_at=NOW + timedelta(days=opens_days),
            closes_at=NOW + timedelta(days=closes_days),
        )
        session.add(stage)
    return stage


async def window(engine, region):
    async with session_scope(engine) as session:
        return await current_window(session, NOW, region)


async def test_window_is_always_open_without_a_calendar(engine):
    assert (await window(engine, GANDUNG)).is_open


async def test_kecamatan_stage_opens_intake_only_for_its_villages(engine):
    utara = await add(
        engine, "Musrenbangcam Lebong Utara", StageLevel.KECAMATAN, LEBONG_UTARA, -2, 2
    )
    atas = await add(engine, "Musrenbangcam Lebong Atas", StageLevel.KECAMATAN, LEBONG_ATAS, 3, 8)
    in_gandung = await window(engine, GANDUNG)
    in_sukau_kayo = await window(engine, SUKAU_KAYO)
    assert (in_gandung.is_open, in_gandung.stage.id) == (True, utara.id)
    assert (in_sukau_kayo.is_open, in_sukau_kayo.stage, in_sukau_kayo.upcoming.id) == (
        False,
        None,
        atas.id,
    )


async def test_without_a_village_intake_is_open_when_any_stage_is(engine):
    await add(engine, "Musrenbangcam Lebong Utara", StageLevel.KECAMATAN, LEBONG_UTARA, -2, 2)
    assert (await window(engine, None)).is_open


async def test_desa_stage_covers_only_that_desa(engine):
    await add(engine, "Musrenbang Desa Gandung", StageLevel.DESA, GANDUNG, -1, 1)
    assert (await window(engine, GANDUNG)).is_open
    assert not (await window(engine, "17.07.01.2005")).is_open


async def test_regency_stage_covers_every_village(engine):
    await add(engine, "Musrenbang Desa 2027", StageLevel.DESA, None, -1, 1)
    assert (await window(engine, GANDUNG)).is_open
    assert (await window(engine, SUKAU_KAYO)).is_open


async def test_when_two_stages_cover_a_village_the_one_closing_first_takes_it(engine):
    await add(engine, "Musrenbang Desa 2027", StageLevel.DESA, None, -5, 9)
    first = await add(
        engine, "Musrenbangcam Lebong Utara", StageLevel.KECAMATAN, LEBONG_UTARA, -2, 2
    )
    assert (await window(engine, GANDUNG)).stage.id == first.id


async def test_covering_and_within_queries(engine):
    regency = await add(engine, "Forum OPD", StageLevel.OPD, None, 10, 12)
    utara = await add(
        engine, "Musrenbangcam Lebong Utara", StageLevel.KECAMATAN, LEBONG_UTARA, 1, 3
    )
    gandung = await add(engine, "Musrenbang Desa Gandung", StageLevel.DESA, GANDUNG, -1, 1)
    await add(engine, "Musrenbangcam Lebong Atas", StageLevel.KECAMATAN, LEBONG_ATAS, 1, 3)
    async with session_scope(engine) as session:
        covering_gandung = [stage.id for stage in await stages_covering(session, GANDUNG)]
        covering_utara = [stage.id for stage in await stages_covering(session, LEBONG_UTARA)]
        within_utara = [stage.id for stage in await stages_within(session, LEBONG_UTARA)]
    assert covering_gandung == [gandung.id, utara.id, regency.id]
    assert covering_utara == [utara.id, regency.id]
    assert within_utara == [gandung.id, utara.id, regency.id]


@pytest.fixture
def clocked_core(engine, settings):
    return Core(engine=engine, settings=settings, clock=lambda: NOW)


async def test_resident_of_a_closed_kecamatan_keeps_the_draft_and_hears_when_it_opens(
    clocked_core, engine
):

    await add(engine, "Musrenbangcam Lebong Atas", StageLevel.KECAMATAN, LEBONG_ATAS, -2, 2)
    await add(engine, "Musrenbangcam Lebong Utara", StageLevel.KECAMATAN, LEBONG_UTARA, 3, 8)
    driver = CoreDriver(clocked_core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✅ Kirim usulan", expect="Tahap berikutnya, Musrenbangcam Lebong Utara")
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.draft["title"] == stories.ROAD


async def test_lurah_of_an_open_kecamatan_submits_into_its_stage(clocked_core, engine):
    await add(engine, "Musrenbangcam Lebong Atas", StageLevel.KECAMATAN, LEBONG_ATAS, 3, 8)
    utara = await add(
        engine, "Musrenbangcam Lebong Utara", StageLevel.KECAMATAN, LEBONG_UTARA, -2, 2
    )
    await make_lurah(engine, 4242, GANDUNG)
    driver = CoreDriver(clocked_core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.BIDANG_QUESTION)
    await stories.fill_from_bidang(driver, photo=False)
    await driver.press("✅ Kirim usulan", expect=stories.SENT)
    assert (await stories.only_proposal(engine)).stage_id == utara.id


async def test_lurah_of_a_closed_kecamatan_hears_it_before_writing(clocked_core, engine):
    await add(engine, "Musrenbangcam Lebong Atas", StageLevel.KECAMATAN, LEBONG_ATAS, -2, 2)
    await add(engine, "Musrenbangcam Lebong Utara", StageLevel.KECAMATAN, LEBONG_UTARA, 3, 8)
    await make_lurah(engine, 4242, GANDUNG)
    driver = CoreDriver(clocked_core)
    await stories.agree(driver)
    await driver.send("/usul", expect="Tahap berikutnya, Musrenbangcam Lebong Utara")
