"""`musrenbang run`, `chat` and `db upgrade`: prepare the database and serve the conversation."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from core.config import Settings


def register(commands: argparse._SubParsersAction) -> None:
    """Add `run`, `chat` and `db upgrade` to the command line."""
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
