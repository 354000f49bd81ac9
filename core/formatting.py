"""Dates, times and numbers as people read them: Babel in the current locale, the TZ zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal

from core.i18n import current_locale

if TYPE_CHECKING:
    from datetime import tzinfo

DECIMALS = "#,##0.##"  # grouped thousands, at most two decimals: 1.200,5 / 1,200.5


def local_time(moment: datetime, zone: tzinfo) -> datetime:
    """Return a stored time as people read it in `zone`; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def format_date(moment: datetime, zone: tzinfo) -> str:
    """Return the day of `moment` in `zone`: "15 Jan 2027" (id), "Jan 15, 2027" (en)."""
    return babel_date(local_time(moment, zone), "medium", locale=current_locale())


def format_datetime(moment: datetime, zone: tzinfo) -> str:
    """Return the day and minute of `moment` with the zone's abbreviation.

    "15 Jan 2027 16.00 WIB" (id), "Jan 15, 2027, 4:00 PM WIB" (en); the abbreviation comes
    from the time zone database, so another TZ shows its own (WITA, WIT).
    """
    local = local_time(moment, zone)
    locale = current_locale()
    date_and_time = (
        Locale.parse(locale)
        .datetime_formats["medium"]
        .format(
            babel_time(local, "short", locale=locale), babel_date(local, "medium", locale=locale)
        )
    )
    return f"{date_and_time} {local.tzname()}"


def format_number(value: float) -> str:
    """Return a number with grouped thousands and at most two decimals: "1.200,5" (id)."""
    return format_decimal(value, DECIMALS, locale=current_locale())
