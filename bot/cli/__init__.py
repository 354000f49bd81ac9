"""The `musrenbang` command: load settings, prepare the database, wire one runtime."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TYPE_CHECKING

from core.config import ConfigError, Settings, load_settings
from models.db import create_engine_from_url, upgrade

if TYPE_CHECKING:
    from collections.abc import Sequence

    from handlers.dispatch import Core

logger = logging.getLogger(__name__)

EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="musrenbang", description="Musrenbang Telegram bot")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="run the Telegram bot; without a token, the terminal chat"
    )
    run.set_defaults(func=command_run)

    chat = commands.add_parser("chat", help="the conversation in the terminal (no Telegram)")
    chat.add_argument("--user-id", type=int, default=1, help="the chat/user id to act as")
    chat.add_argument("--lang", default="id", help="language: id or en")
    chat.add_argument("--name", default="Warga", help="first name to act as")
    chat.set_defaults(func=command_chat)

    database = commands.add_parser("db", help="database maintenance")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    database_commands.add_parser("upgrade", help="apply migrations").set_defaults(
        func=command_db_upgrade
    )

    for register in _extension_registrars():
        register(commands)
    return parser


def _extension_registrars() -> list:
    """Return the `register(subparsers)` functions of the feature packages."""
    from bot.cli import admin as admin_commands
    from bot.cli import catalogue as matching_commands
    from bot.cli import reports as report_commands

    return [matching_commands.register, admin_commands.register, report_commands.register]


def configure_logging(*, verbose: bool, quiet: bool = False) -> None:
    """Log to stderr; keep HTTP client loggers quiet (their URLs carry the bot token)."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    for noisy in ("httpx", "httpcore", "aiohttp.access", "apscheduler", "alembic", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def prepare_database(settings: Settings) -> None:
    """Bring the schema up to date and load the bundled reference data when missing."""
    upgrade(settings.database_url)
    from services.importing.reference import ensure_reference_data

    asyncio.run(ensure_reference_data(settings))


def build_core(settings: Settings) -> Core:
    """Create the engine, the services and the core."""
    from handlers.dispatch import Core

    engine = create_engine_from_url(settings.database_url)
    return Core(engine=engine, settings=settings)


def command_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram runtime chosen by BOT_FRAMEWORK, or the terminal chat without a token."""
    if not settings.telegram_bot_token:
        print(  # noqa: T201
            "TELEGRAM_BOT_TOKEN is not set: opening the conversation in the terminal.",
            file=sys.stderr,
        )
        return command_chat(args, settings)
    prepare_database(settings)
    core = build_core(settings)
    if settings.bot_framework == "ptb":
        from bot.runtime.ptb_app import run_ptb

        runner = run_ptb
    else:
        from bot.runtime.aiogram_app import run_aiogram

        runner = run_aiogram

    async def serve() -> None:
        """Run until SIGINT or SIGTERM (what Docker and systemd send), then shut down gently."""
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, task.cancel)
        try:
            await core.services.matcher()
            with contextlib.suppress(asyncio.CancelledError):
                await runner(settings, core)
        finally:
            await core.engine.dispose()

    asyncio.run(serve())
    logger.info("Stopped")
    return 0


def command_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Open the real conversation on stdin/stdout."""
    from bot.console import ConsoleChat

    prepare_database(settings)
    core = build_core(settings)
    chat = ConsoleChat(
        core,
        chat_id=getattr(args, "user_id", 1),
        language=getattr(args, "lang", "id"),
        first_name=getattr(args, "name", "Warga"),
    )

    async def converse() -> None:
        await core.services.matcher()
        try:
            await chat.run(sys.stdin)
        finally:
            await core.engine.dispose()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(converse())
    return 0


def command_db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    """Apply every migration."""
    prepare_database(settings)
    print("Database is up to date.")  # noqa: T201
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, load settings, run the chosen command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)  # noqa: T201
        return EXIT_CONFIG
    quiet = args.command in {"chat", "match"} or (
        args.command == "run" and not settings.telegram_bot_token
    )
    configure_logging(verbose=args.verbose, quiet=quiet)
    return int(args.func(args, settings) or 0)
