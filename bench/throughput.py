"""Intake throughput, replies through the outbox: 500 chats, each sending /start and one message.

Run by hand: ``.venv/bin/python -m bench.throughput`` (``--markdown`` for RESULTS.md rows;
``--tree DIR`` runs the bot from another source tree, e.g. an export of an older commit, to
compare on the same harness). The bot runs as ``musrenbang run`` (long polling, SQLite) in its
own process; the fake Bot API and the clock run in this one. All 500 chats send /start at once;
each chat sends its second message ("halo") as soon as its first answer arrived, as a person
would. The clock stops when all 1,000 answers arrived. CPU time is the bot process's user +
system time over the run, from /proc, divided by the updates. With ``--repeat N`` each
configuration runs N times, the trees taking turns, and the median is reported (the machine is
shared, so single runs are noisy).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
CHATS = 500
FIRST_CHAT = 20_000
LATENCIES = (0.0, 0.08)
TIMEOUT = 600.0
POLL_SECONDS = 0.005
STARTUP_SECONDS = 120.0
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Figures:
    tree: str
    runtime: str
    latency_ms: int
    updates: int
    seconds: float
    cpu_seconds: float

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu_seconds / self.updates


def cpu_seconds(pid: int) -> float:
    """Return the process's user + system CPU time so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def start_bot(api: FakeBotApi, tree: Path, runtime: str, workdir: Path):
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE": api.base_url,
        "BOT_FRAMEWORK": runtime,
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.db'}",
        "FLOOD_LIMIT": "100000",
        "PYTHONPATH": str(tree),
    }
    log = (workdir / "bot.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=workdir, env=environment, stdout=log, stderr=log
    )


async def measure(api: FakeBotApi, pid: int) -> tuple[int, float, float]:
    """Run the load; return updates, seconds and the bot's CPU seconds."""
    chats = list(range(FIRST_CHAT, FIRST_CHAT + CHATS))
    seen = 0
    answered: dict[int, int] = dict.fromkeys(chats, 0)
    second_sent: set[int] = set()
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    for chat in chats:
        api.push_text(chat, "/start")
    async with asyncio.timeout(TIMEOUT):
        while True:
            calls = api.calls("sendMessage")
            for call in calls[seen:]:
                if call.ok and call.chat_id in answered:
                    answered[call.chat_id] += 1
            seen = len(calls)
            for chat, count in answered.items():
                if count >= 1 and chat not in second_sent:
                    second_sent.add(chat)
                    api.push_text(chat, "halo")
            if all(count >= 2 for count in answered.values()):
                break
            await asyncio.sleep(POLL_SECONDS)
    seconds = time.perf_counter() - started
    return 2 * CHATS, seconds, cpu_seconds(pid) - cpu_before


async def run_one(tree: Path, runtime: str, latency: float) -> Figures:
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        async with FakeBotApi() as api:
            for chat in range(FIRST_CHAT, FIRST_CHAT + CHATS):
                api.add_user(chat)
            bot = await start_bot(api, tree, runtime, workdir)
            try:
                await api.wait_for_call("setMyCommands", timeout=STARTUP_SECONDS)
                await api.wait_for_call("getUpdates", timeout=STARTUP_SECONDS)
                await asyncio.sleep(1.0)
                api.latency = latency
                updates, seconds, cpu = await measure(api, bot.pid)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    bot.send_signal(signal.SIGTERM)
                await bot.wait()
    return Figures(tree.name, runtime, int(latency * 1000), updates, seconds, cpu)


def machine() -> str:
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def table(results: list[Figures]) -> str:
    lines = [
        "| code | runtime | API latency | updates/s | CPU ms/update | seconds |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {f.tree} | {f.runtime} | {f.latency_ms} ms | {f.updates_per_second:.0f} "
        f"| {f.cpu_ms_per_update:.2f} | {f.seconds:.1f} |"
        for f in results
    ]
    return "\n".join(lines)


def median(runs: list[Figures]) -> Figures:
    """Return the run with the median rate, carrying the median CPU time per update."""
    ordered = sorted(runs, key=lambda figures: figures.updates_per_second)
    middle = ordered[len(ordered) // 2]
    cpu = statistics.median(figures.cpu_seconds for figures in runs)
    return Figures(
        middle.tree, middle.runtime, middle.latency_ms, middle.updates, middle.seconds, cpu
    )


async def main_async(trees: list[Path], runtimes: list[str], repeat: int) -> list[Figures]:
    results = []
    for runtime in runtimes:
        for latency in LATENCIES:
            runs: dict[str, list[Figures]] = {}
            for _ in range(repeat):
                for tree in trees:
                    figures = await run_one(tree, runtime, latency)
                    print(
                        f"{figures.tree:12} {runtime:8} {figures.latency_ms:3} ms: "
                        f"{figures.updates_per_second:7.1f} updates/s, "
                        f"{figures.cpu_ms_per_update:5.2f} ms CPU/update",
                        flush=True,
                    )
                    runs.setdefault(figures.tree, []).append(figures)
            results += [median(tree_runs) for tree_runs in runs.values()]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runtime", choices=["aiogram", "ptb"], action="append")
    parser.add_argument(
        "--tree", type=Path, action="append", help="source tree(s) to run (default: this one)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration")
    parser.add_argument("--markdown", action="store_true", help="print a RESULTS.md table")
    args = parser.parse_args()
    results = asyncio.run(
        main_async(args.tree or [ROOT], args.runtime or ["aiogram", "ptb"], args.repeat)
    )
    if args.markdown:
        print(f"\n{datetime.now(UTC):%Y-%m-%d}, {machine()}\n")
        print(table(results))


if __name__ == "__main__":
    main()
