"""The composition root: database, core, sender, scheduler and a runtime, wired in one place.

`musrenbang run` and `musrenbang chat` call into here; nothing else builds these objects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from handlers.dispatch import Core
from models.base import utcnow
from models.db import create_engine_from_url, schema_turn, upgrade_in_turn
from services.notify.limits import SendLimits
from services.notify.render import Renderers, Rendering
from services.notify.sender import Sender
from services.scheduling.jobs import JOBS
from services.scheduling.scheduler import JobRunner, build_scheduler

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.runtime.bridge import TelegramClient
    from core.config import Settings
    from core.events import Reply, Transport

    RendererFn = Callable[[Rendering], Awaitable[list[Reply]]]

logger = logging.getLogger(__name__)

#: How often an instance looks for updates stored but not applied (another instance died).
INBOX_SWEEP_SECONDS = 5.0


def prepare_database(settings: Settings) -> None:
    """Bring the schema up to date and load the bundled reference data, one process at a time.

    Instances started together on an empty database take turns: the first prepares it, the
    others wait, then find it current.
    """
    from bot.cli.database import run_in_session
    from services.importing.reference import load_bundled_regions

    with schema_turn(settings.database_url):
        upgrade_in_turn(settings.database_url)
        run_in_session(settings.database_url, load_bundled_regions)


def build_renderers() -> Renderers:
    """Return the renderer of every notification kind.

    A feature that sends a notification writes its renderers in its handlers module (a
    `RENDERERS` table keyed by kind) and is listed here.
    """
    from handlers.bappeda import summary
    from handlers.calendar import notices as reminders
    from handlers.tracking import notices as status

    renderers = Renderers()
    for kind, render in status.RENDERERS.items():
        renderers.add(kind, _without_settings(render))
    for table in (reminders.RENDERERS, summary.RENDERERS):
        for kind, render in table.items():
            renderers.add(kind, _with_settings(render))
    return renderers


def _without_settings(render: Callable[..., Awaitable[list[Reply]]]) -> RendererFn:
    async def rendered(rendering: Rendering) -> list[Reply]:
        if rendering.recipient is None:
            return []
        return await render(
            rendering.payload, session=rendering.session, recipient=rendering.recipient
        )

    return rendered


def _with_settings(render: Callable[..., Awaitable[list[Reply]]]) -> RendererFn:
    async def rendered(rendering: Rendering) -> list[Reply]:
        if rendering.recipient is None:
            return []
        return await render(
            rendering.payload,
            session=rendering.session,
            recipient=rendering.recipient,
            settings=rendering.settings,
        )

    return rendered


@dataclass
class App:
    """The pieces every way in shares."""

    settings: Settings
    engine: AsyncEngine
    core: Core
    renderers: Renderers
    clock: Callable[[], datetime]


def build_app(
    settings: Settings, *, core: Core | None = None, clock: Callable[[], datetime] = utcnow
) -> App:
    """Create the engine and the core (or take a ready core, as tests do)."""
    if core is None:
        engine = create_engine_from_url(settings.database_url)
        core = Core(engine=engine, settings=settings, clock=clock)
    return App(
        settings=settings,
        engine=core.engine,
        core=core,
        renderers=build_renderers(),
        clock=core.clock,
    )


def build_sender(app: App, transport: Transport) -> Sender:
    """Return the outbox sender for `transport`, keeping Telegram's limits from the settings."""
    settings = app.settings
    limits = SendLimits(
        per_second=settings.send_per_second,
        per_chat_per_second=settings.send_per_chat_per_second,
        per_group_per_minute=settings.send_per_group_per_minute,
    )
    return Sender(
        engine=app.engine,
        transport=transport,
        renderers=app.renderers,
        limits=limits,
        settings=settings,
        owner=app.core.owner,
        clock=app.clock,
    )


def build_job_runner(app: App) -> JobRunner:
    """Return the runner of the declared jobs, leasing each run in the database."""
    return JobRunner(
        engine=app.engine, settings=app.settings, jobs=JOBS, owner=app.core.owner, clock=app.clock
    )


def create_client(settings: Settings) -> TelegramClient:
    """Return the Bot API client of the runtime BOT_FRAMEWORK names."""
    if settings.bot_framework == "ptb":
        from bot.runtime.ptb_app import PtbClient

        return PtbClient(settings)
    from bot.runtime.aiogram_app import AiogramClient

    return AiogramClient(settings)


async def run_telegram(app: App) -> None:
    """Serve Telegram until cancelled, then finish the stored updates and stop gently.

    Order at start: the sender (rows a crash left unsent), the inbox (updates stored but not
    applied), the scheduler (runs missed while down), then polling or the webhook.
    """
    from bot.runtime.bridge import Bridge
    from bot.runtime.delivery import quiet_url_loggers
    from bot.runtime.receiving import poll, serve_webhook

    quiet_url_loggers()
    settings = app.settings
    client = create_client(settings)
    sender = build_sender(app, client)
    bridge = Bridge(app.core, sender)
    runner = build_job_runner(app)
    scheduler = build_scheduler(runner)
    background: list[asyncio.Task[None]] = []
    try:
        app.core.bot_username = await client.start()
        app.core.files = client.files
        await sender.take_over_claims()
        background.append(asyncio.create_task(sender.run(), name="outbox-sender"))
        await bridge.wake_pending()
        await bridge.finish()
        background.append(asyncio.create_task(bridge.sweep(INBOX_SWEEP_SECONDS), name="sweep"))
        await runner.catch_up()
        scheduler.start()
        if settings.webhook_url:
            await serve_webhook(client, bridge, settings)
        else:
            await poll(client, bridge)
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        try:
            await bridge.finish()
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await client.close()


async def run_console(
    app: App, *, chat_id: int, language: str, first_name: str, lines: TextIO
) -> None:
    """Hold the conversation on the terminal; notifications to others are printed, marked."""
    from bot.console import ConsoleChat

    chat = ConsoleChat(app.core, chat_id=chat_id, language=language, first_name=first_name)
    sender = build_sender(app, chat)
    chat.sender = sender
    await sender.take_over_claims()
    task = asyncio.create_task(sender.run(), name="outbox-sender")
    try:
        await app.core.services.matcher()
        await chat.run(lines)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def serve_forever(app: App) -> None:
    """Run Telegram until SIGINT or SIGTERM (what Docker and systemd send)."""
    import signal

    async def serve() -> None:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, task.cancel)  # type: ignore[union-attr]
        try:
            await app.core.services.matcher()
            with contextlib.suppress(asyncio.CancelledError):
                await run_telegram(app)
        finally:
            await app.engine.dispose()

    asyncio.run(serve())
    logger.info("Stopped")


def converse(app: App, *, chat_id: int, language: str, first_name: str) -> None:
    """Run the terminal chat on stdin until end of input."""

    async def talk() -> None:
        try:
            await run_console(
                app, chat_id=chat_id, language=language, first_name=first_name, lines=sys.stdin
            )
        finally:
            await app.engine.dispose()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(talk())
