"""The core's path in: stored first, applied once, in update_id order per chat."""

import asyncio

import pytest
from sqlmodel import select

from core.events import AnswerCallback, EditText, EventKind, SendText
from handlers.dispatch import Core
from models.conversations import Conversation
from models.db import create_engine_from_url, session_scope
from models.inbox import InboxUpdate
from models.outbox import Outbox
from models.users import User
from tests.factories import command, make_event, press, text
from tests.scenarios import stories
from tests.scenarios.drivers import CoreDriver

APOLOGY = "ada gangguan di sistem kami"


def texts(replies) -> list[str]:
    return [reply.text for reply in replies if isinstance(reply, SendText | EditText)]


async def _rows(engine, table):
    async with session_scope(engine) as session:
        return (await session.exec(select(table))).all()


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
    [row] = await _rows(core.engine, InboxUpdate)
    assert row.update_id == 777
    assert row.applied_at is not None
    outbox = await _rows(core.engine, Outbox)
    assert len(outbox) == len(replies[0])


async def test_dispatch_orders_concurrent_updates_of_one_chat(core: Core, settings, monkeypatch):
    """Two cores drain one chat at once, each update taking a while: still one by one, in order.

    Without the chat lock (in process and across instances) the drains interleave: an update
    is started twice, or a later one starts before an earlier one ends.
    """
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))
    started: list[int] = []
    ended: list[int] = []
    route = Core._route

    async def slow_route(self, context):
        started.append(context.event.update_id)
        await asyncio.sleep(0.02)
        await route(self, context)
        ended.append(context.event.update_id)

    monkeypatch.setattr(Core, "_route", slow_route)
    second_engine = create_engine_from_url(settings.database_url)
    try:
        second = Core(engine=second_engine, settings=settings)
        updates = [command("bantuan", update_id=60_000 + number) for number in range(8)]
        await core.receive(updates)
        await asyncio.gather(
            *(instance.drain(5001) for instance in (core, second, core, second, core, second))
        )
    finally:
        await second_engine.dispose()
    expected = [update.update_id for update in updates]
    assert started == expected
    assert ended == expected
    async with session_scope(core.engine) as session:
        conversation = await session.get(Conversation, 5001)
    assert conversation.last_update_id == expected[-1]


async def test_dispatch_applies_a_late_stored_earlier_update_first(core: Core):
    await core.handle(command("start"))
    await core.receive([press("consent:yes", update_id=70_002)])
    await core.receive([command("start", update_id=70_001)])
    applied = await core.drain(5001)
    assert [update.update_id for update in applied] == [70_001, 70_002]


async def test_update_stored_before_a_crash_is_applied_after_the_restart(core: Core, settings):
    await core.receive([command("start", update_id=80_001, first_name="Rahmat")])
    restarted_engine = create_engine_from_url(settings.database_url)
    try:
        restarted = Core(engine=restarted_engine, settings=settings)
        assert await restarted.pending_chats() == [5001]
        [applied] = await restarted.drain(5001)
    finally:
        await restarted_engine.dispose()
    assert "Halo, Rahmat" in texts([queued.reply for queued in applied.replies])[0]
    assert await core.pending_chats() == []


async def test_replies_are_outbox_rows_claimed_for_the_fast_path(core: Core):
    replies = await core.handle(command("start", update_id=90_001))
    rows = sorted(await _rows(core.engine, Outbox), key=lambda row: row.id)
    assert [row.kind for row in rows] == ["reply"] * len(replies)
    assert [row.dedup_key for row in rows] == [f"update:90001:{n}" for n in range(len(replies))]
    assert {row.claimed_by for row in rows} == {core.owner}
    assert {row.state for row in rows} == {"queued"}
    assert rows[0].payload["text"] == replies[0].text


