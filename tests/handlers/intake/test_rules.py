"""Around the intake: /batal keeps the draft, the calendar closes intake, per-stage limits."""

from datetime import timedelta

import pytest
from sqlmodel import select

from core.config import load_settings
from handlers.dispatch import Core
from models.base import utcnow
from models.calendar import Stage
from models.conversations import Conversation
from models.db import session_scope
from models.proposals import Proposal, Supporter
from models.tallies import SubmissionTally
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver
from tests.scenarios.people import make_lurah

pytestmark = pytest.mark.usefixtures("regions")


async def test_cancel_keeps_the_draft_and_usul_offers_to_continue(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.send("/batal", expect="Ingin berhenti?")
    await driver.press("⏸ Berhenti, simpan draf", expect="disimpan 7 hari")
    await driver.send("/usul", expect="belum selesai")
    await driver.press("▶️ Lanjutkan draf", expect=stories.BIDANG_QUESTION)
    await stories.fill_from_bidang(driver, photo=False)
    await driver.press("✅ Kirim usulan", expect=stories.SENT)
    assert (await stories.only_proposal(engine)).desa_code == "17.07.01.2002"


async def test_cancel_then_continue_filling_changes_nothing(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.send("/batal", expect="Ingin berhenti?")
    await driver.press("↩️ Lanjut mengisi", expect=stories.DESA_QUESTION)


async def test_cancel_and_delete_discards_the_draft(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.send("/batal", expect="Ingin berhenti?")
    await driver.press("🗑 Berhenti dan hapus draf", expect="draf sudah dihapus")
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert "kecamatan_code" not in conversation.draft


async def test_draft_older_than_seven_days_is_not_offered(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.send("/batal", expect="Ingin berhenti?")
    await driver.press("⏸ Berhenti, simpan draf", expect="disimpan 7 hari")
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
        old = (utcnow() - timedelta(days=8)).isoformat()
        conversation.draft = {**conversation.draft, "saved_at": old}
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)


async def test_a_draft_missing_an_answer_is_never_sent(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
        conversation.draft = {k: v for k, v in conversation.draft.items() if k != "urgency"}
    await driver.press("✅ Kirim usulan", expect=stories.URGENCY_QUESTION)
    async with session_scope(engine) as session:
        assert (await session.exec(select(Proposal))).all() == []


async def add_stage(engine, *, opens, closes, forum=None, name="Musrenbang Desa 2027") -> None:
    async with session_scope(engine) as session:
        session.add(
            Stage(name=name, level="desa", opens_at=opens, closes_at=closes, forum_at=forum)
        )


async def test_intake_closed_says_when_the_next_stage_opens(core, engine):
    now = utcnow()
    await add_stage(engine, opens=now - timedelta(days=30), closes=now - timedelta(days=1))
    await add_stage(
        engine,
        opens=now + timedelta(days=5),
        closes=now + timedelta(days=20),
        name="Musrenbang Kecamatan 2027",
    )
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect="Musrenbang Kecamatan 2027")
    assert "WIB" in driver.transcript()
    assert "draf" not in driver.transcript().rsplit("ditutup", 1)[1]


async def test_intake_closed_without_a_next_stage_promises_nothing(core, engine):
    now = utcnow()
    await add_stage(engine, opens=now - timedelta(days=30), closes=now - timedelta(days=1))
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect="belum memuat masa pengajuan berikutnya")
    assert "Bappeda akan" not in driver.transcript()


async def test_open_stage_names_the_forum_after_submission(core, engine):
    now = utcnow()
    await add_stage(
        engine,
        opens=now - timedelta(days=1),
        closes=now + timedelta(days=10),
        forum=now + timedelta(days=12),
    )
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✅ Kirim usulan", expect="Musrenbang Desa 2027")
    proposal = await stories.only_proposal(engine)
    assert proposal.stage_id is not None


def limited_core(engine, settings, **limits):
    return Core(
        engine=engine, settings=load_settings(database_url=settings.database_url, **limits)
    )


async def test_per_stage_limit_is_checked_when_a_proposal_starts(engine, settings):
    driver = CoreDriver(limited_core(engine, settings, max_proposals_per_stage=1))
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✅ Kirim usulan", expect=stories.SENT)
    await driver.send("/usul", expect="batas maksimal per orang")
    assert stories.KECAMATAN_QUESTION not in driver.transcript().rsplit("batas maksimal", 1)[1]
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.step == "idle"


async def test_a_draft_blocked_by_the_limit_is_kept_or_turned_into_support(engine, settings):
    driver = CoreDriver(limited_core(engine, settings, max_proposals_per_stage=2))
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✅ Kirim usulan", expect=stories.SENT)
    first = await stories.only_proposal(engine)
    await stories.fill_until_preview(driver, photo=False, title="Lampu jalan di dusun 3")
    driver.core = limited_core(engine, settings, max_proposals_per_stage=1)
    await driver.press("✅ Kirim usulan", expect="batas maksimal per orang")
    await driver.press("⏸ Simpan draf saya", expect="Draf Anda disimpan")
    async with session_scope(engine) as session:
        assert [p.id for p in (await session.exec(select(Proposal))).all()] == [first.id]
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.step == "idle"
    assert conversation.draft["title"] == "Lampu jalan di dusun 3"
    assert conversation.draft["resume_step"] == "usul.preview"


async def test_a_blocked_draft_can_become_support_for_a_similar_proposal(engine, settings):
    other = CoreDriver(limited_core(engine, settings), chat_id=999, first_name="Ani")
    await stories.agree(other)
    await stories.fill_until_preview(other, photo=False)
    await other.press("✅ Kirim usulan", expect=stories.SENT)
    existing = await stories.only_proposal(engine)
    driver = CoreDriver(limited_core(engine, settings, max_proposals_per_stage=2))
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False, title="Lampu jalan di dusun 3")
    await driver.press("✅ Kirim usulan", expect=stories.SENT)
    await stories.fill_until_preview(driver, photo=False)
    assert "usulan serupa" in driver.transcript()
    # The limit is lowered by the time the second one is sent.
    driver.core = limited_core(engine, settings, max_proposals_per_stage=1)
    await driver.press("✅ Kirim usulan", expect="batas maksimal per orang")
    await driver.press("👍 Dukung usulan serupa", expect="usulan serupa")
    await driver.press(f"👍 Dukung {existing.tracking_code}", expect="Draf Anda sendiri tetap")
    await driver.press("👍 Ya, dukung", expect="Dukungan Anda")
    async with session_scope(engine) as session:
        supporters = (await session.exec(select(Supporter))).all()
    assert [(s.proposal_id, s.user_id) for s in supporters] == [(existing.id, driver.chat_id)]


async def test_a_lurah_has_a_separate_higher_limit(engine, settings):
    await make_lurah(engine, 4242, "17.07.01.2002")
    driver = CoreDriver(
        limited_core(engine, settings, max_proposals_per_stage=1, max_proposals_per_stage_lurah=3)
    )
    await stories.lurah_submits_three_proposals_in_a_row(driver, engine)


async def test_flooding_chat_gets_one_slow_down_and_nothing_is_lost(engine, settings):
    guarded = Core(
        engine=engine, settings=load_settings(database_url=settings.database_url, flood_limit=20)
    )
    driver = CoreDriver(guarded)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    for number in range(15):
        await driver.send(f"halo {number}", expect="")
    await driver.send("masih di sini", expect="")
    slow_downs = driver.transcript().count("sangat cepat")
    assert slow_downs == 1
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.draft["bidang"] == "infrastruktur"
    assert conversation.draft["desa_code"] == "17.07.01.2002"


async def test_deleting_ones_data_does_not_reset_the_limit(engine, settings):
    driver = CoreDriver(limited_core(engine, settings, max_proposals_per_stage=1))
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✅ Kirim usulan", expect=stories.SENT)
    await driver.send("/hapusdata", expect="")
    await driver.press("🗑 Ya, hapus data saya", expect="Selesai")
    await stories.agree(driver)
    await driver.send("/usul", expect="batas maksimal per orang")
    async with session_scope(engine) as session:
        tallies = (await session.exec(select(SubmissionTally))).all()
        proposal = (await session.exec(select(Proposal))).one()
    assert [(t.user_id, t.count) for t in tallies] == [(driver.chat_id, 1)]
    assert proposal.proposer_id is None
