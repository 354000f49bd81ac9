"""The `musrenbang` command: the parser of every subcommand, and `main`."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from bot.cli import admin, calendar, catalogue, invites, outbox, reports, serve, status_import
from core.config import ConfigError, load_settings

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_CONFIG = 2


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="musrenbang", description="Musrenbang Telegram bot")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True)
    for theme in (serve, catalogue, admin, calendar, invites, status_import, reports, outbox):
        theme.register(commands)
    return parser


def configure_logging(*, verbose: bool, quiet: bool = False) -> None:
    """Log to stderr; keep HTTP client loggers quiet (their URLs carry the bot token)."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    for noisy in ("httpx", "httpcore", "aiohttp.access", "apscheduler", "alembic", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


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
