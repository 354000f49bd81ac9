"""End-to-end fixtures: the fake Bot API server (runtime fixtures are added below it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.fake_bot_api import FakeBotApi

if TYPE_CHECKING:
    from collections.abc import AsyncIterator


# --- fake Bot API server ---------------------------------------------------------------------


@pytest.fixture(name="fake_api")
async def fixture_fake_api() -> AsyncIterator[FakeBotApi]:
    """Run a fake Bot API on a free 127.0.0.1 port for one test; fail if it crashed."""
    api = FakeBotApi()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()
    assert not api.server_errors, f"the fake Bot API itself failed: {api.server_errors!r}"
