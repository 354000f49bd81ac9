"""`musrenbang status-import FILE`: Bappeda's bulk status update from the command line."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from core.i18n import _, use_locale
from models.base import utcnow
from models.db import create_engine_from_url, session_scope, upgrade
from services.importing.rows import ImportFileError
from services.lifecycle import status_label
from services.status_import import apply_status_import, plan_status_import, read_status_rows

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from core.config import Settings
    from services.status_import import ImportPlan

EXIT_INVALID = 1
CLI_LOCALE = "id"


def register(commands: argparse._SubParsersAction) -> None:
    """Add `status-import` to the command line."""
    status_import = commands.add_parser(
        "status-import", help="update proposal statuses from an XLSX or CSV file"
    )
    status_import.add_argument("file", type=Path, help="columns: kode lacak, status, catatan")
    status_import.add_argument("--yes", action="store_true", help="apply without asking")
    status_import.add_argument("--by", type=int, help="Telegram id of the Bappeda admin")
    status_import.set_defaults(func=command_status_import)


def command_status_import(args: argparse.Namespace, settings: Settings) -> int:
    """Check the file, show what would change, and apply it after confirmation."""
    with use_locale(CLI_LOCALE):
        try:
            content = args.file.read_bytes()
            rows = read_status_rows(content)
        except OSError:
            print(_("File {path} was not found.").format(path=args.file))  # noqa: T201
            return EXIT_INVALID
        except ImportFileError as error:
            print(error)  # noqa: T201
            return EXIT_INVALID
        upgrade(settings.database_url)
        return asyncio.run(_import(args, settings, rows, confirm=_ask))


def _ask(question: str) -> bool:
    """Ask a yes/no question on the terminal."""
    print(question, end=" ", flush=True)  # noqa: T201
    return sys.stdin.readline().strip().casefold() in {"y", "ya", "yes"}


def preview_lines(plan: ImportPlan, *, checked: int) -> list[str]:
    """Return the preview: counts, changes per status, and every wrong row."""
    lines = [
        _(
            "{rows} rows checked: {changes} changes, {unchanged} already up to date, "
            "{errors} rows with errors."
        ).format(
            rows=checked,
            changes=len(plan.changes),
            unchanged=plan.unchanged,
            errors=len({error.row for error in plan.errors}),
        )
    ]
    by_status = Counter(change.to_status for change in plan.changes)
    lines.extend(f"  {status_label(status)}: {count}" for status, count in by_status.items())
    lines.extend(f"  {error}" for error in plan.errors)
    return lines


async def _import(
    args: argparse.Namespace,
    settings: Settings,
    rows: list[tuple[int, str, str, str]],
    *,
    confirm: Callable[[str], bool],
) -> int:
    engine = create_engine_from_url(settings.database_url)
    try:
        async with session_scope(engine) as session:
            plan = await plan_status_import(session, rows, prefix=settings.tracking_prefix)
            for line in preview_lines(plan, checked=len(rows)):
                print(line)  # noqa: T201
            if not plan.ok:
                print(_("Nothing was applied. Fix these rows and run the command again."))  # noqa: T201
                return EXIT_INVALID
            if not plan.changes:
                print(_("Nothing to change."))  # noqa: T201
                return 0
            question = _("Apply {count} changes? [y/N]").format(count=len(plan.changes))
            if not args.yes and not confirm(question):
                print(_("Nothing was applied."))  # noqa: T201
                return 0
            applied = await apply_status_import(session, plan, by=args.by, now=utcnow())
        print(  # noqa: T201
            _("✅ {count} changes applied. The proposers and supporters are told.").format(
                count=applied
            )
        )
        return 0
    finally:
        await engine.dispose()
