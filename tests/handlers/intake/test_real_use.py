"""The intake as residents really use it (issue 13), driven through the core."""

import pytest
from sqlmodel import select

from core.config import load_settings
from handlers.dispatch import Core
from models.conversations import Conversation
from models.db import session_scope
from models.proposals import Proposal, Supporter
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")


async def to_title(driver, bidang="🏗 Infrastruktur"):
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press(bidang, expect=stories.TITLE_QUESTION)


async def draft_of(engine, chat_id):
    async with session_scope(engine) as session:
        conversation = await session.get(Conversation, chat_id)
    return conversation.step, conversation.draft


async def supporters(engine):
    async with session_scope(engine) as session:
        return [(s.proposal_id, s.user_id) for s in (await session.exec(select(Supporter))).all()]


async def test_support_can_be_withdrawn_and_the_draft_continues(core, engine):
    existing = await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)
    budi = CoreDriver(core, chat_id=777, first_name="Budi")
    await stories.resident_supports_a_similar_proposal(budi, engine, existing)
    await budi.press("↩️ Tarik dukungan saya", expect="Dukungan Anda sudah ditarik")
    assert await supporters(engine) == []
    step, draft = await draft_of(engine, 777)
    assert step == "usul.program"
    assert draft["title"] == "aspal jalan dusun 2 ke sawah rusak berlubang"
    await budi.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)


async def test_support_asks_first_and_no_keeps_everything(core, engine):
    existing = await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)
    budi = CoreDriver(core, chat_id=777, first_name="Budi")
    await to_title(budi)
    await budi.send("aspal jalan dusun 2 ke sawah rusak berlubang", expect="usulan serupa")
    await budi.press(f"👍 Dukung {existing.tracking_code}", expect="Dukung <b>")
    assert await supporters(engine) == []
    await budi.press("↩️ Tidak", expect="Tidak jadi mendukung")
    assert await supporters(engine) == []
    assert (await draft_of(engine, 777))[0] == "usul.program"


async def test_withdrawing_from_my_proposals(core, engine):
    existing = await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)
    budi = CoreDriver(core, chat_id=777, first_name="Budi")
    await stories.resident_supports_a_similar_proposal(budi, engine, existing)
    await budi.press(f"↩️ Tarik dukungan {existing.tracking_code}", expect="sudah ditarik")
    assert await supporters(engine) == []


async def test_a_road_of_another_kind_is_not_offered_as_the_same_need(core, engine):
    await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)
    budi = CoreDriver(core, chat_id=777, first_name="Budi")
    await to_title(budi)
    await budi.send("rabat beton jalan setapak ke kebun", expect=stories.PROGRAM_CHOICE)
    assert "usulan serupa" not in budi.transcript()


@pytest.mark.parametrize("title", ["🙏🙏🙏", "!!!!!!!!", "12345678", "asdfghjkl"])
async def test_a_title_without_words_is_asked_again_with_an_example(core, engine, title):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send(title, expect="tidak menemukan kata-kata")
    assert "Contoh:" in driver.transcript().rsplit("tidak menemukan", 1)[1]
    step, draft = await draft_of(engine, driver.chat_id)
    assert step == "usul.title"
    assert "title" not in draft


@pytest.mark.parametrize(
    ("title", "says"),
    [
        ("kepala desa korupsi dana desa", "SP4N-LAPOR! (https://www.lapor.go.id)"),
        ("perbaikan rumah saya yang bocor", "RTLH"),
        ("kapan usulan saya kemarin diproses", "/status"),
        ("jalan provinsi rusak parah", "Provinsi Bengkulu"),
        ("jual pupuk murah hubungi kami", "iklan"),
    ],
)
async def test_what_is_not_a_proposal_says_where_it_goes_and_is_never_sent(
    core, engine, title, says
):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send(title, expect=says)
    assert "Belum ada yang dikirim" in driver.transcript()
    with pytest.raises(LookupError):
        await driver.press("✅ Program 1", expect="")
    await driver.press_data("prog:1", expect="pilih salah satu tombol")
    await driver.press("⏹ Berhenti di sini", expect="tidak ada yang dikirim")
    step, draft = await draft_of(engine, driver.chat_id)
    assert (step, draft["title"]) == ("idle", title)
    async with session_scope(engine) as session:
        assert (await session.exec(select(Proposal))).all() == []


