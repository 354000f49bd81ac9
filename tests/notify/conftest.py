"""Fixtures for the path out: the fake Bot API and a sender talking to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.app import build_app, build_sender
from bot.runtime.aiogram_app import AiogramClient
from bot.runtime.ptb_app import PtbClient
from core.config import load_settings
from handlers.dispatch import Core
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.runtimes import FAST_SENDING

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.app import App
    from core.config import Settings


@pytest.fixture(name="fake_api")
async def fixture_fake_api() -> AsyncIterator[FakeBotApi]:
    """Run a fake Bot API for one test; fail if it crashed."""
    api = FakeBotApi()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()
    assert not api.server_errors, f"the fake Bot API itself failed: {api.server_errors!r}"


@pytest.fixture(name="send_settings")
def fixture_send_settings(fake_api: FakeBotApi, settings: Settings) -> Settings:
    """Return the test database's settings pointed at the fake server, with quick retries."""
    return load_settings(
        database_url=settings.database_url,
        telegram_bot_token=fake_api.token,
        telegram_api_base=fake_api.base_url,
        **FAST_SENDING,
    )


@pytest.fixture(name="app")
def fixture_app(engine: AsyncEngine, send_settings: Settings) -> App:
    """Return the wired pieces on the test database (the core's owner is this instance)."""
    return build_app(send_settings, core=Core(engine=engine, settings=send_settings))


async def _client(framework: str, settings: Settings) -> AiogramClient | PtbClient:
    if framework == "aiogram":
        return AiogramClient(settings)
    client = PtbClient(settings)
    await client.bot.initialize()
    return client


@pytest.fixture(name="client")
async def fixture_client(send_settings: Settings) -> AsyncIterator[AiogramClient | PtbClient]:
    """Return the aiogram Bot API client, talking to the fake server."""
    client = await _client("aiogram", send_settings)
    yield client
    await client.close()


@pytest.fixture(name="each_client", params=["aiogram", "ptb"])
async def fixture_each_client(
    request: pytest.FixtureRequest, send_settings: Settings
) -> AsyncIterator[AiogramClient | PtbClient]:
    """Return each runtime's Bot API client in turn (for what the frameworks tell apart)."""
    client = await _client(request.param, send_settings)
    yield client
    await client.close()


@pytest.fixture(name="sender")
def fixture_sender(app: App, client: AiogramClient | PtbClient):
    """Return the sender of this instance, sending through aiogram."""
    return build_sender(app, client)


@pytest.fixture(name="each_sender")
def fixture_each_sender(app: App, each_client: AiogramClient | PtbClient):
    """Return the sender of this instance, sending through each runtime in turn."""
    return build_sender(app, each_client)
