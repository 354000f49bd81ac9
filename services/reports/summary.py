"""The daily summary to Bappeda in one call: message parts, chart PNG and workbook XLSX.

Delivery (the 07:00 job through the outbox, /ringkasan, the command line) only sends or
saves what `build_daily_summary` or `build_summary` return.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from core.i18n import _, use_locale
from services.reports import formatting
from services.reports.chart import render_chart
from services.reports.excel import write_workbook
from services.reports.figures import collect_counts, program_directory
from services.reports.rows import stream_proposal_rows
from services.reports.streaming import write_in_thread
from services.reports.text import render_message
from services.reports.window import summary_moment, summary_window

if TYPE_CHECKING:
    from datetime import date, datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from services.reports.figures import Figures

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    """What Bappeda receives: the text parts in order, then the chart and the workbook.

    `figures` are the numbers behind them; `seconds` the time each phase took.
    """

    parts: tuple[str, ...]
    chart_png: bytes
    chart_caption: str
    chart_filename: str
    workbook_xlsx: bytes
    workbook_caption: str
    workbook_filename: str
    figures: Figures
    seconds: dict[str, float]


async def build_daily_summary(
    session: AsyncSession, day: date, settings: Settings, locale: str
) -> Summary:
    """Return the summary due on `day` at SUMMARY_TIME (what the 07:00 job sends)."""
    return await build_summary(
        session, until=summary_moment(day, settings), settings=settings, locale=locale
    )


async def build_summary(
    session: AsyncSession, *, until: datetime, settings: Settings, locale: str
) -> Summary:
    """Return the summary of the proposals submitted before `until`, in `locale`.

    "New" counts what happened since the last daily summary before `until`.
    """
    clock = _Stopwatch()
    window = summary_window(until, settings)
    programs = await program_directory(session, settings.catalogue_version)
    counts = await collect_counts(session, window=window, programs=programs)
    clock.lap("counts")
    chart = await asyncio.to_thread(
        render_chart, counts.kecamatan, until=until, zone=settings.zone, locale=locale
    )
    clock.lap("chart")
    written = await write_in_thread(
        stream_proposal_rows(session, until),
        partial(
            write_workbook, counts=counts, settings=settings, locale=locale, programs=programs
        ),
    )
    figures = written.figures
    clock.lap("workbook")
    with use_locale(locale):
        parts = render_message(figures, settings, locale)
        stamp = formatting.day_and_time(until, settings.zone, locale)
        chart_caption = _("Proposals per kecamatan, {moment}").format(moment=stamp)
        workbook_caption = _("All proposals and the summary tables, {moment}").format(moment=stamp)
    clock.lap("message")
    local_day = until.astimezone(settings.zone).date().isoformat()
    logger.info(
        "Summary of %d proposals built in %.2f s (%s)",
        figures.total,
        sum(clock.laps.values()),
        ", ".join(f"{name} {seconds:.2f} s" for name, seconds in clock.laps.items()),
    )
    return Summary(
        parts=tuple(parts),
        chart_png=chart,
        chart_caption=chart_caption,
        chart_filename=f"ringkasan-musrenbang-{local_day}.png",
        workbook_xlsx=written.content,
        workbook_caption=workbook_caption,
        workbook_filename=f"ringkasan-musrenbang-{local_day}.xlsx",
        figures=figures,
        seconds=dict(clock.laps),
    )


class _Stopwatch:
    """Seconds spent in each named phase."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now
