"""Fan-out through the outbox: 10,000 messages to 10,000 chats within Telegram's limit.

Run by hand: ``.venv/bin/python -m bench.fanout`` (``--help`` for the variants). The fake Bot
API runs here and enforces the limit (token buckets, 429 when exceeded); the sender runs in
child processes, as in ``musrenbang run``: the real `Sender`, `SendLimits` and aiogram client,
sending rows planned with `enqueue` and rendered at send time. Counted from the server's log:
the achieved rate, 429 answers, duplicates (a chat with two messages) and lost messages.

- ``--latency 0.08``: 80 ms added to every API call;
- ``--kill-at 3000``: kill -9 the sender once 3,000 messages were delivered, then restart it;
- ``--instances 2 --database postgresql://...``: two senders sharing one PostgreSQL, each
  allowed half the limit (SEND_PER_SECOND is per instance).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from models.base import utcnow
from models.db import create_engine_from_url, session_scope, sync_url, upgrade
from models.outbox import add_outbox_rows
from services.notify.outbox import Priority
from tests.e2e.fake_bot_api import FakeBotApi, RateLimits

FIRST_CHAT = 1_000_000
LIMIT_PER_SECOND = 30.0
KIND = "fanout"
TIMEOUT = 3600.0


async def seed(url: str, messages: int) -> None:
    """Plan one message per chat, as a reminder job would (codes and numbers only)."""
    engine = create_engine_from_url(url)
    now = utcnow()
    try:
        for start in range(0, messages, 1000):
            async with session_scope(engine) as session:
                await add_outbox_rows(
                    session,
                    [
                        {
                            "recipient_id": FIRST_CHAT + number,
                            "kind": KIND,
                            "payload": {"n": number},
                            "dedup_key": f"fanout:{number}",
                            "due_at": now,
                            "priority": int(Priority.BULK),
                        }
                        for number in range(start, min(start + 1000, messages))
                    ],
                )
    finally:
        await engine.dispose()


def reset(url: str) -> None:
    """Start from an empty, migrated database."""
    if url.startswith("postgresql"):
        engine = create_engine(sync_url(url))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)


async def serve(base_url: str, token: str, url: str, per_second: str) -> None:
    """Child process: the outbox sender of one instance, until SIGTERM (or SIGKILL)."""
    from bot.app import build_app, build_sender
    from bot.runtime.aiogram_app import AiogramClient
    from core.config import load_settings
    from core.events import SendText

    settings = load_settings(
        telegram_bot_token=token,
        telegram_api_base=base_url,
        database_url=url,
        send_per_second=float(per_second),
    )
    app = build_app(settings)

    async def render(rendering):  # a bulk notice: its number, rendered at send time
        return [
            SendText(rendering.recipient_id, f"Pengumuman Musrenbang #{rendering.payload['n']}")
        ]

    app.renderers.add(KIND, render)
    client = AiogramClient(settings)
    sender = build_sender(app, client)
    task = asyncio.create_task(sender.run())
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await client.close()
    await app.engine.dispose()


async def start_sender(api: FakeBotApi, url: str, per_second: float) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.fanout", "--serve",
        api.base_url, api.token, url, str(per_second),
    )  # fmt: skip


def delivered(api: FakeBotApi) -> list:
    return [call for call in api.calls("sendMessage") if call.ok]


async def run(args: argparse.Namespace) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="fanout-"))
    url = args.database or f"sqlite:///{workdir / 'fanout.db'}"
    reset(url)
    await seed(url, args.messages)
    async with FakeBotApi() as api:
        for number in range(args.messages):
            api.add_user(FIRST_CHAT + number)
        api.rate_limits = RateLimits(per_second=LIMIT_PER_SECOND, burst=LIMIT_PER_SECOND)
        api.latency = args.latency
        share = LIMIT_PER_SECOND / args.instances
        children = [await start_sender(api, url, share) for _ in range(args.instances)]
        killed = False
        try:
            async with asyncio.timeout(TIMEOUT):
                while len({call.chat_id for call in delivered(api)}) < args.messages:
                    if args.kill_at and not killed and len(delivered(api)) >= args.kill_at:
                        children[0].send_signal(signal.SIGKILL)
                        await children[0].wait()
                        children[0] = await start_sender(api, url, share)
                        killed = True
                    await asyncio.sleep(0.2)
                await asyncio.sleep(2)  # anything sent twice would arrive now
        finally:
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    child.send_signal(signal.SIGTERM)
                await child.wait()
        sends = delivered(api)
        per_chat = Counter(call.chat_id for call in sends)
        seconds = sends[-1].at - sends[0].at
        return {
            "messages": args.messages,
            "latency_ms": int(args.latency * 1000),
            "instances": args.instances,
            "database": "PostgreSQL" if url.startswith("postgresql") else "SQLite",
            "killed": killed,
            "delivered": len(sends),
            "seconds": round(seconds, 1),
            "rate": round((len(sends) - 1) / seconds, 2),
            "limit": LIMIT_PER_SECOND,
            "rate_vs_limit": round((len(sends) - 1) / seconds / LIMIT_PER_SECOND, 3),
            "answers_429": len(api.rate_limited()),
            "duplicates": sum(count - 1 for count in per_chat.values() if count > 1),
            "lost": args.messages - len(per_chat),
        }


def machine() -> str:
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--kill-at", type=int, default=0)
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--serve", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(*args.serve))
        return
    started = time.time()
    figures = asyncio.run(run(args))
    print(f"{datetime.now(UTC):%Y-%m-%d}, {machine()}, {time.time() - started:.0f} s wall")
    print(figures)


if __name__ == "__main__":
    main()
