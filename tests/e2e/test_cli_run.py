"""`musrenbang run` as deployed: a real process against the fake Bot API, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.e2e.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_run_serves_telegram_and_stops_on_sigterm(
    fake_api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake_api.token,
        "TELEGRAM_API_BASE": fake_api.base_url,
        "BOT_FRAMEWORK": framework,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake_api.wait_for_call("setMyCommands", timeout=60)
        fake_api.push_text(8101, "/start", first_name="Rahmat")
        [greeting] = await fake_api.wait_for(8101, 1, timeout=30)
        assert "Halo, Rahmat!" in greeting["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        _stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert fake_api.token not in stderr.decode()
