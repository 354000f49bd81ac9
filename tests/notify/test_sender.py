"""The path out against the fake Bot API: outbox rows, fast path, sender, 429/403/400/5xx."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.app import build_sender
from core.events import SendText
from core.i18n import _
from handlers.dispatch import Core
from models.base import utcnow
from models.db import create_engine_from_url, session_scope
from models.outbox import Outbox
from models.users import User
from services.notify.outbox import Priority, enqueue
from tests.factories import command

APOLOGY = (
    "Sorry, something went wrong on our side. What you entered before is safe. "
    "Please try again in a moment, or type /bantuan."
)
NOTICE = "notice"


async def render_notice(rendering):
    """A test notification: the apology in the recipient's language, and the payload's number."""
    return [SendText(rendering.recipient_id, f"{_(APOLOGY)} #{rendering.payload['n']}")]


@pytest.fixture(autouse=True)
def _notice_renderer(app):
    app.renderers.add(NOTICE, render_notice)


async def _plan(engine, recipient: int, number: int, *, due=None, priority=Priority.NOTIFICATION):
    async with session_scope(engine) as session:
        return await enqueue(
            session,
            recipient_id=recipient,
            kind=NOTICE,
            payload={"n": number},
            dedup_key=f"notice:{recipient}:{number}",
            due_at=due or utcnow(),
            priority=priority,
        )


async def _rows(engine) -> list[Outbox]:
    async with session_scope(engine) as session:
        return sorted((await session.exec(select(Outbox))).all(), key=lambda row: row.id)


async def _send_until_done(sender, engine, *, seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while any(row.state == "queued" for row in await _rows(engine)):
            if not await sender.send_due():
                await asyncio.sleep(0.05)


async def test_notification_is_written_in_the_transaction_and_rolled_back_with_it(app):
    class AbortError(Exception):
        pass

    async def plan_then_fail() -> None:
        async with session_scope(app.engine) as session:
            await enqueue(
                session,
                recipient_id=42,
                kind=NOTICE,
                payload={"n": 1},
                dedup_key="notice:42:1",
                due_at=utcnow(),
            )
            raise AbortError

    with pytest.raises(AbortError):
        await plan_then_fail()
    assert await _rows(app.engine) == []

    assert await _plan(app.engine, 42, 1)
    assert not await _plan(app.engine, 42, 1)
    [row] = await _rows(app.engine)
    assert (row.kind, row.payload, row.state) == (NOTICE, {"n": 1}, "queued")


async def test_notification_is_rendered_at_send_time_in_the_recipients_language(
    app, sender, fake_api
):
    fake_api.add_user(71, language_code="en")
    fake_api.add_user(72)
    async with session_scope(app.engine) as session:
        session.add(User(telegram_id=71, language="en"))
        session.add(User(telegram_id=72, language="id"))
    await _plan(app.engine, 71, 1)
    await _plan(app.engine, 72, 2)

    await _send_until_done(sender, app.engine)

    assert fake_api.texts(71) == [f"{APOLOGY} #1"]
    [indonesian] = fake_api.texts(72)
    assert indonesian.startswith("Maaf")
    assert indonesian.endswith("#2")
    rows = await _rows(app.engine)
    assert [row.state for row in rows] == ["sent", "sent"]
    assert all(row.message_id for row in rows)


async def test_notification_waits_for_its_due_time(app, sender, fake_api):
    fake_api.add_user(73)
    await _plan(app.engine, 73, 1, due=utcnow() + timedelta(hours=1))

    assert await sender.send_due() == 0
    assert fake_api.texts(73) == []


async def test_fast_path_sends_an_updates_replies_at_once_and_marks_them_sent(
    app, sender, fake_api
):
    fake_api.add_user(5001)
    [applied] = await app.core.process(command("start", first_name="Siti"))

    await sender.send_replies(applied.replies)

    [greeting] = fake_api.texts(5001)
    assert "Halo, Siti" in greeting
    [row] = await _rows(app.engine)
    assert row.state == "sent"
    assert row.message_id == fake_api.last_message(5001)["message_id"]


async def test_reply_left_unsent_by_a_crash_is_sent_after_the_restart(
    app, client, fake_api, send_settings, monkeypatch
):
    """The update's transaction committed, then the process died before sending."""
    fake_api.add_user(5001)
    await app.core.process(command("start", first_name="Siti"))
    await app.core.process(command("bantuan"))
    assert fake_api.texts(5001) == []

    later = utcnow() + timedelta(seconds=send_settings.outbox_claim_seconds + 1)
    restarted_engine = create_engine_from_url(send_settings.database_url)
    try:
        restarted = Core(engine=restarted_engine, settings=send_settings, clock=lambda: later)
        from bot.app import build_app

        sender = build_sender(build_app(send_settings, core=restarted), client)
        await _send_until_done(sender, restarted_engine)
    finally:
        await restarted_engine.dispose()

    texts = fake_api.texts(5001)
    assert "Halo, Siti" in texts[0]
    assert len(texts) == len(await _rows(app.engine))
    assert {row.state for row in await _rows(app.engine)} == {"sent"}


