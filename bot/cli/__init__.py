"""The `musrenbang` command: load settings, prepare the database, wire one runtime."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from core.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from collections.abc import Sequence

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
    from bot.cli import outbox as outbox_commands

    return [matching_commands.register, admin_commands.register, outbox_commands.register]


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
    from bot.app import prepare_database as prepare

    prepare(settings)


def command_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram runtime chosen by BOT_FRAMEWORK, or the terminal chat without a token."""
    if not settings.telegram_bot_token:
        print(  # noqa: T201
            "TELEGRAM_BOT_TOKEN is not set: opening the conversation in the terminal.",
            file=sys.stderr,
        )
        return command_chat(args, settings)
    from bot.app import build_app, serve_forever

    prepare_database(settings)
    serve_forever(build_app(settings))
    return 0


def command_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Open the real conversation on stdin/stdout."""
    from bot.app import build_app, converse

    prepare_database(settings)
    converse(
        build_app(settings),
        chat_id=getattr(args, "user_id", 1),
        language=getattr(args, "lang", "id"),
        first_name=getattr(args, "name", "Warga"),
    )
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
