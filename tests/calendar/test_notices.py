"""Reminder texts, written at send time in the recipient's language, with one button."""

from datetime import UTC, datetime

import pytest

from core.config import load_settings
from core.events import SendText
from handlers.calendar.notices import RENDERERS, render_reminder
from handlers.dispatch import Core
from models.calendar import Stage, StageLevel, set_reminders_enabled
from models.conversations import Conversation
from models.db import session_scope
from models.users import User
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

pytestmark = pytest.mark.usefixtures("regions")

PERSON = 4242
WIB_8AM = datetime(2027, 2, 2, 1, 0, tzinfo=UTC)
DRAFT = {
    "kecamatan_code": "17.07.01",
    "desa_code": "17.07.01.2002",
    "bidang": "infrastruktur",
    "title": "Jalan <usaha> tani",
    "resume_step": "usul.problem",
}


@pytest.fixture
async def stages(engine) -> dict[str, Stage]:
    wib = load_settings().zone
    made = {
        "utara": Stage(
            name="Musrenbang Kecamatan Lebong Utara 2027",
            level=StageLevel.KECAMATAN,
            region_code="17.07.01",
            opens_at=datetime(2027, 2, 1, 8, tzinfo=wib),
            closes_at=datetime(2027, 2, 5, 16, tzinfo=wib),
            forum_at=datetime(2027, 2, 8, 9, tzinfo=wib),
        ),
        "opd": Stage(
            name="Forum Perangkat Daerah 2027",
            level=StageLevel.OPD,
            opens_at=datetime(2027, 3, 1, 8, tzinfo=wib),
            closes_at=datetime(2027, 3, 10, 16, tzinfo=wib),
        ),
    }
    async with session_scope(engine) as session:
        session.add_all(made.values())
    return made


async def add_person(engine, *, language="id", draft=None) -> None:
    async with session_scope(engine) as session:
        session.add(User(telegram_id=PERSON, consent_at=WIB_8AM, language=language))
        if draft is not None:
            session.add(Conversation(chat_id=PERSON, user_id=PERSON, draft=draft))


async def render(engine, payload) -> list:
    async with session_scope(engine) as session:
        recipient = await session.get(User, PERSON)
        return await RENDERERS["reminder"](
            payload, session=session, recipient=recipient, settings=load_settings()
        )


def item(stage, slot, **topics) -> dict:
    return {"stage": stage.id, "slot": slot, "kind": slot.split("-")[0].split(":")[0], **topics}


async def test_draft_reminder_says_what_is_missing_and_offers_to_continue(engine, stages):
    await add_person(engine, draft=DRAFT)
    payload = {
        "day": "2027-02-02",
        "items": [
            item(
                stages["utara"],
                "close-3:2027-02-05",
                draft={"missing": ["problem", "location", "urgency"]},
            )
        ],
    }
    [reply] = await render(engine, payload)
    assert isinstance(reply, SendText)
    assert reply.chat_id == PERSON
    assert reply.text == (
        "🔔 <b>Pengingat Musrenbang</b>\n\n"
        "📝 Usulan Anda “Jalan &lt;usaha&gt; tani” belum selesai. Yang belum diisi: masalah "
        "yang diatasi, lokasi, tingkat urgensi. Pengajuan untuk <b>Musrenbang Kecamatan "
        "Lebong Utara 2027</b> ditutup 3 hari lagi: Jumat, 5 Februari 2027, 16.00 WIB.\n\n"
        "Tidak ingin menerima pengingat? Ketik /pengingat untuk mematikannya."
    )
    [[button]] = reply.keyboard.rows
    assert (button.text, button.data) == ("▶️ Lanjutkan draf", "draf:continue")


async def test_the_continue_button_takes_the_person_back_to_the_draft(engine, settings, stages):
    core = Core(engine=engine, settings=settings, clock=lambda: WIB_8AM)
    driver = CoreDriver(core, chat_id=PERSON)
    await stories.agree(driver)
    await driver.send("/usul", expect=stories.KECAMATAN_QUESTION)
    await driver.press("Lebong Utara", expect=stories.DESA_QUESTION)
    await driver.press("Gandung", expect=stories.BIDANG_QUESTION)
    await driver.press("🏗 Infrastruktur", expect=stories.TITLE_QUESTION)
    payload = {
        "day": "2027-02-02",
        "items": [item(stages["utara"], "close-3:2027-02-05", draft={"missing": ["title"]})],
    }
    [reply] = await render(engine, payload)
    driver.messages[999] = (reply.text, reply.keyboard)
    await driver.press("▶️ Lanjutkan draf", expect=stories.TITLE_QUESTION)


