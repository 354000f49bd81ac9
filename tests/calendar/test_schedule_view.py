"""/jadwal for residents, lurah and camat, and /pengingat, through the core."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from handlers.dispatch import Core
from models.calendar import PlannedReminder, ReminderPreference
from models.db import session_scope
from models.enums import Role
from models.outbox import Outbox
from models.users import User
from services.calendar.season import import_season
from services.data import DATA_DIR
from tests.proposal_factories import add_proposal
from tests.scenarios import stories
from tests.scenarios.calendar_stories import resident_sees_the_schedule_of_a_kecamatan
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")

NOW = datetime(2027, 2, 2, 3, 0, tzinfo=UTC)  # Tuesday 2 February 2027, 10:00 WIB
PERSON = 4242


@pytest.fixture
async def season(engine, settings, regions) -> None:
    text = (DATA_DIR / "musrenbang_calendar_example.csv").read_text(encoding="utf-8")
    async with session_scope(engine) as session:
        await import_season(
            session, text, now=datetime(2026, 12, 1, tzinfo=UTC), zone=settings.zone
        )


@pytest.fixture
def driver(engine, settings) -> CoreDriver:
    return CoreDriver(Core(engine=engine, settings=settings, clock=lambda: NOW), chat_id=PERSON)


async def make_official(engine, role, region) -> None:
    async with session_scope(engine) as session:
        session.add(User(telegram_id=PERSON, role=role, region_code=region))


@pytest.mark.usefixtures("season")
async def test_lurah_sees_the_stages_of_the_village_with_days_left(driver, engine):
    await make_official(engine, Role.LURAH, "17.07.01.2002")
    await stories.agree(driver)
    await driver.send("/jadwal", expect="<b>Jadwal Musrenbang untuk Gandung</b>")
    text = driver.transcript()
    assert "<b>Musrenbang Desa/Kelurahan 2027 (seluruh kabupaten)</b>\n" in text
    assert "Musrenbang Kecamatan Lebong Utara 2027 (Lebong Utara)" in text
    assert "Ditutup: Jumat, 5 Februari 2027, 16.00 WIB" in text
    assert "⏳ Sedang dibuka; pengajuan ditutup 3 hari lagi." in text
    assert "Forum Perangkat Daerah 2027" in text
    assert "🗓 Dibuka 27 hari lagi." in text
    assert "Lebong Atas" not in text
    assert "/pengingat untuk mematikan pengingat" in text


@pytest.mark.usefixtures("season")
async def test_camat_sees_the_stages_of_the_kecamatan(driver, engine):
    await make_official(engine, Role.CAMAT, "17.07.02")
    await stories.agree(driver)
    await driver.send("/jadwal", expect="<b>Jadwal Musrenbang untuk Lebong Atas</b>")
    assert "⏳ Sedang dibuka; pengajuan ditutup 4 hari lagi." in driver.transcript()
    assert "Lebong Utara" not in driver.transcript()


@pytest.mark.usefixtures("season")
async def test_resident_without_a_proposal_picks_a_kecamatan(driver):
    await stories.agree(driver)
    await resident_sees_the_schedule_of_a_kecamatan(driver, "Lebong Atas")
    assert "Musrenbang Kecamatan Lebong Atas 2027" in driver.transcript()
    await driver.press("🔎 Kecamatan lain", expect="Anda tinggal di kecamatan mana?")
    await driver.press("Amen", expect="Jadwal Musrenbang untuk Amen")


@pytest.mark.usefixtures("season")
async def test_resident_with_a_proposal_sees_its_village(driver, engine):
    async with session_scope(engine) as session:
        await add_proposal(session, proposer_id=PERSON, desa_code="17.07.01.2007")
    await stories.agree(driver)
    await driver.send("/jadwal", expect="Jadwal Musrenbang untuk Talang Ulu")


async def test_without_a_calendar_the_resident_is_told_so(driver, engine):
    await make_official(engine, Role.LURAH, "17.07.01.2002")
    await stories.agree(driver)
    await driver.send("/jadwal", expect="Bappeda belum menetapkan jadwal Musrenbang untuk Gandung")


@pytest.mark.usefixtures("season")
async def test_pengingat_turns_reminders_off_and_on(driver, engine):
    await stories.agree(driver)
    async with session_scope(engine) as session:
        message = Outbox(
            recipient_id=PERSON,
            kind="reminder",
            payload={"day": "2027-02-02", "items": []},
            dedup_key=f"reminder:{PERSON}:2027-02-02",
            due_at=NOW,
        )
        session.add(message)
        await session.flush()
        session.add(
            PlannedReminder(
                recipient_id=PERSON, stage_id=2, slot="close-3:2027-02-05", outbox_id=message.id
            )
        )
    await driver.send("/pengingat", expect="Pengingat <b>menyala</b>")
    await driver.press("🔕 Matikan pengingat", expect="Pengingat <b>mati</b>")
    async with session_scope(engine) as session:
        preference = await session.get(ReminderPreference, PERSON)
        assert preference.enabled is False
        assert (await session.exec(select(Outbox).where(Outbox.kind != "reply"))).all() == []
    await driver.send("/jadwal", expect="kecamatan mana?")
    await driver.press("Lebong Utara", expect="Pengingat sedang mati")
    await driver.press("🔔 Nyalakan pengingat", expect="Pengingat <b>menyala</b>")
    async with session_scope(engine) as session:
        assert (await session.get(ReminderPreference, PERSON)).enabled is True


@pytest.mark.parametrize(("word", "enabled"), [("mati", False), ("nyala", True), ("off", False)])
async def test_pengingat_with_a_word_switches_at_once(driver, engine, word, enabled):
    await stories.agree(driver)
    await driver.send(f"/pengingat {word}", expect="Pengingat <b>")
    async with session_scope(engine) as session:
        assert (await session.get(ReminderPreference, PERSON)).enabled is enabled


@pytest.mark.usefixtures("season")
async def test_deleting_personal_data_forgets_reminder_choice_and_history(driver, engine):
    await stories.agree(driver)
    async with session_scope(engine) as session:
        session.add(PlannedReminder(recipient_id=PERSON, stage_id=1, slot="close-3:2027-01-29"))
    await driver.send("/pengingat mati", expect="Pengingat <b>mati</b>")
    await driver.send("/hapusdata", expect="ingin menghapus data Anda?")
    await driver.press("🗑 Ya, hapus data saya", expect="sudah dihapus")
    async with session_scope(engine) as session:
        assert await session.get(ReminderPreference, PERSON) is None
        assert (await session.exec(select(PlannedReminder))).all() == []
