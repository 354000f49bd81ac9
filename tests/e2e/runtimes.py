"""Run the aiogram or PTB runtime against the fake Bot API in the background; stop it cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from aiohttp import web

from bot.app import build_app, run_telegram
from core.config import load_settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from core.config import Settings
    from handlers.dispatch import Core
    from tests.e2e.fake_bot_api import FakeBotApi

Framework = Literal["aiogram", "ptb"]
FRAMEWORKS: tuple[Framework, ...] = ("aiogram", "ptb")
WEBHOOK_SECRET = "e2e-webhook-secret_0123"
WEBHOOK_PATH = "/telegram/webhook"
#: Quick retries and short claims so fault tests take fractions of a second.
FAST_SENDING: dict[str, object] = {
    "send_attempts": 4,
    "send_first_backoff_seconds": 0.05,
    "send_max_backoff_seconds": 0.2,
    "sender_poll_seconds": 0.1,
    "send_timeout_seconds": 10.0,
    "outbox_claim_seconds": 15.0,
}
STARTUP_SECONDS = 10.0
SHUTDOWN_SECONDS = 15.0


@dataclass(frozen=True)
class RunningBot:
    """A runtime serving the fake Bot API; `webhook_url` is set in webhook mode."""

    framework: Framework
    settings: Settings
    task: asyncio.Task[None]

    @property
    def webhook_url(self) -> str:
        return self.settings.webhook_url


@asynccontextmanager
async def serving_app(app: web.Application, *, port: int) -> AsyncIterator[None]:
    """Serve an aiohttp app on 127.0.0.1:port inside the block."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
        yield
    finally:
        await runner.cleanup()


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def runtime_settings(
    api: FakeBotApi,
    framework: Framework,
    *,
    database_url: str,
    webhook: bool,
    **extra: object,
) -> Settings:
    """Return settings pointing the runtime at the fake server (and a local webhook port)."""
    overrides: dict[str, object] = {
        "telegram_bot_token": api.token,
        "telegram_api_base": api.base_url,
        "bot_framework": framework,
        "database_url": database_url,
        **FAST_SENDING,
        **extra,
    }
    if webhook:
        port = free_port()
        overrides |= {
            "webhook_url": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            "webhook_secret": WEBHOOK_SECRET,
            "webhook_listen": f"127.0.0.1:{port}",
        }
    return load_settings(**overrides)


@asynccontextmanager
async def running_bot(
    api: FakeBotApi,
    core: Core,
    framework: Framework,
    *,
    database_url: str,
    webhook: bool = False,
    **extra: object,
) -> AsyncIterator[RunningBot]:
    """Run one runtime until the block ends; fail loudly if it dies or never gets ready."""
    settings = runtime_settings(
        api, framework, database_url=database_url, webhook=webhook, **extra
    )
    core.settings = settings
    app = build_app(settings, core=core)
    task = asyncio.create_task(run_telegram(app), name=f"{framework}-runtime")
    try:
        await _wait_ready(api, task, webhook=webhook)
        yield RunningBot(framework, settings, task)
    finally:
        await stop_bot(task)


async def stop_bot(task: asyncio.Task[None]) -> None:
    """Cancel the runtime (once) and wait for its graceful shutdown; re-raise if it crashed."""
    if not task.done() and not task.cancelling():
        task.cancel()
    async with asyncio.timeout(SHUTDOWN_SECONDS):
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _wait_ready(api: FakeBotApi, task: asyncio.Task[None], *, webhook: bool) -> None:
    def ready() -> bool:
        if task.done():
            return True
        if webhook:
            return api.webhook_url is not None
        return bool(api.calls("setMyCommands")) and bool(api.calls("deleteWebhook"))

    await api.wait_until(ready, timeout=STARTUP_SECONDS)
    if task.done():
        task.result()
        msg = "the runtime stopped during start-up"
        raise RuntimeError(msg)