@pytest.mark.usefixtures("regions")
async def test_dispatch_applies_concurrent_updates_of_one_chat_one_after_another(core: Core):
    driver = CoreDriver(core)
    await stories.agree(driver)
    await stories.fill_until_preview(driver, photo=False)
    await driver.press("✏️ Ubah isian", expect="Bagian mana")
    await driver.press("Foto", expect=stories.PHOTO_QUESTION)
    photos = [
        make_event(
            EventKind.PHOTO,
            chat_id=driver.chat_id,
            file_id=f"foto-{number}",
            update_id=900_000 + number,
        )
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


async def test_handler_crash_apologises_keeps_the_draft_and_rolls_back_its_replies(
    core: Core, monkeypatch
):
    await core.handle(command("start"))
    await core.handle(press("consent:yes"))
    async with session_scope(core.engine) as session:
        conversation = await session.get(Conversation, 5001)
        conversation.draft = {"title": "sumur bor"}
    before = len(await _rows(core.engine, Outbox))

    async def explode(context):
        context.say("half an answer")
        context.update_draft(title="overwritten")
        msg = "boom"
        raise RuntimeError(msg)

    monkeypatch.setattr("handlers.common.fallback.not_understood", explode)
    replies = await core.handle(text("apa saja", update_id=4242))
    assert any("aman" in t for t in texts(replies))
    assert await core.handle(text("apa saja", update_id=4242)) == []
    async with session_scope(core.engine) as session:
        conversation = await session.get(Conversation, 5001)
    assert conversation.draft == {"title": "sumur bor"}
    rows = await _rows(core.engine, Outbox)
    assert len(rows) == before + 1
    assert "half an answer" not in str([row.payload for row in rows])


async def test_two_instances_apply_a_shared_update_once(core: Core, settings):
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
    [row] = [row for row in await _rows(core.engine, InboxUpdate) if row.update_id == 99_001]
    assert row.applied_at is not None


# --- groups and channels ------------------------------------------------------------------


GROUP = -100_555


async def test_group_command_gets_one_line_and_a_link_to_the_private_chat(core: Core):
    core.bot_username = "musrenbang_bot"
    replies = await core.handle(
        command("usulansaya", chat_id=GROUP, user_id=5001, chat_type="supergroup")
    )
    [reply] = replies
    assert "chat pribadi" in reply.text
    [button] = reply.keyboard.buttons()
    assert button.url == "https://t.me/musrenbang_bot?start=grup"
    assert await _rows(core.engine, User) == []
    assert await _rows(core.engine, Conversation) == []


async def test_group_text_is_ignored_and_stores_nothing_personal(core: Core):
    for update in (
        text("jalan rusak", chat_id=GROUP, user_id=5002, chat_type="group"),
        make_event(chat_id=GROUP, chat_type="group"),
    ):
        assert await core.handle(update) == []
    assert await _rows(core.engine, User) == []
    assert await _rows(core.engine, Conversation) == []


async def test_button_pressed_by_someone_else_is_refused(core: Core):
    await core.handle(command("start"))
    in_group = await core.handle(
        press("consent:yes", chat_id=GROUP, user_id=5001, chat_type="group")
    )
    forged = await core.handle(press("consent:yes", chat_id=5001, user_id=6002))
    for replies in (in_group, forged):
        [answer] = replies
        assert isinstance(answer, AnswerCallback)
        assert "bukan untuk Anda" in answer.text
    async with session_scope(core.engine) as session:
        user = await session.get(User, 5001)
    assert user.consent_at is None


# --- SQLite's one writer ------------------------------------------------------------------


async def test_sqlite_connections_wait_30_seconds_for_the_writer(sqlite_url):
    engine = create_engine_from_url(sqlite_url)
    try:
        async with engine.connect() as connection:
            waited = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
    finally:
        await engine.dispose()
    assert waited == 30_000


async def test_sqlite_lock_held_too_long_is_retried_instead_of_failing_updates(
    sqlite_url, monkeypatch
):
    """Another writer holds the lock past the wait: every update is still applied, no apology."""
    import sqlite3

    from core.config import load_settings

    monkeypatch.setattr("models.db.SQLITE_BUSY_SECONDS", 0.05)
    settings = load_settings(database_url=sqlite_url)
    engine = create_engine_from_url(sqlite_url)
    blocker = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        core = Core(engine=engine, settings=settings)
        blocker.execute("BEGIN IMMEDIATE")
        asyncio.get_running_loop().call_later(0.4, blocker.rollback)
        results = await asyncio.gather(
            *(
                core.handle(command("start", chat_id=7000 + number, first_name="Siti"))
                for number in range(30)
            )
        )
        applied = await _rows(engine, InboxUpdate)
    finally:
        blocker.close()
        await engine.dispose()
    assert all(any("Halo, Siti" in t for t in texts(replies)) for replies in results)
    assert not any("Maaf" in t for replies in results for t in texts(replies))
    assert len(applied) == 30
    assert all(row.applied_at is not None for row in applied)
