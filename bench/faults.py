"""Fault run: 1,000 updates from 100 chats while the bot is killed -9 and stopped at random.

Run by hand: ``.venv/bin/python -m bench.faults --mode webhook --database postgresql://...``
(two ``musrenbang run`` instances behind a round-robin balancer, the updates of each chat going
to both) or ``--mode polling`` (one instance, long polling, SQLite). Every update is a command
``/c<chat>n<k>`` whose answer quotes it, pushed at a steady pace; meanwhile 20 times a running
instance is killed with SIGKILL and 5 times stopped with SIGTERM, at random moments, and
started again. Counted afterwards, from the fake Bot API's log and the database:

Each fault comes a random while (up to twice the average gap) after the instance began serving,
so faults hit running instances, not only ones starting up.

- lost: updates never applied (no applied inbox row);
- applied twice: inbox rows per update_id beyond one (the primary key forbids it; counted);
- applied out of order: chats whose updates were applied in another order than update_id;
- answers missing: commands never answered; answers twice: commands answered more than once
  (the window between Telegram taking a message and the commit that marks it sent);
- answers out of order: chats whose answers arrived in another order than their commands.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlmodel import select

from bench.fanout import machine
from models.db import create_engine_from_url, session_scope, sync_url
from models.inbox import InboxUpdate
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.processes import (
    bot_environment,
    round_robin_balancer,
    start_bot,
    stop_bot,
    webhook_url_on,
)
from tests.e2e.runtimes import free_port, serving_app

CHATS = list(range(30_001, 30_101))
PER_CHAT = 10
KILLS = 20
STOPS = 5
COMMAND = re.compile(r"/(c\d+n\d+)\b")


class Instance:
    """One `musrenbang run` process that can be killed and started again."""

    def __init__(self, name: str, environment: dict[str, str], workdir: Path) -> None:
        self.name = name
        self.environment = environment
        self.workdir = workdir / name
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        self.process = await start_bot(self.environment, self.workdir)
        self.starts += 1

    async def serving(self) -> None:
        """Wait until the latest start is serving (its outbox sender has started)."""
        while True:
            started = sum(
                path.read_text(errors="replace").count("Outbox sender")
                for path in self.workdir.glob("bot-*.log")
            )
            if started >= self.starts:
                return
            await asyncio.sleep(0.2)

    async def fault(self, *, kill: bool) -> None:
        assert self.process is not None
        await stop_bot(self.process, kill=kill)
        await self.start()

    async def stop(self) -> None:
        if self.process is not None:
            await stop_bot(self.process)


def reset(url: str) -> None:
    if url.startswith("postgresql"):
        engine = create_engine(sync_url(url))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()


async def faults(instances: list[Instance], gap: float, seed: int) -> list[tuple]:
    """Kill -9 or SIGTERM a random instance, each time a random while after it began serving."""
    chance = random.Random(seed)
    kinds = ["kill"] * KILLS + ["term"] * STOPS
    chance.shuffle(kinds)
    started = time.monotonic()
    done = []
    for kind in kinds:
        instance = chance.choice(instances)
        await instance.serving()
        await asyncio.sleep(chance.uniform(0.0, 2 * gap))
        await instance.fault(kill=kind == "kill")
        done.append((round(time.monotonic() - started, 1), kind, instance.name))
    return done


async def push(api: FakeBotApi, pace: float) -> dict[int, list[int]]:
    """Push every chat's commands, interleaved, one every `pace` seconds; return ids per chat."""
    pushed: dict[int, list[int]] = defaultdict(list)
    for number in range(1, PER_CHAT + 1):
        for chat in CHATS:
            update = api.push_text(chat, f"/c{chat}n{number}")
            pushed[chat].append(update["update_id"])
            await asyncio.sleep(pace)
    return pushed


def answers(api: FakeBotApi, chat_id: int) -> list[str]:
    return [match for text in api.texts(chat_id) for match in COMMAND.findall(text)]


