"""`musrenbang summary`: write the Bappeda summary (message, chart, workbook) to a folder."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.database import run_in_session
from core.i18n import SUPPORTED_LOCALES
from models.base import utcnow
from services.reports.summary import Summary, build_daily_summary, build_summary

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings

EXIT_USAGE = 2
PART_BREAK = "\n\n"


def register(commands: argparse._SubParsersAction) -> None:
    """Add `summary` to the command line."""
    summary = commands.add_parser(
        "summary", help="write the Bappeda summary (message, PNG chart, XLSX) to a folder"
    )
    summary.add_argument(
        "--date",
        help="YYYY-MM-DD: the summary due that day at SUMMARY_TIME (default: as of now)",
    )
    summary.add_argument("--out", default=".", help="folder to write into (made if missing)")
    summary.add_argument("--lang", default="id", choices=SUPPORTED_LOCALES, help="language")
    summary.set_defaults(func=command_summary)


def command_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Build the summary and write ringkasan-musrenbang-DATE.txt, .png and .xlsx."""
    from bot.cli.serve import prepare_database

    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            print("--date must look like 2026-11-30.")  # noqa: T201
            return EXIT_USAGE
        if day > utcnow().astimezone(settings.zone).date():
            print("--date is in the future; there is no summary for it yet.")  # noqa: T201
            return EXIT_USAGE
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    prepare_database(settings)
    summary = run_in_session(
        settings.database_url, lambda session: _build(session, settings, day, args.lang)
    )
    stem = Path(summary.workbook_filename).stem
    written = [
        _write(out / f"{stem}.txt", PART_BREAK.join(summary.parts).encode() + b"\n"),
        _write(out / summary.chart_filename, summary.chart_png),
        _write(out / summary.workbook_filename, summary.workbook_xlsx),
    ]
    for path in written:
        print(path)  # noqa: T201
    return 0


async def _build(
    session: AsyncSession, settings: Settings, day: date | None, locale: str
) -> Summary:
    if day is None:
        return await build_summary(session, until=utcnow(), settings=settings, locale=locale)
    return await build_daily_summary(session, day, settings, locale)


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
