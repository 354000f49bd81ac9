"""Start `musrenbang run` as a real process against the fake Bot API (and stop or kill it)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from aiohttp import ClientError, ClientSession, web

from tests.e2e.runtimes import FAST_SENDING, WEBHOOK_PATH, WEBHOOK_SECRET, free_port

if TYPE_CHECKING:
    from tests.e2e.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


def bot_environment(
    api: FakeBotApi,
    *,
    database_url: str,
    framework: str = "aiogram",
    webhook_url: str | None = None,
    listen_port: int | None = None,
    **extra: object,
) -> dict[str, str]:
    """Return the environment of a bot process talking to the fake server."""
    environment = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE": api.base_url,
        "BOT_FRAMEWORK": framework,
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
        "FLOOD_LIMIT": "100000",
    }
    for name, value in {**FAST_SENDING, **extra}.items():
        environment[name.upper()] = str(value)
    if webhook_url is not None:
        environment["WEBHOOK_URL"] = webhook_url
        environment["WEBHOOK_SECRET"] = WEBHOOK_SECRET
        environment["WEBHOOK_LISTEN"] = f"127.0.0.1:{listen_port or free_port()}"
    return environment


def webhook_url_on(port: int) -> str:
    """Return the public webhook URL of a bot listening on `port`."""
    return f"http://127.0.0.1:{port}{WEBHOOK_PATH}"


def _new_log(cwd: Path) -> BinaryIO:
    cwd.mkdir(parents=True, exist_ok=True)
    number = len(list(cwd.glob("bot-*.log")))
    return (cwd / f"bot-{number}.log").open("wb")


async def start_bot(environment: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """Start `python -m bot run` with that environment; its output goes to files in `cwd`."""
    log = _new_log(cwd)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,
        env=environment,
        stdout=log,
        stderr=log,
    )


async def stop_bot(process: asyncio.subprocess.Process, *, kill: bool = False) -> None:
    """SIGTERM (or SIGKILL) the process and wait for it."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
    await asyncio.wait_for(process.wait(), 30)


def logs(cwd: Path) -> str:
    """Return what the bot processes started in `cwd` printed."""
    return "\n".join(path.read_text(errors="replace") for path in sorted(cwd.glob("bot-*.log")))


def round_robin_balancer(upstreams: list[str], counts: list[int]) -> web.Application:
    """A load balancer for the webhook: each POST goes to the next upstream in turn.

    An upstream that refuses the connection is skipped for the next one, as a proxy does;
    the answer of the upstream that took the update is passed back. `counts` counts the
    updates each upstream took.
    """
    turn = itertools.count()

    async def forward(request: web.Request) -> web.Response:
        body = await request.read()
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() in {"content-type", "x-telegram-bot-api-secret-token"}
        }
        first = next(turn)
        for step in range(len(upstreams)):
            index = (first + step) % len(upstreams)
            try:
                async with (
                    ClientSession() as session,
                    session.post(upstreams[index], data=body, headers=headers) as answer,
                ):
                    counts[index] += 1
                    return web.Response(status=answer.status, body=await answer.read())
            except ClientError:
                continue
        return web.Response(status=502, text="no upstream")

    app = web.Application()
    app.router.add_post(WEBHOOK_PATH, forward)
    return app