async def test_a_complaint_against_the_kepala_desa_is_not_sent_to_them(core, engine):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send("kepala desa korupsi dana desa", expect="tidak diteruskan kepada kepala")
    _step, draft = await draft_of(engine, driver.chat_id)
    assert (draft["verdict_kind"], draft["accuses_head"]) == ("complaint", True)


async def test_rewriting_a_non_proposal_as_a_proposal(core, engine):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send("perbaikan rumah saya yang bocor", expect="RTLH")
    await driver.press("✏️ Tulis sebagai usulan", expect=stories.TITLE_QUESTION)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    _step, draft = await draft_of(engine, driver.chat_id)
    assert "verdict_kind" not in draft
    assert draft["match_options"][0]["code"] == "1.03.10"


async def test_a_road_under_economy_is_noted_and_the_field_can_be_switched(core, engine):
    driver = CoreDriver(core)
    await to_title(driver, bidang="🌾 Ekonomi")
    await driver.send(stories.ROAD, expect="bukan Ekonomi yang Anda pilih")
    await driver.press("🔁 Ganti bidang menjadi 🏗 Infrastruktur", expect=stories.PROGRAM_CHOICE)
    _step, draft = await draft_of(engine, driver.chat_id)
    assert draft["bidang"] == "infrastruktur"


async def test_the_program_step_leads_back_to_rewriting_the_text(core, engine):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✏️ Tulis ulang usulan", expect=stories.TITLE_QUESTION)
    await driver.send("Bantuan bibit kopi untuk kelompok tani", expect=stories.PROGRAM_CHOICE)
    _step, draft = await draft_of(engine, driver.chat_id)
    assert draft["title"] == "Bantuan bibit kopi untuk kelompok tani"


async def test_help_gives_bappedas_contact_and_office_hours(engine, settings):
    contact = load_settings(
        database_url=settings.database_url,
        bappeda_contact="WhatsApp 0812-7000-1234",
        bappeda_office_hours="Senin-Jumat 08.00-15.00 WIB",
    )
    driver = CoreDriver(Core(engine=engine, settings=contact))
    await driver.send("/bantuan", expect="Perlu bicara dengan petugas? Bappeda Kabupaten Lebong")
    assert "WhatsApp 0812-7000-1234 (Senin-Jumat 08.00-15.00 WIB)" in driver.transcript()


async def finish_after_problem(driver):
    await driver.send("RT 02 / RW 01, depan masjid", expect=stories.VOLUME_QUESTION)
    await driver.send("1 unit", expect=stories.PEOPLE_QUESTION)
    await driver.send("sekitar 120 KK", expect=stories.URGENCY_QUESTION)
    await driver.press("🟠 Mendesak", expect=stories.PHOTO_QUESTION)
    await driver.press("Lewati, tanpa foto ➡️", expect=stories.PREVIEW)


async def test_the_problem_reranks_and_the_preview_offers_better_programs(core, engine):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send("pembangunan di dusun 2", expect="Belum ada program yang jelas cocok")
    await driver.press("🤷 Tidak tahu / lainnya", expect=stories.PROBLEM_QUESTION)
    await driver.send(
        "air bersih susah, warga ambil air dari sungai yang keruh",
        expect=stories.LOCATION_QUESTION,
    )
    await finish_after_problem(driver)
    assert "mungkin lebih cocok" in driver.transcript()
    _step, draft = await draft_of(engine, driver.chat_id)
    better = draft["better_options"][0]
    assert better["code"] == "1.03.03"
    await driver.press("✅ Program 1", expect=stories.PREVIEW)
    await driver.press("✅ Kirim usulan", expect=stories.SENT)
    proposal = await stories.only_proposal(engine)
    assert (proposal.program_code, proposal.match_confirmed) == ("1.03.03", True)


