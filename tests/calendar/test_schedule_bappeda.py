"""/jadwal for Bappeda through the core: add, change and delete stages, with every check."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from core.events import EventKind
from handlers.dispatch import Core
from models.calendar import PlannedReminder, Stage
from models.conversations import Conversation
from models.db import session_scope
from models.outbox import Outbox
from models.users import User
from services.calendar.season import import_season
from services.data import DATA_DIR
from tests.proposal_factories import add_proposal
from tests.scenarios import stories
from tests.scenarios.calendar_stories import (
    CLOSES_QUESTION,
    FORUM_QUESTION,
    NAME_QUESTION,
    OPENS_QUESTION,
    SUMMARY,
    bappeda_adds_a_kecamatan_stage,
    make_bappeda,
    stage_named,
)
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB, while the season is prepared
PLANNER = 4242


@pytest.fixture
def clocked_core(engine, settings) -> Core:
    return Core(engine=engine, settings=settings, clock=lambda: NOW)


@pytest.fixture
async def planner(clocked_core, engine) -> CoreDriver:
    await make_bappeda(engine, PLANNER)
    driver = CoreDriver(clocked_core, chat_id=PLANNER, first_name="Rina")
    await stories.agree(driver)
    return driver


async def stages(engine) -> list[Stage]:
    async with session_scope(engine) as session:
        return list((await session.exec(select(Stage).order_by(Stage.id))).all())


async def test_bappeda_adds_a_kecamatan_stage_typing_dates(planner, engine):
    stage = await bappeda_adds_a_kecamatan_stage(planner, engine)
    assert (stage.level, stage.region_code) == ("kecamatan", "17.07.01")
    assert stage.opens_at == datetime(2027, 2, 1, 1, 0, tzinfo=UTC)
    assert stage.closes_at == datetime(2027, 2, 5, 9, 0, tzinfo=UTC)
    assert stage.forum_at == datetime(2027, 2, 8, 2, 0, tzinfo=UTC)
    transcript = planner.transcript()
    assert "Ditutup: Jumat, 5 Februari 2027, 16.00 WIB" in transcript
    assert "🗓 Dibuka 62 hari lagi." in transcript


async def test_the_summary_shows_what_was_understood_before_saving(planner, engine):
    await planner.send("/jadwal", expect="masih kosong")
    await planner.press("➕ Tambah tahap", expect="Tahap apa ini?")
    await planner.press("Musrenbang Desa/Kelurahan", expect="Untuk wilayah mana?")
    await planner.press("Lebong Utara", expect="Desa/kelurahan mana")
    await planner.press("Gandung", expect=OPENS_QUESTION)
    await planner.send("senin 4 januari 2027", expect=CLOSES_QUESTION)
    await planner.send("29-01-2027 jam 4 sore", expect=FORUM_QUESTION)
    await planner.press("➡️ Tanggal forum belum ada", expect=NAME_QUESTION)
    await planner.send("Musrenbang Desa Gandung 2027", expect=SUMMARY)
    for line in (
        "Nama: Musrenbang Desa Gandung 2027",
        "Tahap: Musrenbang Desa/Kelurahan",
        "Wilayah: Gandung",
        "Dibuka: Senin, 4 Januari 2027, 00.00 WIB",
        "Ditutup: Jumat, 29 Januari 2027, 16.00 WIB",
        "Forum: belum ditentukan",
    ):
        assert line in planner.transcript()
    assert await stages(engine) == []
    await planner.press("✅ Simpan", expect="✅ Tersimpan")
    [stage] = await stages(engine)
    assert (stage.level, stage.region_code, stage.forum_at) == ("desa", "17.07.01.2002", None)


async def test_wrong_dates_are_explained_and_asked_again(planner, engine):
    await planner.send("/jadwal", expect="masih kosong")
    await planner.press("➕ Tambah tahap", expect="Tahap apa ini?")
    await planner.press("Forum OPD", expect=OPENS_QUESTION)
    await planner.send("1 Maret", expect=CLOSES_QUESTION)
    for typed, reason in (
        ("kapan-kapan", "tidak bisa saya baca"),
        ("16.00", "Itu baru jamnya"),
        ("10 Mrat 2027", 'Bulan "mrat" tidak saya kenal. Maksud Anda Maret?'),
        ("10/13/2027", "Tidak ada bulan ke-13"),
        ("Senin, 10 Maret 2027", "jatuh pada hari Rabu, bukan Senin"),
        ("10 Maret 2027 25.00", "Jam 25.00 tidak ada"),
        ("10 Maret 2027 16.00 WITA", "Jam dibaca dalam WIB"),
        ("10 Maret 2207", "Tahun 2207 terlalu jauh"),
        ("28 Feb 2027", "Pengajuan harus ditutup sesudah dibuka"),
    ):
        await planner.send(typed, expect=reason)
        assert planner._last_texts[-1].startswith("Kapan pengajuan ditutup")
    await planner.send("10 Maret 2027 16.00", expect=FORUM_QUESTION)
    await planner.send("9 Maret 2027", expect="Forum harus sesudah pengajuan ditutup")
    await planner.send("11/3/2027", expect=NAME_QUESTION)
    await planner.press("✅ Forum OPD 2027", expect=SUMMARY)
    assert "Forum: Kamis, 11 Maret 2027, 09.00 WIB" in planner.transcript()


async def test_an_overlapping_stage_is_warned_in_the_summary(planner, engine):
    await bappeda_adds_a_kecamatan_stage(planner, engine)
    await planner.send("/jadwal", expect="Jadwal Musrenbang")
    await planner.press("➕ Tambah tahap", expect="Tahap apa ini?")
    await planner.press("Musrenbang Desa/Kelurahan", expect="Untuk wilayah mana?")
    await planner.press("🌐 Seluruh kabupaten", expect=OPENS_QUESTION)
    await planner.send("25/1/2027", expect=CLOSES_QUESTION)
    await planner.send("3/2/2027", expect=FORUM_QUESTION)
    await planner.press("➡️ Tanggal forum belum ada", expect=NAME_QUESTION)
    await planner.press("✅ Musrenbang Desa/Kelurahan 2027", expect="⚠️ Masa pengajuannya")
    assert "“Musrenbang Kecamatan Lebong Utara 2027”" in planner.transcript()
    await planner.press("✅ Simpan", expect="✅ Tersimpan")
    assert len(await stages(engine)) == 2


async def test_an_impossible_stage_cannot_be_saved_until_fixed(planner, engine):
    await bappeda_adds_a_kecamatan_stage(planner, engine)
    await planner.send("/jadwal", expect="Jadwal Musrenbang")
    await planner.press(
        "1. Musrenbang Kecamatan Lebong Utara 2027", expect="diajukan di tahap ini: 0"
    )
    await planner.press("✏️ Ubah", expect="Apa yang ingin Anda ubah")
    await planner.press("Penutupan", expect="Saat ini: Jumat, 5 Februari 2027, 16.00 WIB")
    await planner.send("9 Feb 2027 16.00", expect="❌ Forum harus pada atau sesudah")
    assert "✅ Simpan" not in str(planner.messages[max(planner.messages)][1])
    await planner.press("✏️ Ubah isian", expect="Apa yang ingin Anda ubah?")
    await planner.press("Forum", expect=FORUM_QUESTION)
    await planner.send("12 Feb 2027 09.00", expect="✏️ Forum: Jumat, 12 Februari 2027")
    assert "✏️ Ditutup: Selasa, 9 Februari 2027" in planner.transcript()
    await planner.press("✅ Simpan", expect="tahap sudah diubah")
    stage = await stage_named(engine, "Musrenbang Kecamatan Lebong Utara 2027")
    assert stage.closes_at == datetime(2027, 2, 9, 9, 0, tzinfo=UTC)


async def test_changing_a_stage_withdraws_its_unsent_reminders(planner, engine):
    stage = await bappeda_adds_a_kecamatan_stage(planner, engine)
    async with session_scope(engine) as session:
        session.add(User(telegram_id=77, consent_at=NOW))
        await session.flush()
        message = Outbox(
            recipient_id=77,
            kind="reminder",
            payload={"day": "2027-02-02", "items": []},
            dedup_key="reminder:77:2027-02-02",
            due_at=NOW,
        )
        session.add(message)
        await session.flush()
        session.add(
            PlannedReminder(
                recipient_id=77, stage_id=stage.id, slot="close-3:2027-02-05", outbox_id=message.id
            )
        )
    await planner.send("/jadwal", expect="Jadwal Musrenbang")
    await planner.press("1. Musrenbang Kecamatan Lebong Utara 2027", expect="di tahap ini: 0")
    await planner.press("✏️ Ubah", expect="Apa yang ingin Anda ubah")
    await planner.press("Pembukaan", expect=OPENS_QUESTION)
    await planner.send("2 Feb 2027 08.00", expect="✏️ Dibuka: Selasa, 2 Februari 2027")
    await planner.press("✅ Simpan", expect="1 pengingat yang belum terkirim dibatalkan")
    async with session_scope(engine) as session:
        assert (await session.exec(select(Outbox).where(Outbox.kind != "reply"))).all() == []


async def test_deleting_asks_first_and_keeps_a_stage_with_proposals(planner, engine):
    used = await bappeda_adds_a_kecamatan_stage(planner, engine)
    await bappeda_adds_a_kecamatan_stage(
        planner, engine, kecamatan="Lebong Atas", closes="6 Feb 2027 16.00", forum="9/2/2027"
    )
    async with session_scope(engine) as session:
        await add_proposal(session, stage_id=used.id)
    await planner.send("/jadwal", expect="Jadwal Musrenbang")
    await planner.press("2. Musrenbang Kecamatan Lebong Atas 2027", expect="di tahap ini: 0")
    await planner.press("🗑 Hapus", expect="Hapus <b>Musrenbang Kecamatan Lebong Atas 2027</b>?")
    await planner.press("↩️ Tidak, simpan saja", expect="di tahap ini: 0")
    assert len(await stages(engine)) == 2
    await planner.press("🗑 Hapus", expect="tidak bisa diurungkan")
    await planner.press("🗑 Ya, hapus", expect="sudah dihapus")
    assert [stage.name for stage in await stages(engine)] == [used.name]
    await planner.press(
        "1. Musrenbang Kecamatan Lebong Utara 2027", expect="diajukan di tahap ini: 1"
    )
    await planner.press("🗑 Hapus", expect="tidak bisa diurungkan")
    await planner.press("🗑 Ya, hapus", expect="tidak bisa dihapus: sudah ada 1 usulan")
    assert len(await stages(engine)) == 1


async def test_the_calendar_pages_through_a_whole_season(planner, engine, settings):
    async with session_scope(engine) as session:
        text = (DATA_DIR / "musrenbang_calendar_example.csv").read_text(encoding="utf-8")
        await import_season(session, text, now=NOW, zone=settings.zone)
    await planner.send("/jadwal", expect="halaman 1 dari 3")
    await planner.press("Berikutnya ▶️", expect="halaman 2 dari 3")
    await planner.press("Berikutnya ▶️", expect="halaman 3 dari 3")
    assert (
        "15. <b>Musrenbang Kabupaten Lebong 2027 (seluruh kabupaten)</b>" in planner.transcript()
    )
    await planner.press("◀️ Sebelumnya", expect="halaman 2 dari 3")


async def test_batal_leaves_the_form_and_keeps_a_proposal_draft(planner, engine):
    await planner.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await planner.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await planner.send("/jadwal", expect="masih kosong")
    await planner.press("➕ Tambah tahap", expect="Tahap apa ini?")
    await planner.send("kecamatan dong", expect="Silakan pilih tahapnya")
    await planner.send("/batal", expect="Dibatalkan")
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, PLANNER)
    assert conversation.step == "idle"
    assert conversation.draft["kecamatan_code"] == "17.07.01"
    await planner.send("/usul", expect="belum selesai")


async def test_typed_area_and_text_on_the_summary(planner, engine):
    await planner.send("/jadwal", expect="masih kosong")
    await planner.press("➕ Tambah tahap", expect="Tahap apa ini?")
    await planner.press("Musrenbang Kecamatan", expect="Untuk wilayah mana?")
    await planner.send("lebong utaraa", expect=OPENS_QUESTION)
    await planner.send("1/2/2027 8.00", expect=CLOSES_QUESTION)
    await planner.send("5/2/2027 16.00", expect=FORUM_QUESTION)
    await planner.send("8/2/2027", expect=NAME_QUESTION)
    await planner.send("Musrenbangcam Lebong Utara", expect=SUMMARY)
    await planner.send("oke simpan", expect="Silakan gunakan tombol di bawah ringkasan")
    await planner.press("❌ Batal, jangan simpan", expect="tidak ada yang disimpan")
    assert await stages(engine) == []


async def test_only_bappeda_may_press_the_calendar_buttons(planner, clocked_core, engine):
    await bappeda_adds_a_kecamatan_stage(planner, engine)
    resident = CoreDriver(clocked_core, chat_id=5001, first_name="Budi")
    await stories.agree(resident)
    await resident.send("/jadwal", expect="Anda tinggal di kecamatan mana?")
    stage = await stage_named(engine, "Musrenbang Kecamatan Lebong Utara 2027")
    replies = await clocked_core.handle(
        resident._event(EventKind.CALLBACK, f"jdok:{stage.id}", callback_id="x", message_id=1)
    )
    assert [getattr(reply, "text", None) for reply in replies] == [
        "Hanya Bappeda yang bisa mengubah jadwal."
    ]
    assert len(await stages(engine)) == 1
