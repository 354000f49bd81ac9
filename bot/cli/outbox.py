"""`musrenbang outbox`: what the bot still has to say, per kind, and retrying what failed."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from models.base import utcnow
from models.db import create_engine_from_url, session_scope, upgrade
from models.outbox import OutboxState, count_rows_by_kind, requeue_failed_rows

if TYPE_CHECKING:
    import argparse

    from core.config import Settings

COLUMNS = (OutboxState.QUEUED, OutboxState.FAILED, OutboxState.SENT, OutboxState.DROPPED)


def register(commands: argparse._SubParsersAction) -> None:
    """Add `outbox` to the command line."""
    outbox = commands.add_parser(
        "outbox", help="show queued, failed and sent messages per kind; retry failed ones"
    )
    outbox.add_argument(
        "--retry-failed", action="store_true", help="queue the failed messages again"
    )
    outbox.add_argument("--kind", help="only this kind (with --retry-failed)")
    outbox.set_defaults(func=command_outbox)


def command_outbox(args: argparse.Namespace, settings: Settings) -> int:
    """Print the outbox table; with --retry-failed queue failed rows again first."""
    upgrade(settings.database_url)
    print(asyncio.run(_outbox(settings, retry=args.retry_failed, kind=args.kind)))  # noqa: T201
    return 0


async def _outbox(settings: Settings, *, retry: bool, kind: str | None) -> str:
    engine = create_engine_from_url(settings.database_url)
    try:
        lines = []
        if retry:
            async with session_scope(engine, immediate=True) as session:
                count = await requeue_failed_rows(session, now=utcnow(), kind=kind)
            lines.append(f"Queued again: {count} failed message(s).")
        async with session_scope(engine) as session:
            counts = await count_rows_by_kind(session)
    finally:
        await engine.dispose()
    lines.append(format_table(counts))
    return "\n".join(lines)


def format_table(counts: list[tuple[str, str, int]]) -> str:
    """Return a terminal table: one line per kind, a column per state, and the totals."""
    table: dict[str, dict[str, int]] = {}
    for kind, state, number in counts:
        table.setdefault(kind, {})[state] = number
    header = ["kind", *[str(state) for state in COLUMNS]]
    rows = [
        [kind, *[str(table[kind].get(state, 0)) for state in COLUMNS]] for kind in sorted(table)
    ]
    totals = [
        "total",
        *[str(sum(row.get(state, 0) for row in table.values())) for state in COLUMNS],
    ]
    widths = [max(len(row[i]) for row in [header, *rows, totals]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first, *numbers = cells
        return "  ".join(
            [
                first.ljust(widths[0]),
                *[n.rjust(w) for n, w in zip(numbers, widths[1:], strict=True)],
            ]
        )

    rule = "-" * len(line(header))
    return "\n".join([line(header), rule, *[line(row) for row in rows], rule, line(totals)])
