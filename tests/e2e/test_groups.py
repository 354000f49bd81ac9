"""A group with three members: no intake, nobody's data, commands sent to the private chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlmodel import select

from models.conversations import Conversation
from models.db import session_scope
from models.users import User

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from tests.e2e.fake_bot_api import FakeBotApi
    from tests.e2e.runtimes import RunningBot

pytest_plugins = ["tests.e2e.conftest_runtimes"]
pytestmark = pytest.mark.e2e

GROUP = -100_700
SITI, BUDI, RINA = 301, 302, 303
LINK = "https://t.me/musrenbang_test_bot?start=grup"


async def test_group_with_three_members_leaks_nothing_and_runs_no_intake(
    runtime: RunningBot, fake_api: FakeBotApi, e2e_engine: AsyncEngine
) -> None:
    for user_id, name in ((SITI, "Siti"), (BUDI, "Budi"), (RINA, "Rina")):
        fake_api.add_user(user_id, first_name=name)
    fake_api.add_group(GROUP)
    fake_api.push_text(SITI, "/start")
    await fake_api.wait_for(SITI, 1)
    fake_api.press(SITI, "✅ Setuju")
    await fake_api.wait_for(SITI, 1, text="Apa yang ingin Anda lakukan?")
    private_before = fake_api.texts(SITI)

    answers = 0
    for user_id, line in (
        (SITI, "/usulansaya"),
        (BUDI, "/status LBG-27-7K3QX"),
        (RINA, "/hapusdata"),
        (BUDI, "/usul"),
        (RINA, "jalan depan rumah rusak"),
    ):
        fake_api.push_text(GROUP, line, user_id=user_id)
        if line.startswith("/"):
            answers += 1
            await fake_api.wait_for(GROUP, 1)
    fake_api.push_text(GROUP, "/bantuan", user_id=SITI)
    await fake_api.wait_for(GROUP, 1)
    answers += 1

    group_messages = fake_api.messages(GROUP)
    bot_messages = [m for m in group_messages if m["from"]["id"] == fake_api.bot_id]
    assert len(bot_messages) == answers
    for message in bot_messages:
        assert "chat pribadi" in message["text"]
        [[button]] = message["reply_markup"]["inline_keyboard"]
        assert button["url"] == LINK

    fake_api.push_callback(
        GROUP, "hapusdata:yes", message_id=bot_messages[0]["message_id"], user_id=RINA
    )
    *_consent, answer = await fake_api.wait_for_call("answerCallbackQuery", 2)
    assert "bukan untuk Anda" in answer.params["text"]

    assert fake_api.texts(SITI) == private_before
    assert fake_api.sent(BUDI) == []
    assert fake_api.sent(RINA) == []
    async with session_scope(e2e_engine) as session:
        users = {user.telegram_id for user in (await session.exec(select(User))).all()}
        chats = {row.chat_id for row in (await session.exec(select(Conversation))).all()}
        siti = await session.get(User, SITI)
    assert users == {SITI}
    assert chats == {SITI}
    assert siti.consent_at is not None
