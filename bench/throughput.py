"""Throughput through the fake Bot API: bare framework echo vs. the bot's /start + menu path.

Run by hand: ``.venv/bin/python -m bench.throughput`` (add ``--markdown`` for RESULTS.md rows).
The bot runs in its own process, as deployed; the fake server and the clock in this one.
For each runtime (aiogram, PTB) and API latency (0 and 80 ms), 20 chats each have 25 messages
queued at once; the clock stops when every expected bot message has arrived. Three variants:

- ``bare echo``: the framework alone (aiogram router handler / PTB MessageHandler) echoing text;
- ``adapter echo``: our runtime adapter with a core that echoes (adapter + delivery cost);
- ``bot /start``: our runtime with the real core on SQLite; each /start from a consented user
  answers with the greeting and the menu in one message. The flood guard is lifted
  (FLOOD_LIMIT), since 25 queued messages per chat is a flood by design.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import platform
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from telegram.ext import Application, MessageHandler, filters

from bot.runtime.aiogram_app import run_aiogram
from bot.runtime.ptb_app import run_ptb
from core.config import load_settings
from core.events import Event, SendText
from handlers.dispatch import Core
from models.db import create_engine_from_url, upgrade
from tests.e2e.fake_bot_api import FakeBotApi

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

CHATS = 20
PER_CHAT = 25
FIRST_CHAT = 10_000
LATENCIES = (0.0, 0.08)
TIMEOUT = 300.0
#: How often the clock checks for the last message (checking on every call would cost more).
POLL_SECONDS = 0.005
#: Time for a freshly started bot to reach its first getUpdates.
STARTUP_PAUSE = 1.0
#: The core answers a chat flooding it once and drops the rest; a benchmark floods on purpose.
FLOOD_LIMIT = 10_000
AGREE = "✅ Setuju"
MENU = "Apa yang ingin Anda lakukan?"


@dataclass(frozen=True)
class Figures:
    runtime: str
    variant: str
    latency_ms: int
    updates: int
    messages: int
    seconds: float

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def messages_per_second(self) -> float:
        return self.messages / self.seconds


class EchoCore:
    """A core that answers every text with itself: the adapter's cost without the bot's."""

    async def handle(self, event: Event) -> list[SendText]:
        return [SendText(event.chat_id, event.text or event.command or "")]

    async def mark_blocked(self, _chat_id: int) -> None:
        return None


@contextlib.asynccontextmanager
async def bare_aiogram(base_url: str, token: str) -> AsyncIterator[None]:
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Any) -> None:
        await message.answer(message.text)

    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    try:
        yield
    finally:
        await dispatcher.stop_polling()
        await polling


@contextlib.asynccontextmanager
async def bare_ptb(base_url: str, token: str) -> AsyncIterator[None]:
    application = (
        Application.builder()
        .token(token)
        .base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot")
        .concurrent_updates(256)
        .job_queue(None)
        .build()
    )

    async def echo(update: Any, _context: Any) -> None:
        await update.message.reply_text(update.message.text)

    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with application:
        await application.start()
        await application.updater.start_polling()
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


async def measure(api: FakeBotApi, text: str, replies_per_update: int) -> tuple[int, int, float]:
    """Queue PER_CHAT messages in each chat; return updates, bot messages and seconds taken."""
    chats = range(FIRST_CHAT, FIRST_CHAT + CHATS)
    before = len([c for c in api.calls("sendMessage") if c.ok])
    expected = before + CHATS * PER_CHAT * replies_per_update
    started = time.perf_counter()
    for _ in range(PER_CHAT):
        for chat in chats:
            api.push_text(chat, text)
    async with asyncio.timeout(TIMEOUT):
        while True:
            if len([c for c in api.calls("sendMessage") if c.ok]) >= expected:
                break
            await asyncio.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - started
    return CHATS * PER_CHAT, CHATS * PER_CHAT * replies_per_update, seconds


async def consent_all(api: FakeBotApi) -> None:
    """Take every chat through /start and consent, so /start then answers greeting + menu."""
    for chat in range(FIRST_CHAT, FIRST_CHAT + CHATS):
        api.push_text(chat, "/start")
        await api.wait_for(chat, 1, timeout=30)
        api.press(chat, AGREE)
        await api.wait_for(chat, text=MENU, timeout=30)


async def serve(runtime: str, variant: str, base_url: str, token: str, database_url: str) -> None:
    """Child process: run one bot against the fake Bot API until SIGTERM."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    if variant == "bare echo":
        bare = bare_aiogram if runtime == "aiogram" else bare_ptb
        async with bare(base_url, token):
            await stop.wait()
        return
    settings = load_settings(
        telegram_bot_token=token,
        telegram_api_base=base_url,
        database_url=database_url,
        flood_limit=FLOOD_LIMIT,
    )
    engine = create_engine_from_url(database_url)
    core: Any = EchoCore() if variant == "adapter echo" else Core(engine=engine, settings=settings)
    run = run_aiogram if runtime == "aiogram" else run_ptb
    task = asyncio.create_task(run(settings, core))
    await stop.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await engine.dispose()


