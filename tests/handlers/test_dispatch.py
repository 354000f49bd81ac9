import asyncio

import pytest
from sqlmodel import select

from core.events import AnswerCallback, EditText, EventKind, SendText
from handlers.dispatch import Core
from models.conversations import Conversation, ProcessedUpdate
from models.db import session_scope
from models.users import User
from tests.factories import command, make_event, press, text
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

APOLOGY = "ada gangguan di sistem kami"


def texts(replies) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, SendText | EditText)]


async def test_start_asks_consent_and_stores_nothing_personal_before_it(core: Core):
    replies = await core.handle(command("start", first_name="Siti", username="siti_l"))
    joined = "\n".join(texts(replies))
    assert "Halo, Siti" in joined
    assert "UU" in joined or "Undang-Undang" in joined
    buttons = [b.data for b in replies[-1].keyboard.buttons()]
    assert buttons == ["consent:yes", "consent:no"]
    async with session_scope(core.engine) as session:
        user = await session.get(User, 5001)
    assert user is not None
    assert user.name is None
    assert user.consent_at is None


async def test_consent_yes_stores_name_and_shows_menu(core: Core):
    await core.handle(command("start", username="siti_l"))
    replies = await core.handle(press("consent:yes", username="siti_l"))
    assert isinstance(replies[0], AnswerCallback)
    assert any("Apa yang ingin Anda lakukan" in t for t in texts(replies))
    async with session_scope(core.engine) as session:
        user = await session.get(User, 5001)
    assert user.consent_at is not None
    assert user.name == "Siti"
    assert user.username == "siti_l"


async def test_consent_withdrawn_with_an_old_button_forgets_the_name(core: Core):
    await core.handle(command("start", username="siti_l"))
    await core.handle(press("consent:yes", username="siti_l"))
    await core.handle(press("consent:no"))
    async with session_scope(core.engine) as session:
        user = await session.get(User, 5001)
    assert (user.consent_at, user.name, user.username) == (None, None, None)


async def test_buttons_that_need_consent_ask_for_it_first(core: Core):
    await core.handle(command("start"))
    replies = await core.handle(press("menu:usul"))
    assert any("Apakah Anda setuju?" in t for t in texts(replies))
    assert not any("kecamatan mana?" in t for t in texts(replies))
    async with session_scope(core.engine) as session:
        assert (await session.get(Conversation, 5001)).step == "idle"


async def test_consent_refused_is_respected(core: Core):
    await core.handle(command("start"))
    replies = await core.handle(press("consent:no"))
    assert any("tidak menyimpan data pribadi" in t for t in texts(replies))
    replies = await core.handle(text("jalan rusak"))
    assert any("belum menyetujui" in t for t in texts(replies))
    async with session_scope(core.engine) as session:
        user = await session.get(User, 5001)
    assert user.name is None
    assert user.consent_refused_at is not None


async def test_dispatch_applies_a_redelivered_update_once(core: Core):
    first = command("start", update_id=777)
    replies = [await core.handle(first) for _ in range(3)]
    assert replies[0]
    assert replies[1] == []
    assert replies[2] == []
    async with session_scope(core.engine) as session:
        rows = (await session.exec(select(ProcessedUpdate))).all()
    assert [row.update_id for row in rows] == [777]
    async with session_scope(core.engine) as session:
        assert (await session.get(Conversation, 5001)).last_update_id == 777


@pytest.mark.usefixtures("regions")
async def test_dispatch_applies_concurrent_updates_of_one_chat_one_after_another(core: Core):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Foto", expect=stories.PHOTO_QUESTION)
    photos = [
        make_event(EventKind.PHOTO, chat_id=driver.chat_id, file_id=f"foto-{number}")
        for number in range(3)
    ]
    results = await asyncio.gather(*(core.handle(photo) for photo in photos))
    assert not any(APOLOGY in said for replies in results for said in texts(replies))
    async with session_scope(core.engine) as session:
        conversation = await session.get(Conversation, driver.chat_id)
    assert conversation.draft["photo_file_ids"] == ["foto-0", "foto-1", "foto-2"]
    assert conversation.step == "usul.preview"
    assert conversation.last_update_id == photos[-1].update_id


async def test_unknown_command_names_it_and_points_to_help(core: Core):
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))
    replies = await core.handle(command("terbang"))
    assert any("/terbang" in t and "/bantuan" in t for t in texts(replies))


async def test_stray_text_when_idle_gets_the_menu(core: Core):
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))
    replies = await core.handle(text("hmm ok"))
    assert any("belum memahami" in t for t in texts(replies))
    assert replies[-1].keyboard is not None


async def test_old_button_is_answered_as_no_longer_active(core: Core):
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))
    replies = await core.handle(press("kecamatan:17.07.01"))
    answers = [r for r in replies if isinstance(r, AnswerCallback)]
    assert answers
    assert "tidak berlaku" in answers[0].text


async def test_cancel_when_idle_says_nothing_to_cancel(core: Core):
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))
    replies = await core.handle(command("batal"))
    assert any("Tidak ada" in t for t in texts(replies))


async def test_blocked_user_is_marked_inactive(core: Core):
    await core.handle(command("start"))
    await core.mark_blocked(5001)
    async with session_scope(core.engine) as session:
        user = await session.get(User, 5001)
    assert user.active is False


async def test_handler_crash_apologises_and_keeps_the_draft(core: Core, monkeypatch):
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))
    async with session_scope(core.engine) as session:
        conversation = await session.get(Conversation, 5001)
        conversation.draft = {"title": "sumur bor"}

    async def explode(context):
        msg = "boom"
        raise RuntimeError(msg)

    monkeypatch.setattr("handlers.common.fallback.not_understood", explode)
    replies = await core.handle(text("apa saja", update_id=4242))
    assert any("aman" in t for t in texts(replies))
    assert await core.handle(text("apa saja", update_id=4242)) == []
    async with session_scope(core.engine) as session:
        conversation = await session.get(Conversation, 5001)
    assert conversation.draft == {"title": "sumur bor"}


async def test_two_instances_apply_a_shared_update_once(core: Core, settings):
    from models.db import create_engine_from_url

    second_engine = create_engine_from_url(settings.database_url)
    try:
        second = Core(engine=second_engine, settings=settings)
        await core.handle(command("start"))
        await core.handle(press("consent:yes"))
        update = command("bantuan", update_id=99_001)
        results = await asyncio.gather(core.handle(update), second.handle(update))
    finally:
        await second_engine.dispose()
    assert sorted(bool(replies) for replies in results) == [False, True]
    async with session_scope(core.engine) as session:
        rows = (await session.exec(select(ProcessedUpdate))).all()
    assert 99_001 in [row.update_id for row in rows]


async def test_old_processed_updates_are_pruned(core: Core):
    from datetime import timedelta

    from models.base import utcnow
    from models.conversations import prune_processed_updates

    await core.handle(command("start", update_id=5))
    await core.handle(command("start", update_id=6))
    async with session_scope(core.engine) as session:
        old = await session.get(ProcessedUpdate, 5)
        old.processed_at = utcnow() - timedelta(days=3)
    async with session_scope(core.engine) as session:
        await prune_processed_updates(session, before=utcnow() - timedelta(days=2))
    async with session_scope(core.engine) as session:
        kept = [row.update_id for row in (await session.exec(select(ProcessedUpdate))).all()]
    assert kept == [6]
