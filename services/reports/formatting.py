"""Numbers, dates and user text as the summary shows them: local time, Babel, safe HTML."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import TYPE_CHECKING

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

_SPACES = re.compile(r"\s+")
_JOINERS = "\u200d\ufe0e\ufe0f"
FULL_DATE = "EEEE, d MMMM y"


def one_line(text: str, limit: int) -> str:
    """Return `text` on one line, at most `limit` characters, cut with "…" (not escaped)."""
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rstrip()
    while cut and (cut[-1] in _JOINERS or unicodedata.combining(cut[-1])):
        cut = cut[:-1]
    return cut + "…"


def html_line(text: str, limit: int) -> str:
    """Return user text shortened to one line and escaped for Telegram's HTML."""
    return html.escape(one_line(text, limit), quote=False)


def count(number: int | float, locale: str) -> str:
    """Return a number with the locale's digit grouping (100.000 in Indonesian)."""
    return format_decimal(number, locale=locale)


def day(moment: datetime, zone: tzinfo, locale: str) -> str:
    """Return the local date in full, day without a leading zero ("Selasa, 3 November 2026")."""
    return format_date(moment.astimezone(zone).date(), format=FULL_DATE, locale=locale)


def day_and_time(moment: datetime, zone: tzinfo, locale: str) -> str:
    """Return the local date and time with the zone's abbreviation ("…, 07.00 WIB")."""
    local = moment.astimezone(zone)
    clock = format_time(local.time(), format="short", locale=locale)
    return f"{day(moment, zone, locale)}, {clock} {local.tzname()}"
