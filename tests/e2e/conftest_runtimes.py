"""E2E fixtures: the real core on a fresh SQLite database, and each runtime serving it.

Use with ``pytest_plugins = ["tests.e2e.conftest_runtimes"]`` or import into conftest.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from core.config import load_settings
from handlers.dispatch import Core
from models.db import create_engine_from_url
from tests.e2e.runtimes import FRAMEWORKS, running_bot

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from sqlalchemy.ext.asyncio import AsyncEngine

    from tests.e2e.fake_bot_api import FakeBotApi
    from tests.e2e.runtimes import Framework, RunningBot


@pytest.fixture(name="e2e_engine")
async def fixture_e2e_engine(sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    """Return an engine on a migrated, empty SQLite file."""
    engine = create_engine_from_url(sqlite_url)
    yield engine
    await engine.dispose()


@pytest.fixture(name="e2e_core")
def fixture_e2e_core(e2e_engine: AsyncEngine, sqlite_url: str) -> Core:
    """Return the real core on that database."""
    return Core(engine=e2e_engine, settings=load_settings(database_url=sqlite_url))


@pytest.fixture(name="framework", params=FRAMEWORKS)
def fixture_framework(request: pytest.FixtureRequest) -> Framework:
    """Return each runtime's name in turn."""
    return request.param


@pytest.fixture(name="runtime")
async def fixture_runtime(
    fake_api: FakeBotApi, e2e_core: Core, framework: Framework, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    """Run the runtime with long polling against the fake Bot API for one test."""
    async with running_bot(fake_api, e2e_core, framework, database_url=sqlite_url) as bot:
        yield bot


@pytest.fixture(name="webhook_runtime")
async def fixture_webhook_runtime(
    fake_api: FakeBotApi, e2e_core: Core, framework: Framework, sqlite_url: str
) -> AsyncIterator[RunningBot]:
    """Run the runtime in webhook mode; the fake Bot API POSTs updates to it."""
    async with running_bot(
        fake_api, e2e_core, framework, database_url=sqlite_url, webhook=True
    ) as bot:
        yield bot
