"""`musrenbang match`, `import-rpjmd` and `import-regions`."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.cli.database import run_in_session
from core.i18n import _
from models.db import upgrade
from models.regions import list_region_codes
from services.importing.regions import store_regions, validate_regions
from services.importing.rows import ImportFileError, read_table
from services.importing.rpjmd import store_programs, validate_programs
from services.matching.loading import load_matcher, load_matcher_from_db

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from services.importing.rows import ImportSummary, RowError
    from services.matching.rank import Matcher

logger = logging.getLogger(__name__)

CLI_TOP = 3
JSONL_TOP = 5
EXIT_INVALID = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the matching and import commands to the `musrenbang` parser."""
    match = subparsers.add_parser("match", help="match proposal text to RPJMD programs")
    match.add_argument("text", nargs="?", help="the proposal text")
    match.add_argument(
        "--jsonl",
        action="store_true",
        help='read JSON lines with a "text" field on stdin, write them back with "matches"',
    )
    match.add_argument("--version", help="catalogue version (default: the setting)")
    match.add_argument(
        "--no-db", action="store_true", help="ignore imported programs and corrections"
    )
    match.set_defaults(func=command_match)
    rpjmd = subparsers.add_parser("import-rpjmd", help="import the RPJMD program list")
    rpjmd.add_argument("file", type=Path, help="CSV or XLSX: code, program name, OPD, ...")
    rpjmd.set_defaults(func=command_import_rpjmd)
    regions = subparsers.add_parser("import-regions", help="import kecamatan and desa")
    regions.add_argument("file", type=Path, help="CSV or XLSX: code, name, level, ...")
    regions.set_defaults(func=command_import_regions)


def _database_file_missing(url: str) -> bool:
    """Return whether a SQLite URL points at a file that does not exist."""
    if not url.startswith("sqlite"):
        return False
    path = url.partition(":///")[2]
    return not path or path == ":memory:" or not Path(path).exists()


def build_cli_matcher(settings: Settings, *, version: str | None, use_db: bool) -> Matcher:
    """Build the matcher, with the database's programs and corrections when it has them."""
    version = version or getattr(settings, "catalogue_version", "2024")
    if use_db and not _database_file_missing(settings.database_url):
        try:
            return run_in_session(
                settings.database_url, lambda session: load_matcher_from_db(session, version)
            )
        except SQLAlchemyError:
            logger.warning("database not readable; matching with the shipped catalogue only")
    return load_matcher(version)


def write_matches(matcher: Matcher, text: str, out: TextIO) -> None:
    """Print the top programs for one text as a small table."""
    result = matcher.match(text, k=CLI_TOP)
    for rank, candidate in enumerate(result.candidates, start=1):
        out.write(
            f"{rank}. {candidate.code}\t{candidate.name}\t{candidate.opd}\t{candidate.score:.3f}\n"
        )
    if not result.confident:
        out.write(f"-- {result.reason}\n")


def write_jsonl(matcher: Matcher, source: TextIO, out: TextIO) -> int:
    """Answer each JSON line of `source` with the same object plus "matches" and "confident"."""
    invalid = 0
    for line in source:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
        except (json.JSONDecodeError, KeyError, TypeError):
            invalid += 1
            out.write(json.dumps({"error": "invalid line", "matches": [], "confident": False}))
            out.write("\n")
            continue
        result = matcher.match(str(text), k=JSONL_TOP)
        item["matches"] = [
            {"code": c.code, "name": c.name, "score": c.score} for c in result.candidates
        ]
        item["confident"] = result.confident
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return invalid


def command_match(args: argparse.Namespace, settings: Settings) -> int:
    """Run `musrenbang match`."""
    matcher = build_cli_matcher(settings, version=args.version, use_db=not args.no_db)
    if args.jsonl:
        return EXIT_INVALID if write_jsonl(matcher, sys.stdin, sys.stdout) else 0
    if not args.text:
        sys.stderr.write(_("Give the proposal text, or --jsonl to read JSON lines.") + "\n")
        return EXIT_INVALID
    write_matches(matcher, args.text, sys.stdout)
    return 0


def _report_errors(errors: list[RowError]) -> int:
    sys.stderr.write(
        _("Nothing was imported: {count} problem(s) found.").format(count=len(errors)) + "\n"
    )
    for error in errors:
        sys.stderr.write(f"{error}\n")
    return EXIT_INVALID


def _report_summary(summary: ImportSummary) -> int:
    message = _("Imported: {added} new, {updated} changed, {unchanged} unchanged.")
    sys.stdout.write(
        message.format(added=summary.added, updated=summary.updated, unchanged=summary.unchanged)
        + "\n"
    )
    return 0


def _import_programs(url: str, path: Path) -> int:
    programs, errors = validate_programs(read_table(path))
    if errors:
        return _report_errors(errors)
    return _report_summary(run_in_session(url, lambda session: store_programs(session, programs)))


def _import_regions(url: str, path: Path) -> int:
    rows = read_table(path)

    async def check_and_store(session: AsyncSession) -> int:
        regions, errors = validate_regions(rows, await list_region_codes(session))
        if errors:
            return _report_errors(errors)
        return _report_summary(await store_regions(session, regions))

    return run_in_session(url, check_and_store)


def _run_import(settings: Settings, path: Path, importer: Callable[[str, Path], int]) -> int:
    try:
        upgrade(settings.database_url)
        return importer(settings.database_url, path)
    except ImportFileError as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_INVALID


def command_import_rpjmd(args: argparse.Namespace, settings: Settings) -> int:
    """Run `musrenbang import-rpjmd FILE`."""
    return _run_import(settings, args.file, _import_programs)


def command_import_regions(args: argparse.Namespace, settings: Settings) -> int:
    """Run `musrenbang import-regions FILE`."""
    return _run_import(settings, args.file, _import_regions)