async def run_variant(runtime: str, variant: str, latency: float, workdir: Path) -> Figures:
    """Start the bot in its own process (as deployed) and time it through the fake Bot API."""
    url = f"sqlite:///{workdir / f'{runtime}-{variant[:3]}-{int(latency * 1000)}.db'}"
    upgrade(url)
    async with FakeBotApi() as api:
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.throughput", "--serve", runtime, variant,
            api.base_url, api.token, url,
        )  # fmt: skip
        try:
            await api.wait_for_call("getMe", timeout=30)
            if variant != "bare echo":
                await api.wait_for_call("setMyCommands", timeout=30)
            await asyncio.sleep(STARTUP_PAUSE)
            if variant == "bot /start":
                await consent_all(api)
            api.latency = latency
            text, replies = ("/start", 1) if variant == "bot /start" else ("halo", 1)
            updates, messages, seconds = await measure(api, text, replies)
        finally:
            with contextlib.suppress(ProcessLookupError):  # it may have died on start-up
                child.send_signal(signal.SIGTERM)
            await child.wait()
    return Figures(runtime, variant, int(latency * 1000), updates, messages, seconds)


def machine() -> str:
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def table(results: list[Figures]) -> str:
    lines = [
        "| runtime | variant | API latency | updates/s | bot messages/s | vs bare echo |",
        "|---|---|---|---|---|---|",
    ]
    bare = {
        (f.runtime, f.latency_ms): f.updates_per_second
        for f in results
        if f.variant == "bare echo"
    }
    for f in results:
        ratio = f.updates_per_second / bare[(f.runtime, f.latency_ms)]
        lines.append(
            f"| {f.runtime} | {f.variant} | {f.latency_ms} ms | {f.updates_per_second:.0f} "
            f"| {f.messages_per_second:.0f} | {ratio:.2f} |"
        )
    return "\n".join(lines)


async def main_async(runtimes: list[str]) -> list[Figures]:
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        for runtime in runtimes:
            for latency in LATENCIES:
                for variant in ("bare echo", "adapter echo", "bot /start"):
                    figures = await run_variant(runtime, variant, latency, Path(workdir))
                    print(
                        f"{runtime:8} {variant:13} {figures.latency_ms:3} ms: "
                        f"{figures.updates_per_second:7.1f} updates/s "
                        f"{figures.messages_per_second:7.1f} messages/s",
                        flush=True,
                    )
                    results.append(figures)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", choices=["aiogram", "ptb"], action="append")
    parser.add_argument("--markdown", action="store_true", help="print a RESULTS.md table")
    parser.add_argument("--serve", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.serve:
        asyncio.run(serve(*args.serve))
        return
    logging.getLogger("tests.e2e.fake_bot_api").setLevel(logging.ERROR)
    results = asyncio.run(main_async(args.runtime or ["aiogram", "ptb"]))
    if args.markdown:
        print(f"\n{datetime.now(UTC):%Y-%m-%d}, {machine()}\n")
        print(table(results))


if __name__ == "__main__":
    main()
