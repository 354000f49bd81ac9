"""User stories through the real aiogram and PTB runtimes, the fake Bot API and the real core."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import aiohttp
import pytest

from handlers.common.commands import command_menu
from models.db import session_scope
from models.users import User
from tests.e2e.runtimes import WEBHOOK_SECRET, running_bot

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from handlers.dispatch import Core
    from tests.e2e.fake_bot_api import FakeBotApi
    from tests.e2e.runtimes import Framework, RunningBot

pytest_plugins = ["tests.e2e.conftest_runtimes"]
pytestmark = pytest.mark.e2e

CHAT = 7001
GREETING = "Saya asisten Musrenbang"
CONSENT_QUESTION = "Apakah Anda setuju?"
MENU = "Apa yang ingin Anda lakukan?"


async def _user_active(engine: AsyncEngine, user_id: int) -> bool | None:
    async with session_scope(engine) as session:
        user = await session.get(User, user_id)
        return None if user is None else user.active


async def _settle(api: FakeBotApi, chat_id: int) -> None:
    """Let every update pushed so far be processed: a later /bantuan is answered after them."""
    api.push_text(chat_id, "/bantuan")
    await api.wait_for(chat_id, 1)


async def test_resident_starts_agrees_and_sees_the_menu(
    runtime: RunningBot, fake_api: FakeBotApi
) -> None:
    fake_api.push_text(CHAT, "/start", first_name="Siti")
    [greeting] = await fake_api.wait_for(CHAT, 1)
    assert "Halo, Siti!" in greeting["text"]
    assert GREETING in greeting["text"]
    assert CONSENT_QUESTION in greeting["text"]

    fake_api.press(CHAT, "✅ Setuju")

    await fake_api.wait_for(CHAT, text=MENU)
    assert "Terima kasih, Siti. Persetujuan Anda sudah dicatat." in fake_api.texts(CHAT)
    assert fake_api.buttons(CHAT)
    [answer] = fake_api.calls("answerCallbackQuery")
    assert answer.ok


async def test_runtime_registers_the_indonesian_command_menu(
    runtime: RunningBot, fake_api: FakeBotApi
) -> None:
    registered = [(c["command"], c["description"]) for c in fake_api.commands()]

    assert registered == command_menu("id")


async def test_same_update_delivered_three_times_is_answered_once(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    update = fake_api.push_text(CHAT, "/start")
    await fake_api.wait_for(CHAT, 1)
    sent_once = len(fake_api.calls("sendMessage"))

    fake_api.redeliver(update)
    fake_api.redeliver(update)
    await _settle(fake_api, CHAT)

    assert len(fake_api.calls("sendMessage")) == sent_once + 1
    assert sum(GREETING in text for text in fake_api.texts(CHAT)) == 1


async def test_forged_webhook_call_is_rejected_and_a_real_one_is_handled(
    webhook_runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    forger = 6660
    forged = {
        "update_id": 999_001,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": forger, "type": "private", "first_name": "Eve"},
            "from": {"id": forger, "is_bot": False, "first_name": "Eve"},
            "text": "/start",
        },
    }
    async with aiohttp.ClientSession() as client:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong-" + WEBHOOK_SECRET}):
            async with client.post(webhook_runtime.webhook_url, json=forged, headers=headers) as r:
                assert r.status == 401
        health_url = webhook_runtime.webhook_url.replace("/telegram/webhook", "/healthz")
        async with client.get(health_url) as health:
            assert (health.status, await health.text()) == (200, "ok")

    fake_api.push_text(CHAT, "/start")

    await fake_api.wait_for(CHAT, text=CONSENT_QUESTION)
    assert all(call.chat_id != forger for call in fake_api.calls())
    assert await _user_active(e2e_engine, forger) is None


async def test_rate_limit_is_waited_out_and_the_message_still_arrives(
    runtime: RunningBot, fake_api: FakeBotApi
) -> None:
    fake_api.inject_429("sendMessage", retry_after=1)

    fake_api.push_text(CHAT, "/start")

    [greeting] = await fake_api.wait_for(CHAT, 1)
    assert GREETING in greeting["text"]
    refused, *_ = fake_api.calls("sendMessage")
    assert refused.error is not None
    assert refused.error.status == 429


async def test_user_who_blocked_the_bot_is_marked_inactive(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    fake_api.push_text(CHAT, "/start")
    await fake_api.wait_for(CHAT, 1)
    assert await _user_active(e2e_engine, CHAT) is True

    fake_api.block_user(CHAT)
    fake_api.push_text(CHAT, "/bantuan")

    for _ in range(100):
        if await _user_active(e2e_engine, CHAT) is False:
            break
        await asyncio.sleep(0.05)
    assert await _user_active(e2e_engine, CHAT) is False
    assert [call.error.status for call in fake_api.calls("sendMessage") if call.error] == [403]


async def test_network_error_is_retried(runtime: RunningBot, fake_api: FakeBotApi) -> None:
    fake_api.fail_network(times=2, method="sendMessage")

    fake_api.push_text(CHAT, "/start")

    [greeting] = await fake_api.wait_for(CHAT, 1)
    assert GREETING in greeting["text"]
    assert CONSENT_QUESTION in greeting["text"]
    assert len(fake_api.calls("sendMessage")) == 1


class _SlowChat:
    """Makes the real core wait, before applying one chat's updates, until released."""

    def __init__(self, core: Core, slow_chat: int) -> None:
        self.release = asyncio.Event()
        self.slow_started = asyncio.Event()
        apply = core.drain

        async def drain(chat_id: int) -> list:
            if chat_id == slow_chat:
                self.slow_started.set()
                await self.release.wait()
            return await apply(chat_id)

        core.drain = drain  # type: ignore[method-assign]


async def test_slow_chat_does_not_hold_up_other_chats(
    fake_api: FakeBotApi, e2e_core: Core, framework: Framework, sqlite_url: str
) -> None:
    core = _SlowChat(e2e_core, slow_chat=CHAT)
    async with running_bot(fake_api, e2e_core, framework, database_url=sqlite_url):
        fake_api.push_text(CHAT, "/start")
        await asyncio.wait_for(core.slow_started.wait(), 5)

        fake_api.push_text(CHAT + 1, "/start")

        await fake_api.wait_for(CHAT + 1, 1)
        assert fake_api.sent(CHAT) == []
        core.release.set()
        await fake_api.wait_for(CHAT, 1)


async def test_shutdown_finishes_updates_in_progress(
    fake_api: FakeBotApi, e2e_core: Core, framework: Framework, sqlite_url: str
) -> None:
    core = _SlowChat(e2e_core, slow_chat=CHAT)
    async with running_bot(fake_api, e2e_core, framework, database_url=sqlite_url) as bot:
        fake_api.push_text(CHAT, "/start")
        await asyncio.wait_for(core.slow_started.wait(), 5)
        bot.task.cancel()
        await asyncio.sleep(0.2)
        core.release.set()

    assert GREETING in fake_api.texts(CHAT)[0]
