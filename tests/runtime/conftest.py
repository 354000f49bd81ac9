"""Fixtures for runtime unit tests: a recording Bot API and each framework's bot pointed at it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.runtime import aiogram_app, ptb_app
from core.config import load_settings
from tests.runtime.bot_api_recorder import TOKEN, serve_recorder

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from core.events import Reply
    from tests.runtime.bot_api_recorder import BotApiRecorder


@pytest.fixture(name="api")
async def api_fixture() -> AsyncIterator[tuple[BotApiRecorder, str]]:
    """Return a running recorder and its base URL."""
    async for served in serve_recorder():
        yield served


@pytest.fixture(name="send", params=["aiogram", "ptb"])
async def send_fixture(
    request: pytest.FixtureRequest, api: tuple[BotApiRecorder, str]
) -> AsyncIterator[Callable[[Reply], Awaitable[object]]]:
    """Return the framework's send_reply bound to a bot built from settings."""
    _recorder, base = api
    settings = load_settings(telegram_bot_token=TOKEN, telegram_api_base=base)
    if request.param == "aiogram":
        bot = aiogram_app.create_bot(settings)
        yield lambda reply: aiogram_app.send_reply(bot, reply)
        await bot.session.close()
        return
    application = ptb_app.build_application(settings)
    async with application:
        yield lambda reply: ptb_app.send_reply(application.bot, reply)
