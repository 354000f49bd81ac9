"""Dates as people read them ("Jumat, 29 Januari 2027, 16.00 WIB"), through Babel.

The one place that formats calendar dates until core/formatting.py takes this over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.dates import format_date, format_skeleton, get_date_format

if TYPE_CHECKING:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo


def format_moment(moment: datetime, *, zone: ZoneInfo, locale: str) -> str:
    """Return weekday, date, time and zone: "Jumat, 29 Januari 2027, 16.00 WIB"."""
    local = moment.astimezone(zone)
    clock = format_skeleton("Hm", local.replace(tzinfo=None), locale=locale)
    return f"{format_day(local.date(), locale=locale)}, {clock} {local.tzname()}"


def format_day(day: date, *, locale: str) -> str:
    """Return weekday and date: "Jumat, 29 Januari 2027" (the day without a leading zero)."""
    pattern = get_date_format("full", locale=locale).pattern.replace("dd", "d")
    return format_date(day, pattern, locale=locale)
