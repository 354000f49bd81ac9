"""The path in and out survive kill -9 of the real `musrenbang run` process at chosen moments."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from models.db import create_engine_from_url, session_scope
from models.inbox import InboxUpdate
from models.outbox import Outbox
from tests.e2e.processes import (
    bot_environment,
    logs,
    start_bot,
    stop_bot,
    webhook_url_on,
)
from tests.e2e.runtimes import free_port

if TYPE_CHECKING:
    from pathlib import Path

    from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.e2e

STARTUP_SECONDS = 60
GREETING = "Halo, Rahmat!"


async def _table(url: str, table) -> list:
    engine = create_engine_from_url(url)
    try:
        async with session_scope(engine) as session:
            return list((await session.exec(select(table))).all())
    finally:
        await engine.dispose()


def _polling_after(api: FakeBotApi, update_id: int) -> bool:
    """Tell whether the bot's long poll confirming `update_id` has reached the server."""
    return any(
        method == "getUpdates" and int(params.get("offset") or 0) > update_id
        for method, params in api.arrivals
    )


async def _greetings(api: FakeBotApi, chat_id: int) -> int:
    return sum(GREETING in text for text in api.texts(chat_id))


async def test_update_acknowledged_by_the_webhook_survives_kill_9(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    """kill -9 the instant Telegram gets its 200: the update is answered after the restart."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    port = free_port()
    environment = bot_environment(
        fake_api, database_url=url, webhook_url=webhook_url_on(port), listen_port=port
    )
    bot = await start_bot(environment, tmp_path)
    try:
        await fake_api.wait_until(
            lambda: fake_api.webhook_url is not None, timeout=STARTUP_SECONDS
        )
        fake_api.hold_call("sendMessage", chat_id=8201)  # the answer cannot leave before the kill
        target: dict[str, int] = {}

        def kill_on_200(update_id: int, status: int | None) -> None:
            if update_id == target.get("id") and status == 200:
                bot.kill()

        fake_api.on_webhook_answer = kill_on_200
        target["id"] = fake_api.push_text(8201, "/start", first_name="Rahmat")["update_id"]
        await asyncio.wait_for(bot.wait(), 30)
        fake_api.on_webhook_answer = None
        assert await _greetings(fake_api, 8201) == 0
        [stored] = await _table(url, InboxUpdate)
        assert stored.update_id == target["id"]

        bot = await start_bot(environment, tmp_path)
        await fake_api.wait_for(8201, 1, text=GREETING, timeout=STARTUP_SECONDS)
        await asyncio.sleep(0.5)
    finally:
        await stop_bot(bot)
    assert await _greetings(fake_api, 8201) == 1, logs(tmp_path)
    assert [row.applied_at is not None for row in await _table(url, InboxUpdate)] == [True]


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_update_fetched_by_polling_survives_kill_9(
    fake_api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    """kill -9 once the next getUpdates confirmed the update to Telegram: it is not lost."""
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    environment = bot_environment(fake_api, database_url=url, framework=framework)
    bot = await start_bot(environment, tmp_path)
    try:
        warm_up = fake_api.push_text(8299, "/start")["update_id"]
        await fake_api.wait_for(8299, 1, timeout=STARTUP_SECONDS)
        await fake_api.wait_until(lambda: _polling_after(fake_api, warm_up), timeout=30)
        fake_api.hold_call("sendMessage", chat_id=8202)
        fake_api.hold_call("getUpdates", after=True)  # the bot never hears the answer
        update_id = fake_api.push_text(8202, "/start", first_name="Rahmat")["update_id"]
        await fake_api.wait_until(
            lambda: update_id not in [update["update_id"] for update in fake_api.pending_updates],
            timeout=30,
        )
        await stop_bot(bot, kill=True)
        assert await _greetings(fake_api, 8202) == 0

        bot = await start_bot(environment, tmp_path)
        await fake_api.wait_for(8202, 1, text=GREETING, timeout=STARTUP_SECONDS)
        await asyncio.sleep(0.5)
    finally:
        await stop_bot(bot)
    assert await _greetings(fake_api, 8202) == 1, logs(tmp_path)


async def test_reply_committed_but_not_sent_before_kill_9_arrives_after_restart(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    environment = bot_environment(fake_api, database_url=url)
    bot = await start_bot(environment, tmp_path)
    try:
        await fake_api.wait_for_call("deleteWebhook", timeout=STARTUP_SECONDS)
        sending = fake_api.hold_call("sendMessage", chat_id=8203)
        fake_api.push_text(8203, "/start", first_name="Rahmat")
        await asyncio.wait_for(sending.reached.wait(), 30)
        await stop_bot(bot, kill=True)
        [row] = await _table(url, Outbox)
        assert row.state == "queued"

        bot = await start_bot(environment, tmp_path)
        await fake_api.wait_for(8203, 1, text=GREETING, timeout=STARTUP_SECONDS)
        await asyncio.sleep(0.5)
    finally:
        await stop_bot(bot)
    assert await _greetings(fake_api, 8203) == 1, logs(tmp_path)
    [row] = await _table(url, Outbox)
    assert row.state == "sent"


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_message_without_a_chat_does_not_stop_polling(
    fake_api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    bot = await start_bot(
        bot_environment(fake_api, database_url=url, framework=framework), tmp_path
    )
    try:
        await fake_api.wait_for_call("deleteWebhook", timeout=STARTUP_SECONDS)
        user = fake_api.add_user(8204, first_name="Rahmat")
        fake_api.push_raw(
            "message", {"message_id": 1, "date": 1_700_000_000, "from": user, "text": "/start"}
        )
        fake_api.push_text(8204, "/start", first_name="Rahmat")
        await fake_api.wait_for(8204, 1, text=GREETING, timeout=30)
    finally:
        await stop_bot(bot)
    assert await _greetings(fake_api, 8204) == 1