async def test_a_confident_match_from_the_problem_is_taken(core, engine):
    driver = CoreDriver(core, chat_id=5151)
    await to_title(driver, bidang="🤝 Sosial budaya")
    await driver.send("usulan dusun 3", expect=stories.PROGRAM_CHOICE)
    await driver.press("🤷 Tidak tahu / lainnya", expect=stories.PROBLEM_QUESTION)
    await driver.send("banyak balita kurang gizi dan stunting", expect=stories.LOCATION_QUESTION)
    _step, draft = await draft_of(engine, driver.chat_id)
    assert (draft["program_code"], draft["match_confident"]) == ("1.02.02", True)


async def test_changing_the_field_in_the_preview_matches_again(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Bidang", expect=stories.BIDANG_QUESTION)
    await driver.press("🤝 Sosial budaya", expect="periksa lagi programnya")
    assert stories.PROGRAM_CHOICE in driver.transcript().rsplit("periksa lagi", 1)[1]
    _step, draft = await draft_of(engine, driver.chat_id)
    assert (draft["bidang"], draft.get("program_code")) == ("sosial_budaya", None)
    await driver.press("✅ Program 1", expect=stories.PREVIEW)


async def test_resident_talks_without_commands(core, engine):
    await stories.resident_talks_without_commands(CoreDriver(core), engine)


@pytest.mark.parametrize(
    ("typed", "expect"),
    [
        ("usul", stories.KECAMATAN_QUESTION),
        ("menu", stories.MENU),
        ("bantuan", "/usul"),
        ("Selamat pagi bu", "Halo, Siti"),
    ],
)
async def test_words_for_commands_and_greetings_at_idle(core, typed, expect):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send(typed, expect=expect)
    assert "belum memahami" not in driver.transcript()


async def test_a_bare_tracking_code_shows_its_status(core, engine):
    existing = await stories.resident_submits_a_complete_proposal(CoreDriver(core), engine)
    budi = CoreDriver(core, chat_id=777, first_name="Budi")
    await stories.agree(budi)
    await budi.send(existing.tracking_code.lower(), expect="Status:")
    await budi.send(f"status {existing.tracking_code}", expect="Status:")


async def test_a_complaint_at_idle_is_told_where_it_goes(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("kepala desa korupsi dana desa kami", expect="SP4N-LAPOR!")
    _step, draft = await draft_of(engine, driver.chat_id)
    assert _step == "idle"
    assert "title" not in draft


async def test_a_photo_at_idle_is_kept_for_the_proposal(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send_photo(expect=stories.KECAMATAN_QUESTION)
    assert "saya simpan untuk usulan" in driver.transcript()
    step, draft = await draft_of(engine, driver.chat_id)
    assert step == "usul.kecamatan"
    assert len(draft["photo_file_ids"]) == 1


async def test_typed_urgency_counts_as_pressing(core, engine):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
    await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
    await driver.send("RT 02 / RW 01, depan masjid", expect=stories.VOLUME_QUESTION)
    await driver.send("800 m", expect=stories.PEOPLE_QUESTION)
    await driver.send("120 KK", expect=stories.URGENCY_QUESTION)
    await driver.send("sangat mendesak", expect=stories.PHOTO_QUESTION)
    _step, draft = await draft_of(engine, driver.chat_id)
    assert draft["urgency"] == "sangat_mendesak"


async def test_an_album_of_four_photos_keeps_the_first_three(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Foto", expect=stories.PHOTO_QUESTION)
    for _ in range(3):
        await driver.send_photo(expect="")
    await driver.send_photo(expect="saya simpan 3 foto pertama")
    _step, draft = await draft_of(engine, driver.chat_id)
    assert len(draft["photo_file_ids"]) == 3


async def test_quantities_with_the_wrong_kind_of_unit_are_asked_again(core, engine):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
    await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
    await driver.send("RT 02 / RW 01, depan masjid", expect=stories.VOLUME_QUESTION)
    await driver.send("200 KK", expect="menyebut orang atau wilayah")
    await driver.send("2 dusun", expect="menyebut orang atau wilayah")
    await driver.send("800 m", expect=stories.PEOPLE_QUESTION)
    await driver.send("200 meter", expect="bukan orang")
    await driver.send("2 dusun ± 400 KK", expect="2 dusun (400 KK)")
    _step, draft = await draft_of(engine, driver.chat_id)
    assert draft["volume"]["unit"] == "m"
    assert draft["beneficiaries"]["text"] == "2 dusun ± 400 KK"


async def test_the_map_point_can_be_removed_in_the_preview(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Lokasi", expect="Hapus titik itu?")
    await driver.press("🗑 Hapus titik peta", expect=stories.PREVIEW)
    _step, draft = await draft_of(engine, driver.chat_id)
    assert "latitude" not in draft
    assert draft["location_detail"] == "RT 02 / RW 01, depan masjid Al-Ikhlas"


async def test_a_point_far_outside_the_regency_is_warned_and_not_kept(core, engine):
    driver = CoreDriver(core)
    await to_title(driver)
    await driver.send(stories.ROAD, expect=stories.PROGRAM_CHOICE)
    await driver.press("✅ Program 1", expect=stories.PROBLEM_QUESTION)
    await driver.send(stories.ROAD_PROBLEM, expect=stories.LOCATION_QUESTION)
    await driver.share_location(-6.2, 106.8, expect="jauh di luar")
    _step, draft = await draft_of(engine, driver.chat_id)
    assert "latitude" not in draft


async def test_a_proposal_can_be_withdrawn_until_verified(core, engine):
    driver = CoreDriver(core)
    proposal = await stories.resident_submits_a_complete_proposal(driver, engine)
    await driver.send(
        f"/status {proposal.tracking_code}", expect="masih bisa Anda koreksi atau tarik"
    )
    await driver.press("🗑 Tarik usulan ini", expect="tidak bisa dibatalkan")
    await driver.press("🗑 Ya, tarik usulan", expect="sudah ditarik")
    withdrawn = await stories.only_proposal(engine)
    assert withdrawn.status == "ditarik"


async def test_typed_places_as_people_write_them(core):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.send("12", expect="adalah angka, bukan nama tempat")
    await driver.send("talang leak", expect="yang mana")
    await driver.press("✖ Bukan semuanya", expect=stories.KECAMATAN_QUESTION)
    await driver.send("saya tinggal di desa gandung", expect=stories.BIDANG_QUESTION)
    assert "Desa / kelurahan: Gandung, Kecamatan Lebong Utara" in driver.transcript()
    other = CoreDriver(core, chat_id=31)
    await stories.agree(other)
    await other.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await other.send("muara aman", expect="yang mana")
    await other.press("Kampung Muara Aman", expect=stories.BIDANG_QUESTION)


async def test_typing_kirim_at_the_preview_sends(core, engine):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.send("Kirim", expect=stories.SENT)
    assert (await stories.only_proposal(engine)).title == stories.ROAD


async def test_a_proposal_can_be_corrected_until_verified(core, engine):
    driver = CoreDriver(core)
    proposal = await stories.resident_submits_a_complete_proposal(driver, engine)
    await driver.send(f"/status {proposal.tracking_code}", expect="koreksi atau tarik")
    await driver.press("✏️ Koreksi usulan ini", expect=stories.PREVIEW)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Volume", expect=stories.VOLUME_QUESTION)
    await driver.send("1,2 km", expect=stories.PREVIEW)
    await driver.press("✅ Kirim usulan", expect="sudah dikoreksi")
    corrected = await stories.only_proposal(engine)
    assert (corrected.tracking_code, corrected.volume, corrected.volume_unit) == (
        proposal.tracking_code,
        1.2,
        "km",
    )
    assert corrected.status == "diajukan"
    _step, draft = await draft_of(engine, driver.chat_id)
    assert (_step, draft) == ("idle", {})