async def inbox(url: str) -> list[InboxUpdate]:
    engine = create_engine_from_url(url)
    try:
        async with session_scope(engine) as session:
            return list((await session.exec(select(InboxUpdate))).all())
    finally:
        await engine.dispose()


async def run(args: argparse.Namespace) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="faults-"))
    url = args.database or f"sqlite:///{workdir / 'bot.db'}"
    reset(url)
    counts = [0, 0]
    async with FakeBotApi() as api, contextlib.AsyncExitStack() as stack:
        api.webhook_max_attempts = 100_000
        api.webhook_retry_delay = 0.2
        for chat in CHATS:
            api.add_user(chat)
        if args.mode == "webhook":
            ports = [free_port(), free_port()]
            balancer_port = free_port()
            balancer = round_robin_balancer([webhook_url_on(port) for port in ports], counts)
            await stack.enter_async_context(serving_app(balancer, port=balancer_port))
            instances = [
                Instance(
                    f"{framework}-{port}",
                    bot_environment(
                        api,
                        database_url=url,
                        framework=framework,
                        webhook_url=webhook_url_on(balancer_port),
                        listen_port=port,
                    ),
                    workdir,
                )
                for port, framework in zip(ports, ("aiogram", "ptb"), strict=True)
            ]
        else:
            instances = [Instance("aiogram", bot_environment(api, database_url=url), workdir)]
        for instance in instances:
            await instance.start()
        await api.wait_for_call("setMyCommands", len(instances), timeout=120)
        started = time.monotonic()
        pace = args.seconds / (len(CHATS) * PER_CHAT)
        gap = args.seconds / (KILLS + STOPS) / 2
        fault_task = asyncio.create_task(faults(instances, gap, args.seed))
        pushed = await push(api, pace)
        done = await fault_task
        expected = {chat: [f"c{chat}n{k}" for k in range(1, PER_CHAT + 1)] for chat in CHATS}

        def complete() -> bool:
            return all(set(expected[chat]) <= set(answers(api, chat)) for chat in CHATS)

        with contextlib.suppress(AssertionError):
            await api.wait_until(complete, timeout=300)
        await asyncio.sleep(3)
        for instance in instances:
            await instance.stop()
        seconds = time.monotonic() - started
    rows = await inbox(url)
    by_id = Counter(row.update_id for row in rows)
    all_ids = {update_id for ids in pushed.values() for update_id in ids}
    applied = {row.update_id for row in rows if row.applied_at is not None}
    out_of_order = 0
    for ids in pushed.values():
        times = [next(r.applied_at for r in rows if r.update_id == i) for i in ids if i in applied]
        out_of_order += times != sorted(times)
    answered = {chat: answers(api, chat) for chat in CHATS}
    counted = Counter(command for chat in CHATS for command in answered[chat])
    return {
        "mode": args.mode,
        "database": "PostgreSQL" if url.startswith("postgresql") else "SQLite",
        "instances": len(instances),
        "updates": len(all_ids),
        "kills_and_stops": Counter(kind for _moment, kind, _name in done),
        "seconds": round(seconds),
        "lost": len(all_ids - applied),
        "applied_twice": sum(count - 1 for count in by_id.values()),
        "chats_applied_out_of_order": out_of_order,
        "answers_missing": sum(
            1 for chat in CHATS for command in expected[chat] if command not in counted
        ),
        "answers_twice": sum(count - 1 for count in counted.values() if count > 1),
        "chats_answered_out_of_order": sum(
            list(dict.fromkeys(answered[chat])) != expected[chat] for chat in CHATS
        ),
        "updates_per_instance": counts if args.mode == "webhook" else None,
        "faults": done,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["webhook", "polling"], default="polling")
    parser.add_argument("--database", help="PostgreSQL URL (webhook mode needs one)")
    parser.add_argument("--seconds", type=float, default=180.0, help="how long pushing lasts")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    started = time.time()
    figures = asyncio.run(run(args))
    print(f"{machine()}, {time.time() - started:.0f} s wall")
    for name, value in figures.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