async def test_429_pauses_all_sending_for_retry_after_then_delivers(app, each_sender, fake_api):
    for chat in (81, 82):
        fake_api.add_user(chat)
        await _plan(app.engine, chat, chat)
    fake_api.inject_429("sendMessage", retry_after=1)
    started = asyncio.get_running_loop().time()

    await _send_until_done(each_sender, app.engine)

    assert asyncio.get_running_loop().time() - started >= 0.9
    assert len(fake_api.rate_limited()) == 1
    assert fake_api.texts(81)
    assert fake_api.texts(82)
    assert [row.state for row in await _rows(app.engine)] == ["sent", "sent"]


async def test_403_marks_the_person_inactive_and_drops_their_unsent_rows(
    app, each_sender, fake_api
):
    fake_api.add_user(91)
    fake_api.add_user(92)
    async with session_scope(app.engine) as session:
        session.add(User(telegram_id=91))
    fake_api.block_user(91)
    for number in (1, 2, 3):
        await _plan(app.engine, 91, number)
    await _plan(app.engine, 92, 4)

    await _send_until_done(each_sender, app.engine)

    states = {(row.recipient_id, row.payload["n"]): row.state for row in await _rows(app.engine)}
    assert states == {(91, 1): "dropped", (91, 2): "dropped", (91, 3): "dropped", (92, 4): "sent"}
    assert len([call for call in fake_api.calls("sendMessage") if call.chat_id == 91]) == 1
    async with session_scope(app.engine) as session:
        assert (await session.get(User, 91)).active is False


async def test_400_fails_that_row_alone_with_the_reason(app, each_sender, fake_api):
    fake_api.add_user(94)
    await _plan(app.engine, 93_000, 1)  # a chat Telegram does not know
    await _plan(app.engine, 94, 2)

    await _send_until_done(each_sender, app.engine)

    failed, sent = await _rows(app.engine)
    assert failed.state == "failed"
    assert "chat not found" in failed.last_error.lower()
    assert sent.state == "sent"


async def test_500_is_retried_with_backoff_then_delivered(app, each_sender, fake_api):
    fake_api.add_user(95)
    await _plan(app.engine, 95, 1)
    fake_api.inject_error("sendMessage", 500, "Internal Server Error", times=2)

    await _send_until_done(each_sender, app.engine)

    [row] = await _rows(app.engine)
    assert row.state == "sent"
    assert row.attempts == 3
    assert len(fake_api.texts(95)) == 1


async def test_500_every_time_gives_the_row_up_as_failed_and_keeps_it(app, sender, fake_api):
    fake_api.add_user(96)
    await _plan(app.engine, 96, 1)
    fake_api.inject_error("sendMessage", 502, "Bad Gateway", times=100)

    await _send_until_done(sender, app.engine)

    [row] = await _rows(app.engine)
    assert row.state == "failed"
    assert row.attempts == app.settings.send_attempts
    assert fake_api.texts(96) == []


async def test_rows_of_one_chat_leave_in_order_after_a_retry(app, sender, fake_api):
    fake_api.add_user(97)
    for number in range(1, 5):
        await _plan(app.engine, 97, number)
    fake_api.inject_error("sendMessage", 500, "Internal Server Error", times=1)

    await _send_until_done(sender, app.engine)

    assert [text.rsplit("#", 1)[1] for text in fake_api.texts(97)] == ["1", "2", "3", "4"]


async def test_two_senders_on_one_database_send_every_row_exactly_once(
    app, client, fake_api, send_settings, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances share PostgreSQL; SQLite has one instance")
    chats = list(range(2001, 2061))
    for chat in chats:
        fake_api.add_user(chat)
        for number in range(3):
            await _plan(app.engine, chat, chat * 10 + number)
    other_engine = create_engine_from_url(send_settings.database_url)
    try:
        from bot.app import build_app

        other_core = Core(engine=other_engine, settings=send_settings)
        other_app = build_app(send_settings, core=other_core)
        other_app.renderers = app.renderers
        senders = [build_sender(app, client), build_sender(other_app, client)]
        tasks = [asyncio.create_task(sender.run()) for sender in senders]
        try:
            async with asyncio.timeout(30):
                while any(row.state != "sent" for row in await _rows(app.engine)):  # noqa: ASYNC110
                    await asyncio.sleep(0.1)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        await other_engine.dispose()
    for chat in chats:
        numbers = [int(text.rsplit("#", 1)[1]) for text in fake_api.texts(chat)]
        assert numbers == [chat * 10, chat * 10 + 1, chat * 10 + 2]
    owners = {row.claimed_by for row in await _rows(app.engine)}
    assert len(owners) == 2