async def test_lurah_camat_forum_and_closed_paragraphs_share_one_message(engine, stages):
    await add_person(engine)
    utara = stages["utara"]
    payload = {
        "day": "2027-02-07",
        "items": [
            item(
                utara,
                "close-1:2027-02-05",
                lurah={"desa": "17.07.01.2002", "unverified": 2, "total": 5},
            ),
            item(
                utara,
                "close-0:2027-02-05",
                lurah={"desa": "17.07.01.2005", "unverified": 0, "total": 0},
            ),
            item(utara, "close-1:2027-02-05", camat={"kecamatan": "17.07.01", "unranked": 4}),
            item(
                utara,
                "forum-1:2027-02-08",
                forum={"codes": ["LBG-27-AAAA1", "LBG-27-AAAA2"], "count": 3},
            ),
            item(utara, "closed:2027-02-05", closed={"region": "17.07.01.2002"}),
        ],
    }
    [reply] = await render(engine, payload)
    paragraphs = reply.text.split("\n\n")
    assert paragraphs[1].startswith("🏘 Gandung: 2 dari 5 usulan menunggu verifikasi Anda.")
    assert paragraphs[2].startswith("🏘 Tunggang belum punya usulan untuk <b>Musrenbang")
    assert "Kirim usulan desa dengan /usul." in paragraphs[2]
    assert paragraphs[3].startswith(
        "🏛 Lebong Utara: 4 usulan yang sudah diverifikasi belum diberi peringkat."
    )
    assert paragraphs[4] == (
        "🗣 Forum <b>Musrenbang Kecamatan Lebong Utara 2027</b> berlangsung besok, Senin, "
        "8 Februari 2027, 09.00 WIB. Usulan Anda yang masuk agendanya: <b>LBG-27-AAAA1</b>, "
        "<b>LBG-27-AAAA2</b>, …."
    )
    assert paragraphs[5] == (
        "🔒 Pengajuan untuk <b>Musrenbang Kecamatan Lebong Utara 2027</b> sudah ditutup pada "
        "Jumat, 5 Februari 2027, 16.00 WIB. Usulannya dibahas di forum besok: Senin, "
        "8 Februari 2027, 09.00 WIB. Berikutnya: <b>Forum Perangkat Daerah 2027</b> dibuka "
        "22 hari lagi: Senin, 1 Maret 2027, 08.00 WIB."
    )
    assert reply.keyboard is None


async def test_english_speakers_read_english(engine, stages):
    await add_person(engine, language="en", draft=DRAFT)
    payload = {
        "day": "2027-02-04",
        "items": [item(stages["utara"], "close-1:2027-02-05", draft={"missing": []})],
    }
    [reply] = await render(engine, payload)
    assert "It only needs to be checked and sent." in reply.text
    assert "closes tomorrow: Friday, February 5, 2027, 16:00 WIB." in reply.text
    assert reply.keyboard.rows[0][0].text == "▶️ Continue the draft"


async def test_nothing_is_sent_for_a_finished_draft_a_deleted_stage_or_an_opt_out(engine, stages):
    await add_person(engine)
    draft_only = {
        "day": "2027-02-02",
        "items": [item(stages["utara"], "close-3:2027-02-05", draft={"missing": ["title"]})],
    }
    assert await render(engine, draft_only) == []  # the draft was sent or discarded meanwhile
    gone = {
        "day": "2027-02-02",
        "items": [{"stage": 999, "slot": "closed:2027-02-05", "closed": {"region": "17.07.01"}}],
    }
    assert await render(engine, gone) == []
    closed = {
        "day": "2027-02-06",
        "items": [item(stages["utara"], "closed:2027-02-05", closed={"region": "17.07.01"})],
    }
    assert len(await render(engine, closed)) == 1
    async with session_scope(engine) as session:
        await set_reminders_enabled(session, user_id=PERSON, enabled=False, now=WIB_8AM)
    assert await render(engine, closed) == []


def test_renderers_cover_the_reminder_kind():
    assert RENDERERS["reminder"] is render_reminder
