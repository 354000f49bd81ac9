"""When a summary is due and which stretch of time its "new since" part covers.

The previous summary is known from the clock alone: the daily summary is due every day at
SUMMARY_TIME (local time), so the previous one is the last such moment before the summary
being made. The 07:00 summary reports the 24 hours since yesterday's 07:00, and a summary
asked for at 14:00 reports what came in since this morning's 07:00. No table is needed:
the same date always gives the same window (the command line can redo any day), every
admin sees the same figures, and a summary asked for in between does not shift tomorrow's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.config import Settings


@dataclass(frozen=True, slots=True)
class Window:
    """The moment a summary describes (`until`) and the previous summary's moment (`since`)."""

    since: datetime
    until: datetime


def summary_clock(settings: Settings) -> time:
    """Return the local time of day the daily summary is due."""
    hours, minutes = settings.summary_time.split(":")
    return time(int(hours), int(minutes))


def summary_moment(day: date, settings: Settings) -> datetime:
    """Return the UTC moment the daily summary of `day` is due."""
    local = datetime.combine(day, summary_clock(settings), tzinfo=settings.zone)
    return local.astimezone(UTC)


def summary_window(until: datetime, settings: Settings) -> Window:
    """Return the window from the last daily summary strictly before `until` to `until`."""
    local_day = until.astimezone(settings.zone).date()
    since = summary_moment(local_day, settings)
    if since >= until:
        since = summary_moment(local_day - timedelta(days=1), settings)
    return Window(since=since, until=until)
